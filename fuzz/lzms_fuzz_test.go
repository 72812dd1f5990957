package fuzz

import (
	"bytes"
	"errors"
	"testing"

	"github.com/wimgo/wimgo/internal/lzms"
)

const lzmsChunk = 1 << 16

// FuzzLZMSDecompress feeds arbitrary chunks to the decoder: it must not
// panic, must report errors wrapping ErrCorrupt, and must be deterministic
// (the decompressor is reused, so any state leaking from one chunk into the
// next shows up as a different second decode). The committed seeds are
// wimlib-compressed chunks (text, x86 code, a 16-bit ramp that wimlib codes
// with delta matches, runs of zeros) with their sizes minus one.
func FuzzLZMSDecompress(f *testing.F) {
	f.Add([]byte{0, 0, 0, 0}, uint32(0))
	f.Add(make([]byte, 64), uint32(1000))
	f.Add(bytes.Repeat([]byte{0xff}, 64), uint32(lzmsChunk-1))
	d, err := lzms.NewDecompressor(lzmsChunk)
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, src []byte, size uint32) {
		out := make([]byte, int(size%lzmsChunk)+1)
		err := d.Decompress(out, src)
		if err != nil && !errors.Is(err, lzms.ErrCorrupt) {
			t.Fatalf("error does not wrap ErrCorrupt: %v", err)
		}
		again := make([]byte, len(out))
		err2 := d.Decompress(again, src)
		if (err == nil) != (err2 == nil) || (err == nil && !bytes.Equal(out, again)) {
			t.Fatalf("second decode differs: %v / %v", err, err2)
		}
	})
}

// FuzzLZMSRoundTrip compresses arbitrary input at a level taken from the
// fuzz input and checks our decoder gives it back.
func FuzzLZMSRoundTrip(f *testing.F) {
	f.Add([]byte("hello hello hello hello world, hello hello hello hello world"), uint8(20))
	f.Add(bytes.Repeat([]byte{0xE8, 1, 2, 3, 4, 0x48, 0x8D, 0x05}, 100), uint8(50))
	f.Add(make([]byte, 5000), uint8(100))
	c, err := lzms.NewCompressor(lzmsChunk, 50)
	if err != nil {
		f.Fatal(err)
	}
	d, err := lzms.NewDecompressor(lzmsChunk)
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, src []byte, _ uint8) {
		if len(src) == 0 {
			return
		}
		checkRoundTrip(t, c, d, src[:min(len(src), lzmsChunk)])
	})
}
