package codectest

import (
	"bytes"
	"compress/gzip"
	"encoding/base64"
	"os"
	"path/filepath"
	"runtime"
	"testing"
)

// HopelessInputs returns inputs for checking a codec's incompressible-chunk
// prediction: every file under $(go env GOROOT) (its test data holds
// gzip, zip, PNG, crypto vectors and other high-entropy files beside the
// text), and synthetic cases built to look random to a byte histogram
// while a coder could still shrink them.
func HopelessInputs(t testing.TB) map[string][]byte {
	in := map[string][]byte{}
	root := runtime.GOROOT()
	if r := os.Getenv("HOPELESS_ROOT"); r != "" {
		root = r // another tree to check, by hand
	}
	filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
		if err == nil && d.Type().IsRegular() {
			if b, err := os.ReadFile(p); err == nil && len(b) >= 1024 {
				in[p] = b
			}
		}
		return nil
	})
	if len(in) < 1000 {
		t.Fatalf("only %d files under %s", len(in), root)
	}
	r := RandomBytes(4<<20, 7)
	in["random"] = r
	// Random halves from disjoint alphabets: flat as a whole, 7 bits a
	// byte to a coder that gives each half its own code.
	halves := make([]byte, 0, 1<<20)
	for i := 0; i < 1<<20; i += 64 << 10 {
		for j := range 32 << 10 {
			halves = append(halves, r[i+j]&0x7f)
		}
		for j := range 32 << 10 {
			halves = append(halves, r[i+j+(32<<10)]|0x80)
		}
	}
	in["halves"] = halves
	// Random bytes where every third byte repeats the one three before
	// half the time: near 3-byte and repeat-offset matches.
	lag := bytes.Clone(r[:1<<20])
	for i := 3; i < len(lag); i += 3 {
		if r[i+(1<<20)]&1 == 0 {
			lag[i] = lag[i-3]
		}
	}
	in["lag3"] = lag
	// A random block repeated: a match 16 KiB long.
	in["twice"] = append(bytes.Clone(r[:16<<10]), r[:16<<10]...)
	// Random bytes with a little text, zeros or base64 spliced in.
	text := []byte("The quick brown fox jumps over the lazy dog. ")
	spliced := bytes.Clone(r[:1<<20])
	for i := 0; i+len(text) < len(spliced); i += 8 << 10 {
		copy(spliced[i:], text)
	}
	in["text-spliced"] = spliced
	zeros := bytes.Clone(r[:1<<20])
	for i := 0; i+200 < len(zeros); i += 32 << 10 {
		clear(zeros[i+1000 : i+1200])
	}
	in["zeros-spliced"] = zeros
	b64 := bytes.Clone(r[:1<<20])
	for i := 0; i+6000 < len(b64); i += 32 << 10 {
		base64.StdEncoding.Encode(b64[i:i+5000], r[2<<20+i:2<<20+i+3750])
	}
	in["base64-spliced"] = b64
	// Deflate output of text, as in .gz, .zip and .png files.
	var gz bytes.Buffer
	w, _ := gzip.NewWriterLevel(&gz, gzip.BestSpeed)
	for k := 0; gz.Len() < 1<<20; k++ {
		for _, b := range in {
			w.Write(b[:min(len(b), 4096)])
			if gz.Len() >= 1<<20 {
				break
			}
		}
	}
	w.Close()
	in["gzip"] = gz.Bytes()
	return in
}

// CheckHopeless splits every input of HopelessInputs into chunks of each
// size (as a WIM resource is split) and fails if predict declares a chunk
// hopeless that compress (the codec with the prediction off) shrinks. It
// also fails if predict never fires on the random input, so a broken
// prediction cannot pass by predicting nothing.
func CheckHopeless(t *testing.T, sizes []int, predict func([]byte) bool, compress func([]byte) int) {
	inputs := HopelessInputs(t)
	for _, size := range sizes {
		fired, randomFired, randomChunks := 0, 0, 0
		for name, data := range inputs {
			for i := 0; i < len(data); i += size {
				chunk := data[i:min(i+size, len(data))]
				if name == "random" {
					randomChunks++
				}
				if !predict(chunk) {
					continue
				}
				fired++
				if name == "random" {
					randomFired++
				}
				if n := compress(chunk); n < len(chunk) {
					t.Errorf("chunk size %d: %s at %d (%d bytes) predicted hopeless, but compresses to %d",
						size, name, i, len(chunk), n)
				}
			}
		}
		t.Logf("chunk size %d: %d chunks predicted hopeless, %d of %d random ones", size, fired, randomFired, randomChunks)
		if randomFired < randomChunks*9/10 {
			t.Errorf("chunk size %d: only %d of %d random chunks predicted hopeless", size, randomFired, randomChunks)
		}
	}
}
