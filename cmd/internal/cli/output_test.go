//go:build linux

package cli

import (
	"bytes"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"golang.org/x/sys/unix"

	"github.com/wimgo/wimgo/engine/wimread"
)

func imageCount(t *testing.T, wim string) int {
	t.Helper()
	w, f, err := wimread.Open(wim)
	if err != nil {
		t.Fatalf("%s: %v", wim, err)
	}
	defer f.Close()
	return len(w.Metadata)
}

// TestWIMFileDirectoryRefusedFirst: a WIMFILE that is a directory (or a
// FIFO without --pipable) is refused before the source is read (the
// source list on stdin stays unread), and is left as it was.
func TestWIMFileDirectoryRefusedFirst(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "out")
	os.Mkdir(out, 0o755)
	fifo := filepath.Join(dir, "fifo")
	if err := unix.Mkfifo(fifo, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		cmd  Command
		wim  string
		want string
	}{
		{Capture, out, "is a directory"},
		{Append, out, "is a directory"},
		{Capture, fifo, "only a pipable WIM"},
		{Append, fifo, "not a regular file"},
	} {
		spy := &readSpy{}
		code, msg := runCmd(c.cmd, spy, "-", c.wim, "--source-list")
		if code == 0 || !strings.Contains(msg, c.want) || !strings.Contains(msg, c.wim) {
			t.Errorf("%v to %s: exit %d, want an error naming it, %q:\n%s", c.cmd, c.wim, code, c.want, msg)
		}
		if spy.read {
			t.Errorf("%v to %s: the source was read before the refusal", c.cmd, c.wim)
		}
	}
	if entries, _ := os.ReadDir(out); len(entries) != 0 {
		t.Errorf("the directory WIMFILE changed: %v", entries)
	}
	if fi, err := os.Lstat(fifo); err != nil || fi.Mode()&fs.ModeNamedPipe == 0 {
		t.Errorf("the FIFO is no longer a FIFO: %v %v", fi.Mode(), err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 2 {
		t.Errorf("files left behind: %v", entries)
	}
}

// TestWIMFileSymlinkStaysALink: a WIMFILE that is a symbolic link is
// written through: the link stays, its target (new or existing) gets the
// WIM, whether captured, appended to or rebuilt.
func TestWIMFileSymlinkStaysALink(t *testing.T) {
	dir := t.TempDir()
	src := testTree(t, dir)
	os.Mkdir(filepath.Join(dir, "store"), 0o755)
	target := filepath.Join(dir, "store", "real.wim")
	link := filepath.Join(dir, "link.wim")
	os.Symlink("store/real.wim", link) // dangling until the capture
	steps := [][]string{
		{"capture", src, link},
		{"capture", src, link}, // replaces the target, not the link
		{"append", src, link, "two"},
		{"append", src, link, "three", "--rebuild"},
		{"append", src, link, "four", "--unsafe-compact"},
	}
	wantImages := []int{1, 1, 2, 3, 4}
	for i, s := range steps {
		cmd := Capture
		if s[0] == "append" {
			cmd = Append
		}
		if code, msg := runCmd(cmd, nil, s[1:]...); code != 0 {
			t.Fatalf("%v: exit %d\n%s", s, code, msg)
		}
		fi, err := os.Lstat(link)
		if err != nil || fi.Mode()&fs.ModeSymlink == 0 {
			t.Fatalf("%v: %s is no longer a symbolic link", s, link)
		}
		if n := imageCount(t, target); n != wantImages[i] {
			t.Fatalf("%v: the link's target has %d images, want %d", s, n, wantImages[i])
		}
	}
	if entries, _ := os.ReadDir(filepath.Join(dir, "store")); len(entries) != 1 {
		t.Fatalf("left beside the target: %v", entries)
	}
}

// TestWIMFileDevice: a device WIMFILE is written in place, never replaced:
// one like /dev/null takes the WIM (exit 0), one like /dev/full fails with
// "no space left on device"; both stay devices.
func TestWIMFileDevice(t *testing.T) {
	dir := t.TempDir()
	src := testTree(t, dir)
	null, full := filepath.Join(dir, "null"), filepath.Join(dir, "full")
	for _, d := range []struct {
		path         string
		major, minor uint32
	}{{null, 1, 3}, {full, 1, 7}} {
		if err := unix.Mknod(d.path, unix.S_IFCHR|0o666, int(unix.Mkdev(d.major, d.minor))); err != nil {
			t.Skipf("cannot make device nodes here: %v", err)
		}
	}
	if code, msg := runCmd(Capture, nil, src, null); code != 0 {
		t.Errorf("capture to a null device: exit %d\n%s", code, msg)
	}
	code, msg := runCmd(Capture, nil, src, full)
	if code == 0 || !strings.Contains(msg, "no space left on device") || !strings.Contains(msg, full) {
		t.Errorf("capture to a full device: exit %d, want an error naming it, no space left:\n%s", code, msg)
	}
	for _, p := range []string{null, full} {
		fi, err := os.Lstat(p)
		if err != nil || fi.Mode()&fs.ModeCharDevice == 0 {
			t.Errorf("%s is no longer a character device: %v %v", p, fi.Mode(), err)
		}
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 3 {
		t.Errorf("files left behind: %v", entries)
	}
}

// deadPID returns the PID of a process that has exited.
func deadPID(t *testing.T) int {
	t.Helper()
	cmd := exec.Command("true")
	if err := cmd.Run(); err != nil {
		t.Skipf("cannot run true: %v", err)
	}
	return cmd.Process.Pid
}

// TestStaleTempFilesRemoved: a temporary file left by a killed run (its
// PID gone, its lock free) is removed by the next capture or rebuild of
// the same WIMFILE; one whose writer still runs or holds its lock stays.
func TestStaleTempFilesRemoved(t *testing.T) {
	dir := t.TempDir()
	src := testTree(t, dir)
	wim := filepath.Join(dir, "x.wim")
	live := exec.Command("sleep", "30")
	if err := live.Start(); err != nil {
		t.Skip(err)
	}
	defer func() { live.Process.Kill(); live.Wait() }()
	dead := deadPID(t)
	name := func(pid int, tag string) string {
		return filepath.Join(dir, fmt.Sprintf(".x.wim.wimgo-tmp.%d.%s", pid, tag))
	}
	touch := func(p string) {
		if err := os.WriteFile(p, []byte("half a WIM"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	for round, cmd := range [][]string{{"capture", src, wim}, {"append", src, wim, "2", "--rebuild"}} {
		stale := name(dead, fmt.Sprint("stale", round))
		running := name(live.Process.Pid, fmt.Sprint("running", round))
		locked := name(dead, fmt.Sprint("locked", round))
		other := filepath.Join(dir, fmt.Sprintf(".y.wim.wimgo-tmp.%d.other%d", dead, round))
		for _, p := range []string{stale, running, locked, other} {
			touch(p)
		}
		lf, _ := os.Open(locked)
		if err := unix.Flock(int(lf.Fd()), unix.LOCK_EX); err != nil {
			t.Fatal(err)
		}
		c := Capture
		if cmd[0] == "append" {
			c = Append
		}
		code, msg := runCmd(c, nil, cmd[1:]...)
		lf.Close()
		if code != 0 {
			t.Fatalf("%v: exit %d\n%s", cmd, code, msg)
		}
		if _, err := os.Stat(stale); err == nil {
			t.Errorf("%v: the stale temporary file %s is still there", cmd, stale)
		}
		if !strings.Contains(msg, "removed "+stale) {
			t.Errorf("%v: no word of removing %s:\n%s", cmd, stale, msg)
		}
		for _, p := range []string{running, locked, other} {
			if _, err := os.Stat(p); err != nil {
				t.Errorf("%v: %s was removed (its writer may be alive, or it belongs to another WIM)", cmd, p)
			}
		}
	}
}

// TestHeldLockRefuses: while another process holds wimlib's lock (flock)
// on the WIM, every mode of wimappend, and a wimcapture that would replace
// it, refuse with a clear message and leave it byte-identical.
func TestHeldLockRefuses(t *testing.T) {
	dir := t.TempDir()
	src := testTree(t, dir)
	wim := filepath.Join(dir, "x.wim")
	if code, msg := runCmd(Capture, nil, src, wim); code != 0 {
		t.Fatalf("capture: %d\n%s", code, msg)
	}
	before, _ := os.ReadFile(wim)
	lf, _ := os.Open(wim)
	defer lf.Close()
	if err := unix.Flock(int(lf.Fd()), unix.LOCK_EX); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{
		{"append", src, wim, "two"},
		{"append", src, wim, "two", "--rebuild"},
		{"append", src, wim, "two", "--unsafe-compact"},
		{"append", src, wim, "two", "--chunk-size=64K"},
		{"capture", src, wim},
	} {
		c := Capture
		if args[0] == "append" {
			c = Append
		}
		code, msg := runCmd(c, nil, args[1:]...)
		if code == 0 || !strings.Contains(msg, "already locked for writing") || !strings.Contains(msg, wim) {
			t.Errorf("%v under a held lock: exit %d, want a refusal naming the WIM:\n%s", args, code, msg)
		}
		if after, _ := os.ReadFile(wim); !bytes.Equal(before, after) {
			t.Fatalf("%v changed the locked WIM", args)
		}
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 2 {
		t.Errorf("files left behind: %v", entries)
	}
}

// TestWimlibOptionCombinations: what wimlib accepts is accepted, with its
// meaning: wimcapture --rebuild and --not-pipable do nothing; wimappend
// --compress is checked but the WIM keeps its type; --unsafe-compact
// --rebuild compacts (the file stays the same inode). What wimlib refuses
// is refused: --rpfix with a source list putting a source elsewhere than
// at the image root.
func TestWimlibOptionCombinations(t *testing.T) {
	dir := t.TempDir()
	src := testTree(t, dir)
	wim := filepath.Join(dir, "x.wim")
	if code, msg := runCmd(Capture, nil, src, wim, "--rebuild", "--not-pipable"); code != 0 {
		t.Fatalf("wimcapture --rebuild --not-pipable: exit %d\n%s", code, msg)
	}
	if code, msg := runCmd(Append, nil, src, wim, "two", "--compress=XPRESS:80"); code != 0 {
		t.Fatalf("wimappend --compress=XPRESS: exit %d\n%s", code, msg)
	}
	w, f, err := wimread.Open(wim)
	if err != nil {
		t.Fatal(err)
	}
	if got := w.CType.String(); !strings.EqualFold(got, "LZX") || len(w.Metadata) != 2 {
		t.Fatalf("after wimappend --compress=XPRESS: %s with %d images, want LZX with 2", got, len(w.Metadata))
	}
	f.Close()
	if code, msg := runCmd(Append, nil, src, wim, "bad", "--compress=bogus"); code == 0 || !strings.Contains(msg, "bogus") {
		t.Fatalf("wimappend --compress=bogus: exit %d\n%s", code, msg)
	}
	var st1, st2 syscall.Stat_t
	syscall.Stat(wim, &st1)
	if code, msg := runCmd(Append, nil, src, wim, "three", "--unsafe-compact", "--rebuild"); code != 0 {
		t.Fatalf("wimappend --unsafe-compact --rebuild: exit %d\n%s", code, msg)
	}
	syscall.Stat(wim, &st2)
	if st1.Ino != st2.Ino || imageCount(t, wim) != 3 {
		t.Fatalf("--unsafe-compact --rebuild rebuilt the WIM (inode %d -> %d) or lost an image", st1.Ino, st2.Ino)
	}
	if code, msg := runCmd(Capture, nil, src, "-", "--not-pipable"); code == 0 || !strings.Contains(msg, "contradict") {
		t.Fatalf("wimcapture to stdout --not-pipable: exit %d\n%s", code, msg)
	}

	list := filepath.Join(dir, "list")
	os.WriteFile(list, []byte(src+" /\n"), 0o644)
	if code, msg := runCmd(Capture, nil, list, filepath.Join(dir, "l1.wim"), "--source-list", "--rpfix"); code != 0 {
		t.Fatalf("--source-list --rpfix, all at the root: exit %d\n%s", code, msg)
	}
	os.WriteFile(list, []byte(src+" /\n"+src+" /sub\n"), 0o644)
	code, msg := runCmd(Capture, nil, list, filepath.Join(dir, "l2.wim"), "--source-list", "--rpfix")
	if code == 0 || !strings.Contains(msg, "not capturing a full image") {
		t.Fatalf("--source-list --rpfix with /sub: exit %d, want wimlib's refusal:\n%s", code, msg)
	}
	if _, err := os.Stat(filepath.Join(dir, "l2.wim")); err == nil {
		t.Fatal("a refused capture left its WIM")
	}
	if code, msg := runCmd(Capture, nil, list, filepath.Join(dir, "l3.wim"), "--source-list"); code != 0 {
		t.Fatalf("--source-list with /sub, no --rpfix: exit %d\n%s", code, msg)
	}
}
