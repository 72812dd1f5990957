package lzms

import (
	"fmt"
	"testing"

	"github.com/wimgo/wimgo/internal/codectest"
)

// TestReusedCompressor: a compressor that has compressed other chunks
// gives the bytes a fresh one gives (the delta finder's table and the x86
// filter's target table are kept from chunk to chunk, not cleared), with
// and without delta matches.
func TestReusedCompressor(t *testing.T) {
	sizes := []int{20, 3000, 40000, 5, 131072, 700, 9, 65536, 2000}
	for _, level := range []int{20, 50} {
		t.Run(fmt.Sprintf("L%d", level), func(t *testing.T) {
			codectest.CheckReuse(t, func() codectest.Compressor {
				c, err := NewCompressor(131072, level)
				if err != nil {
					t.Fatal(err)
				}
				return c
			}, sizes)
		})
	}
}

// TestForMetadata: at level 50 metadata resources price the literal+repeat
// step that file data prices only from level 60, so the two settings code
// a metadata-like input differently; switching back gives a fresh
// compressor's bytes, and both round-trip.
func TestForMetadata(t *testing.T) {
	// Records of one layout whose names differ a little, as dentries.
	var in []byte
	for i := range 3000 {
		in = fmt.Appendf(in, "\x68\x00\x00\x00\x10\x00\x00\x00dentry-name-%06d.txt\x00\x00\x01\x02\x03\x04", i*7)
	}
	in = in[:131072]
	c, err := NewCompressor(131072, 50)
	if err != nil {
		t.Fatal(err)
	}
	code := func() []byte {
		dst := make([]byte, len(in))
		n := c.Compress(dst[:len(in)-1], in)
		if n == 0 {
			t.Fatal("did not compress")
		}
		return dst[:n]
	}
	data := code()
	c.ForMetadata(true)
	meta := code()
	c.ForMetadata(false)
	again := code()
	if string(meta) == string(data) {
		t.Errorf("ForMetadata(true) changed nothing (%d bytes both)", len(data))
	}
	if string(again) != string(data) {
		t.Errorf("after ForMetadata(false): %d bytes, a fresh compressor's %d", len(again), len(data))
	}
	d, err := NewDecompressor(131072)
	if err != nil {
		t.Fatal(err)
	}
	for _, enc := range [][]byte{data, meta} {
		out := make([]byte, len(in))
		if err := d.Decompress(out, enc); err != nil || string(out) != string(in) {
			t.Fatalf("round trip of %d bytes failed: %v", len(enc), err)
		}
	}
	t.Logf("file data %d bytes, metadata %d", len(data), len(meta))
}
