package oracle

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// writeList writes a source list into dir and returns its path.
func writeList(t *testing.T, dir, name, text string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// reDirTimes matches the time lines of `wimdir --detailed`, for outputs
// holding directories made at capture time (the root of an image no source
// fills, the parents of a deeper target).
var reDirTimes = regexp.MustCompile(`(?m)^(Creation|Last Write|Last Access) Time .*$`)

// TestSourceListFileDirectoryConflictRefused: a source list placing a file
// where a directory is, or a directory where a file is, is refused with a
// message naming the target, as wimlib refuses it; nothing is written.
func TestSourceListFileDirectoryConflictRefused(t *testing.T) {
	Require(t, "wimlib-imagex")
	dir := t.TempDir()
	d := smallTree(t, dir, "d", 1)
	f := filepath.Join(dir, "f")
	os.WriteFile(f, []byte("a file\n"), 0o644)
	for _, c := range []struct{ list, want string }{
		{d + " /\n" + f + " /d\n", `"/d" is a directory`},
		{f + " /x\n" + d + " /x\n", `"/x" is a file`},
		{f + " /x/d\n" + d + " /x\n", `"/x/d" is a file`},
	} {
		list := writeList(t, dir, "list", c.list)
		wim := filepath.Join(dir, "out.wim")
		if out, err := RunEnv(nil, "wimlib-imagex", "capture", list, wim, "--source-list"); err == nil {
			t.Fatalf("wimlib accepted %q:\n%s", c.list, out)
		}
		os.Remove(wim)
		failCapture(t, c.want, wim, list, wim, "--source-list")
	}
}

// TestSourceListOverridesMatchWimlib: a file given twice keeps the last
// and stores no blob for the first; two directories laid over each other
// keep the first one's metadata and merge their children; a line's third
// field is ignored. The WIM matches wimlib's capture of the same list.
func TestSourceListOverridesMatchWimlib(t *testing.T) {
	Require(t, "wimlib-imagex", "7zz")
	dir := t.TempDir()
	a, b := smallTree(t, dir, "a", 1), smallTree(t, dir, "b", 2)
	f1, f2 := filepath.Join(dir, "f1"), filepath.Join(dir, "f2")
	os.WriteFile(f1, []byte("first, overridden\n"), 0o644)
	os.WriteFile(f2, []byte("second, kept\n"), 0o644)
	list := writeList(t, dir, "list", a+" /\n"+b+" / ignored\n"+f1+" /d/over.txt\n"+f2+" /d/over.txt third\n"+f1+" /own.txt\n")
	captureBoth(t, list, false, "--source-list", "--compress=none", "--norpfix")
}

// TestSourceListEmptyAndImplicitDirs: an empty source list (or one of
// comments) makes an image holding only a root directory, and directories
// made for a target's parents are not counted in DIRCOUNT, as in wimlib.
func TestSourceListEmptyAndImplicitDirs(t *testing.T) {
	Require(t, "wimlib-imagex", "7zz")
	dir := t.TempDir()
	f := filepath.Join(dir, "f")
	os.WriteFile(f, []byte("deep\n"), 0o644)
	a := smallTree(t, dir, "a", 1)
	for i, text := range []string{"", "# only a comment\n\n", f + " /x/y/z\n", f + " /x/y/z\n" + a + " /\n"} {
		list := writeList(t, dir, "list", text)
		ourWIM, theirWIM := filepath.Join(dir, "o.wim"), filepath.Join(dir, "w.wim")
		os.Remove(ourWIM)
		os.Remove(theirWIM)
		ours(t, "wimcapture", list, ourWIM, "--source-list", "--compress=none")
		Run(t, "wimlib-imagex", "capture", list, theirWIM, "--source-list", "--compress=none")
		Verify(t, ourWIM)
		da := reDirTimes.ReplaceAllString(DirDetailed(t, ourWIM, DirDetailedOptions{}), "")
		db := reDirTimes.ReplaceAllString(DirDetailed(t, theirWIM, DirDetailedOptions{}), "")
		if da != db {
			t.Fatalf("list %d %q: wimdir --detailed differs:\n%s", i, text, firstDiff(da, db))
		}
		if xa, xb := InfoXML(t, ourWIM), InfoXML(t, theirWIM); xa != xb {
			t.Fatalf("list %d %q: wiminfo --xml differs:\nours:   %s\nwimlib: %s", i, text, xa, xb)
		}
	}
}

// TestHardLinkedSymlinkStats: HARDLINKBYTES counts the extra names of a
// hard-linked symbolic link, as wimlib's does.
func TestHardLinkedSymlinkStats(t *testing.T) {
	Require(t, "wimlib-imagex", "7zz")
	dir := t.TempDir()
	src := smallTree(t, dir, "s", 1)
	if err := os.Link(filepath.Join(src, "link"), filepath.Join(src, "link2")); err != nil {
		t.Fatal(err)
	}
	os.Link(filepath.Join(src, "own.txt"), filepath.Join(src, "d", "own2.txt"))
	captureBoth(t, src, false, "--compress=none")
}

// TestImagePropertyStatsRecomputed: --image-property cannot set the
// counters and the modification time wimlib computes (DIRCOUNT, FILECOUNT,
// TOTALBYTES, HARDLINKBYTES, LASTMODIFICATIONTIME): they are recomputed
// where they stand, or appended when the property removed them; other
// properties stay, for wimcapture and wimappend alike.
func TestImagePropertyStatsRecomputed(t *testing.T) {
	Require(t, "wimlib-imagex", "7zz")
	dir := t.TempDir()
	src := smallTree(t, dir, "s", 1)
	props := []string{"--image-property", "TOTALBYTES=5", "--image-property", "DIRCOUNT=7",
		"--image-property", "FILECOUNT=", "--image-property", "HARDLINKBYTES=9",
		"--image-property", "LASTMODIFICATIONTIME/HIGHPART=0x5", "--image-property", "FOO=bar"}
	ourWIM, theirWIM := captureBoth(t, src, false, append([]string{"--compress=none"}, props...)...)
	if x := InfoXML(t, ourWIM); !strings.Contains(x, "<FOO>bar</FOO><FILECOUNT>") {
		t.Fatalf("FILECOUNT not recomputed after the other properties:\n%s", x)
	}
	// InfoXML hides the times; the property's HIGHPART must not survive.
	if x := DecodeUTF16([]byte(Run(t, "wimlib-imagex", "info", ourWIM, "--xml"))); strings.Contains(x, "<LASTMODIFICATIONTIME><HIGHPART>0x5<") {
		t.Fatalf("LASTMODIFICATIONTIME kept the property's value:\n%s", x)
	}
	b := smallTree(t, dir, "b", 2)
	ours(t, "wimappend", append([]string{b, ourWIM, "second"}, props...)...)
	Run(t, "wimlib-imagex", append([]string{"append", b, theirWIM, "second"}, props...)...)
	Verify(t, ourWIM)
	if xa, xb := InfoXML(t, ourWIM), InfoXML(t, theirWIM); xa != xb {
		t.Fatalf("wiminfo --xml differs after append:\nours:   %s\nwimlib: %s", xa, xb)
	}
}
