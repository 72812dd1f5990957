//go:build linux

package oracle

import (
	"bytes"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"
)

// This file: what WIMFILE may be (device, FIFO, symbolic link, directory),
// the lock concurrent writers share with wimlib, stale temporary files, and
// option combinations, each judged against wimlib 1.13.5.

// bigTree writes n files of size bytes of compressible noise.
func bigTree(t testing.TB, dir string, n, size int, seed uint64) string {
	t.Helper()
	os.MkdirAll(dir, 0o755)
	rng := rand.New(rand.NewPCG(seed, 3))
	for i := range n {
		b := make([]byte, size)
		for j := range b {
			b[j] = byte(rng.Uint32() % 9)
		}
		os.WriteFile(filepath.Join(dir, fmt.Sprintf("f%03d", i)), b, 0o644)
	}
	return dir
}

// treesMatch compares an applied tree with its source (modes aside: the
// WIM keeps none without --unix-data).
func treesMatch(t *testing.T, src, applied string) {
	t.Helper()
	want, got := Snapshot(t, src), Snapshot(t, applied)
	for k, e := range got {
		e.Mode = want[k].Mode
		got[k] = e
	}
	CompareTrees(t, applied+" vs "+src, want, got)
}

// TestWIMFileFIFOStreams: a FIFO WIMFILE with --pipable streams a pipable
// WIM that `wimapply -` applies as it reads the FIFO (a copy of the stream
// verifies); without --pipable the FIFO is refused before the source is
// read, as wimlib refuses it (later), and stays a FIFO.
func TestWIMFileFIFOStreams(t *testing.T) {
	Require(t, "wimlib-imagex", "tee", "sh")
	dir := t.TempDir()
	src := smallTree(t, dir, "src", 5)
	fifo := filepath.Join(dir, "fifo")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Fatal(err)
	}
	applied, copyWIM := filepath.Join(dir, "applied"), filepath.Join(dir, "copy.wim")
	// tee -p keeps reading after wimapply has what it needs, so the
	// writer can finish the stream.
	reader := exec.Command("sh", "-c", `tee -p "$1" < "$2" | wimlib-imagex apply - 1 "$3"`, "sh", copyWIM, fifo, applied)
	var rout bytes.Buffer
	reader.Stdout, reader.Stderr = &rout, &rout
	reader.SysProcAttr = &syscall.SysProcAttr{Setpgid: true} // killed whole if it hangs
	if err := reader.Start(); err != nil {
		t.Fatal(err)
	}
	out, err := oursErr("wimcapture", nil, src, fifo, "--pipable")
	done := make(chan error, 1)
	go func() { done <- reader.Wait() }()
	select {
	case werr := <-done:
		if werr != nil {
			t.Fatalf("wimapply - from the FIFO: %v\n%s\nours:\n%s", werr, rout.String(), out)
		}
	case <-time.After(30 * time.Second):
		syscall.Kill(-reader.Process.Pid, syscall.SIGKILL)
		<-done
		t.Fatalf("nothing was written to the FIFO (is it still one?); ours: %v\n%s", err, out)
	}
	if err != nil {
		t.Fatalf("wimcapture to a FIFO --pipable: %v\n%s", err, out)
	}
	treesMatch(t, src, applied)
	Run(t, "wimlib-imagex", "verify", copyWIM)

	// Without --pipable: refused, the source not even scanned (a source
	// list naming a missing directory would be reported otherwise).
	list := filepath.Join(dir, "list")
	os.WriteFile(list, []byte(filepath.Join(dir, "missing")+"\n"), 0o644)
	out, err = oursErr("wimcapture", nil, list, fifo, "--source-list")
	if err == nil || !strings.Contains(out, "only a pipable WIM") || strings.Contains(out, "missing") {
		t.Fatalf("wimcapture to a FIFO without --pipable: %v, want the FIFO refused first:\n%s", err, out)
	}
	if out, err := RunEnv(nil, "wimlib-imagex", "capture", src, fifo); err == nil {
		t.Fatalf("wimlib accepts a non-pipable WIM to a FIFO?\n%s", out)
	}
	if fi, err := os.Lstat(fifo); err != nil || fi.Mode()&fs.ModeNamedPipe == 0 {
		t.Fatalf("the FIFO is no longer a FIFO: %v", err)
	}
}

// TestWIMFileDevicesAndLinksLikeWimlib: wimlib and we treat a device
// WIMFILE alike: written in place, /dev/null's kind taking it (exit 0),
// /dev/full's failing with "No space left on device"; nodes stay nodes. A
// symbolic link is written through by both, the link kept. A directory is
// refused by both; by us before the source is read.
func TestWIMFileDevicesAndLinksLikeWimlib(t *testing.T) {
	Require(t, "wimlib-imagex")
	dir := t.TempDir()
	src := smallTree(t, dir, "src", 6)
	type tool struct {
		name string
		run  func(args ...string) (string, error)
	}
	tools := []tool{
		{"wimlib", func(args ...string) (string, error) {
			return RunEnv(nil, "wimlib-imagex", append([]string{"capture"}, args...)...)
		}},
		{"ours", func(args ...string) (string, error) { return oursErr("wimcapture", nil, args...) }},
	}
	for _, tl := range tools {
		d := filepath.Join(dir, tl.name)
		os.Mkdir(d, 0o755)
		null, full := filepath.Join(d, "null"), filepath.Join(d, "full")
		if err := syscall.Mknod(null, syscall.S_IFCHR|0o666, 1<<8|3); err != nil {
			t.Skipf("cannot make device nodes: %v", err)
		}
		if err := syscall.Mknod(full, syscall.S_IFCHR|0o666, 1<<8|7); err != nil {
			t.Fatal(err)
		}
		if out, err := tl.run(src, null); err != nil {
			t.Errorf("%s: capture to a null device: %v\n%s", tl.name, err, out)
		}
		out, err := tl.run(src, full)
		if err == nil || !strings.Contains(strings.ToLower(out), "no space left on device") {
			t.Errorf("%s: capture to a full device: %v, want no space left:\n%s", tl.name, err, out)
		}
		for _, p := range []string{null, full} {
			if fi, err := os.Lstat(p); err != nil || fi.Mode()&fs.ModeCharDevice == 0 {
				t.Errorf("%s: %s is no longer a device (%v)", tl.name, p, err)
			}
		}
		link := filepath.Join(d, "link.wim")
		os.Symlink("real.wim", link)
		if out, err := tl.run(src, link); err != nil {
			t.Fatalf("%s: capture through a dangling link: %v\n%s", tl.name, err, out)
		}
		if out, err := tl.run(src, link, "again"); err != nil {
			t.Fatalf("%s: capture through a link: %v\n%s", tl.name, err, out)
		}
		if fi, err := os.Lstat(link); err != nil || fi.Mode()&fs.ModeSymlink == 0 {
			t.Errorf("%s: the link was replaced", tl.name)
		}
		if info := Run(t, "wimlib-imagex", "info", filepath.Join(d, "real.wim")); !strings.Contains(info, "again") {
			t.Errorf("%s: the link's target does not hold the second capture:\n%s", tl.name, info)
		}
		out, err = tl.run(src, d)
		if err == nil {
			t.Errorf("%s: capture to a directory succeeded:\n%s", tl.name, out)
		}
		if tl.name == "ours" && (strings.Contains(out, "Scanning") || !strings.Contains(out, "is a directory")) {
			t.Errorf("ours: the directory WIMFILE was not refused first:\n%s", out)
		}
	}
}

// TestConcurrentWritersLock: two writers started together on one WIM
// (append and append, --unsafe-compact and append, --rebuild and append,
// ours and wimlib's): never do both succeed with an image lost, the loser
// says the WIM is locked, and the result verifies with every image applying.
func TestConcurrentWritersLock(t *testing.T) {
	Require(t, "wimlib-imagex")
	dir := t.TempDir()
	base := smallTree(t, dir, "base", 1)
	srcA := bigTree(t, filepath.Join(dir, "a"), 12, 400000, 1)
	srcB := bigTree(t, filepath.Join(dir, "b"), 12, 400000, 2)
	orig := filepath.Join(dir, "orig.wim")
	ours(t, "wimcapture", base, orig, "--compress=none")
	ours(t, "wimappend", base, orig, "base2") // leaves a hole to compact

	origData, _ := os.ReadFile(orig)
	type writer struct {
		name string
		cmd  func(wim, src, name string) *exec.Cmd
	}
	oursAppend := func(extra ...string) func(wim, src, name string) *exec.Cmd {
		return func(wim, src, name string) *exec.Cmd {
			return exec.Command(filepath.Join(bin, "wimappend"), append([]string{src, wim, name, "--threads=1"}, extra...)...)
		}
	}
	wimlibAppend := func(wim, src, name string) *exec.Cmd {
		return exec.Command("wimlib-imagex", "append", src, wim, name, "--threads=1")
	}
	pairs := [][2]writer{
		{{"append", oursAppend()}, {"append", oursAppend()}},
		{{"compact", oursAppend("--unsafe-compact")}, {"append", oursAppend()}},
		{{"append", oursAppend()}, {"compact", oursAppend("--unsafe-compact")}},
		{{"rebuild", oursAppend("--rebuild")}, {"append", oursAppend()}},
		{{"append", oursAppend()}, {"wimlib", wimlibAppend}},
		{{"wimlib", wimlibAppend}, {"compact", oursAppend("--unsafe-compact")}},
	}
	refusals := 0
	for i, p := range pairs {
		for round := range 2 {
			name := fmt.Sprintf("%s+%s#%d", p[0].name, p[1].name, round)
			wim := filepath.Join(dir, fmt.Sprintf("w%d-%d.wim", i, round))
			os.WriteFile(wim, origData, 0o644)
			cmds := []*exec.Cmd{p[0].cmd(wim, srcA, "A"), p[1].cmd(wim, srcB, "B")}
			outs := []*bytes.Buffer{{}, {}}
			for j, c := range cmds {
				c.Stdout, c.Stderr = outs[j], outs[j]
				if err := c.Start(); err != nil {
					t.Fatal(err)
				}
				if round == 1 && j == 0 {
					time.Sleep(20 * time.Millisecond)
				}
			}
			ok := 0
			for j, c := range cmds {
				if err := c.Wait(); err == nil {
					ok++
				} else {
					refusals++
					if !strings.Contains(outs[j].String(), "already locked") {
						t.Errorf("%s: writer %d failed without saying the WIM is locked:\n%s", name, j, outs[j].String())
					}
				}
			}
			// wimlib 1.13.5 takes its lock only after it has read the
			// WIM and scanned its source (overwrite_wim_inplace): when
			// one of ours runs whole inside that window, wimlib then
			// writes from what it read and drops our image (or, after
			// our --unsafe-compact moved the blobs, points at the old
			// offsets). Ours lock before reading, so they cannot do
			// this to wimlib or to each other: only a pair with wimlib
			// where both succeeded and wimlib's image survives is that.
			wimlibLast := func(info string) bool {
				k := 0
				if p[1].name == "wimlib" {
					k = 1
				}
				want := []string{"A", "B"}[k]
				return ok == 2 && (p[0].name == "wimlib" || p[1].name == "wimlib") &&
					regexp.MustCompile(`(?s)Index:\s+3\s.*?Name:\s+`+want+`\s`).MatchString(info)
			}
			if out, err := RunEnv(nil, "wimlib-imagex", "verify", wim); err != nil {
				if ok == 2 && p[0].name == "wimlib" && p[1].name == "compact" {
					t.Logf("%s: wimlib wrote from a read made before our writer ran (its late lock), leaving a WIM that does not verify", name)
					continue
				}
				t.Fatalf("%s: the WIM does not verify:\n%s\n%s\n%s", name, out, outs[0], outs[1])
			}
			info := Run(t, "wimlib-imagex", "info", wim)
			m := regexp.MustCompile(`Image Count:\s+(\d+)`).FindStringSubmatch(info)
			if m == nil || m[1] != fmt.Sprint(2+ok) {
				if m != nil && m[1] == "3" && wimlibLast(info) {
					t.Logf("%s: wimlib wrote from a read made before our writer ran (its late lock), dropping our image", name)
					continue
				}
				t.Fatalf("%s: %d writers succeeded but the WIM has %v images (want %d): an image was lost\n%s\n%s", name, ok, m, 2+ok, outs[0], outs[1])
			}
			for idx := 3; idx < 3+ok; idx++ {
				n := regexp.MustCompile(fmt.Sprintf(`(?s)Index:\s+%d\s.*?Name:\s+(\S+)`, idx)).FindStringSubmatch(info)
				src := srcA
				if n != nil && n[1] == "B" {
					src = srcB
				}
				applyMatches(t, wim, idx, src)
			}
		}
	}
	if refusals == 0 {
		t.Fatal("no writer was ever refused: the writers never overlapped; make the inputs larger")
	}
}

// TestAppendChunkSizeLikeWimlib: wimappend --chunk-size with a size other
// than the WIM's rebuilds it at that size, as wimlib does (regular and
// pipable WIMs); the WIM's own size appends in place; a size invalid for
// the WIM's compression, or a change with --unsafe-compact, is refused by
// both, the WIM unchanged.
func TestAppendChunkSizeLikeWimlib(t *testing.T) {
	Require(t, "wimlib-imagex", "7zz")
	dir := t.TempDir()
	a, b := smallTree(t, dir, "a", 1), smallTree(t, dir, "b", 2)
	chunkRe := regexp.MustCompile(`Chunk Size:\s+(\d+) bytes`)
	chunk := func(wim string) string {
		m := chunkRe.FindStringSubmatch(Run(t, "wimlib-imagex", "info", wim))
		if m == nil {
			t.Fatalf("%s: no chunk size in wiminfo", wim)
		}
		return m[1]
	}
	for _, c := range []struct {
		capture []string
		append  []string
		ok      bool
		chunk   string
	}{
		{[]string{"--compress=LZX"}, []string{"--chunk-size=64K"}, true, "65536"},
		{[]string{"--compress=LZX"}, []string{"--chunk-size=32K"}, true, "32768"},
		{[]string{"--compress=XPRESS"}, []string{"--chunk-size=4K", "--compress=LZX"}, true, "4096"},
		{[]string{"--compress=LZX", "--pipable"}, []string{"--chunk-size=128K"}, true, "131072"},
		{[]string{"--compress=LZX"}, []string{"--chunk-size=4K"}, false, ""},
		{[]string{"--compress=none"}, []string{"--chunk-size=32K"}, false, ""},
		{[]string{"--compress=LZX"}, []string{"--chunk-size=64K", "--unsafe-compact"}, false, ""},
	} {
		name := strings.Join(append(c.capture, c.append...), " ")
		orig := filepath.Join(dir, "orig.wim")
		os.Remove(orig)
		ours(t, "wimcapture", append([]string{a, orig}, c.capture...)...)
		origData, _ := os.ReadFile(orig)
		for _, tool := range []string{"wimlib", "ours"} {
			wim := filepath.Join(dir, tool+".wim")
			os.WriteFile(wim, origData, 0o644)
			var out string
			var err error
			if tool == "wimlib" {
				out, err = RunEnv(nil, "wimlib-imagex", append([]string{"append", b, wim}, c.append...)...)
			} else {
				out, err = oursErr("wimappend", nil, append([]string{b, wim}, c.append...)...)
			}
			if (err == nil) != c.ok {
				t.Fatalf("%s: %s: %v, want success %v:\n%s", name, tool, err, c.ok, out)
			}
			if !c.ok {
				if now, _ := os.ReadFile(wim); !bytes.Equal(now, origData) {
					t.Fatalf("%s: %s changed the WIM it refused to append to", name, tool)
				}
				continue
			}
			if got := chunk(wim); got != c.chunk {
				t.Fatalf("%s: %s left chunk size %s, want %s", name, tool, got, c.chunk)
			}
			if strings.Contains(name, "pipable") {
				Run(t, "wimlib-imagex", "verify", wim)
			} else {
				Verify(t, wim)
			}
			applyMatches(t, wim, 1, a)
			applyMatches(t, wim, 2, b)
		}
	}
}

// TestOptionsAcceptedLikeWimlib: option combinations succeed or fail as
// with wimlib: wimcapture --rebuild and --not-pipable are accepted (and do
// nothing), wimappend --compress is accepted (the WIM keeps its type),
// --unsafe-compact --rebuild compacts, and --rpfix with a source list that
// puts a source elsewhere than at the image root is refused.
func TestOptionsAcceptedLikeWimlib(t *testing.T) {
	Require(t, "wimlib-imagex")
	dir := t.TempDir()
	a, b := smallTree(t, dir, "a", 1), smallTree(t, dir, "b", 2)
	rootList, subList := filepath.Join(dir, "root.list"), filepath.Join(dir, "sub.list")
	os.WriteFile(rootList, []byte(a+" /\n"), 0o644)
	os.WriteFile(subList, []byte(a+" /\n"+b+" /b\n"), 0o644)
	base := filepath.Join(dir, "base.wim")
	ours(t, "wimcapture", a, base, "--compress=LZX")
	ours(t, "wimappend", b, base)
	baseData, _ := os.ReadFile(base)
	for _, c := range []struct {
		append bool
		args   []string // SOURCE first; WIMFILE follows it
		ok     bool
	}{
		{false, []string{a, "--not-pipable"}, true},
		{false, []string{a, "--rebuild"}, true},
		{false, []string{a, "--rebuild", "--not-pipable", "--compress=XPRESS"}, true},
		{true, []string{b, "B", "--compress=XPRESS"}, true},
		{true, []string{b, "B", "--compress=LZMS:80"}, true},
		{true, []string{b, "B", "--unsafe-compact", "--rebuild"}, true},
		{false, []string{rootList, "--source-list", "--rpfix"}, true},
		{false, []string{subList, "--source-list", "--rpfix"}, false},
		{false, []string{subList, "--source-list"}, true},
		{false, []string{a, "--unsafe-compact"}, false},
		{false, []string{a, "--create"}, false},
	} {
		name := fmt.Sprintf("append=%v %v", c.append, c.args[1:])
		var info [2]string
		for i, tool := range []string{"wimlib", "ours"} {
			wim := filepath.Join(dir, tool+".wim")
			os.Remove(wim)
			if c.append {
				os.WriteFile(wim, baseData, 0o644)
			}
			args := append([]string{c.args[0], wim}, c.args[1:]...)
			var out string
			var err error
			switch {
			case tool == "wimlib" && c.append:
				out, err = RunEnv(nil, "wimlib-imagex", append([]string{"append"}, args...)...)
			case tool == "wimlib":
				out, err = RunEnv(nil, "wimlib-imagex", append([]string{"capture"}, args...)...)
			case c.append:
				out, err = oursErr("wimappend", nil, args...)
			default:
				out, err = oursErr("wimcapture", nil, args...)
			}
			if (err == nil) != c.ok {
				t.Fatalf("%s: %s: %v, want success %v:\n%s", name, tool, err, c.ok, out)
			}
			if !c.ok {
				if _, err := os.Stat(wim); err == nil {
					t.Fatalf("%s: %s left a WIM after refusing", name, tool)
				}
				continue
			}
			Run(t, "wimlib-imagex", "verify", wim)
			in := Run(t, "wimlib-imagex", "info", wim)
			for _, k := range []string{"Image Count", "Compression", "Chunk Size", "Pipable"} {
				info[i] += "|" + regexp.MustCompile(`(?m)^`+k+`:.*$`).FindString(in)
			}
		}
		if c.ok && info[0] != info[1] {
			t.Fatalf("%s: wimlib's WIM and ours differ:\nwimlib: %s\nours:   %s", name, info[0], info[1])
		}
	}
}

// TestStaleTempAfterKill: a capture or rebuild killed with SIGKILL leaves
// its temporary file; the next run writing the same WIMFILE removes it,
// and says so.
func TestStaleTempAfterKill(t *testing.T) {
	Require(t, "wimlib-imagex")
	dir := t.TempDir()
	big := bigTree(t, filepath.Join(dir, "big"), 20, 1<<20, 4)
	small := smallTree(t, dir, "small", 1)
	out := filepath.Join(dir, "out")
	os.Mkdir(out, 0o755)
	wim := filepath.Join(out, "x.wim")
	for _, c := range []struct{ killed, next []string }{
		{[]string{"wimcapture", big, wim, "--compress=LZX:100", "--threads=1"}, []string{"wimcapture", small, wim}},
		{[]string{"wimappend", big, wim, "big", "--rebuild", "--compress=LZX:100", "--threads=1"}, []string{"wimappend", small, wim, "again", "--rebuild"}},
	} {
		cmd := exec.Command(filepath.Join(bin, c.killed[0]), c.killed[1:]...)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		var left []string
		for start := time.Now(); len(left) == 0 && time.Since(start) < 10*time.Second; {
			time.Sleep(50 * time.Millisecond)
			left, _ = filepath.Glob(filepath.Join(out, ".x.wim.wimgo-tmp.*"))
		}
		time.Sleep(100 * time.Millisecond)
		cmd.Process.Signal(syscall.SIGKILL)
		if err := cmd.Wait(); err == nil {
			t.Fatalf("%s finished before the kill; make the input larger", c.killed[0])
		}
		if len(left) != 1 {
			t.Fatalf("%s: want one temporary file while it ran, found %v", c.killed[0], left)
		}
		if _, err := os.Stat(left[0]); err != nil {
			t.Fatalf("%s: the killed run's temporary file is already gone", c.killed[0])
		}
		msg := ours(t, c.next[0], c.next[1:]...)
		if _, err := os.Stat(left[0]); err == nil {
			t.Fatalf("%s: the stale temporary file %s survived the next run", c.killed[0], left[0])
		}
		if !strings.Contains(msg, "removed "+left[0]) {
			t.Fatalf("the next run did not say it removed %s:\n%s", left[0], msg)
		}
		if entries, _ := os.ReadDir(out); len(entries) != 1 {
			t.Fatalf("left in the directory: %v", entries)
		}
		Run(t, "wimlib-imagex", "verify", wim)
	}
}
