package wimread_test

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/wimgo/wimgo/engine"
	"github.com/wimgo/wimgo/engine/wimfmt"
	"github.com/wimgo/wimgo/engine/wimread"
)

// build captures a small tree into a new WIM and returns its path.
func build(t *testing.T, opts engine.Options) string {
	t.Helper()
	dir := t.TempDir()
	src := filepath.Join(dir, "src")
	os.MkdirAll(filepath.Join(src, "d"), 0o755)
	os.WriteFile(filepath.Join(src, "a"), bytes.Repeat([]byte("abcdefgh"), 10000), 0o644)
	os.WriteFile(filepath.Join(src, "d", "b"), []byte("b"), 0o644)
	wim := filepath.Join(dir, "t.wim")
	f, err := os.Create(wim)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	w, err := engine.Create(f, opts)
	if err != nil {
		t.Fatal(err)
	}
	if err := w.AddImage(src, engine.ImageOptions{Name: "one"}); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return wim
}

func TestCreateReadBack(t *testing.T) {
	for _, c := range []string{"none", "XPRESS", "LZX"} {
		wim := build(t, engine.Options{Compression: c, Integrity: true})
		w, f, err := wimread.Open(wim)
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

func TestReadRefusesDamage(t *testing.T) {
	wim := build(t, engine.Options{Compression: "none"})
	good, _ := os.ReadFile(wim)
	w, err := wimread.Read(bytes.NewReader(good), int64(len(good)), "good")
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
		if _, err := wimread.Read(bytes.NewReader(b), int64(len(b)), name); err == nil {
			t.Errorf("%s: accepted", name)
		} else if !errors.Is(err, wimfmt.ErrCorrupt) && !errors.Is(err, wimfmt.ErrNotWIM) && !errors.Is(err, wimfmt.ErrUnsupported) {
			t.Errorf("%s: %v is not a sentinel error", name, err)
		}
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
