package cli

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// TestHelpGolden: --help prints, to standard output and with status 0,
// each command's own options (grouped, with their value placeholders,
// without the other command's) as in testdata/*.help.
func TestHelpGolden(t *testing.T) {
	for _, cmd := range []Command{Capture, Append} {
		var stdout, stderr bytes.Buffer
		if code := Run(cmd, []string{"src", "--help", "x.wim"}, nil, &stdout, &stderr); code != 0 || stderr.Len() > 0 {
			t.Fatalf("%s --help: exit %d, stderr %q", cmd, code, stderr.String())
		}
		golden := filepath.Join("testdata", cmd.String()+".help")
		if *update {
			os.WriteFile(golden, stdout.Bytes(), 0o644)
		}
		want, err := os.ReadFile(golden)
		if err != nil {
			t.Fatal(err)
		}
		if stdout.String() != string(want) {
			t.Errorf("%s --help differs from %s:\n%s", cmd, golden, stdout.String())
		}
		help := stdout.String()
		for _, s := range []string{"--compress=TYPE[:LEVEL]", "--chunk-size=SIZE", "--threads=NUM_THREADS", "--image-property NAME=VALUE", "--source-list", "--progress=json", "--version"} {
			if !strings.Contains(help, s) {
				t.Errorf("%s --help lacks %s", cmd, s)
			}
		}
		appendOnly := strings.Contains(help, "--create") || strings.Contains(help, "--unsafe-compact") || strings.Contains(help, "--rebuild")
		if appendOnly != (cmd == Append) || strings.Contains(help, "wimappend:") || strings.Contains(help, "wimcapture:") {
			t.Errorf("%s --help lists the other command's options or notes:\n%s", cmd, help)
		}
	}
}

// TestVersion: --version names the program, its version and the codecs'
// implementation.
func TestVersion(t *testing.T) {
	var stdout bytes.Buffer
	if code := Run(Append, []string{"--version"}, nil, &stdout, &bytes.Buffer{}); code != 0 {
		t.Fatalf("exit %d", code)
	}
	out := stdout.String()
	if !strings.HasPrefix(out, "wimappend (wimgo) ") || !strings.Contains(out, "codecs: "+codecAsm()) ||
		!(strings.Contains(out, "amd64 asm") || strings.Contains(out, "purego")) {
		t.Fatalf("--version:\n%s", out)
	}
}

// TestAbbreviations: getopt_long_only's rules, as wimlib parses: unique
// prefixes, one dash, exact names before prefixes, values after "=" or as
// the next argument; our own options never take an abbreviation wimlib
// gives to one of its options.
func TestAbbreviations(t *testing.T) {
	a, err := Parse(Capture, []string{"--comp=xpress", "-no-acl", "src", "-thr", "3", "out.wim", "--solid", "-solid-com=LZX:20", "--p", "--progr=json", "--compa=LZX:20"})
	if err != nil {
		t.Fatal(err)
	}
	if a.Compress != "xpress" || !a.NoACLs || a.Threads != 3 || !a.Solid || a.SolidCompress != "LZX:20" || !a.Pipable ||
		!a.ProgressJSON || len(a.CompareLevels) != 1 || a.Source != "src" || a.WIMFile != "out.wim" {
		t.Fatalf("parsed %+v", a)
	}
	// A value that looks like an option is a value, as with getopt.
	if a, err := Parse(Capture, []string{"src", "out.wim", "--config", "--boot"}); err != nil || a.Config != "--boot" || a.Boot {
		t.Fatalf("--config --boot: %+v %v", a, err)
	}
	// "-" is a positional; --help and --version are exact names only.
	if a, err := Parse(Capture, []string{"-", "out.wim"}); err != nil || a.Source != "-" {
		t.Fatalf("-: %+v %v", a, err)
	}
	for args, want := range map[string]string{
		"--no":        "option '--no' is ambiguous; possibilities: '--no-check' '--nocheck' '--no-solid-sort' '--noacls' '--no-acls' '--norpfix' '--not-pipable'",
		"-c":          "option '-c' is ambiguous; possibilities: '-check' '-compress' '-chunk-size' '-config' '-create'",
		"--he":        "unrecognized option '--he'",
		"-bogus=1":    "unrecognized option '-bogus=1'",
		"--boot=1":    "option '--boot' doesn't allow an argument",
		"--compress":  "option '--compress' requires an argument",
		"--co=x":      "option '--co' is ambiguous",
		"--threads=x": "--threads=x: the number of threads must be a non-negative integer",
	} {
		argv := append([]string{"src", "out.wim"}, strings.Fields(args)...)
		_, err := Parse(Capture, argv)
		if !errors.Is(err, ErrUsage) || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: got %v, want a usage error with %q", args, err, want)
		}
	}
}

// TestErrorLines: a bad option or value gives one ERROR line naming the
// option as typed, a hint to --help, and status 2; nothing on standard
// output, no option list, no Go flag-package wording.
func TestErrorLines(t *testing.T) {
	dir := t.TempDir()
	src := testTree(t, dir)
	wim := filepath.Join(dir, "out.wim")
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--threads=abc"}, "ERROR: --threads=abc: the number of threads must be a non-negative integer (0: one per CPU)\n"},
		{[]string{"-thr", "-1"}, "ERROR: -thr -1: the number of threads must be a non-negative integer (0: one per CPU)\n"},
		{[]string{"--comp=zip"}, "ERROR: --comp=zip: unknown compression type \"zip\" (none, XPRESS, LZX, LZMS)\n"},
		{[]string{"--compress=LZX:0"}, "ERROR: --compress=LZX:0: the compression level \"0\" must be an integer from 1 to 4294967294\n"},
		{[]string{"--chunk-size=12Q"}, "ERROR: --chunk-size=12Q: invalid size \"12Q\": give a number of bytes, optionally with K, M, G, KiB, MiB or GiB\n"},
		{[]string{"--image-property", "X"}, "ERROR: --image-property X: \"X\": expected NAME=VALUE\n"},
		{[]string{"--bogus"}, "ERROR: unrecognized option '--bogus'\n"},
		{[]string{"--no"}, "ERROR: option '--no' is ambiguous; possibilities: '--no-check' '--nocheck' '--no-solid-sort' '--noacls' '--no-acls' '--norpfix' '--not-pipable'\n"},
	} {
		var stdout, stderr bytes.Buffer
		code := Run(Capture, append([]string{src, wim}, c.args...), nil, &stdout, &stderr)
		want := c.want + "Run 'wimcapture --help' for the options.\n"
		if code != 2 || stderr.String() != want || stdout.Len() > 0 {
			t.Errorf("%v: exit %d, stderr:\n%s\nwant exit 2, stderr:\n%s", c.args, code, stderr.String(), want)
		}
	}
	// Other failures: status 1, without the hint.
	var stderr bytes.Buffer
	if code := Run(Capture, []string{filepath.Join(dir, "missing"), wim}, nil, &bytes.Buffer{}, &stderr); code != 1 || strings.Contains(stderr.String(), "--help") {
		t.Errorf("missing SOURCE: exit %d\n%s", code, stderr.String())
	}
}

// TestNoPackageNamesInErrors: appending to a file that is not a WIM says
// so about the file, without the name of the package that found out.
func TestNoPackageNamesInErrors(t *testing.T) {
	dir := t.TempDir()
	src := testTree(t, dir)
	bad := filepath.Join(dir, "bad.wim")
	os.WriteFile(bad, bytes.Repeat([]byte("not a wim "), 100), 0o644)
	code, msg := runCmd(Append, nil, src, bad)
	if code != 1 || !strings.Contains(msg, "bad.wim") || !strings.Contains(msg, "not a WIM file") || strings.Contains(msg, "wimfmt") {
		t.Fatalf("exit %d:\n%s", code, msg)
	}
}

// TestEnvOptions: WIMCAPTURE_<OPTION> sets options the command line does
// not; the command line wins; a bad value names the variable.
func TestEnvOptions(t *testing.T) {
	env := map[string]string{"WIMCAPTURE_THREADS": "3", "WIMCAPTURE_UNIX_DATA": "true", "WIMCAPTURE_COMPRESS": "xpress"}
	lookupEnv = func(k string) (string, bool) { v, ok := env[k]; return v, ok }
	defer func() { lookupEnv = os.LookupEnv }()
	a, err := Parse(Capture, []string{"src", "out.wim", "--comp=lzms"})
	if err != nil || a.Threads != 3 || !a.UnixData || a.Compress != "lzms" {
		t.Fatalf("%+v %v", a, err)
	}
	env["WIMCAPTURE_THREADS"] = "many"
	if _, err := Parse(Capture, []string{"src", "out.wim"}); err == nil || !strings.Contains(err.Error(), "WIMCAPTURE_THREADS=many") {
		t.Fatalf("bad env value: %v", err)
	}
}

// TestCompareLevels: --compare-levels writes no WIM, and its table gives,
// per setting, the size the WIM captured with that setting has.
func TestCompareLevels(t *testing.T) {
	dir := t.TempDir()
	src := testTree(t, dir)
	wim := filepath.Join(dir, "never.wim")
	var stdout, stderr bytes.Buffer
	if code := Run(Capture, []string{src, wim, "--compare-levels=XPRESS:20,LZX:50", "--progress=json"}, nil, &stdout, &stderr); code != 0 {
		t.Fatalf("exit %d\n%s", code, stderr.String())
	}
	if _, err := os.Stat(wim); err == nil {
		t.Fatal("--compare-levels wrote WIMFILE")
	}
	rows := strings.Split(strings.TrimSpace(stdout.String()), "\n")
	if len(rows) != 3 || strings.Count(stderr.String(), `"type":"compare"`) != 2 {
		t.Fatalf("table:\n%s\nJSON:\n%s", stdout.String(), stderr.String())
	}
	for i, setting := range []string{"XPRESS:20", "LZX:50"} {
		real := filepath.Join(dir, fmt.Sprint(i)+".wim")
		if code, msg := runCmd(Capture, nil, src, real, "--compress="+setting); code != 0 {
			t.Fatal(msg)
		}
		fi, _ := os.Stat(real)
		if f := strings.Fields(rows[i+1]); f[0] != setting || f[1] != fmt.Sprint(fi.Size()) {
			t.Errorf("row %q; the WIM made with %s has %d bytes", rows[i+1], setting, fi.Size())
		}
	}
}

// TestAppendSummaryRatio: the summary of an append relates what the image
// added to what it stored, never the whole WIM to one image's data.
func TestAppendSummaryRatio(t *testing.T) {
	dir := t.TempDir()
	src := testTree(t, dir)
	wim := filepath.Join(dir, "a.wim")
	runCmd(Capture, nil, src, wim)
	os.WriteFile(filepath.Join(src, "g"), bytes.Repeat([]byte("more "), 5000), 0o644)
	var stdout bytes.Buffer
	if code := Run(Append, []string{src, wim}, nil, &stdout, &bytes.Buffer{}); code != 0 {
		t.Fatal("append failed")
	}
	m := regexp.MustCompile(`stored in [^:]+: ([0-9.]+)%\); WIM `).FindStringSubmatch(stdout.String())
	if m == nil {
		t.Fatalf("summary:\n%s", stdout.String())
	}
	if pct, _ := strconv.ParseFloat(m[1], 64); pct <= 0 || pct > 100 {
		t.Fatalf("ratio %s%%:\n%s", m[1], stdout.String())
	}
}
