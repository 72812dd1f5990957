package fuzz

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/wimgo/wimgo/engine"
	"github.com/wimgo/wimgo/engine/wimread"
)

// tinyTree writes a small directory (a compressible file, an empty one, a
// symlink, a subdirectory) whose contents depend on seed.
func tinyTree(tb testing.TB, dir string, seed byte) string {
	tb.Helper()
	src := filepath.Join(dir, fmt.Sprintf("src%d", seed))
	if err := os.MkdirAll(filepath.Join(src, "d"), 0o755); err != nil {
		tb.Fatal(err)
	}
	os.WriteFile(filepath.Join(src, "a"), bytes.Repeat([]byte{'a', seed, 'c'}, 3000), 0o644)
	os.WriteFile(filepath.Join(src, "d", "b"), []byte{seed}, 0o644)
	os.WriteFile(filepath.Join(src, "d", "empty"), nil, 0o644)
	os.Symlink("a", filepath.Join(src, "l"))
	return src
}

// fuzzOptions keeps every codec cheap: one thread, and solid LZMS in 64 KiB
// chunks rather than 64 MiB ones (whose compressor takes ~600 MiB).
func fuzzOptions(o engine.Options) engine.Options {
	o.Threads = 1
	if o.SolidChunkSize == 0 {
		o.SolidChunkSize = 1 << 16
	}
	return o
}

// writeWIM captures srcs, one image each, into path and returns the bytes.
func writeWIM(tb testing.TB, path string, opts engine.Options, srcs ...string) []byte {
	tb.Helper()
	out, err := os.Create(path)
	if err != nil {
		tb.Fatal(err)
	}
	defer out.Close()
	w, err := engine.Create(out, fuzzOptions(opts))
	if err != nil {
		tb.Fatal(err)
	}
	for i, src := range srcs {
		if err := w.AddImage(src, engine.ImageOptions{Name: fmt.Sprint("img", i+1)}); err != nil {
			tb.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		tb.Fatal(err)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

// appendTo adds src as a new image to the WIM at path with mode, as
// wimappend does (Rebuild writes a temporary file renamed over path).
func appendTo(path string, mode engine.AppendMode, src string) error {
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		return err
	}
	defer f.Close()
	var tmp *os.File
	if mode == engine.Rebuild {
		if tmp, err = os.Create(path + ".tmp"); err != nil {
			return err
		}
		defer os.Remove(tmp.Name())
		defer tmp.Close()
	}
	w, err := engine.Append(f, tmp, mode, false, fuzzOptions(engine.Options{}))
	if err != nil {
		return err
	}
	if err := w.AddImage(src, engine.ImageOptions{Name: "added", RPFix: w.RPFixDefault()}); err != nil {
		w.Close()
		return err
	}
	if err := w.Close(); err != nil {
		return err
	}
	if tmp != nil {
		return os.Rename(tmp.Name(), path)
	}
	return nil
}

// wimSeeds are small valid WIMs of every kind our engine writes, and a few
// damaged ones.
func wimSeeds(tb testing.TB) [][]byte {
	dir := tb.TempDir()
	one, two := tinyTree(tb, dir, 1), tinyTree(tb, dir, 2)
	var seeds [][]byte
	for i, o := range []engine.Options{
		{Compression: "none"},
		{Compression: "XPRESS", Integrity: true},
		{Compression: "LZX"},
		{Compression: "LZMS"},
		{Solid: true},
		{Compression: "XPRESS", Solid: true, SolidCompression: "XPRESS", SolidChunkSize: 1 << 15},
		{Compression: "LZX", Pipable: true},
		{Compression: "none", Pipable: true},
	} {
		seeds = append(seeds, writeWIM(tb, filepath.Join(dir, fmt.Sprint(i, ".wim")), o, one, two))
	}
	// One appended in place: the old blob table and XML are a hole.
	p := filepath.Join(dir, "appended.wim")
	writeWIM(tb, p, engine.Options{Compression: "LZX", Integrity: true}, one)
	if err := appendTo(p, engine.InPlace, two); err != nil {
		tb.Fatal(err)
	}
	b, err := os.ReadFile(p)
	if err != nil {
		tb.Fatal(err)
	}
	seeds = append(seeds, b)
	// Damaged: cut short, junk after the end, a flipped byte in the blob
	// table and in the XML, an image count one too high.
	good := seeds[2]
	bt := int(binary.LittleEndian.Uint64(good[0x38:])) // blob table offset
	xml := int(binary.LittleEndian.Uint64(good[0x50:]))
	flip := func(at int) []byte {
		c := bytes.Clone(good)
		c[at] ^= 0x41
		return c
	}
	more := bytes.Clone(good)
	binary.LittleEndian.PutUint32(more[0x2C:], binary.LittleEndian.Uint32(more[0x2C:])+1)
	seeds = append(seeds, good[:len(good)-100], append(bytes.Clone(good), "junk"...), flip(bt+10), flip(xml+40), more)
	return seeds
}

// FuzzAppend: appending an image to a damaged WIM, in place, by rebuilding
// or compacting, never panics; when it fails, in place and rebuild leave
// the file exactly as it was; when it succeeds, the result reads back with
// one more image and all its metadata.
func FuzzAppend(f *testing.F) {
	for _, s := range wimSeeds(f) {
		f.Add(s)
	}
	add := tinyTree(f, f.TempDir(), 3)
	f.Fuzz(func(t *testing.T, data []byte) {
		dir := t.TempDir()
		before, oldErr := wimread.Read(bytes.NewReader(data), int64(len(data)), "old.wim")
		for _, mode := range []engine.AppendMode{engine.InPlace, engine.Rebuild, engine.Compact} {
			path := filepath.Join(dir, fmt.Sprintf("mode%d.wim", mode))
			if err := os.WriteFile(path, data, 0o644); err != nil {
				t.Fatal(err)
			}
			err := appendTo(path, mode, add)
			got, rerr := os.ReadFile(path)
			if rerr != nil {
				t.Fatal(rerr)
			}
			if err != nil {
				if mode != engine.Compact && !bytes.Equal(got, data) {
					t.Fatalf("mode %d: append failed (%v) and changed the WIM", mode, err)
				}
				continue
			}
			if oldErr != nil {
				t.Fatalf("mode %d: appended to a WIM the reader refuses (%v)", mode, oldErr)
			}
			after, err := wimread.Read(bytes.NewReader(got), int64(len(got)), path)
			if err != nil {
				t.Fatalf("mode %d: the appended WIM does not read back: %v", mode, err)
			}
			if after.Header.ImageCount != before.Header.ImageCount+1 {
				t.Fatalf("mode %d: %d images after appending to %d", mode, after.Header.ImageCount, before.Header.ImageCount)
			}
			for i := 1; i <= int(after.Header.ImageCount); i++ {
				if _, err := after.ReadMetadata(i); err != nil {
					t.Fatalf("mode %d: image %d: %v", mode, i, err)
				}
			}
			if before.VerifyIntegrity() == nil {
				if err := after.VerifyIntegrity(); err != nil {
					t.Fatalf("mode %d: %v", mode, err)
				}
			}
		}
	})
}
