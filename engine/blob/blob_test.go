package blob

import (
	"bytes"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"
)

// TestHashAllKeepsSmallFiles: hashing keeps the bytes of files up to
// keepMax (so storing them needs no second open) and not of bigger ones,
// and the kept bytes are the file's.
func TestHashAllKeepsSmallFiles(t *testing.T) {
	dir := t.TempDir()
	var blobs []*Blob
	for i, size := range []int{1, 100, keepMax, keepMax + 1, 300 << 10} {
		data := bytes.Repeat([]byte{byte('a' + i)}, size)
		p := filepath.Join(dir, string(rune('a'+i)))
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		blobs = append(blobs, &Blob{Size: int64(size), Path: p, Name: p})
	}
	if err := HashAll(blobs, 2); err != nil {
		t.Fatal(err)
	}
	for _, b := range blobs {
		want, _ := os.ReadFile(b.Path)
		switch {
		case !b.Hashed:
			t.Errorf("%d bytes: not hashed", b.Size)
		case b.Size <= keepMax && (!b.Kept() || !bytes.Equal(b.Data, want)):
			t.Errorf("%d bytes: kept %d bytes, want the file's", b.Size, len(b.Data))
		case b.Size > keepMax && b.Kept():
			t.Errorf("%d bytes: kept, over keepMax", b.Size)
		}
	}
}

// TestKeepBudget: once the budget is spent, files are hashed but not kept.
func TestKeepBudget(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "f")
	if err := os.WriteFile(p, []byte("0123456789"), 0o644); err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 1<<16)
	var budget atomic.Int64
	budget.Store(15)
	b1 := &Blob{Size: 10, Path: p, Name: p}
	b2 := &Blob{Size: 10, Path: p, Name: p}
	if err := b1.computeHash(buf, &budget, nil); err != nil {
		t.Fatal(err)
	}
	if err := b2.computeHash(buf, &budget, nil); err != nil {
		t.Fatal(err)
	}
	if !b1.Kept() || b2.Kept() || !b2.Hashed || b1.Hash != b2.Hash {
		t.Errorf("budget 15, two files of 10: kept %v, %v; want the first only", b1.Kept(), b2.Kept())
	}
}
