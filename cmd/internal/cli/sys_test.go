package cli

import (
	"os"
	"path/filepath"
	"testing"
)

// TestIsTerminal: a regular file is not a terminal (progress then prints
// whole lines, not \r updates).
func TestIsTerminal(t *testing.T) {
	f, err := os.Create(filepath.Join(t.TempDir(), "log"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if isTerminal(f) {
		t.Error("a regular file was taken for a terminal")
	}
	if r := newReporter(&Args{}, f, f); r.tty {
		t.Error("progress to a regular file rewrites lines in place")
	}
}

// TestRusage: CPU time grows with work, and the peak memory is in bytes
// (a Go test binary holds well over 1 MiB; ru_maxrss counts KiB on Linux).
func TestRusage(t *testing.T) {
	cpu0, _ := rusage()
	x := uint64(1)
	for i := range 50_000_000 {
		x = x*6364136223846793005 + uint64(i)
	}
	cpu1, rss := rusage()
	if cpu1 <= cpu0 || x == 0 {
		t.Errorf("CPU time %v, then %v after work", cpu0, cpu1)
	}
	if rss < 1<<20 || rss > 1<<40 {
		t.Errorf("peak memory %d bytes", rss)
	}
}
