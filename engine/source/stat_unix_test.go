//go:build unix

package source

import (
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// TestFileTime: stat times become FILETIMEs (100 ns since 1601), before
// and after 1970 and past 2038, where 32-bit systems' stat fields would
// overflow if not widened.
func TestFileTime(t *testing.T) {
	for _, c := range []struct {
		t    time.Time
		want uint64
	}{
		{time.Unix(0, 0), 116444736000000000},
		{time.Unix(0, 199), 116444736000000001},
		{time.Unix(-1, 0), 116444735990000000},
		{time.Unix(1<<31, 123456700), 116444736000000000 + (1<<31)*10_000_000 + 1234567},
	} {
		if got := fileTime(unix.NsecToTimespec(c.t.UnixNano())); got != c.want {
			t.Errorf("%v: %d, want %d", c.t, got, c.want)
		}
	}
}

// TestSplitXattrNames: listxattr's NUL-terminated names, empty ones
// dropped.
func TestSplitXattrNames(t *testing.T) {
	got := splitXattrNames([]byte("user.a\x00trusted.bc\x00\x00"))
	if want := []string{"user.a", "trusted.bc"}; !slices.Equal(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
	if got := splitXattrNames(nil); len(got) != 0 {
		t.Errorf("empty list: %q", got)
	}
}

// TestFileIDOf: hard links share an identity, other files do not, symbolic
// links are followed, and a missing file is an error naming it.
func TestFileIDOf(t *testing.T) {
	dir := t.TempDir()
	a, b, c, l := filepath.Join(dir, "a"), filepath.Join(dir, "b"), filepath.Join(dir, "c"), filepath.Join(dir, "l")
	for _, p := range []string{a, c} {
		if err := os.WriteFile(p, nil, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Link(a, b); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("c", l); err != nil {
		t.Fatal(err)
	}
	id := func(p string) FileID {
		t.Helper()
		id, err := FileIDOf(p)
		if err != nil {
			t.Fatal(err)
		}
		return id
	}
	if id(a) != id(b) || id(a) == id(c) || id(l) != id(c) {
		t.Errorf("ids: a %v b %v c %v l %v", id(a), id(b), id(c), id(l))
	}
	if _, err := FileIDOf(filepath.Join(dir, "missing")); err == nil || !os.IsNotExist(err) {
		t.Errorf("missing file: %v", err)
	}
}

// TestScanKinds: Scan sends a directory to directory capture and refuses,
// naming the path, what it cannot capture: a missing path, a FIFO, a
// regular file without an NTFS boot sector.
func TestScanKinds(t *testing.T) {
	dir := t.TempDir()
	fifo, plain := filepath.Join(dir, "fifo"), filepath.Join(dir, "plain")
	if err := unix.Mkfifo(fifo, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(plain, []byte("not a file system"), 0o644); err != nil {
		t.Fatal(err)
	}
	if res, err := Scan(dir, nil); err != nil || res.Root == nil || res.Root.Child("plain") == nil {
		t.Fatalf("directory: %v", err)
	}
	for _, c := range []struct{ path, want string }{
		{filepath.Join(dir, "missing"), filepath.Join(dir, "missing") + ": cannot capture: no such file or directory"},
		{fifo, fifo + ": not a directory, a block device or an NTFS image file"},
		{plain, plain + ": not a directory, and no NTFS file system was found in it"},
	} {
		if _, err := Scan(c.path, nil); err == nil || err.Error() != c.want {
			t.Errorf("%s: %v, want %q", c.path, err, c.want)
		}
	}
}
