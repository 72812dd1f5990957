package engine_test

import (
	"fmt"
	"log"
	"os"
	"path/filepath"

	"github.com/wimgo/wimgo/engine"
	"github.com/wimgo/wimgo/engine/wimread"
)

// Capture a directory into a new uncompressed WIM, then read it back.
func Example() {
	dir, _ := os.MkdirTemp("", "example")
	defer os.RemoveAll(dir)
	src := filepath.Join(dir, "tree")
	os.MkdirAll(filepath.Join(src, "sub"), 0o755)
	os.WriteFile(filepath.Join(src, "hello.txt"), []byte("hello\n"), 0o644)
	os.WriteFile(filepath.Join(src, "sub", "copy.txt"), []byte("hello\n"), 0o644)

	f, err := os.Create(filepath.Join(dir, "out.wim"))
	if err != nil {
		log.Fatal(err)
	}
	defer f.Close()
	w, err := engine.Create(f, engine.Options{Compression: "none"})
	if err != nil {
		log.Fatal(err)
	}
	if err := w.AddImage(src, engine.ImageOptions{Name: "tree", RPFix: true}); err != nil {
		log.Fatal(err)
	}
	if err := w.Close(); err != nil { // blob table, XML, header last
		log.Fatal(err)
	}

	wim, rf, err := wimread.Open(f.Name())
	if err != nil {
		log.Fatal(err)
	}
	defer rf.Close()
	fmt.Println("images:", wim.Header.ImageCount, "name:", wim.XML.ImageName(1), "distinct blobs:", len(wim.Blobs))
	// Output: images: 1 name: tree distinct blobs: 1
}
