package engine

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/wimgo/wimgo/engine/image"
	"github.com/wimgo/wimgo/engine/source"
	"github.com/wimgo/wimgo/engine/wimfmt"
	"github.com/wimgo/wimgo/engine/wimread"
)

// bigMetadataWIM writes an uncompressed WIM of one small image whose
// metadata resource is over size bytes: a security descriptor of size zero
// bytes.
// createNone starts an uncompressed WIM at path; the caller closes f.
func createNone(t *testing.T, path string) (*Writer, *os.File) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w, err := Create(f, Options{Compression: "none"})
	if err != nil {
		f.Close()
		t.Fatal(err)
	}
	return w, f
}

func bigMetadataWIM(t *testing.T, size int) (wim, src string) {
	t.Helper()
	dir := t.TempDir()
	src = filepath.Join(dir, "src")
	os.MkdirAll(src, 0o755)
	os.WriteFile(filepath.Join(src, "f"), []byte("data"), 0o644)
	wim = filepath.Join(dir, "big.wim")
	w, f := createNone(t, wim)
	defer f.Close()
	res, err := source.Scan(src, &source.Options{})
	if err != nil {
		t.Fatal(err)
	}
	res.Security = [][]byte{make([]byte, size)}
	if err := w.writeImage(&image.Image{Root: res.Root, Security: res.Security}, res, &ImageOptions{Name: "big"}, nil); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return wim, src
}

// TestAppendLeavesOldMetadataUnread: appending to a WIM whose image has 64
// MiB of metadata allocates far less than that (the old images' metadata
// had been read whole and hashed), with --check too (streamed), and a
// corrupt old metadata resource is still found by --check.
func TestAppendLeavesOldMetadataUnread(t *testing.T) {
	const size = 64 << 20
	wim, src := bigMetadataWIM(t, size)
	for _, check := range []bool{false, true} {
		f, err := os.OpenFile(wim, os.O_RDWR, 0)
		if err != nil {
			t.Fatal(err)
		}
		runtime.GC()
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		w, err := Append(f, nil, InPlace, check, Options{})
		runtime.ReadMemStats(&after)
		if err != nil {
			t.Fatal(err)
		}
		if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 16<<20 {
			t.Errorf("check=%v: Append allocated %d MiB for a WIM with %d MiB of metadata", check, alloc>>20, size>>20)
		}
		if err := w.AddImage(src, ImageOptions{}); err != nil {
			t.Fatal(err)
		}
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
		f.Close()
	}
	r, f, err := wimread.Open(wim)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if r.Header.ImageCount != 3 {
		t.Fatalf("%d images after two appends", r.Header.ImageCount)
	}
	for i := 1; i <= 3; i++ {
		if err := r.VerifyMetadata(i); err != nil {
			t.Fatal(err)
		}
	}

	// One byte of the first image's metadata changed: --check refuses,
	// changing nothing.
	data, _ := os.ReadFile(wim)
	m := r.Metadata[0].Hdr
	data[m.Offset+m.StoredSize-1] ^= 0x40
	os.WriteFile(wim, data, 0o644)
	f2, err := os.OpenFile(wim, os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f2.Close()
	if _, err := Append(f2, nil, InPlace, true, Options{}); !errors.Is(err, wimfmt.ErrCorrupt) {
		t.Fatalf("--check on corrupt metadata: %v", err)
	}
	if after, _ := os.ReadFile(wim); !bytes.Equal(after, data) {
		t.Fatal("a refused append changed the WIM")
	}
}
