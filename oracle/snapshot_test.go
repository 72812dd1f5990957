package oracle

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

var wimlibError = regexp.MustCompile(`\[ERROR\] (.*?)\.?\n`)

// TestSnapshotUnsupportedAsWimlib: off Windows, --snapshot fails as in
// wimlib (its "[ERROR] Snapshot mode is only supported on Windows, where
// it uses VSS."), before anything is written: wimcapture leaves no WIM
// and no temporary file, and neither wimcapture over an existing WIM nor
// wimappend to one changes it. The exit status is ours (1 for every
// failure; wimlib's is 68, WIMLIB_ERR_UNSUPPORTED).
func TestSnapshotUnsupportedAsWimlib(t *testing.T) {
	Require(t, "wimlib-imagex")
	dir := t.TempDir()
	src := filepath.Join(dir, "src")
	os.MkdirAll(src, 0o755)
	os.WriteFile(filepath.Join(src, "f"), []byte("data\n"), 0o644)

	out, err := exec.Command("wimlib-imagex", "capture", src, filepath.Join(dir, "theirs.wim"), "--snapshot").CombinedOutput()
	m := wimlibError.FindSubmatch(out)
	if err == nil || m == nil {
		t.Fatalf("wimlib's capture --snapshot: %v, no [ERROR] line:\n%s", err, out)
	}
	want := strings.ToLower(string(m[1]))

	wim := filepath.Join(dir, "out.wim")
	failCapture(t, "--snapshot", wim, src, wim, "--snapshot")
	list := filepath.Join(dir, "list")
	os.WriteFile(list, []byte(src+" /\n"), 0o644)
	failCapture(t, "--snapshot", wim, list, wim, "--source-list", "--snapshot")

	good := filepath.Join(dir, "good.wim")
	Run(t, "wimlib-imagex", "capture", src, good)
	before, _ := os.ReadFile(good)
	for _, cmd := range []string{"wimcapture", "wimappend"} {
		msg, err := oursErr(cmd, nil, src, good, "--snapshot")
		var ee *exec.ExitError
		if !errors.As(err, &ee) || ee.ExitCode() != 1 {
			t.Errorf("%s --snapshot: %v; want exit status 1", cmd, err)
		}
		if !strings.Contains(strings.ToLower(msg), want) || !strings.Contains(msg, "ERROR: --snapshot") {
			t.Errorf("%s --snapshot says:\n%s\nwant an ERROR: line naming --snapshot and saying wimlib's %q", cmd, msg, m[1])
		}
		if after, _ := os.ReadFile(good); !bytes.Equal(before, after) {
			t.Errorf("%s --snapshot changed the existing WIM", cmd)
		}
	}
	if left, _ := filepath.Glob(filepath.Join(dir, ".*")); len(left) > 0 {
		t.Errorf("left behind: %v", left)
	}
}
