package engine

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wimgo/wimgo/engine/wimread"
)

// temps lists the temporary files beside path.
func temps(t *testing.T, path string) []string {
	t.Helper()
	names, err := filepath.Glob(globEscape(tmpPrefix(path)) + "*")
	if err != nil {
		t.Fatal(err)
	}
	return names
}

func imageCount(t *testing.T, wim string) int {
	t.Helper()
	w, f, err := wimread.Open(wim)
	if err != nil {
		t.Fatalf("%s: %v", wim, err)
	}
	defer f.Close()
	return len(w.Metadata)
}

// TestOutputCreateReplaces: Create over a regular file writes a locked
// temporary file beside it and keeps the old file locked; Close renames
// the WIM into place (mode 0644 less the umask), leaving no temporary
// file, and Written counts the bytes.
func TestOutputCreateReplaces(t *testing.T) {
	_, src := build(t, Options{Compression: "none"})
	path := filepath.Join(t.TempDir(), "x.wim")
	os.WriteFile(path, []byte("an older file"), 0o600)
	out, err := ResolveOutput(path, OutputOptions{})
	if err != nil {
		t.Fatal(err)
	}
	w, err := out.Create(Options{Compression: "none"})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Abort()
	tmp := temps(t, path)
	if len(tmp) != 1 {
		t.Fatalf("temporary files while writing: %v", tmp)
	}
	for _, p := range []string{tmp[0], path} {
		f, err := os.Open(p)
		if err != nil {
			t.Fatal(err)
		}
		if tryLock(f) == nil {
			t.Errorf("%s is not locked while the WIM is written", p)
		}
		f.Close()
	}
	if err := w.AddImage(src, ImageOptions{Name: "one"}); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if tmp := temps(t, path); len(tmp) != 0 {
		t.Fatalf("left behind: %v", tmp)
	}
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o644&^umask() {
		t.Errorf("mode %v, want %v", fi.Mode().Perm(), 0o644&^umask())
	}
	if w.Written() != fi.Size() || imageCount(t, path) != 1 {
		t.Errorf("Written %d, file %d bytes with %d images", w.Written(), fi.Size(), imageCount(t, path))
	}
	if err := w.Close(); !errors.Is(err, ErrClosed) {
		t.Errorf("a second Close: %v", err)
	}
}

// TestOutputAbortLeavesTarget: Abort after an image was added, whether a
// new WIM replaces a file, the WIM is rebuilt or appended to in place,
// leaves the file byte-identical and no temporary file. (Not compaction,
// which is not interruptible: --unsafe-compact.)
func TestOutputAbortLeavesTarget(t *testing.T) {
	wim, src := build(t, Options{Compression: "LZX"})
	before, _ := os.ReadFile(wim)
	for _, c := range []struct {
		name string
		ao   *AppendOptions // nil: Create
	}{{"create", nil}, {"in place", &AppendOptions{}}, {"rebuild", &AppendOptions{Rebuild: true}}} {
		out, err := ResolveOutput(wim, OutputOptions{Append: c.ao != nil})
		if err != nil {
			t.Fatal(err)
		}
		var w *OutputWriter
		if c.ao == nil {
			w, err = out.Create(Options{})
		} else {
			w, err = out.Append(Options{}, *c.ao)
		}
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if err := w.AddImage(src, ImageOptions{Name: "two"}); err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		w.Abort()
		w.Abort()
		if after, _ := os.ReadFile(wim); !bytes.Equal(before, after) {
			t.Errorf("%s: Abort changed the WIM", c.name)
		}
		if tmp := temps(t, wim); len(tmp) != 0 {
			t.Errorf("%s: left behind: %v", c.name, tmp)
		}
		if err := w.Close(); !errors.Is(err, ErrClosed) {
			t.Errorf("%s: Close after Abort: %v", c.name, err)
		}
	}
}

// TestOutputAppendModes: an append is in place by default (same file),
// rebuilt with Rebuild or when the chunk size asked for differs (a new
// file renamed over it), and --create makes a missing WIM, which is
// otherwise refused.
func TestOutputAppendModes(t *testing.T) {
	wim, src := build(t, Options{Compression: "LZX"})
	for i, ao := range []AppendOptions{{}, {Rebuild: true}, {ChunkSize: 64 << 10}, {ChunkSize: 64 << 10}} {
		st0, _ := os.Stat(wim)
		out, err := ResolveOutput(wim, OutputOptions{Append: true})
		if err != nil {
			t.Fatal(err)
		}
		w, err := out.Append(Options{ChunkSize: ao.ChunkSize}, ao)
		if err != nil {
			t.Fatalf("%+v: %v", ao, err)
		}
		if err := w.AddImage(src, ImageOptions{}); err != nil {
			t.Fatal(err)
		}
		if err := w.Close(); err != nil {
			t.Fatalf("%+v: %v", ao, err)
		}
		st1, _ := os.Stat(wim)
		// The second 64K append finds the chunk size it asks for.
		rebuilt := ao.Rebuild || (ao.ChunkSize != 0 && i == 2)
		if os.SameFile(st0, st1) == rebuilt {
			t.Errorf("%+v: rebuilt %v, want %v", ao, !os.SameFile(st0, st1), rebuilt)
		}
		if n := imageCount(t, wim); n != i+2 {
			t.Fatalf("%+v: %d images, want %d", ao, n, i+2)
		}
	}
	missing := filepath.Join(t.TempDir(), "new.wim")
	out, err := ResolveOutput(missing, OutputOptions{Append: true})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := out.Append(Options{}, AppendOptions{}); err == nil || !strings.Contains(err.Error(), "does not exist") {
		t.Fatalf("append to a missing WIM: %v", err)
	}
	w, err := out.Append(Options{}, AppendOptions{Create: true})
	if err != nil {
		t.Fatal(err)
	}
	if err := w.AddImage(src, ImageOptions{}); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil || imageCount(t, missing) != 1 {
		t.Fatalf("append --create: %v", err)
	}
}

// TestOutputRefusals: what can never be written is refused before
// anything is; a held lock refuses without a trace; option clashes are
// ErrOptions.
func TestOutputRefusals(t *testing.T) {
	dir := t.TempDir()
	if _, err := ResolveOutput(dir, OutputOptions{}); err == nil || !strings.Contains(err.Error(), "is a directory") {
		t.Errorf("a directory: %v", err)
	}
	pipable := filepath.Join(dir, "p.wim")
	_, src := build(t, Options{})
	out, _ := ResolveOutput(pipable, OutputOptions{Pipable: true})
	w, err := out.Create(Options{Pipable: true})
	if err != nil {
		t.Fatal(err)
	}
	if err := w.AddImage(src, ImageOptions{}); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	out, _ = ResolveOutput(pipable, OutputOptions{Append: true})
	if _, err := out.Append(Options{}, AppendOptions{Compact: true}); !errors.Is(err, ErrOptions) {
		t.Errorf("compacting a pipable WIM: %v", err)
	}
	// Appending to it rebuilds it, pipable still.
	w, err = out.Append(Options{}, AppendOptions{})
	if err != nil || !out.Pipable() {
		t.Fatalf("appending to a pipable WIM: %v, pipable %v", err, out.Pipable())
	}
	w.Abort()
	before, _ := os.ReadFile(pipable)
	held, _ := os.Open(pipable)
	defer held.Close()
	if err := LockWIM(held); err != nil {
		t.Fatal(err)
	}
	for _, ao := range []*AppendOptions{nil, {}, {Rebuild: true}} {
		out, _ := ResolveOutput(pipable, OutputOptions{Append: ao != nil})
		if ao == nil {
			_, err = out.Create(Options{})
		} else {
			_, err = out.Append(Options{}, *ao)
		}
		if !errors.Is(err, ErrLocked) {
			t.Errorf("%+v under a held lock: %v", ao, err)
		}
	}
	if after, _ := os.ReadFile(pipable); !bytes.Equal(before, after) {
		t.Error("a refused write changed the WIM")
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("left behind: %v", entries)
	}
}

// TestTryLock: a second handle cannot take a held lock, and can once the
// first is closed (what removeStaleTemps relies on).
func TestTryLock(t *testing.T) {
	p := filepath.Join(t.TempDir(), "f")
	a, err := os.Create(p)
	if err != nil {
		t.Fatal(err)
	}
	if err := tryLock(a); err != nil {
		t.Fatal(err)
	}
	b, err := os.Open(p)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	if tryLock(b) == nil {
		t.Fatal("a held lock was taken again through another handle")
	}
	a.Close()
	if err := tryLock(b); err != nil {
		t.Errorf("lock still held after its holder closed the file: %v", err)
	}
}
