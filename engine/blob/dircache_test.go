//go:build unix

package blob

import (
	"bytes"
	"crypto/sha1"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/wimgo/wimgo/internal/fsutil"
)

// TestDirCacheOpens: files read through one DirCache, across directories
// and back, relative and absolute paths, give their own bytes; a missing
// file's error names it; a directory that cannot be read but can be
// searched still gives its files (opened by path); Close leaves the cache
// ready for another directory.
func TestDirCacheOpens(t *testing.T) {
	root := t.TempDir()
	var paths []string
	for _, d := range []string{"a", "a/b", "c", "noread"} {
		if err := os.MkdirAll(filepath.Join(root, d), 0o755); err != nil {
			t.Fatal(err)
		}
		for _, f := range []string{"x", "y"} {
			p := filepath.Join(root, d, f)
			if err := os.WriteFile(p, []byte(p), 0o644); err != nil {
				t.Fatal(err)
			}
			paths = append(paths, p)
		}
	}
	// Search only: opening it to read fails unless the tests run as root.
	if err := os.Chmod(filepath.Join(root, "noread"), 0o111); err != nil {
		t.Fatal(err)
	}
	defer os.Chmod(filepath.Join(root, "noread"), 0o755)
	t.Chdir(root)
	rel, _ := filepath.Rel(root, paths[2]) // a/b/x, from the working directory
	order := append([]string{rel, "x-at-cwd"}, paths...)
	order = append(order, paths[0], paths[1], paths[4])
	if err := os.WriteFile("x-at-cwd", []byte("x-at-cwd"), 0o644); err != nil {
		t.Fatal(err)
	}

	var c DirCache
	read := func(p string) ([]byte, error) {
		st, err := os.Stat(p)
		if err != nil {
			return nil, err
		}
		b := &Blob{Size: st.Size(), Path: p, Name: p}
		s, err := c.OpenSource(b)
		if err != nil {
			return nil, err
		}
		buf := make([]byte, b.Size)
		if err := s.ReadFull(buf); err != nil {
			return nil, err
		}
		return buf, s.Finish()
	}
	for _, p := range order {
		got, err := read(p)
		if err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		want := p
		if p == rel {
			want = paths[2]
		}
		if !bytes.Equal(got, []byte(want)) {
			t.Errorf("%s: read %q", p, got)
		}
	}
	missing := filepath.Join(root, "a", "gone")
	_, err := c.OpenSource(&Blob{Size: 1, Path: missing, Name: missing})
	if err == nil || !strings.Contains(err.Error(), missing) {
		t.Errorf("missing file: error %v, want one naming %s", err, missing)
	}
	c.Close()
	if c.ok {
		t.Error("Close left a directory open")
	}
	if got, err := read(paths[6]); err != nil || string(got) != paths[6] {
		t.Errorf("after Close: %q, %v", got, err)
	}
	c.Close()
}

// TestHashAllDirOpens: HashAll's goroutines take runs of consecutive blobs,
// so a directory of small files is opened about once, not once by each
// goroutine taking turns in it; every blob still gets its own hash.
func TestHashAllDirOpens(t *testing.T) {
	root := t.TempDir()
	const dirs, files = 20, 30
	var blobs []*Blob
	for d := range dirs {
		dir := filepath.Join(root, fmt.Sprintf("d%02d", d))
		if err := os.Mkdir(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		for f := range files {
			p := filepath.Join(dir, fmt.Sprintf("f%02d", f))
			if err := os.WriteFile(p, []byte(p), 0o644); err != nil {
				t.Fatal(err)
			}
			blobs = append(blobs, &Blob{Size: int64(len(p)), Path: p, Name: p})
		}
	}
	var mu sync.Mutex
	opens := 0
	defer func(f func(string) (fsutil.FD, error)) { openDirFD = f }(openDirFD)
	openDirFD = func(dir string) (fsutil.FD, error) {
		mu.Lock()
		opens++
		mu.Unlock()
		// A little time per open, as a real directory lookup takes, so the
		// goroutines run side by side.
		time.Sleep(100 * time.Microsecond)
		return fsutil.OpenDirFD(dir)
	}
	const threads = 4
	if err := HashAll(blobs, threads); err != nil {
		t.Fatal(err)
	}
	for _, b := range blobs {
		if !b.Hashed || b.Hash != sha1.Sum([]byte(b.Path)) {
			t.Fatalf("%s: hashed %v %x", b.Path, b.Hashed, b.Hash)
		}
	}
	// Each run of hashRunMax blobs crosses at most one directory boundary
	// more than it holds whole directories.
	runs := (dirs*files + hashRunMax - 1) / hashRunMax
	if max := dirs + runs; opens > max {
		t.Errorf("%d directory opens for %d directories, want at most %d", opens, dirs, max)
	}
}

// TestHashRun: a run is at least one blob, consecutive, and at most
// hashRunMax blobs or, past its first, hashRunBytes.
func TestHashRun(t *testing.T) {
	mk := func(sizes ...int64) []*Blob {
		var bs []*Blob
		for _, s := range sizes {
			bs = append(bs, &Blob{Size: s})
		}
		return bs
	}
	many := make([]int64, 100)
	for i := range many {
		many[i] = 10
	}
	for _, c := range []struct {
		sizes []int64
		want  int
	}{
		{[]int64{5}, 1},
		{[]int64{hashRunBytes * 2, 1}, 1},
		{[]int64{1, hashRunBytes}, 1},
		{[]int64{hashRunBytes / 2, hashRunBytes / 2, 1}, 2},
		{many, hashRunMax},
		{many[:10], 10},
	} {
		bs := mk(c.sizes...)
		if got := hashRun(bs); len(got) != c.want || &got[0] != &bs[0] {
			t.Errorf("sizes %v: run of %d, want %d", c.sizes, len(got), c.want)
		}
	}
}
