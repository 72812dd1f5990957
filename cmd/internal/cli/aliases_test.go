package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wimgo/wimgo/engine/wimread"
)

// TestCompressAliases: wimlib's names for the compression types (max and
// maximum for LZX, fast for XPRESS, recovery for LZMS) make WIMs of that
// type, and --compress=recovery prints wimlib's warning (--solid-compress
// does not).
func TestCompressAliases(t *testing.T) {
	dir := t.TempDir()
	src := filepath.Join(dir, "src")
	os.Mkdir(src, 0o755)
	os.WriteFile(filepath.Join(src, "f"), bytes.Repeat([]byte("alias "), 1000), 0o644)
	for alias, want := range map[string]string{"max": "LZX", "MAXIMUM": "LZX", "fast": "XPRESS", "recovery": "LZMS", "lzms": "LZMS"} {
		wim := filepath.Join(dir, alias+".wim")
		var stderr bytes.Buffer
		if code := Run(Capture, []string{src, wim, "--compress=" + alias}, nil, &bytes.Buffer{}, &stderr); code != 0 {
			t.Fatalf("--compress=%s: exit %d\n%s", alias, code, stderr.String())
		}
		w, f, err := wimread.Open(wim)
		if err != nil {
			t.Fatal(err)
		}
		got := w.CType.String()
		f.Close()
		if !strings.EqualFold(got, want) {
			t.Errorf("--compress=%s made a %s WIM, want %s", alias, got, want)
		}
		warned := strings.Contains(stderr.String(), "use of '--compress=recovery' is discouraged")
		if warned != (alias == "recovery") {
			t.Errorf("--compress=%s: recovery warning printed: %v\n%s", alias, warned, stderr.String())
		}
	}
	var stderr bytes.Buffer
	if code := Run(Capture, []string{src, filepath.Join(dir, "solid.wim"), "--solid", "--solid-compress=recovery"}, nil, &bytes.Buffer{}, &stderr); code != 0 ||
		strings.Contains(stderr.String(), "discouraged") {
		t.Errorf("--solid-compress=recovery: exit %d, stderr:\n%s", code, stderr.String())
	}
}

// TestWimlibLeftoverOptions: options wimlib accepts without documenting
// them work here too: --noacls, --verbose and --no-solid-sort capture,
// --nocheck drops the integrity table of a WIM appended to (which is kept
// otherwise) and contradicts --check.
func TestWimlibLeftoverOptions(t *testing.T) {
	dir := t.TempDir()
	src := filepath.Join(dir, "src")
	os.Mkdir(src, 0o755)
	os.WriteFile(filepath.Join(src, "f"), []byte("leftover options\n"), 0o644)
	run := func(cmd Command, args ...string) (int, string) {
		var stderr bytes.Buffer
		code := Run(cmd, args, nil, &bytes.Buffer{}, &stderr)
		return code, stderr.String()
	}
	integrity := func(wim string) bool {
		w, f, err := wimread.Open(wim)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		return w.Integrity != nil
	}
	wim := filepath.Join(dir, "a.wim")
	if code, msg := run(Capture, src, wim, "--noacls", "--verbose", "--solid", "--no-solid-sort", "--check"); code != 0 {
		t.Fatalf("capture: exit %d\n%s", code, msg)
	}
	if !integrity(wim) {
		t.Fatal("--check wrote no integrity table")
	}
	if code, msg := run(Append, src, wim, "two"); code != 0 || !integrity(wim) {
		t.Fatalf("append: exit %d, integrity table kept: %v\n%s", code, integrity(wim), msg)
	}
	if code, msg := run(Append, src, wim, "three", "--nocheck"); code != 0 || integrity(wim) {
		t.Fatalf("append --nocheck: exit %d, integrity table kept: %v\n%s", code, integrity(wim), msg)
	}
	if code, _ := run(Append, src, wim, "four", "--no-check", "--check"); code != 2 {
		t.Errorf("--no-check --check: exit %d, want 2 (usage)", code)
	}
}
