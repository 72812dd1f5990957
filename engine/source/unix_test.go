//go:build unix

package source

import (
	"encoding/binary"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/wimgo/wimgo/engine/image"
	"github.com/wimgo/wimgo/engine/wimfmt"
	"golang.org/x/sys/unix"
)

func find(t *testing.T, root *image.Dentry, path string) *image.Dentry {
	t.Helper()
	d := root
	for _, p := range strings.Split(strings.Trim(path, "/"), "/") {
		if d = d.Child(p); d == nil {
			t.Fatalf("%s: not in the tree", path)
		}
	}
	return d
}

// linkTarget decodes the substitute name of symlink reparse data.
func linkTarget(data []byte) (string, uint32) {
	off := binary.LittleEndian.Uint16(data[0:])
	n := binary.LittleEndian.Uint16(data[2:])
	return image.FromUTF16(data[12+off : 12+off+n]), binary.LittleEndian.Uint32(data[8:])
}

func TestScanDir(t *testing.T) {
	root := t.TempDir()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(os.MkdirAll(filepath.Join(root, "sub/empty"), 0o755))
	must(os.WriteFile(filepath.Join(root, "a"), []byte("hello"), 0o644))
	must(os.Link(filepath.Join(root, "a"), filepath.Join(root, "sub/b")))
	must(os.WriteFile(filepath.Join(root, "pagefile.sys"), []byte("x"), 0o644))
	must(os.WriteFile(filepath.Join(root, "sub/pagefile.sys"), []byte("y"), 0o644))
	must(os.Symlink("a", filepath.Join(root, "rel")))
	must(os.Symlink(filepath.Join(root, "sub"), filepath.Join(root, "abs")))
	must(os.Symlink("/usr", filepath.Join(root, "out")))
	f, _ := os.Create(filepath.Join(root, "sparse"))
	f.Truncate(1 << 20)
	f.Close()
	must(os.WriteFile(filepath.Join(root, "skipme"), []byte("the WIM"), 0o644))
	var st unix.Stat_t
	unix.Stat(filepath.Join(root, "skipme"), &st)

	res, err := ScanDir(root, &Options{RPFix: true, Skip: []FileID{{uint64(st.Dev), st.Ino}}})
	if err != nil {
		t.Fatal(err)
	}
	r := res.Root
	if r.Child("skipme") != nil || r.Child("pagefile.sys") != nil {
		t.Fatal("skip list or default exclusion ignored")
	}
	if find(t, r, "sub/pagefile.sys") == nil {
		t.Fatal("the default exclusions are anchored at the root")
	}
	a, b := find(t, r, "a"), find(t, r, "sub/b")
	if a.Inode != b.Inode || a.Inode.Links != 2 || a.Inode.Attributes != wimfmt.AttrNormal {
		t.Fatalf("hard links: %+v %+v", a.Inode, b.Inode)
	}
	if find(t, r, "sparse").Inode.Attributes != wimfmt.AttrSparseFile {
		t.Fatal("sparse file not flagged")
	}
	if ino := find(t, r, "sub/empty").Inode; !ino.IsDir() {
		t.Fatal("empty dir")
	}
	for _, c := range []struct {
		name, target string
		attr         uint32
		flags        uint32
		rp           uint16
	}{
		{"rel", "a", wimfmt.AttrReparsePoint, wimfmt.SymlinkRelative, wimfmt.RPNotFixed},
		{"abs", `\??\C:\sub`, wimfmt.AttrReparsePoint | wimfmt.AttrDirectory, 0, 0},
		{"out", `\??\C:\usr`, wimfmt.AttrReparsePoint | wimfmt.AttrDirectory, 0, wimfmt.RPNotFixed},
	} {
		ino := find(t, r, c.name).Inode
		tg, fl := linkTarget(ino.Reparse.Data)
		if tg != c.target || fl != c.flags || ino.Attributes != c.attr || ino.RPFlags != c.rp || ino.ReparseTag != wimfmt.ReparseTagSymlink {
			t.Errorf("%s: target %q flags %d attr %#x rp %d", c.name, tg, fl, ino.Attributes, ino.RPFlags)
		}
	}
	if !res.RPFixed {
		t.Fatal("RPFixed not reported")
	}
	// Files first by path, then reparse buffers.
	if res.Blobs[0].Path != filepath.Join(root, "a") || res.Blobs[len(res.Blobs)-1].Data == nil {
		t.Fatalf("blob order: %+v", res.Blobs)
	}
}

func TestScanBadNameAndSourceList(t *testing.T) {
	root := t.TempDir()
	os.MkdirAll(filepath.Join(root, "one/x"), 0o755)
	os.MkdirAll(filepath.Join(root, "two/x"), 0o755)
	os.WriteFile(filepath.Join(root, "one/x/f"), []byte("first"), 0o644)
	os.WriteFile(filepath.Join(root, "two/x/f"), []byte("second!"), 0o644)
	os.WriteFile(filepath.Join(root, "two/x/g"), []byte("g"), 0o644)
	os.WriteFile(filepath.Join(root, "file"), []byte("a file"), 0o644)
	list := "# comment\n  \n" + filepath.Join(root, "one") + " /\n'" + filepath.Join(root, "two") + "' \"/\"\n" + filepath.Join(root, "file") + " /deep/er/file.txt\n"
	res, err := ScanSourceList("list", []byte(list), &Options{})
	if err != nil {
		t.Fatal(err)
	}
	if got := find(t, res.Root, "x/f").Inode.Data.Size; got != 7 {
		t.Fatalf("overlay: x/f has %d bytes, want the later source's 7", got)
	}
	find(t, res.Root, "x/g")
	find(t, res.Root, "deep/er/file.txt")

	bad := filepath.Join(root, "bad")
	os.MkdirAll(bad, 0o755)
	os.WriteFile(filepath.Join(bad, "n\xffame"), nil, 0o644)
	if _, err := ScanDir(bad, nil); err == nil || !strings.Contains(err.Error(), "UTF-8") || !strings.Contains(err.Error(), `n\xffame`) {
		t.Fatalf("bad name: %v", err)
	}
}

// TestParseSourceListAsWimlib: what follows SOURCE and TARGET is ignored
// (even an unterminated quote), ';' starts a comment as '#' does, and a
// list naming nothing is valid (an empty image).
func TestParseSourceListAsWimlib(t *testing.T) {
	got, err := ParseSourceList("l", []byte("a b c\n 'x y' /z 'open\n; semicolon comment\n"))
	if err != nil {
		t.Fatal(err)
	}
	if want := []ListEntry{{"a", "b"}, {"x y", "z"}}; !slices.Equal(got, want) {
		t.Fatalf("entries %q, want %q", got, want)
	}
	for _, empty := range []string{"", "# comment\n\n   \n"} {
		if got, err := ParseSourceList("l", []byte(empty)); err != nil || len(got) != 0 {
			t.Fatalf("%q: %q, %v; want no entries and no error", empty, got, err)
		}
	}
	res, err := ScanSourceList("l", nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if r := res.Root; r == nil || !r.Inode.IsDir() || !r.Inode.Filler || len(r.Children) != 0 || len(res.Blobs) != 0 {
		t.Fatalf("empty source list: root %+v, %d blobs", r, len(res.Blobs))
	}
}

// TestSourceListOverlayBlobs: a file replaced by a later entry leaves no
// blob behind; a file over a directory is refused, naming the target.
func TestSourceListOverlayBlobs(t *testing.T) {
	root := t.TempDir()
	for _, n := range []string{"f1", "f2"} {
		os.WriteFile(filepath.Join(root, n), []byte("content of "+n), 0o644)
	}
	os.MkdirAll(filepath.Join(root, "d", "sub"), 0o755)
	f1, f2, d := filepath.Join(root, "f1"), filepath.Join(root, "f2"), filepath.Join(root, "d")
	res, err := ScanSourceList("l", []byte(f1+" /x\n"+f2+" /x\n"), nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Blobs) != 1 || res.Blobs[0].Path != f2 {
		t.Fatalf("blobs after an override: %+v", res.Blobs)
	}
	_, err = ScanSourceList("l", []byte(d+" /\n"+f1+" /sub\n"), nil)
	if err == nil || !strings.Contains(err.Error(), `"/sub" is a directory`) || !strings.Contains(err.Error(), f1) {
		t.Fatalf("file over a directory: %v", err)
	}
}
