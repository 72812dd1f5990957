package oracle

import (
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/wimgo/wimgo/engine/wimread"
)

// TestRefcountCheckOnWimlibWIMs: the reference-count check passes on WIMs
// wimlib makes (hard links, duplicate contents, symlinks, several images,
// solid resources), and fails on one holding a blob no image references
// (left by wimlib's soft delete).
func TestRefcountCheckOnWimlibWIMs(t *testing.T) {
	Require(t, "wimlib-imagex")
	dir := t.TempDir()
	src := MakeTree(t, dir)
	b := smallTree(t, dir, "b", 2)
	for _, opts := range [][]string{{"--compress=none"}, {"--solid"}} {
		wim := filepath.Join(dir, "w"+opts[0]+".wim")
		Run(t, "wimlib-imagex", append([]string{"capture", src, wim}, opts...)...)
		Run(t, "wimlib-imagex", "append", b, wim)
		Run(t, "wimlib-imagex", "append", src, wim, "again")
		CheckRefcounts(t, wim)

		Run(t, "wimlib-imagex", "delete", wim, "2", "--soft")
		probs, err := RefcountProblems(wim)
		if err != nil {
			t.Fatal(err)
		}
		if len(probs) == 0 || !strings.Contains(strings.Join(probs, "\n"), "no image references it") {
			t.Fatalf("%v: after a soft delete of the image with own.txt, want an unreferenced blob; got %q", opts, probs)
		}
	}
}

// blobHashes lists the non-metadata blob hashes of wim (wiminfo --blobs).
func blobHashes(t *testing.T, wim string) []string {
	t.Helper()
	var out []string
	for _, block := range strings.Split(Run(t, "wimlib-imagex", "info", wim, "--blobs"), "\n\n") {
		if h := reStreamHash.FindStringSubmatch(block); h != nil && !strings.Contains(block, "METADATA") {
			out = append(out, h[1])
		}
	}
	sort.Strings(out)
	return out
}

// TestRebuildCompactDropSoftDeleted: after wimlib's soft delete leaves an
// image's blobs in the file with no references, our wimappend --rebuild
// and --unsafe-compact leave them out, as wimlib's do; an in-place append
// keeps them (their bytes stay) with a count of 0, as wimlib's does. For
// plain and solid WIMs.
func TestRebuildCompactDropSoftDeleted(t *testing.T) {
	Require(t, "wimlib-imagex", "7zz")
	dir := t.TempDir()
	a, b, c := smallTree(t, dir, "a", 1), smallTree(t, dir, "b", 2), smallTree(t, dir, "c", 3)
	for _, kind := range []string{"--compress=LZX", "--solid"} {
		base := filepath.Join(dir, "base.wim")
		os.Remove(base)
		Run(t, "wimlib-imagex", "capture", a, base, kind)
		Run(t, "wimlib-imagex", "append", b, base)
		Run(t, "wimlib-imagex", "delete", base, "2", "--soft")
		for _, mode := range []string{"--rebuild", "--unsafe-compact", ""} {
			ourWIM, theirWIM := filepath.Join(dir, "o.wim"), filepath.Join(dir, "w.wim")
			copyFile(t, base, ourWIM)
			copyFile(t, base, theirWIM)
			args := []string{c, ourWIM, "c"}
			if mode != "" {
				args = append(args, mode)
			}
			ours(t, "wimappend", args...)
			Run(t, "wimlib-imagex", append([]string{"append", c, theirWIM, "c"}, args[3:]...)...)
			Run(t, "wimlib-imagex", "verify", ourWIM)
			if got, want := blobHashes(t, ourWIM), blobHashes(t, theirWIM); !slices.Equal(got, want) {
				t.Fatalf("%s %s: blobs\nours:   %v\nwimlib: %v", kind, mode, got, want)
			}
			if mode != "" {
				Verify(t, ourWIM)
				// A solid resource left with no blob is dropped too.
				if got, want := solidCount(t, ourWIM), solidCount(t, theirWIM); got != want {
					t.Fatalf("%s %s: %d solid resources, wimlib's has %d", kind, mode, got, want)
				}
			}
			applyMatches(t, ourWIM, 2, c)
		}
	}
}

// copyFile copies src to dst.
func copyFile(t *testing.T, src, dst string) {
	t.Helper()
	b, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(dst, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestWIMBootConfigReplacesFile: --wimboot --config=FILE stores FILE
// itself, with its own times, over the WimBootCompress.ini the source has,
// whose blob is then not stored; the WIM matches wimlib's capture.
func TestWIMBootConfigReplacesFile(t *testing.T) {
	Require(t, "wimlib-imagex", "7zz")
	dir := t.TempDir()
	src := smallTree(t, dir, "wb", 1)
	sys := filepath.Join(src, "Windows", "System32")
	os.MkdirAll(sys, 0o755)
	os.WriteFile(filepath.Join(sys, "WimBootCompress.ini"), []byte("[ExclusionList]\n/the source's own\n"), 0o644)
	cfg := filepath.Join(dir, "wb.ini")
	os.WriteFile(cfg, []byte("[ExclusionList]\n/skip\n"), 0o644)
	old := time.Date(2020, 1, 2, 3, 4, 5, 600000000, time.UTC)
	os.Chtimes(cfg, old, old)
	for _, d := range []string{sys, filepath.Dir(sys), src} {
		os.Chtimes(d, old, old)
	}
	captureBoth(t, src, true, "--wimboot", "--config="+cfg)
}

// solidCount is the number of solid resources in wim's blob table.
func solidCount(t *testing.T, wim string) int {
	t.Helper()
	w, f, err := wimread.Open(wim)
	if err != nil {
		t.Fatal(err)
	}
	f.Close()
	return len(w.Solid)
}
