package lzx

import (
	"bytes"
	"fmt"
	"testing"
)

var chunkSizes = []int{1 << 15, 1 << 16, 1 << 17, 1 << 18, 1 << 19, 1 << 20, 1 << 21}

type namedInput struct {
	name string
	data []byte
}

func testInputs(t testing.TB, chunk int) []namedInput {
	text, bin := loadCorpus(t)
	// Small windows get several chunks of each input; large windows one
	// short chunk and one full one at most, to keep the time down.
	size := min(4*chunk, 256<<10)
	if chunk > 256<<10 {
		size = chunk + 1000
	}
	if testing.Short() {
		// Large windows get a part of a chunk: the window's alphabets
		// and 32-bit positions, not the long-distance matches.
		size = min(size, chunk+100, 256<<10+100)
	}
	clip := func(b []byte) []byte { return b[:min(len(b), size)] }
	return []namedInput{
		{"text", clip(text)},
		{"x86", clip(bin[len(bin)/3:])},
		{"e8", e8Stress(min(size, 2*chunk+5), chunk)},
		{"random", randomBytes(min(size, 40000), 1)},
		{"zeros", make([]byte, size)},
		{"one", []byte{'a'}},
		{"tiny", []byte("abcabcabcabcabcabcabcabcabc")},
		{"exact", clip(text[1000:][:chunk])},
		{"exact+1", clip(text[2000:][:chunk+1])},
	}
}

// compressChunks compresses data chunk by chunk, as records for the oracle;
// raw chunks hold the original bytes.
func compressChunks(t testing.TB, c *Compressor, chunk int, data []byte) []record {
	t.Helper()
	var recs []record
	dst := make([]byte, chunk)
	for p := 0; p < len(data); p += chunk {
		src := data[p:min(p+chunk, len(data))]
		orig := bytes.Clone(src)
		n := c.Compress(dst[:len(src)-1+boolInt(len(src) == 1)], src)
		if !bytes.Equal(src, orig) {
			t.Fatal("Compress modified src")
		}
		if n >= len(src) {
			t.Fatalf("Compress returned %d for %d bytes", n, len(src))
		}
		if n == 0 {
			recs = append(recs, record{USize: len(src), Data: bytes.Clone(src)})
		} else {
			recs = append(recs, record{USize: len(src), Data: bytes.Clone(dst[:n])})
		}
	}
	return recs
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

func TestRoundTrip(t *testing.T) {
	levels := []int{1, 20, 50, 100}
	for _, chunk := range chunkSizes {
		d, err := NewDecompressor(chunk)
		if err != nil {
			t.Fatal(err)
		}
		d.strict = true
		for _, level := range levels {
			c, err := NewCompressor(chunk, level)
			if err != nil {
				t.Fatal(err)
			}
			for _, in := range testInputs(t, chunk) {
				t.Run(fmt.Sprintf("%d/L%d/%s", chunk, level, in.name), func(t *testing.T) {
					recs := compressChunks(t, c, chunk, in.data)
					var got []byte
					for i, r := range recs {
						if len(r.Data) == r.USize {
							got = append(got, r.Data...)
							continue
						}
						out := make([]byte, r.USize)
						if err := d.Decompress(out, r.Data); err != nil {
							t.Fatalf("chunk %d: %v", i, err)
						}
						got = append(got, out...)
					}
					if !bytes.Equal(got, in.data) {
						t.Fatalf("round trip mismatch")
					}
				})
			}
		}
	}
}

// TestTinyInputs compresses inputs below minCompressLen through the
// internal path, so the bitstream for 1..16-byte chunks is exercised too.
func TestTinyInputs(t *testing.T) {
	for _, level := range []int{1, 20, 50} {
		c, _ := NewCompressor(1<<15, level)
		d, _ := NewDecompressor(1 << 15)
		d.strict = true
		for n := 1; n <= 40; n++ {
			src := randomBytes(n, uint64(n))[:n]
			if n%2 == 0 {
				src = bytes.Repeat([]byte{0xE8}, n)
			}
			size := c.compress(src, 1<<30)
			if size < 0 {
				t.Fatalf("L%d n=%d: compress gave up", level, n)
			}
			out := make([]byte, n)
			if err := d.Decompress(out, c.w.buf[:size]); err != nil {
				t.Fatalf("L%d n=%d: %v", level, n, err)
			}
			if !bytes.Equal(out, src) {
				t.Fatalf("L%d n=%d: mismatch", level, n)
			}
		}
	}
}

// TestHighLevel runs a very high level, where the deep search fills the
// match cache quickly and blocks get short.
func TestHighLevel(t *testing.T) {
	_, bin := loadCorpus(t)
	c, err := NewCompressor(1<<15, 1000)
	if err != nil {
		t.Fatal(err)
	}
	d, _ := NewDecompressor(1 << 15)
	d.strict = true
	data := append(bytes.Clone(bin[300000:][:40000]), bytes.Repeat([]byte("ab"), 20000)...)
	for i, r := range compressChunks(t, c, 1<<15, data) {
		if len(r.Data) == r.USize {
			continue
		}
		out := make([]byte, r.USize)
		if err := d.Decompress(out, r.Data); err != nil {
			t.Fatalf("chunk %d: %v", i, err)
		}
		if !bytes.Equal(out, data[i<<15:][:r.USize]) {
			t.Fatalf("chunk %d: mismatch", i)
		}
	}
}
