package cli

import (
	"os"
	"path/filepath"
	"testing"
)

// TestIsTerminal: a regular file is not a terminal (progress then prints
// one line every few seconds, not \r updates).
func TestIsTerminal(t *testing.T) {
	f, err := os.Create(filepath.Join(t.TempDir(), "log"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if isTerminal(f) {
		t.Error("a regular file was taken for a terminal")
	}
	if p := newProgress(f); p.tty {
		t.Error("progress to a regular file rewrites lines in place")
	}
}

// TestTryLock: a second handle cannot take a held lock, and can once the
// first is closed (what removeStaleTemps relies on).
func TestTryLock(t *testing.T) {
	p := filepath.Join(t.TempDir(), "f")
	a, err := os.Create(p)
	if err != nil {
		t.Fatal(err)
	}
	if err := tryLock(a); err != nil {
		t.Fatal(err)
	}
	b, err := os.Open(p)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	if tryLock(b) == nil {
		t.Fatal("a held lock was taken again through another handle")
	}
	a.Close()
	if err := tryLock(b); err != nil {
		t.Errorf("lock still held after its holder closed the file: %v", err)
	}
}
