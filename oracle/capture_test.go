package oracle

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/wimgo/wimgo/engine/wimread"
)

// The 1.13.5 oracle writes a symlink to a directory with its reparse hash in
// an extra stream entry plus an empty unnamed data entry; Microsoft's tools
// (and wimlib 1.14.2+) want the reparse hash in the main hash and no data
// entry, which is what we write. In `wimdir --detailed` that difference is
// an "Unnamed data stream" block of zero size after the reparse stream of
// entries whose attributes are DIRECTORY|REPARSE_POINT. Dropping exactly that
// block is the normalization for it.
var reDirLinkDataStream = regexp.MustCompile(`(?s)(Attributes          = 0x00000410\n.*?Reparse point stream:\n(?:[^\n]*\n){7})\tUnnamed data stream:\nHash              = 0x0{40}\nUncompressed size = 0 bytes\nCompressed size   = 0 bytes\nOffset in WIM     = N bytes\nPart Number       = 0\nReference Count   = 0\nFlags             = \n`)

func normalizeDirLinks(s string) string {
	return reDirLinkDataStream.ReplaceAllString(s, "$1")
}

// captureBoth captures src with our wimcapture and with wimlib's, with the
// same options, and checks everything the oracles can: both verify, applied
// trees are identical, wimdir --detailed and wiminfo --xml agree after the
// named normalizations.
func captureBoth(t *testing.T, src string, compressed bool, opts ...string) (ourWIM, theirWIM string) {
	t.Helper()
	dir := t.TempDir()
	ourWIM = filepath.Join(dir, "ours.wim")
	theirWIM = filepath.Join(dir, "wimlib.wim")
	ours(t, "wimcapture", append([]string{src, ourWIM}, opts...)...)
	Run(t, "wimlib-imagex", append([]string{"capture", src, theirWIM}, opts...)...)
	Verify(t, ourWIM)

	a, b := filepath.Join(dir, "a"), filepath.Join(dir, "b")
	Apply(t, ourWIM, 1, a)
	Apply(t, theirWIM, 1, b)
	sa, sb := Snapshot(t, a), Snapshot(t, b)
	for k, e := range sa {
		if e.Type == "symlink" {
			e.Target = strings.ReplaceAll(e.Target, a, "APPLIED")
			sa[k] = e
		}
	}
	for k, e := range sb {
		if e.Type == "symlink" {
			e.Target = strings.ReplaceAll(e.Target, b, "APPLIED")
			sb[k] = e
		}
	}
	CompareTrees(t, "wimapply of ours vs wimapply of wimlib's", sa, sb)

	do := DirDetailedOptions{CompressedSizes: compressed}
	da := DirDetailed(t, ourWIM, do)
	db := normalizeDirLinks(DirDetailed(t, theirWIM, do))
	if da != db {
		t.Fatalf("wimdir --detailed differs:\n%s", firstDiff(da, db))
	}
	xa, xb := InfoXML(t, ourWIM), InfoXML(t, theirWIM)
	if xa != xb {
		t.Fatalf("wiminfo --xml differs:\nours:   %s\nwimlib: %s", xa, xb)
	}
	return ourWIM, theirWIM
}

func firstDiff(a, b string) string {
	la, lb := strings.Split(a, "\n"), strings.Split(b, "\n")
	for i := 0; i < len(la) && i < len(lb); i++ {
		if la[i] != lb[i] {
			lo := max(0, i-12)
			return "ours:\n" + strings.Join(la[lo:min(len(la), i+4)], "\n") + "\nwimlib:\n" + strings.Join(lb[lo:min(len(lb), i+4)], "\n")
		}
	}
	return "one output is a prefix of the other"
}

func TestCaptureUncompressedMatchesWimlib(t *testing.T) {
	Require(t, "wimlib-imagex", "7zz")
	src := MakeTree(t, t.TempDir())
	ourWIM, _ := captureBoth(t, src, false, "--compress=none")

	// The applied tree is also the source itself (contents, types, link
	// targets, hard links, mtimes).
	dir := t.TempDir()
	Apply(t, ourWIM, 1, filepath.Join(dir, "out"))
	got := Snapshot(t, filepath.Join(dir, "out"))
	want := Snapshot(t, src)
	for k, e := range want {
		if e.Type == "symlink" {
			// rpfix: absolute links inside the tree point into the
			// extraction directory.
			e.Target = strings.ReplaceAll(e.Target, "ROOT", filepath.Join(dir, "out"))
			want[k] = e
		}
	}
	for k, e := range got {
		if e.Type == "symlink" {
			e.Target = strings.ReplaceAll(e.Target, "ROOT", filepath.Join(dir, "out"))
			got[k] = e
		}
		// wimapply without --unix-data makes its own permissions.
		e.Mode = want[k].Mode
		if e.Type != "symlink" {
			got[k] = e
		}
	}
	CompareTrees(t, "source vs wimapply of ours", want, got)
}

func TestCaptureNoRPFixAndDereference(t *testing.T) {
	Require(t, "wimlib-imagex", "7zz")
	src := MakeTree(t, t.TempDir())
	// --dereference needs every link to resolve.
	os.Remove(filepath.Join(src, "dangling"))
	os.Remove(filepath.Join(src, "backslash-link"))
	captureBoth(t, src, false, "--compress=none", "--norpfix")
	captureBoth(t, src, false, "--compress=none", "--dereference")
}

func TestDedupOneBlobPerContent(t *testing.T) {
	Require(t, "wimlib-imagex", "7zz")
	src := MakeTree(t, t.TempDir())
	wim := filepath.Join(t.TempDir(), "d.wim")
	ours(t, "wimcapture", src, wim, "--compress=none")
	w, f, err := wimread.Open(wim)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	// Distinct contents: non-empty regular files by content, plus
	// distinct symlink reparse data (which wimdir reports per link).
	distinct := map[string]bool{}
	for _, e := range Snapshot(t, src) {
		if e.Type == "file" && e.Size > 0 {
			distinct[e.SHA1] = true
		}
	}
	hashes := map[[20]byte]bool{}
	for _, b := range w.Blobs {
		if hashes[b.Hash] {
			t.Fatalf("blob %x stored twice", b.Hash)
		}
		hashes[b.Hash] = true
	}
	links := 0
	for _, e := range Snapshot(t, src) {
		if e.Type == "symlink" {
			links++
		}
	}
	if got, want := len(w.Blobs), len(distinct)+links; got != want {
		t.Fatalf("blob table holds %d blobs, want %d (%d distinct file contents + %d symlinks)", got, want, len(distinct), links)
	}
}

func TestCheckIntegrity(t *testing.T) {
	Require(t, "wimlib-imagex", "7zz")
	src := MakeTree(t, t.TempDir())
	wim := filepath.Join(t.TempDir(), "i.wim")
	ours(t, "wimcapture", src, wim, "--compress=none", "--check")
	// wimlib checks the integrity table first when there is one, and says
	// so; without one it warns that it skips the check.
	out := Run(t, "wimlib-imagex", "verify", wim)
	if !strings.Contains(out, "Verifying integrity of") || strings.Contains(out, "does not contain integrity information") {
		t.Fatalf("wimverify did not check an integrity table:\n%s", out)
	}
	info := Run(t, "wimlib-imagex", "info", wim, "--header")
	if !regexp.MustCompile(`Integrity Size\s+= [1-9]`).MatchString(info) {
		t.Fatalf("no integrity table in header:\n%s", info)
	}
	Verify(t, wim)
	// Flip one byte of file data (the 5 MiB text file sits early in the
	// file): the integrity table, checked before any blob's hash, must
	// catch it.
	data, err := os.ReadFile(wim)
	if err != nil {
		t.Fatal(err)
	}
	i := bytes.Index(data, []byte("the quick brown"))
	if i < 0 {
		t.Fatal("the text file's bytes are not in the uncompressed WIM")
	}
	data[i] ^= 0x20
	bad := filepath.Join(t.TempDir(), "bad.wim")
	if err := os.WriteFile(bad, data, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err = RunEnv(nil, "wimlib-imagex", "verify", bad)
	if err == nil {
		t.Fatalf("wimverify accepted a WIM with a flipped byte:\n%s", out)
	}
	if !strings.Contains(out, "failed integrity check") {
		t.Fatalf("wimverify failed, but not on the integrity table:\n%s", out)
	}
}

// TestReproducibleWithSourceDateEpoch: with SOURCE_DATE_EPOCH set, the same
// tree gives byte-identical WIMs, whatever --threads.
func TestReproducibleWithSourceDateEpoch(t *testing.T) {
	Require(t, "wimlib-imagex")
	src := MakeTree(t, t.TempDir())
	dir := t.TempDir()
	env := []string{"SOURCE_DATE_EPOCH=1700000000"}
	capture := func(name string, args ...string) []byte {
		wim := filepath.Join(dir, name)
		if out, err := oursErr("wimcapture", env, append([]string{src, wim}, args...)...); err != nil {
			t.Fatalf("%v\n%s", err, out)
		}
		b, _ := os.ReadFile(wim)
		return b
	}
	for _, c := range []struct{ a, b []string }{
		{[]string{"--compress=none"}, []string{"--compress=none", "--threads=1"}},
		{[]string{"--compress=LZX", "--threads=1"}, []string{"--compress=LZX", "--threads=3"}},
		{[]string{"--compress=XPRESS", "--threads=2"}, []string{"--compress=XPRESS", "--threads=1"}},
	} {
		if !bytes.Equal(capture("a.wim", c.a...), capture("b.wim", c.b...)) {
			t.Fatalf("captures with %v and %v differ", c.a, c.b)
		}
	}
	info := Run(t, "wimlib-imagex", "info", filepath.Join(dir, "a.wim"))
	if !strings.Contains(info, "Nov 14 22:13:20 2023") {
		t.Fatalf("XML times are not SOURCE_DATE_EPOCH:\n%s", info)
	}
}

// TestSourceListMatchesWimlib: a source list with overlays, a file target
// and quoted paths applies to the same tree as wimlib's capture of it.
// (The XML, with its DIRCOUNT that leaves out the directories made for
// targets, is compared in TestSourceListEmptyAndImplicitDirs.)
func TestSourceListMatchesWimlib(t *testing.T) {
	Require(t, "wimlib-imagex")
	dir := t.TempDir()
	a, b := smallTree(t, dir, "a", 1), smallTree(t, dir, "b b", 2)
	os.WriteFile(filepath.Join(dir, "single"), []byte("a single file\n"), 0o644)
	list := filepath.Join(dir, "list")
	os.WriteFile(list, []byte("# overlay\n"+a+" /\n'"+b+"' /\n\""+b+"/d\" /deep/er/d\n\""+filepath.Join(dir, "single")+"\" /x/file.txt\n"), 0o644)
	ourWIM, theirWIM := filepath.Join(dir, "o.wim"), filepath.Join(dir, "w.wim")
	ours(t, "wimcapture", list, ourWIM, "--source-list", "--norpfix", "--compress=none")
	Run(t, "wimlib-imagex", "capture", list, theirWIM, "--source-list", "--norpfix", "--compress=none")
	Verify(t, ourWIM)
	oa, ob := filepath.Join(dir, "oa"), filepath.Join(dir, "ob")
	Apply(t, ourWIM, 1, oa)
	Apply(t, theirWIM, 1, ob)
	sa, sb := Snapshot(t, oa), Snapshot(t, ob)
	for _, s := range []map[string]Entry{sa, sb} {
		for k, e := range s {
			if e.Type == "dir" {
				e.Mtime = 0
			}
			s[k] = e
		}
	}
	CompareTrees(t, "source list: ours vs wimlib", sa, sb)
}

// TestUnixDataMatchesWimlib: --unix-data stores owner, mode, special files
// and extended attributes; applied with --unix-data, ours and wimlib's give
// the same tree, modes and xattrs included.
func TestUnixDataMatchesWimlib(t *testing.T) {
	Require(t, "wimlib-imagex", "7zz", "mkfifo", "setfattr", "getfattr")
	dir := t.TempDir()
	src := smallTree(t, dir, "u", 1)
	os.Chmod(filepath.Join(src, "own.txt"), 0o600)
	os.Chmod(filepath.Join(src, "d"), 0o750)
	Run(t, "mkfifo", filepath.Join(src, "fifo"))
	Run(t, "setfattr", "-n", "user.test", "-v", "hello", filepath.Join(src, "own.txt"))
	Run(t, "setfattr", "-n", "user.other", "-v", "0x00ff", filepath.Join(src, "d"))
	ourWIM, theirWIM := filepath.Join(dir, "o.wim"), filepath.Join(dir, "w.wim")
	ours(t, "wimcapture", src, ourWIM, "--unix-data", "--compress=none")
	Run(t, "wimlib-imagex", "capture", src, theirWIM, "--unix-data", "--compress=none")
	Verify(t, ourWIM)
	if da, db := DirDetailed(t, ourWIM, DirDetailedOptions{}), DirDetailed(t, theirWIM, DirDetailedOptions{}); da != db {
		t.Fatalf("wimdir --detailed differs:\n%s", firstDiff(da, db))
	}
	oa, ob := filepath.Join(dir, "oa"), filepath.Join(dir, "ob")
	Apply(t, ourWIM, 1, oa, "--unix-data")
	Apply(t, theirWIM, 1, ob, "--unix-data")
	sa, sb := Snapshot(t, oa), Snapshot(t, ob)
	if sa["fifo"].Type != "other" {
		t.Fatalf("fifo applied as %+v", sa["fifo"])
	}
	CompareTrees(t, "--unix-data: ours vs wimlib", sa, sb)
	xa := Run(t, "getfattr", "-d", "-m", "-", "-R", "--absolute-names", oa)
	xb := Run(t, "getfattr", "-d", "-m", "-", "-R", "--absolute-names", ob)
	if strings.ReplaceAll(xa, oa, "") != strings.ReplaceAll(xb, ob, "") {
		t.Fatalf("xattrs differ:\nours:\n%s\nwimlib:\n%s", xa, xb)
	}
	if !strings.Contains(xa, `user.test="hello"`) {
		t.Fatalf("xattr missing:\n%s", xa)
	}
}

// TestWIMBootConfig: --wimboot uses XPRESS 4K and, with --config, stores the
// configuration in the image as Windows/System32/WimBootCompress.ini, as
// wimlib does. (The directories made for it are dated at capture: times
// are not compared.)
func TestWIMBootConfig(t *testing.T) {
	Require(t, "wimlib-imagex", "7zz")
	dir := t.TempDir()
	src := smallTree(t, dir, "wb", 1)
	os.MkdirAll(filepath.Join(src, "skip"), 0o755)
	cfg := filepath.Join(dir, "wb.ini")
	os.WriteFile(cfg, []byte("[ExclusionList]\n/skip\n"), 0o644)
	ourWIM, theirWIM := filepath.Join(dir, "o.wim"), filepath.Join(dir, "w.wim")
	ours(t, "wimcapture", src, ourWIM, "--wimboot", "--config="+cfg)
	Run(t, "wimlib-imagex", "capture", src, theirWIM, "--wimboot", "--config="+cfg)
	Verify(t, ourWIM)
	info := Run(t, "wimlib-imagex", "info", ourWIM)
	for _, want := range []string{"Compression:    XPRESS", "Chunk Size:     4096 bytes", "WIMBoot compatible:     yes"} {
		if !strings.Contains(info, want) {
			t.Fatalf("want %q in:\n%s", want, info)
		}
	}
	strip := regexp.MustCompile(`(?m)^(Creation|Last Write|Last Access) Time .*$`)
	do := DirDetailedOptions{CompressedSizes: true}
	da := strip.ReplaceAllString(DirDetailed(t, ourWIM, do), "")
	db := strip.ReplaceAllString(DirDetailed(t, theirWIM, do), "")
	if da != db {
		t.Fatalf("wimdir --detailed differs:\n%s", firstDiff(da, db))
	}
	out := filepath.Join(dir, "out")
	Apply(t, ourWIM, 1, out)
	if b, _ := os.ReadFile(filepath.Join(out, "Windows", "System32", "WimBootCompress.ini")); string(b) != "[ExclusionList]\n/skip\n" {
		t.Fatalf("stored configuration: %q", b)
	}
}
