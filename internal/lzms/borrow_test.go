package lzms

import (
	"bytes"
	"testing"
	"unsafe"

	"github.com/wimgo/wimgo/internal/codectest"
)

// TestBorrowedBitmaps: a compressor of big chunks sorts with its LMS
// bitmaps in the output buffer's tail (lcpFinder.lms), aligned down
// whatever the chunk's length. Its output, from a dst full of garbage, is
// the bytes of a compressor that owns its bitmaps and decompresses to the
// input. A scratch too small to lend them gets the compressor's own,
// kept.
func TestBorrowedBitmaps(t *testing.T) {
	text, bin := codectest.Corpus(t)
	chunk := 2 * eagerAlloc
	data := make([]byte, eagerAlloc/4+16) // shorter than the compressor's biggest chunk
	for i := 0; i < len(data); {
		i += copy(data[i:], text)
		i += copy(data[i:], bin)
	}
	d, err := NewDecompressor(chunk)
	if err != nil {
		t.Fatal(err)
	}
	for cut := range 8 { // the output's limit at every alignment
		src := data[:len(data)-2*cut]
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
		c, err := NewCompressor(chunk, 50)
		if err != nil {
			t.Fatal(err)
		}
		if !c.lf.borrowLMS {
			t.Fatalf("chunk %d: the compressor does not borrow its bitmaps", chunk)
		}
		dst := bytes.Repeat([]byte{0xA5}, chunk)
		n := c.Compress(dst, src)
		if !bytes.Equal(dst[:n], want[:nw]) {
			t.Fatalf("%d bytes: %d bytes out, differ from the %d of a compressor with its own bitmaps", len(src), n, nw)
		}
		if len(c.lf.lms) != 0 {
			t.Errorf("%d bytes: the bitmaps were allocated, not borrowed", len(src))
		}
		out := make([]byte, len(src))
		if err := d.Decompress(out, dst[:n]); err != nil || !bytes.Equal(out, src) {
			t.Fatalf("%d bytes: round trip failed (%v)", len(src), err)
		}
	}
	var f lcpFinder
	f.borrowLMS = true
	words := saisBitmap(1 << 20)
	scratch := make([]byte, 8*words)
	got, lent := f.lmsBitmaps(1<<20, scratch)
	if len(got) != words || len(f.lms) != 0 {
		t.Errorf("scratch of exactly the bitmaps: %d words, own %d", len(got), len(f.lms))
	}
	// What is lent is what reset releases after the sort: the bitmaps'
	// bytes, no more.
	if len(lent) != 8*words || unsafe.Pointer(&lent[0]) != unsafe.Pointer(&got[0]) {
		t.Errorf("lent %d bytes at %p for bitmaps of %d words at %p", len(lent), &lent[0], words, &got[0])
	}
	if got, lent := f.lmsBitmaps(1<<20, make([]byte, 8*words-1)); len(got) != words || len(f.lms) != words || lent != nil {
		t.Errorf("scratch too small: %d words, own %d, want %d both (lent %d bytes)", len(got), len(f.lms), words, len(lent))
	}
}
