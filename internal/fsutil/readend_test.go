package fsutil

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// TestReadAtEnd: a read that ends at the end of the file reports no byte
// past it; one that ends before does, whichever implementation (preadv
// where the system has it, two reads elsewhere); a short file reads short.
func TestReadAtEnd(t *testing.T) {
	data := []byte("0123456789")
	p := filepath.Join(t.TempDir(), "f")
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	fd, err := OpenFD(p)
	if err != nil {
		t.Fatal(err)
	}
	defer CloseFD(fd)
	for name, read := range map[string]func(FD, []byte, int64) (int, bool, error){
		"ReadAtEnd": ReadAtEnd, "two reads": readAtEndTwice,
	} {
		for _, c := range []struct {
			off, len, n int
			past        bool
		}{
			{0, 10, 10, false},
			{0, 9, 9, true},
			{5, 5, 5, false},
			{5, 4, 4, true},
			{9, 1, 1, false},
			{0, 11, 10, false},
			{10, 1, 0, false},
		} {
			buf := make([]byte, c.len)
			n, past, err := read(fd, buf, int64(c.off))
			if err != nil || n != c.n || past != c.past || !bytes.Equal(buf[:n], data[c.off:c.off+n]) {
				t.Errorf("%s of %d at %d: %d %v %v %q, want %d %v", name, c.len, c.off, n, past, err, buf[:n], c.n, c.past)
			}
		}
	}
}
