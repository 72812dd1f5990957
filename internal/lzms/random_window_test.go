package lzms

import (
	"bytes"
	"testing"

	"github.com/wimgo/wimgo/internal/codectest"
)

// TestRandomWindows: in a chunk too big for the incompressible check (as
// solid resources' are), the windows of random bytes are flagged and
// coded without the short-match and delta searches, the text between them
// is not, the result decodes, and a second copy of the random bytes far
// away is still coded as a match.
func TestRandomWindows(t *testing.T) {
	r := codectest.RandomBytes(1<<20, 11)
	text, _ := codectest.Corpus(t)
	var in []byte
	in = append(in, r...)
	in = append(in, text[:1<<20]...)
	in = append(in, r...)
	c, err := NewCompressor(4<<20, 50)
	if err != nil {
		t.Fatal(err)
	}
	dst := make([]byte, len(in))
	n := c.Compress(dst, in)
	if n == 0 {
		t.Fatal("did not compress")
	}
	flagged := 0
	for w, f := range c.random {
		isText := w*randomWindow >= 1<<20 && w*randomWindow < 2<<20
		if f && isText {
			t.Errorf("text window %d flagged random", w)
		}
		if f {
			flagged++
		}
	}
	if want := 2 * (1 << 20) / randomWindow; flagged < want*9/10 {
		t.Errorf("%d of %d random windows flagged", flagged, want)
	}
	// The second copy of r is a match: the output is about one copy of
	// the random bytes plus the compressed text.
	if n > 1<<20+(1<<20)/2 {
		t.Errorf("compressed to %d bytes: the second copy was not matched", n)
	}
	d, _ := NewDecompressor(4 << 20)
	out := make([]byte, len(in))
	if err := d.Decompress(out, dst[:n]); err != nil || !bytes.Equal(out, in) {
		t.Fatalf("round trip failed: %v", err)
	}
}
