package codectest

import (
	"bytes"
	"compress/gzip"
	"encoding/base64"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// HopelessInputs calls fn with each input for checking a codec's
// incompressible-chunk prediction: every file under $(go env GOROOT) (its
// test data holds gzip, zip, PNG, crypto vectors and other high-entropy
// files beside the text), then synthetic cases built to look random to a
// byte histogram while a coder could still shrink them. Under -short only
// the files in testdata directories are read (a fourteenth of the tree's
// bytes, most of its compressed and binary files).
func HopelessInputs(t testing.TB, fn func(name string, data []byte)) {
	root := GoRoot(t)
	if r := os.Getenv("HOPELESS_ROOT"); r != "" {
		root = r // another tree to check, by hand
	}
	short := testing.Short()
	// Deflate output of text, as in .gz, .zip and .png files: the tree's
	// Go source, gzipped as it is walked (in lexical order).
	var gz bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&gz, gzip.BestSpeed)
	files := 0
	filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
		if err == nil && d.Type().IsRegular() && (!short || strings.Contains(filepath.ToSlash(p), "/testdata/")) {
			if b, err := os.ReadFile(p); err == nil && len(b) >= 1024 {
				fn(p, b)
				files++
				if filepath.Ext(p) == ".go" && gz.Len() < 1<<20 {
					zw.Write(b)
				}
			}
		}
		return nil
	})
	zw.Close()
	if files < 1000 && (!short || files < 100) {
		t.Fatalf("only %d files under %s", files, root)
	}
	in := map[string][]byte{}
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
	// Every byte value in every 2 KiB block, but each block favours one
	// half of the alphabet two to one, alternately: flat as a whole and
	// in every 32 KiB part; an adaptive code gains about 1%.
	skewed := make([]byte, 1<<20)
	for i := range skewed {
		b := r[i]
		if r[i+(1<<20)]%3 != 0 { // two thirds of the bytes...
			b &= 0x7f // ...from the low half
			if i/2048%2 == 1 {
				b |= 0x80 // (the high half in odd blocks)
			}
		}
		skewed[i] = b
	}
	in["skewed-blocks"] = skewed
	// The same, milder: three fifths from the favoured half.
	mild := make([]byte, 1<<20)
	for i := range mild {
		b := r[i]
		if r[i+(1<<20)]%5 == 0 { // a fifth of the bytes forced...
			b &= 0x7f
			if i/2048%2 == 1 {
				b |= 0x80
			}
		}
		mild[i] = b
	}
	in["mild-skewed-blocks"] = mild
	// Random bytes where every third byte repeats the one three before
	// half the time: near 3-byte and repeat-offset matches.
	lag := bytes.Clone(r[:1<<20])
	for i := 3; i < len(lag); i += 3 {
		if r[i+(1<<20)]&1 == 0 {
			lag[i] = lag[i-3]
		}
	}
	in["lag3"] = lag
	// A random block repeated: a match 16 KiB long; and 1 MiB long, from
	// 1 MiB back (for chunk sizes that hold both copies).
	in["twice"] = append(bytes.Clone(r[:16<<10]), r[:16<<10]...)
	in["far-twice"] = append(bytes.Clone(r[:1<<20]), r[:1<<20]...)
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
	in["gzip"] = gz.Bytes()
	for _, name := range slices.Sorted(maps.Keys(in)) {
		fn(name, in[name])
	}
}

// CheckHopeless splits every input of HopelessInputs into chunks of each
// size (as a WIM resource is split) and fails if predict declares a chunk
// hopeless that compress (the codec with the prediction off) shrinks. It
// also fails if predict never fires on the random input, so a broken
// prediction cannot pass by predicting nothing. Under -short only the
// smallest and largest sizes are checked, on the first MiB (or largest
// chunk) of each input: compressing the chunks predicted hopeless is most
// of the time.
func CheckHopeless(t *testing.T, sizes []int, predict func([]byte) bool, compress func([]byte) int) {
	short := testing.Short()
	if short && len(sizes) > 2 {
		sizes = []int{slices.Min(sizes), slices.Max(sizes)}
	}
	shortLen := max(slices.Max(sizes), 1<<20)
	fired := make([]int, len(sizes))
	randomFired := make([]int, len(sizes))
	randomChunks := make([]int, len(sizes))
	HopelessInputs(t, func(name string, data []byte) {
		end := len(data)
		if short {
			end = min(end, shortLen)
		}
		for s, size := range sizes {
			for i := 0; i < end; i += size {
				chunk := data[i:min(i+size, end)]
				if name == "random" {
					randomChunks[s]++
				}
				if !predict(chunk) {
					continue
				}
				fired[s]++
				if name == "random" {
					randomFired[s]++
				}
				if n := compress(chunk); n < len(chunk) {
					t.Errorf("chunk size %d: %s at %d (%d bytes) predicted hopeless, but compresses to %d",
						size, name, i, len(chunk), n)
				}
			}
		}
	})
	for s, size := range sizes {
		t.Logf("chunk size %d: %d chunks predicted hopeless, %d of %d random ones", size, fired[s], randomFired[s], randomChunks[s])
		if randomFired[s] < randomChunks[s]*9/10 {
			t.Errorf("chunk size %d: only %d of %d random chunks predicted hopeless", size, randomFired[s], randomChunks[s])
		}
	}
}
