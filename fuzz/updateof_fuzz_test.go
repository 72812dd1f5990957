package fuzz

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/wimgo/wimgo/engine"
	"github.com/wimgo/wimgo/engine/wimread"
)

// FuzzUpdateOf: a damaged --update-of template WIM never panics the
// capture; a capture that succeeds reads back. The seeds are captures of
// the very tree captured again, so their files match and the template's
// hashes are used.
func FuzzUpdateOf(f *testing.F) {
	dir := f.TempDir()
	src := tinyTree(f, dir, 4)
	for _, o := range []engine.Options{{Compression: "none"}, {Compression: "LZX"}, {Solid: true}, {Compression: "XPRESS", Pipable: true}} {
		f.Add(writeWIM(f, filepath.Join(dir, "t.wim"), o, src), "1")
	}
	f.Add(writeWIM(f, filepath.Join(dir, "t.wim"), engine.Options{}, src, src), "img2")
	f.Add(writeWIM(f, filepath.Join(dir, "t.wim"), engine.Options{}, src, src), "-1")
	f.Fuzz(func(t *testing.T, data []byte, image string) {
		tdir := t.TempDir()
		tmpl := filepath.Join(tdir, "template.wim")
		if err := os.WriteFile(tmpl, data, 0o644); err != nil {
			t.Fatal(err)
		}
		path := filepath.Join(tdir, "new.wim")
		out, err := os.Create(path)
		if err != nil {
			t.Fatal(err)
		}
		defer out.Close()
		w, err := engine.Create(out, fuzzOptions(engine.Options{Compression: "XPRESS"}))
		if err != nil {
			t.Fatal(err)
		}
		err = w.AddImage(src, engine.ImageOptions{UpdateOf: &engine.Template{WIM: tmpl, Image: image}})
		if cerr := w.Close(); err == nil && cerr != nil {
			t.Fatalf("image added, but Close failed: %v", cerr)
		}
		if err != nil {
			return
		}
		got, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		wim, err := wimread.Read(bytes.NewReader(got), int64(len(got)), path)
		if err != nil {
			t.Fatalf("the capture does not read back: %v", err)
		}
		if _, err := wim.ReadMetadata(1); err != nil {
			t.Fatal(err)
		}
	})
}
