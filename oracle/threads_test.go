package oracle

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestAbsurdThreadCount: --threads=100000 is capped and fitted to memory in
// every worker pool, so the capture succeeds and verifies; it used to take
// one 64 MiB-chunk LZMS compressor per thread with --solid and run out of
// memory.
func TestAbsurdThreadCount(t *testing.T) {
	Require(t, "wimlib-imagex")
	src := smallTree(t, t.TempDir(), "src", 1)
	for _, opts := range [][]string{{}, {"--compress=none"}, {"--solid"}} {
		t.Run(strings.Join(append([]string{"default"}, opts...), " "), func(t *testing.T) {
			dir := t.TempDir()
			wim := filepath.Join(dir, "o.wim")
			ours(t, "wimcapture", append([]string{src, wim, "--threads=100000"}, opts...)...)
			Verify(t, wim)
			applyMatches(t, wim, 1, src)
			ours(t, "wimappend", src, wim, "two", "--threads=100000")
			Verify(t, wim)
			if ents, _ := os.ReadDir(dir); len(ents) != 1 {
				t.Errorf("left behind in %s: %v", dir, ents)
			}
		})
	}
}
