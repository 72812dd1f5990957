package fuzz

import (
	"bytes"
	"errors"
	"testing"

	"github.com/wimgo/wimgo/internal/xpress"
)

const xpressChunk = 1 << 15

// xpressSeedChunks compresses a few inputs so the decoder fuzzer starts from
// valid streams (with their sizes).
func xpressSeedChunks(f *testing.F) {
	inputs := [][]byte{
		bytes.Repeat([]byte("abcabcabcabcabcabcabcabcabcabcabcabc hello hello hello "), 10),
		bytes.Repeat([]byte("the quick brown fox jumps over the lazy dog. "), 50),
		append(bytes.Repeat([]byte{0}, 3000), bytes.Repeat([]byte{1, 2, 3, 4, 5, 6, 7}, 300)...),
	}
	for _, level := range []int{20, 50, 100} {
		c, err := xpress.NewCompressor(xpressChunk, level)
		if err != nil {
			f.Fatal(err)
		}
		for _, in := range inputs {
			dst := make([]byte, len(in))
			if n := c.Compress(dst, in); n > 0 {
				f.Add(dst[:n], uint16(len(in)))
			}
		}
	}
	f.Add(make([]byte, 256), uint16(1))
	f.Add([]byte{}, uint16(0))
}

// FuzzXpressDecompress feeds arbitrary chunks to the decoder: it must not
// panic, must report errors wrapping ErrCorrupt, and whatever it decodes
// must survive a round trip through our compressor.
func FuzzXpressDecompress(f *testing.F) {
	xpressSeedChunks(f)
	d, err := xpress.NewDecompressor(xpressChunk)
	if err != nil {
		f.Fatal(err)
	}
	c, err := xpress.NewCompressor(xpressChunk, 50)
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, src []byte, size uint16) {
		out := make([]byte, int(size)%xpressChunk+1)
		if err := d.Decompress(out, src); err != nil {
			if !errors.Is(err, xpress.ErrCorrupt) {
				t.Fatalf("error does not wrap ErrCorrupt: %v", err)
			}
			return
		}
		comp := make([]byte, len(out))
		n := c.Compress(comp, out)
		if n == 0 {
			return
		}
		back := make([]byte, len(out))
		if err := d.Decompress(back, comp[:n]); err != nil {
			t.Fatalf("decoding our own chunk: %v", err)
		}
		if !bytes.Equal(back, out) {
			t.Fatal("round trip of decoded data mismatch")
		}
	})
}

// FuzzXpressRoundTrip compresses arbitrary input at a level taken from the
// fuzz input and checks the decoder restores it.
func FuzzXpressRoundTrip(f *testing.F) {
	f.Add([]byte("hello hello hello hello world, hello hello hello hello world"), uint8(20))
	f.Add(bytes.Repeat([]byte{0xE8, 1, 2, 3, 4, 0xE8}, 100), uint8(50))
	f.Add(bytes.Repeat([]byte("abcdefgh"), 1000), uint8(100))
	f.Add(make([]byte, 5000), uint8(1))
	type pair struct {
		c *xpress.Compressor
		d *xpress.Decompressor
	}
	cache := map[int]pair{}
	f.Fuzz(func(t *testing.T, src []byte, lvl uint8) {
		if len(src) == 0 {
			return
		}
		src = src[:min(len(src), xpressChunk)]
		level := int(lvl)%120 + 1
		p, ok := cache[level]
		if !ok {
			c, err := xpress.NewCompressor(xpressChunk, level)
			if err != nil {
				t.Fatal(err)
			}
			d, _ := xpress.NewDecompressor(xpressChunk)
			p = pair{c, d}
			cache[level] = p
		}
		checkRoundTrip(t, p.c, p.d, src)
	})
}
