package oracle

import (
	"path/filepath"
	"strings"
	"testing"
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
