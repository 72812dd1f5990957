package blob

import (
	"crypto/sha1"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestHashRead: hashing a file (always by reads, see OpenSource) gives its
// SHA-1 whatever the buffer size, and a file that is
// not Size bytes long is a changed-size error, not a hash.
func TestHashRead(t *testing.T) {
	dir := t.TempDir()
	data := make([]byte, 300<<10+17)
	r := rand.New(rand.NewPCG(1, 2))
	for i := range data {
		data[i] = byte(r.Uint32())
	}
	p := filepath.Join(dir, "f")
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		size    int64
		bufSize int
		changed bool
	}{
		{int64(len(data)), 4096, false},
		{int64(len(data)), 1 << 20, false},
		{int64(len(data)), 0, false},
		{int64(len(data)) - 1, 4096, true}, // the file grew
		{300 << 10, 4096, true},            // grew, by more than the last full buffer
		{300 << 10, 300 << 10, true},       // grew, read in one piece
		{int64(len(data)) + 1, 4096, true}, // the file shrank
	} {
		b := &Blob{Size: c.size, Path: p, Name: p}
		err := b.ComputeHash(make([]byte, c.bufSize))
		switch {
		case c.changed && (err == nil || !strings.Contains(err.Error(), "changed size")):
			t.Errorf("size %d: %v, want a changed-size error", c.size, err)
		case !c.changed && (err != nil || !b.Hashed || b.Hash != sha1.Sum(data)):
			t.Errorf("size %d, buffer %d: hashed %v (%v), want the file's SHA-1", c.size, c.bufSize, b.Hashed, err)
		}
	}
}
