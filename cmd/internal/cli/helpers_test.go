package cli

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// readSpy is a stdin that records whether anything read it.
type readSpy struct{ read bool }

func (r *readSpy) Read(p []byte) (int, error) {
	r.read = true
	return 0, errors.New("stdin must not be read")
}

func runCmd(cmd Command, stdin *readSpy, args ...string) (int, string) {
	var stderr bytes.Buffer
	if stdin == nil {
		stdin = &readSpy{}
	}
	code := Run(cmd, args, stdin, &bytes.Buffer{}, &stderr)
	return code, stderr.String()
}

func testTree(t *testing.T, dir string) string {
	t.Helper()
	src := filepath.Join(dir, "src")
	os.MkdirAll(src, 0o755)
	os.WriteFile(filepath.Join(src, "f"), bytes.Repeat([]byte("output kinds "), 3000), 0o644)
	return src
}
