//go:build unix

package blob

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
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
