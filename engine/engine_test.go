package engine

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/wimgo/wimgo/engine/wimfmt"
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

func TestCreateReadBack(t *testing.T) {
	for _, c := range []string{"none", "XPRESS", "LZX"} {
		wim, _ := build(t, Options{Compression: c, Integrity: true})
		w, f, err := OpenWIM(wim)
		if err != nil {
			t.Fatalf("%s: %v", c, err)
		}
		if err := w.VerifyIntegrity(); err != nil {
			t.Fatalf("%s: %v", c, err)
		}
		if _, err := w.ReadMetadata(1); err != nil {
			t.Fatalf("%s: %v", c, err)
		}
		if err := w.VerifyMetadata(1); err != nil {
			t.Fatalf("%s: %v", c, err)
		}
		if w.Header.Flags&wimfmt.HdrFlagWriteInProgress != 0 || w.XML.ImageName(1) != "one" || len(w.Blobs) != 2 {
			t.Fatalf("%s: flags %#x, name %q, %d blobs", c, w.Header.Flags, w.XML.ImageName(1), len(w.Blobs))
		}
		f.Close()
	}
}

func TestReadWIMRefusesDamage(t *testing.T) {
	wim, _ := build(t, Options{Compression: "none"})
	good, _ := os.ReadFile(wim)
	w, err := ReadWIM(bytes.NewReader(good), int64(len(good)), "good")
	if err != nil {
		t.Fatal(err)
	}
	damage := map[string]func(b []byte) []byte{
		"truncated":     func(b []byte) []byte { return b[:len(b)-10] },
		"bad magic":     func(b []byte) []byte { b[1] = 'X'; return b },
		"two parts":     func(b []byte) []byte { b[0x2A] = 2; return b },
		"image count":   func(b []byte) []byte { b[0x2C] = 2; return b },
		"no blob table": func(b []byte) []byte { clear(b[0x30:0x48]); return b },
		"xml":           func(b []byte) []byte { b[w.Header.XML.Offset+10] = '!'; return b },
		"odd table":     func(b []byte) []byte { b[0x30] = byte(w.Header.BlobTable.StoredSize - 1); b[0x40] = b[0x30]; return b },
		// Found by FuzzReadWIM: a SOLID flag escaped the size checks and a
		// negative original size reached make.
		"solid negative table": func(b []byte) []byte { b[0x37] = 0x10; b[0x47] = 0xFF; return b },
		"solid xml":            func(b []byte) []byte { b[0x4F] |= 0x10; return b },
		// Every entry flagged as metadata: one image, three metadata
		// resources (the file data would be dropped).
		"all metadata": func(b []byte) []byte {
			for _, e := range tableEntries(w, b) {
				e[7] |= wimfmt.ResFlagMetadata
			}
			return b
		},
		"metadata shared": func(b []byte) []byte {
			for _, e := range tableEntries(w, b) {
				if e[7]&wimfmt.ResFlagMetadata != 0 {
					e[26] = 2
				}
			}
			return b
		},
	}
	for name, fn := range damage {
		b := fn(bytes.Clone(good))
		if _, err := ReadWIM(bytes.NewReader(b), int64(len(b)), name); err == nil {
			t.Errorf("%s: accepted", name)
		} else if !errors.Is(err, wimfmt.ErrCorrupt) && !errors.Is(err, wimfmt.ErrNotWIM) && !errors.Is(err, wimfmt.ErrUnsupported) {
			t.Errorf("%s: %v is not a sentinel error", name, err)
		}
	}
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
	r, rf, err := OpenWIM(wim)
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
func tableEntries(w *WIM, b []byte) [][]byte {
	var out [][]byte
	t := w.Header.BlobTable
	for off := t.Offset; off < t.Offset+t.OriginalSize; off += wimfmt.BlobEntrySize {
		out = append(out, b[off:off+wimfmt.BlobEntrySize])
	}
	return out
}
