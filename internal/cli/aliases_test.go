package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wimgo/wimgo/engine"
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
		w, f, err := engine.OpenWIM(wim)
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
