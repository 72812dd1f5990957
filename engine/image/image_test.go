package image

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"slices"
	"testing"

	"github.com/wimgo/wimgo/engine/blob"
	"github.com/wimgo/wimgo/engine/wimfmt"
)

func TestUTF16RoundTrip(t *testing.T) {
	for _, s := range []string{"", "a.txt", "naïve café", "日本語", "emoji-😀-𝄞", "\xed\xa0\x80lone-surrogate"} {
		u, err := ToUTF16(s)
		if err != nil {
			t.Fatalf("%q: %v", s, err)
		}
		if got := FromUTF16(u); got != s {
			t.Fatalf("round trip %q -> %q", s, got)
		}
	}
	u, _ := ToUTF16("😀")
	if !bytes.Equal(u, []byte{0x3D, 0xD8, 0x00, 0xDE}) {
		t.Fatalf("surrogate pair % x", u)
	}
	for _, bad := range []string{"\xff", "a\xc3", "\xc0\x80", "\xe0\x80\x80", "\xf8\x88\x80\x80\x80", "\xf4\x90\x80\x80"} {
		if _, err := ToUTF16(bad); !errors.Is(err, ErrBadUTF8) {
			t.Fatalf("%q accepted", bad)
		}
	}
}

func TestCollationOrder(t *testing.T) {
	names := []string{"sub", "a.txt", "emptydir", "abs", "hard.txt", "Rel", "rel", "empty", "sparse", "B", "a"}
	root := NewDentry("", nil, &Inode{Attributes: wimfmt.AttrDirectory})
	for _, n := range names {
		root.AppendChild(NewDentry(n, nil, &Inode{}))
	}
	root.SortChildren()
	var got []string
	for _, d := range root.Children {
		got = append(got, d.Name)
	}
	want := []string{"a", "a.txt", "abs", "B", "empty", "emptydir", "hard.txt", "Rel", "rel", "sparse", "sub"}
	if !slices.Equal(got, want) {
		t.Fatalf("order %v, want %v", got, want)
	}
}

func TestMetadataLayoutAndStats(t *testing.T) {
	dir := func() *Inode { return &Inode{Attributes: wimfmt.AttrDirectory, SecurityID: wimfmt.NoSecurityID} }
	root := NewDentry("", nil, dir())
	mk := func(parent *Dentry, name string, ino *Inode) *Dentry {
		u, _ := ToUTF16(name)
		d := NewDentry(name, u, ino)
		parent.AddChild(d)
		return d
	}
	data := &blob.Blob{Size: 6, Hash: [20]byte{1}}
	f := &Inode{Attributes: wimfmt.AttrNormal, SecurityID: wimfmt.NoSecurityID, Data: data}
	sub := mk(root, "sub", dir())
	mk(root, "a.txt", f)
	mk(sub, "hard.txt", f)
	mk(root, "emptydir", dir())
	link := &Inode{Attributes: wimfmt.AttrReparsePoint | wimfmt.AttrDirectory, ReparseTag: wimfmt.ReparseTagSymlink,
		SecurityID: wimfmt.NoSecurityID, Reparse: &blob.Blob{Size: 36, Hash: [20]byte{2}}}
	mk(root, "dirlink", link)
	img := &Image{Root: root}
	root.SortChildren()
	meta := EncodeMetadata(img)
	// Walk the encoding back: security block, root, terminator, lists.
	_, secLen, err := wimfmt.ParseSecurityData(meta)
	if err != nil || secLen != 8 {
		t.Fatalf("security block: %v %d", err, secLen)
	}
	rd, next, _, err := wimfmt.ParseDentry(meta, secLen)
	if err != nil || rd.SubdirOffset != uint64(next+8) {
		t.Fatalf("root: %v subdir %d next %d", err, rd.SubdirOffset, next)
	}
	var names []string
	var groups []uint64
	off := int(rd.SubdirOffset)
	for {
		d, n, end, err := wimfmt.ParseDentry(meta, off)
		if err != nil {
			t.Fatal(err)
		}
		if end {
			break
		}
		names = append(names, FromUTF16(d.Name))
		switch FromUTF16(d.Name) {
		case "dirlink":
			// Microsoft's rule: a directory reparse point has its reparse
			// hash in the main hash and no stream entries.
			if d.Hash[0] != 2 || len(d.Streams) != 0 || d.SubdirOffset != 0 {
				t.Fatalf("dirlink dentry %+v", d)
			}
		case "emptydir":
			if d.SubdirOffset == 0 {
				t.Fatal("an empty directory needs a subdir offset")
			}
			if e, _, end, _ := wimfmt.ParseDentry(meta, int(d.SubdirOffset)); !end || e != nil {
				t.Fatal("empty directory list is not just a terminator")
			}
		case "a.txt":
			groups = append(groups, d.HardLinkGroup)
		}
		off = n
	}
	if !slices.Equal(names, []string{"a.txt", "dirlink", "emptydir", "sub"}) {
		t.Fatalf("root list %v", names)
	}
	if groups[0] == 0 {
		t.Fatal("hard-linked file has no group ID")
	}
	st := ComputeStats(img)
	if st.DirCount != 3 || st.FileCount != 3 || st.TotalBytes != 6*2+36 || st.HardLinkBytes != 6 {
		t.Fatalf("stats %+v", st)
	}
}

// TestAppendChildThenAddChild: children appended without an index are
// found by Child, and a later AddChild of the same name replaces one (or
// merges directories) as if every child had been added with AddChild.
func TestAppendChildThenAddChild(t *testing.T) {
	dirIno := func() *Inode { return &Inode{Attributes: wimfmt.AttrDirectory} }
	root := NewDentry("", nil, dirIno())
	a := NewDentry("a", nil, &Inode{})
	sub := NewDentry("sub", nil, dirIno())
	sub.AppendChild(NewDentry("x", nil, &Inode{}))
	root.AppendChild(a)
	root.AppendChild(sub)
	if root.Child("a") != a || root.Child("sub") != sub || root.Child("zz") != nil {
		t.Fatal("Child does not find appended children")
	}
	a2 := NewDentry("a", nil, &Inode{})
	root.AddChild(a2)
	sub2 := NewDentry("sub", nil, dirIno())
	sub2.AppendChild(NewDentry("y", nil, &Inode{}))
	root.AddChild(sub2)
	if len(root.Children) != 2 || root.Child("a") != a2 || a2.Parent != root {
		t.Fatalf("AddChild after AppendChild: %d children, a replaced: %v", len(root.Children), root.Child("a") == a2)
	}
	merged := root.Child("sub")
	if merged.Child("x") == nil || merged.Child("y") == nil {
		t.Fatal("directories added over appended ones are not merged")
	}
	// Appending after the index exists keeps it up to date.
	root.AppendChild(NewDentry("b", nil, &Inode{}))
	if root.Child("b") == nil {
		t.Fatal("a child appended after the index was built is not found")
	}
}

// TestBlobsVisitsEachInodeOnce: a hard-linked inode (two names) is visited
// once with its two links, single-link inodes once each.
func TestBlobsVisitsEachInodeOnce(t *testing.T) {
	root := NewDentry("", nil, &Inode{Attributes: wimfmt.AttrDirectory})
	shared := &Inode{Data: &blob.Blob{Size: 1, Data: []byte("x")}}
	root.AppendChild(NewDentry("a", nil, shared))
	root.AppendChild(NewDentry("b", nil, shared))
	lone := &Inode{Data: &blob.Blob{Size: 1, Data: []byte("y")}}
	root.AppendChild(NewDentry("c", nil, lone))
	got := map[*blob.Blob]int{}
	calls := 0
	Blobs(&Image{Root: root}, func(b *blob.Blob, links int) {
		calls++
		got[b] += links
	})
	if calls != 2 || got[shared.Data] != 2 || got[lone.Data] != 1 {
		t.Fatalf("%d calls, links %d (shared) %d (lone); want 2 calls, 2 and 1", calls, got[shared.Data], got[lone.Data])
	}
}

// TestDentryNames checks that a dentry keeps its stored UTF-16 name only
// when it is not the UTF-16 form of its UTF-8 name, and gives it back
// either way.
func TestDentryNames(t *testing.T) {
	u, _ := ToUTF16("héllo \U0001F600")
	d := NewDentry("héllo \U0001F600", u, &Inode{})
	if d.x != nil {
		t.Errorf("a name that converts keeps extra parts: %+v", d.x)
	}
	if got := d.AppendName16(nil); string(got) != string(u) {
		t.Errorf("AppendName16 = %x, want %x", got, u)
	}
	// An unpaired surrogate survives the round trip (WTF-8), so it is not
	// kept either.
	lone := []byte{0x00, 0xD8, 'a', 0}
	d = NewDentry(FromUTF16(lone), lone, &Inode{})
	if d.x != nil || string(d.AppendName16(nil)) != string(lone) {
		t.Errorf("lone surrogate: extra %+v, name %x", d.x, d.AppendName16(nil))
	}
	// A stored name that is not the UTF-16 of the UTF-8 one is kept.
	odd := []byte{'A', 0, 'B', 0}
	d = NewDentry("x", odd, &Inode{})
	if d.x == nil || string(d.AppendName16([]byte{1})) != "\x01"+string(odd) {
		t.Errorf("stored name lost: %x", d.AppendName16(nil))
	}
	d.SetName("y", nil)
	if string(d.AppendName16(nil)) != "y\x00" {
		t.Errorf("SetName(y, nil): %x", d.AppendName16(nil))
	}
	d.SetShortName([]byte{'S', 0})
	if string(d.ShortName()) != "S\x00" {
		t.Errorf("short name %x", d.ShortName())
	}
}

// TestMetadataReader checks the streamed metadata against EncodeMetadata on
// a tree whose metadata spans several of the stream's flush units, and that
// closing a reader early stops its encoder.
func TestMetadataReader(t *testing.T) {
	root := NewDentry("", nil, &Inode{Attributes: wimfmt.AttrDirectory})
	for i := range 40 {
		dir := NewDentry(fmt.Sprintf("dir%02d", i), nil, &Inode{Attributes: wimfmt.AttrDirectory})
		root.AppendChild(dir)
		for j := range 100 {
			ino := &Inode{Attributes: wimfmt.AttrNormal, Unix: &wimfmt.UnixData{UID: uint32(j), Mode: 0o100644}}
			dir.AppendChild(NewDentry(fmt.Sprintf("file-%d-%d.txt", i, j), nil, ino))
		}
	}
	img := &Image{Root: root}
	root.SortChildren()
	want := EncodeMetadata(img)
	size, open := MetadataReader(img)
	if size != int64(len(want)) || len(want) < 600<<10 {
		t.Fatalf("size %d, EncodeMetadata %d bytes (want over 600 KiB)", size, len(want))
	}
	for range 2 { // every open reads the same bytes
		r, err := open()
		if err != nil {
			t.Fatal(err)
		}
		got, err := io.ReadAll(r)
		if err != nil || !bytes.Equal(got, want) {
			t.Fatalf("stream: %d bytes, err %v; differs from EncodeMetadata", len(got), err)
		}
		r.Close()
	}
	r, _ := open()
	buf := make([]byte, 1000)
	if _, err := io.ReadFull(r, buf); err != nil || !bytes.Equal(buf, want[:1000]) {
		t.Fatalf("first 1000 bytes: %v", err)
	}
	r.Close() // the encoder's next write fails and it returns
}

// TestAddChildOverlay: directories laid over each other keep the first
// one's inode and merge children; a file cannot replace a directory nor a
// directory a file; filler directories count nowhere in the stats.
func TestAddChildOverlay(t *testing.T) {
	dirIno := func(tm uint64) *Inode { return &Inode{Attributes: wimfmt.AttrDirectory, LastWriteTime: tm} }
	root := NewDentry("", nil, &Inode{Attributes: wimfmt.AttrDirectory, Filler: true})
	d1 := NewDentry("d", nil, dirIno(1))
	if err := d1.AddChild(NewDentry("x", nil, &Inode{})); err != nil {
		t.Fatal(err)
	}
	d2 := NewDentry("d", nil, dirIno(2))
	if err := d2.AddChild(NewDentry("y", nil, &Inode{})); err != nil {
		t.Fatal(err)
	}
	for _, d := range []*Dentry{d1, d2} {
		if err := root.AddChild(d); err != nil {
			t.Fatal(err)
		}
	}
	got := root.Child("d")
	if got.Inode.LastWriteTime != 1 || got.Child("x") == nil || got.Child("y") == nil || got.Child("y").Parent != got {
		t.Fatalf("overlaid directory: time %d, children %d", got.Inode.LastWriteTime, len(got.Children))
	}
	var oe *OverlayError
	if err := root.AddChild(NewDentry("d", nil, &Inode{})); !errors.As(err, &oe) || !oe.IsDir || oe.Path != "/d" {
		t.Fatalf("file over directory: %v", err)
	}
	if err := got.AddChild(NewDentry("x", nil, dirIno(3))); !errors.As(err, &oe) || oe.IsDir || oe.Path != "/d/x" {
		t.Fatalf("directory over file: %v", err)
	}
	if root.Child("d") != got || got.Child("x").Inode.IsDir() {
		t.Fatal("a refused overlay changed the tree")
	}
	st := ComputeStats(&Image{Root: root})
	if st.DirCount != 1 || st.FileCount != 2 {
		t.Fatalf("stats %+v: want the filler root left out (1 directory, 2 files)", st)
	}
}

// TestEncryptedLayout: an encrypted file or directory (its raw EFS export
// as Data) is written as wimlib writes it: that blob's hash as the main
// hash and no stream entries, also for a directory and a reparse point.
func TestEncryptedLayout(t *testing.T) {
	raw := &blob.Blob{Size: 900, Hash: [20]byte{7}}
	for _, attrs := range []uint32{
		wimfmt.AttrEncrypted | wimfmt.AttrArchive,
		wimfmt.AttrEncrypted | wimfmt.AttrDirectory,
		wimfmt.AttrEncrypted | wimfmt.AttrReparsePoint,
	} {
		ino := &Inode{Attributes: attrs, SecurityID: wimfmt.NoSecurityID, Data: raw}
		var out wimfmt.Dentry
		toDisk(NewDentry("x", []byte{'x', 0}, ino), &out)
		if out.Hash != raw.Hash || len(out.Streams) != 0 {
			t.Errorf("attributes %#x: main hash %x, %d stream entries; want the raw export's hash and none", attrs, out.Hash[:2], len(out.Streams))
		}
	}
}
