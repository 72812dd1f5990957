//go:build unix

package blob

import (
	"crypto/sha1"
	"os"
	"path/filepath"
	"testing"
)

// TestHashPastMaxMap: a file larger than a mapping may be (on 32-bit
// systems) is hashed by reads, to the same SHA-1 a mapping gives.
func TestHashPastMaxMap(t *testing.T) {
	p := filepath.Join(t.TempDir(), "f")
	data := make([]byte, mmapMin+12345)
	for i := range data {
		data[i] = byte(i * 7 >> 3)
	}
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, limit := range []int64{maxMap, mmapMin} {
		old := maxMap
		maxMap = limit
		b := &Blob{Size: int64(len(data)), Path: p, Name: p}
		err := b.ComputeHash(make([]byte, 64<<10))
		maxMap = old
		if err != nil || b.Hash != sha1.Sum(data) {
			t.Errorf("maxMap %d: %v, hash %x, want %x", limit, err, b.Hash, sha1.Sum(data))
		}
	}
}
