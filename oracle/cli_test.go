package oracle

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// failCapture runs our wimcapture expecting failure: non-zero exit, an
// ERROR: line naming the problem, and nothing left at wim or beside it.
func failCapture(t *testing.T, wantMsg string, wim string, args ...string) {
	t.Helper()
	out, err := oursErr("wimcapture", nil, args...)
	if err == nil {
		t.Fatalf("wimcapture %v succeeded; want an error", args)
	}
	if !strings.Contains(out, "ERROR: ") || !strings.Contains(out, wantMsg) {
		t.Fatalf("wimcapture %v: output lacks ERROR: ... %q:\n%s", args, wantMsg, out)
	}
	if wim != "" {
		if _, err := os.Stat(wim); err == nil {
			t.Fatalf("wimcapture %v failed but left %s", args, wim)
		}
		left, _ := filepath.Glob(filepath.Join(filepath.Dir(wim), ".*tmp*"))
		if len(left) > 0 {
			t.Fatalf("temporary files left behind: %v", left)
		}
	}
}

func TestBadInput(t *testing.T) {
	dir := t.TempDir()
	src := filepath.Join(dir, "src")
	os.MkdirAll(src, 0o755)
	os.WriteFile(filepath.Join(src, "f"), []byte("data"), 0o644)
	plain := filepath.Join(dir, "plain.txt")
	os.WriteFile(plain, []byte("not an NTFS volume"), 0o644)
	wim := filepath.Join(dir, "out.wim")

	failCapture(t, "missing", wim, filepath.Join(dir, "missing"), wim)
	failCapture(t, "plain.txt", wim, plain, wim)
	failCapture(t, "nonexistent", "", src, filepath.Join(dir, "nonexistent", "x.wim"))
	failCapture(t, "plain.txt", "", src, filepath.Join(plain, "x.wim"))
	failCapture(t, "bogus", wim, src, wim, "--compress=bogus")
	failCapture(t, "level", wim, src, wim, "--compress=LZX:0")
	failCapture(t, "chunk", wim, src, wim, "--compress=none", "--chunk-size=3000")
	failCapture(t, "size", wim, src, wim, "--chunk-size=12Q")
	failCapture(t, "threads", wim, src, wim, "--threads=-1")
	failCapture(t, "expected SOURCE WIMFILE", wim, src)
	failCapture(t, "wimappend", wim, src, wim, "--unsafe-compact")
	failCapture(t, "contradict", wim, src, wim, "--rpfix", "--norpfix")
	failCapture(t, "unrecognized option '--no-such-option'", wim, src, wim, "--no-such-option")
}

func TestBadNameIsNamedAndOldWIMSurvives(t *testing.T) {
	Require(t, "wimlib-imagex")
	dir := t.TempDir()
	src := filepath.Join(dir, "src")
	os.MkdirAll(src, 0o755)
	os.WriteFile(filepath.Join(src, "ok"), []byte("fine"), 0o644)
	wim := filepath.Join(dir, "good.wim")
	ours(t, "wimcapture", src, wim, "--compress=none")
	before, _ := os.ReadFile(wim)
	// A name that is not UTF-8: the error names the path, and the good
	// WIM at WIMFILE is untouched.
	if err := os.WriteFile(filepath.Join(src, "bad\xff\xfename"), []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := oursErr("wimcapture", nil, src, wim, "--compress=none")
	if err == nil || !strings.Contains(out, "bad\\xff\\xfename") || !strings.Contains(out, "UTF-8") {
		t.Fatalf("want an error naming the bad name, got %v:\n%s", err, out)
	}
	after, _ := os.ReadFile(wim)
	if !bytes.Equal(before, after) {
		t.Fatal("the existing WIM changed after a failed capture")
	}
	Run(t, "wimlib-imagex", "verify", wim)
}

func TestImageNamesAndProperties(t *testing.T) {
	Require(t, "wimlib-imagex", "7zz")
	dir := t.TempDir()
	src := filepath.Join(dir, "mytree")
	os.MkdirAll(src, 0o755)
	os.WriteFile(filepath.Join(src, "f"), []byte("data"), 0o644)

	// Default name: SOURCE's basename, trailing slash ignored; options
	// among the positionals, --opt value form, case-insensitive TYPE.
	w1 := filepath.Join(dir, "1.wim")
	ours(t, "wimcapture", "--compress", "NoNe", src+"/", w1, "--boot")
	info := Run(t, "wimlib-imagex", "info", w1)
	for _, want := range []string{"Name:                   mytree", "Boot Index:     1"} {
		if !strings.Contains(info, want) {
			t.Fatalf("want %q in:\n%s", want, info)
		}
	}
	// Explicit name, description, flags, properties.
	w2 := filepath.Join(dir, "2.wim")
	ours(t, "wimcapture", src, w2, "My <Name>", "A description", "--compress=none",
		"--flags=Professional", "--image-property", "DISPLAYNAME=Shown",
		"--image-property=WINDOWS/VERSION/BUILD=19041",
		"--image-property", "WINDOWS/LANGUAGES/LANGUAGE[1]=en-US",
		"--image-property", "WINDOWS/LANGUAGES/LANGUAGE[2]=de-DE")
	Verify(t, w2)
	xml := InfoXML(t, w2)
	for _, want := range []string{"<NAME>My &lt;Name&gt;</NAME>", "<DESCRIPTION>A description</DESCRIPTION>",
		"<FLAGS>Professional</FLAGS>", "<DISPLAYNAME>Shown</DISPLAYNAME>", "<BUILD>19041</BUILD>",
		"<LANGUAGES><LANGUAGE>en-US</LANGUAGE><LANGUAGE>de-DE</LANGUAGE></LANGUAGES>"} {
		if !strings.Contains(xml, want) {
			t.Fatalf("want %q in the XML:\n%s", want, xml)
		}
	}
	// Compare with wimlib given the same options.
	w3 := filepath.Join(dir, "3.wim")
	Run(t, "wimlib-imagex", "capture", src, w3, "My <Name>", "A description", "--compress=none",
		"--flags=Professional", "--image-property", "DISPLAYNAME=Shown",
		"--image-property=WINDOWS/VERSION/BUILD=19041",
		"--image-property", "WINDOWS/LANGUAGES/LANGUAGE[1]=en-US",
		"--image-property", "WINDOWS/LANGUAGES/LANGUAGE[2]=de-DE")
	if x3 := InfoXML(t, w3); x3 != xml {
		t.Fatalf("XML differs from wimlib's:\nours:   %s\nwimlib: %s", xml, x3)
	}
	// An empty name makes an unnamed image.
	w4 := filepath.Join(dir, "4.wim")
	ours(t, "wimcapture", src, w4, "", "--compress=none")
	if x := InfoXML(t, w4); strings.Contains(x, "<NAME>") {
		t.Fatalf("unnamed image has a NAME: %s", x)
	}
}

// TestInterruptLeavesNothing: SIGINT or SIGTERM during a capture leaves
// neither WIMFILE nor a temporary file, and an existing WIMFILE untouched.
func TestInterruptLeavesNothing(t *testing.T) {
	dir := t.TempDir()
	src := filepath.Join(dir, "src")
	os.MkdirAll(src, 0o755)
	rng := rand.New(rand.NewPCG(4, 4))
	for i := range 20 {
		b := make([]byte, 1<<20)
		for j := range b {
			b[j] = byte(rng.Uint32() % 5)
		}
		os.WriteFile(filepath.Join(src, fmt.Sprint(i)), b, 0o644)
	}
	out := filepath.Join(dir, "out")
	os.MkdirAll(out, 0o755)
	wim := filepath.Join(out, "x.wim")
	os.WriteFile(wim, []byte("an older file that must survive"), 0o644)
	for i, sig := range []os.Signal{os.Interrupt, syscall.SIGTERM} {
		cmd := exec.Command(filepath.Join(bin, "wimcapture"), src, wim, "--compress=LZX:100", "--threads=1")
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		time.Sleep(time.Duration(300+200*i) * time.Millisecond)
		cmd.Process.Signal(sig)
		err := cmd.Wait()
		if err == nil {
			t.Fatalf("%v: wimcapture finished before the signal; make the input larger", sig)
		}
		entries, _ := os.ReadDir(out)
		if len(entries) != 1 || entries[0].Name() != "x.wim" {
			t.Fatalf("%v: left behind: %v", sig, entries)
		}
		if b, _ := os.ReadFile(wim); string(b) != "an older file that must survive" {
			t.Fatalf("%v: the existing WIMFILE changed", sig)
		}
	}
}
