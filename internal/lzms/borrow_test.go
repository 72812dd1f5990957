package lzms

import (
	"bytes"
	"testing"

	"github.com/wimgo/wimgo/internal/codectest"
)

// TestBorrowedBitmaps: a compressor of big chunks sorts with its LMS
// bitmaps in the output buffer (lcpFinder.lms). Its output, from a dst
// full of garbage, is the bytes of a compressor that owns its bitmaps and
// decompresses to the input; a dst that cannot lend them (its tail
// misaligned) still works (the bitmaps are then allocated and kept).
func TestBorrowedBitmaps(t *testing.T) {
	text, bin := codectest.Corpus(t)
	chunk := 2 * eagerAlloc
	src := make([]byte, eagerAlloc/4+12345) // a chunk shorter than the compressor's biggest
	for i := 0; i < len(src); {
		i += copy(src[i:], text)
		i += copy(src[i:], bin)
	}
	own, err := NewCompressor(chunk, 50)
	if err != nil {
		t.Fatal(err)
	}
	own.lf.borrowLMS = false
	want := make([]byte, len(src))
	nw := own.Compress(want, src)
	if nw == 0 {
		t.Fatal("did not compress")
	}
	d, err := NewDecompressor(chunk)
	if err != nil {
		t.Fatal(err)
	}
	for _, skew := range []int{0, 1} {
		c, err := NewCompressor(chunk, 50)
		if err != nil {
			t.Fatal(err)
		}
		if !c.lf.borrowLMS {
			t.Fatalf("chunk %d: the compressor does not borrow its bitmaps", chunk)
		}
		dst := bytes.Repeat([]byte{0xA5}, chunk+skew)[skew:]
		n := c.Compress(dst, src)
		if !bytes.Equal(dst[:n], want[:nw]) {
			t.Fatalf("dst skewed by %d: %d bytes, differ from the %d of a compressor with its own bitmaps", skew, n, nw)
		}
		if borrowed := len(c.lf.lms) == 0; borrowed != (skew == 0) {
			t.Errorf("dst skewed by %d: bitmaps borrowed %v", skew, borrowed)
		}
		out := make([]byte, len(src))
		if err := d.Decompress(out, dst[:n]); err != nil || !bytes.Equal(out, src) {
			t.Fatalf("dst skewed by %d: round trip failed (%v)", skew, err)
		}
	}
}
