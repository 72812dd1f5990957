package fuzz

import (
	"bytes"
	"errors"
	"testing"

	"github.com/wimgo/wimgo/internal/lzx"
)

// lzxSeedChunks compresses a few small inputs so the decoder fuzzer starts
// from valid streams.
func lzxSeedChunks(f *testing.F) {
	inputs := [][]byte{
		[]byte("abcabcabcabcabcabcabcabcabcabcabcabc hello hello hello"),
		bytes.Repeat([]byte{0xE8, 0x10, 0, 0, 0, 0x90}, 200),
		bytes.Repeat([]byte("the quick brown fox jumps over the lazy dog. "), 50),
	}
	for _, level := range []int{20, 50} {
		c, err := lzx.NewCompressor(1<<15, level)
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
}

func FuzzLZXDecompress(f *testing.F) {
	lzxSeedChunks(f)
	d, err := lzx.NewDecompressor(1 << 15)
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, src []byte, size uint16) {
		out := make([]byte, int(size)%(1<<15)+1)
		if err := d.Decompress(out, src); err != nil && !errors.Is(err, lzx.ErrCorrupt) {
			t.Fatalf("error does not wrap ErrCorrupt: %v", err)
		}
	})
}

func FuzzLZXRoundTrip(f *testing.F) {
	f.Add([]byte("hello hello hello hello world"), uint8(20))
	f.Add(bytes.Repeat([]byte{0xE8, 1, 2, 3, 4, 0xE8}, 100), uint8(50))
	f.Add(bytes.Repeat([]byte("abcdefgh"), 1000), uint8(100))
	type pair struct {
		c *lzx.Compressor
		d *lzx.Decompressor
	}
	cache := map[int]pair{}
	f.Fuzz(func(t *testing.T, src []byte, lvl uint8) {
		if len(src) == 0 {
			return
		}
		src = src[:min(len(src), 1<<14)]
		level := int(lvl)%120 + 1
		p, ok := cache[level]
		if !ok {
			c, err := lzx.NewCompressor(1<<15, level)
			if err != nil {
				t.Fatal(err)
			}
			d, _ := lzx.NewDecompressor(1 << 15)
			p = pair{c, d}
			cache[level] = p
		}
		checkRoundTrip(t, p.c, p.d, src)
	})
}
