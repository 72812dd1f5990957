package engine

import (
	"crypto/sha1"
	"encoding/binary"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/wimgo/wimgo/engine/blob"
	"github.com/wimgo/wimgo/engine/image"
	"github.com/wimgo/wimgo/engine/source"
	"github.com/wimgo/wimgo/engine/wimfmt"
	"github.com/wimgo/wimgo/engine/wimread"
	"github.com/wimgo/wimgo/oracle"
)

// chainImage is an image of depth nested directories "d", the last holding
// a file "f" with content data and fixed times.
func chainImage(depth int, data []byte) (*image.Image, *blob.Blob) {
	dir := func() *image.Inode {
		return &image.Inode{Attributes: wimfmt.AttrDirectory, SecurityID: wimfmt.NoSecurityID}
	}
	root := image.NewDentry("", nil, dir())
	d := root
	for range depth {
		c := image.NewDentry("d", nil, dir())
		d.AppendChild(c)
		d = c
	}
	b := &blob.Blob{Size: int64(len(data)), Data: data, Name: "f"}
	d.AppendChild(image.NewDentry("f", nil, &image.Inode{
		Attributes: wimfmt.AttrNormal, SecurityID: wimfmt.NoSecurityID,
		CreationTime: 1, LastWriteTime: 2, LastAccessTime: 3, Data: b,
	}))
	return &image.Image{Root: root}, b
}

// chainWIM writes chainImage(depth) as the one image of an uncompressed WIM.
func chainWIM(t *testing.T, depth int) string {
	t.Helper()
	wim := filepath.Join(t.TempDir(), "chain.wim")
	w, f := createNone(t, wim)
	defer f.Close()
	img, b := chainImage(depth, []byte("file data"))
	res := &source.Result{Root: img.Root, Blobs: []*blob.Blob{b}}
	if err := w.writeImage(img, res, &ImageOptions{Name: "chain"}, nil); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return wim
}

func openTemplate(t *testing.T, wim string) (templateDir, error) {
	t.Helper()
	w, f, err := wimread.Open(wim)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	return loadTemplateImage(w, 1)
}

// TestTemplateDeepChain: a template of 16,000 nested directories (wimlib
// reads up to 16,383) is loaded and matched in memory linear in its size
// (paths as keys had cost about 2·depth² bytes: 512 MB here), and its file
// at the bottom is recognized.
func TestTemplateDeepChain(t *testing.T) {
	const depth = 16000
	wim := chainWIM(t, depth)
	img, b := chainImage(depth, []byte("file data"))
	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	tmpl, err := openTemplate(t, wim)
	if err != nil {
		t.Fatal(err)
	}
	applyTemplate(img, tmpl)
	runtime.ReadMemStats(&after)
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 32<<20 {
		t.Errorf("--update-of with a %d-deep template allocated %d MiB", depth, alloc>>20)
	}
	if !b.Hashed || !b.Assumed || b.Hash != sha1.Sum([]byte("file data")) {
		t.Fatalf("the file at depth %d did not take the template's hash", depth)
	}
}

// TestTemplateRefusesDeepAndCyclic: a template deeper than wimlib reads, or
// whose directory lists form a cycle, is refused with a clear error; wimlib
// refuses the same WIMs.
func TestTemplateRefusesDeepAndCyclic(t *testing.T) {
	oracle.Require(t, "wimlib-imagex")
	ok := chainWIM(t, maxTemplateDepth-1)
	if _, err := openTemplate(t, ok); err != nil {
		t.Fatalf("depth %d: %v", maxTemplateDepth-1, err)
	}
	oracle.Run(t, "wimlib-imagex", "verify", ok)

	deep := chainWIM(t, maxTemplateDepth)
	if _, err := openTemplate(t, deep); !errors.Is(err, wimfmt.ErrCorrupt) || !strings.Contains(err.Error(), "nested more than 16384 deep") {
		t.Fatalf("depth %d: %v", maxTemplateDepth, err)
	}
	if out, err := oracle.RunEnv(nil, "wimlib-imagex", "verify", deep); err == nil || !strings.Contains(out, "too deep") {
		t.Fatalf("wimlib accepted depth %d: %v\n%s", maxTemplateDepth, err, out)
	}

	// /d/d/d/f with the second d's children pointing back at the root's.
	cyclic := makeCyclic(t, chainWIM(t, 3))
	if _, err := openTemplate(t, cyclic); !errors.Is(err, wimfmt.ErrCorrupt) || !strings.Contains(err.Error(), "listed by two directories") {
		t.Fatalf("cyclic template: %v", err)
	}
	if out, err := oracle.RunEnv(nil, "wimlib-imagex", "verify", cyclic); err == nil {
		t.Fatalf("wimlib accepted the cyclic WIM:\n%s", out)
	}
}

// makeCyclic points the second directory's child list of the chain WIM at
// the root's list, fixing up the metadata's SHA-1 in the blob table.
func makeCyclic(t *testing.T, wim string) string {
	t.Helper()
	w, f, err := wimread.Open(wim)
	if err != nil {
		t.Fatal(err)
	}
	meta, err := w.ReadMetadata(1)
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	_, off, err := wimfmt.ParseSecurityData(meta)
	if err != nil {
		t.Fatal(err)
	}
	root, _, _, _ := wimfmt.ParseDentry(meta, off)
	d1, _, _, _ := wimfmt.ParseDentry(meta, int(root.SubdirOffset))
	d2at := int(d1.SubdirOffset)
	binary.LittleEndian.PutUint64(meta[d2at+0x10:], root.SubdirOffset)
	data, _ := os.ReadFile(wim)
	m := w.Metadata[0]
	copy(data[m.Hdr.Offset:], meta)
	sum := sha1.Sum(meta)
	found := false
	for _, e := range tableEntries(w, data) {
		if [20]byte(e[30:50]) == m.Hash {
			copy(e[30:50], sum[:])
			found = true
		}
	}
	if !found {
		t.Fatal("metadata entry not found")
	}
	out := filepath.Join(t.TempDir(), "cyclic.wim")
	os.WriteFile(out, data, 0o644)
	return out
}
