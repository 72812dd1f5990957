package engine

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/wimgo/wimgo/engine/wimfmt"
	"github.com/wimgo/wimgo/engine/wimread"
)

// build captures a small tree into a new WIM and returns its path.
func build(t *testing.T, opts Options) (wim, src string) {
	t.Helper()
	dir := t.TempDir()
	src = filepath.Join(dir, "src")
	os.MkdirAll(filepath.Join(src, "d"), 0o755)
	os.WriteFile(filepath.Join(src, "a"), bytes.Repeat([]byte("abcdefgh"), 10000), 0o644)
	os.WriteFile(filepath.Join(src, "d", "b"), []byte("b"), 0o644)
	wim = filepath.Join(dir, "t.wim")
	f, err := os.Create(wim)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	w, err := Create(f, opts)
	if err != nil {
		t.Fatal(err)
	}
	if err := w.AddImage(src, ImageOptions{Name: "one"}); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return wim, src
}

func TestAppendFailureRestores(t *testing.T) {
	wim, src := build(t, Options{Compression: "LZX"})
	before, _ := os.ReadFile(wim)
	f, err := os.OpenFile(wim, os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	w, err := Append(f, nil, InPlace, true, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := w.AddImage(filepath.Join(src, "missing"), ImageOptions{}); err == nil {
		t.Fatal("a missing source was accepted")
	}
	if err := w.Close(); err == nil {
		t.Fatal("Close after a failed AddImage succeeded")
	}
	after, _ := os.ReadFile(wim)
	if !bytes.Equal(before, after) {
		t.Fatal("the WIM changed after a failed append")
	}
	// A good append keeps the GUID and adds an image.
	w, err = Append(f, nil, InPlace, false, Options{Time: &time.Time{}})
	if err != nil {
		t.Fatal(err)
	}
	if err := w.AddImage(src, ImageOptions{Name: "two"}); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	r, rf, err := wimread.Open(wim)
	if err != nil {
		t.Fatal(err)
	}
	defer rf.Close()
	if r.Header.ImageCount != 2 || !bytes.Equal(r.Header.GUID[:], before[0x18:0x28]) {
		t.Fatalf("after append: %d images, GUID % x", r.Header.ImageCount, r.Header.GUID)
	}
}

// tableEntries returns the blob table entries of the WIM w describes, as
// slices of b.
func tableEntries(w *wimread.WIM, b []byte) [][]byte {
	var out [][]byte
	t := w.Header.BlobTable
	for off := t.Offset; off < t.Offset+t.OriginalSize; off += wimfmt.BlobEntrySize {
		out = append(out, b[off:off+wimfmt.BlobEntrySize])
	}
	return out
}
