package oracle

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestPipable: pipable WIMs (--pipable, or WIMFILE "-" for standard output)
// verify, apply from the file and from a pipe, match wimlib's own pipable
// capture, and the stream equals the file byte for byte.
func TestPipable(t *testing.T) {
	Require(t, "wimlib-imagex")
	src := MakeTree(t, t.TempDir())
	for _, ctype := range []string{"none", "LZX", "XPRESS"} {
		t.Run(ctype, func(t *testing.T) {
			dir := t.TempDir()
			ourWIM, theirWIM := filepath.Join(dir, "o.wim"), filepath.Join(dir, "w.wim")
			env := []string{"SOURCE_DATE_EPOCH=1700000000"}
			if out, err := oursErr("wimcapture", env, src, ourWIM, "--pipable", "--compress="+ctype); err != nil {
				t.Fatalf("%v\n%s", err, out)
			}
			head, _ := os.ReadFile(ourWIM)
			// The same WIM streamed to standard output (before wimlib reads
			// the tree and moves its access times).
			stream := exec.Command(filepath.Join(bin, "wimcapture"), src, "-", "--compress="+ctype)
			stream.Env = append(os.Environ(), env...)
			var sout bytes.Buffer
			stream.Stdout = &sout
			if err := stream.Run(); err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(sout.Bytes(), head) {
				t.Fatalf("standard output (%d bytes) differs from the file (%d bytes)", sout.Len(), len(head))
			}
			Run(t, "wimlib-imagex", "capture", src, theirWIM, "--pipable", "--compress="+ctype)
			Run(t, "wimlib-imagex", "verify", ourWIM)
			if string(head[:5]) != "WLPWM" {
				t.Fatalf("magic %q", head[:8])
			}
			do := DirDetailedOptions{CompressedSizes: ctype != "none"}
			da, db := DirDetailed(t, ourWIM, do), normalizeDirLinks(DirDetailed(t, theirWIM, do))
			if da != db {
				t.Fatalf("wimdir --detailed differs:\n%s", firstDiff(da, db))
			}
			if xa, xb := InfoXML(t, ourWIM), InfoXML(t, theirWIM); xa != xb {
				t.Fatalf("wiminfo --xml differs:\nours:   %s\nwimlib: %s", xa, xb)
			}
			// Applied from a pipe.
			out := filepath.Join(dir, "piped")
			cmd := exec.Command("wimlib-imagex", "apply", "-", "1", out)
			cmd.Stdin = bytes.NewReader(head)
			if msg, err := cmd.CombinedOutput(); err != nil {
				t.Fatalf("apply from a pipe: %v\n%s", err, msg)
			}
			want, got := Snapshot(t, src), Snapshot(t, out)
			for k, e := range got {
				e.Mode = want[k].Mode
				if e.Type == "symlink" {
					e.Target = strings.ReplaceAll(e.Target, "ROOT", "")
				}
				got[k] = e
			}
			for k, e := range want {
				if e.Type == "symlink" {
					e.Target = strings.ReplaceAll(e.Target, "ROOT", "")
					want[k] = e
				}
			}
			CompareTrees(t, "source vs pipable applied from a pipe", want, got)
		})
	}
	if out, err := oursErr("wimcapture", nil, src, "-", "--check"); err == nil || !strings.Contains(out, "integrity") {
		t.Fatalf("--check to standard output: %v\n%s", err, out)
	}
}

// TestAppendPipable: appending to a pipable WIM (ours or wimlib's) rebuilds
// it, still pipable; every image applies from a pipe.
func TestAppendPipable(t *testing.T) {
	Require(t, "wimlib-imagex")
	dir := t.TempDir()
	srcs := []string{smallTree(t, dir, "one", 1), smallTree(t, dir, "two", 2), smallTree(t, dir, "three", 3)}
	for _, maker := range []string{"ours", "wimlib"} {
		for _, ctype := range []string{"none", "XPRESS", "LZX"} {
			wim := filepath.Join(t.TempDir(), "p.wim")
			if maker == "ours" {
				ours(t, "wimcapture", srcs[0], wim, "--pipable", "--compress="+ctype)
			} else {
				Run(t, "wimlib-imagex", "capture", srcs[0], wim, "--pipable", "--compress="+ctype)
			}
			ours(t, "wimappend", srcs[1], wim)
			ours(t, "wimappend", srcs[2], wim, "--check")
			Run(t, "wimlib-imagex", "verify", wim)
			data, _ := os.ReadFile(wim)
			if string(data[:5]) != "WLPWM" {
				t.Fatalf("%s/%s: no longer pipable", maker, ctype)
			}
			for i, src := range srcs {
				out := filepath.Join(t.TempDir(), "o")
				cmd := exec.Command("wimlib-imagex", "apply", "-", fmt.Sprint(i+1), out)
				cmd.Stdin = bytes.NewReader(data)
				if msg, err := cmd.CombinedOutput(); err != nil {
					t.Fatalf("%s/%s image %d from a pipe: %v\n%s", maker, ctype, i+1, err, msg)
				}
				want, got := Snapshot(t, src), Snapshot(t, out)
				for k, e := range got {
					e.Mode = want[k].Mode
					got[k] = e
				}
				CompareTrees(t, fmt.Sprintf("%s/%s image %d", maker, ctype, i+1), want, got)
			}
		}
	}
}

// TestAppendConvertsPipable: --pipable turns a regular WIM into a pipable
// one while appending, --not-pipable turns it back; chunks are moved, not
// recompressed, and every image still applies.
func TestAppendConvertsPipable(t *testing.T) {
	Require(t, "wimlib-imagex", "7zz")
	dir := t.TempDir()
	srcs := []string{smallTree(t, dir, "one", 1), smallTree(t, dir, "two", 2), mediumTree(t, dir)}
	for _, ctype := range []string{"none", "XPRESS", "LZX"} {
		wim := filepath.Join(t.TempDir(), "c.wim")
		ours(t, "wimcapture", srcs[0], wim, "--compress="+ctype)
		ours(t, "wimappend", srcs[1], wim, "--pipable")
		if b, _ := os.ReadFile(wim); string(b[:5]) != "WLPWM" {
			t.Fatalf("%s: --pipable did not make the WIM pipable", ctype)
		}
		Run(t, "wimlib-imagex", "verify", wim)
		ours(t, "wimappend", srcs[2], wim, "--not-pipable")
		if b, _ := os.ReadFile(wim); string(b[:5]) != "MSWIM" {
			t.Fatalf("%s: --not-pipable did not make the WIM regular", ctype)
		}
		Verify(t, wim)
		for i, src := range srcs {
			applyMatches(t, wim, i+1, src)
		}
		decodeAll(t, wim)
	}
}
