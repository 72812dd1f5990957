package resource

import (
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// goroot returns the regular, non-empty files of the Go tree as blobs (the
// project's reference corpus) and their total size.
func goroot(b *testing.B) ([]Blob, int64) {
	var blobs []Blob
	var total int64
	root := goRoot(b)
	filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || !d.Type().IsRegular() {
			return nil
		}
		info, err := d.Info()
		if err != nil || info.Size() == 0 {
			return nil
		}
		blobs = append(blobs, Blob{Size: info.Size(), Path: p})
		total += info.Size()
		return nil
	})
	if len(blobs) == 0 {
		b.Skip("no files under", root)
	}
	return blobs, total
}

// BenchmarkGoroot writes every file of $(go env GOROOT) as a resource into
// a temporary file (page cache warm after the first round).
//
//	go test ./engine/resource -run '^$' -bench Goroot -benchtime 3x
func BenchmarkGoroot(b *testing.B) {
	blobs, total := goroot(b)
	for _, c := range []struct {
		name    string
		opts    Options
		compute bool // compression: skip under -short
	}{
		{"None/threads=1", Options{Type: None, Threads: 1}, false},
		{"None/threads=2", Options{Type: None, Threads: 2}, false},
		{"XPRESS:20/threads=2", Options{Type: XPRESS, Level: 20, Threads: 2}, true},
		{"XPRESS:50/threads=2", Options{Type: XPRESS, Level: 50, Threads: 2}, true},
		{"XPRESS:20/threads=1", Options{Type: XPRESS, Level: 20, Threads: 1}, true},
		{"LZX:20/threads=1", Options{Type: LZX, Level: 20, Threads: 1}, true},
		{"LZX:20/threads=2", Options{Type: LZX, Level: 20, Threads: 2}, true},
	} {
		b.Run(c.name, func(b *testing.B) {
			if c.compute && testing.Short() {
				b.Skip("compression skipped under -short")
			}
			out, err := os.Create(filepath.Join(b.TempDir(), "out.wim"))
			if err != nil {
				b.Fatal(err)
			}
			defer out.Close()
			b.SetBytes(total)
			b.ReportAllocs()
			var stored int64
			for b.Loop() {
				w, err := NewWriter(out, 208, c.opts)
				if err != nil {
					b.Fatal(err)
				}
				for i := range blobs {
					if err := w.Write(&blobs[i]); err != nil {
						b.Fatal(err)
					}
				}
				if err := w.Close(); err != nil {
					b.Fatal(err)
				}
				stored = w.Offset() - 208
			}
			b.ReportMetric(float64(stored)/float64(total), "ratio")
			b.ReportMetric(float64(len(blobs)), "files")
		})
	}
}

// goRoot is $(go env GOROOT): the tree of the toolchain that runs the
// benchmark (runtime.GOROOT is deprecated, and empty for a trimmed build).
func goRoot(b testing.TB) string {
	out, err := exec.Command("go", "env", "GOROOT").Output()
	if err != nil {
		b.Fatalf("go env GOROOT: %v", err)
	}
	return strings.TrimSpace(string(out))
}
