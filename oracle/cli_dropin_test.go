package oracle

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// run2 runs a command and returns its standard output and standard error
// apart, failing the test on error.
func run2(t *testing.T, name string, args ...string) (string, string) {
	t.Helper()
	cmd := exec.Command(name, args...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("%s %s: %v\n%s%s", name, strings.Join(args, " "), err, stdout.String(), stderr.String())
	}
	return stdout.String(), stderr.String()
}

// infoLines are the lines of out (split at carriage returns too) that
// wimlib's informational messages and warnings make; progress lines and
// blank lines are left out, and dir is replaced by DIR.
var threadsRE = regexp.MustCompile(`with \d+ threads?`)

var infoLine = regexp.MustCompile(`^(Scanning "|Excluding "|WARNING: Adjusted|           \(Use --norpfix|Using |Capturing |\[WARNING\] |          \S)`)

func infoLines(out, dir string) []string {
	var lines []string
	for _, l := range strings.FieldsFunc(out, func(r rune) bool { return r == '\r' || r == '\n' }) {
		if infoLine.MatchString(l) {
			lines = append(lines, strings.ReplaceAll(l, dir, "DIR"))
		}
	}
	return lines
}

// lastMatch is the last line of out (split at carriage returns) matching re.
func lastMatch(out string, re *regexp.Regexp) string {
	var last string
	for _, l := range strings.FieldsFunc(out, func(r rune) bool { return r == '\r' || r == '\n' }) {
		if m := re.FindString(l); m != "" {
			last = m
		}
	}
	return last
}

// dropinTree makes a tree of 3 MiB (wimlib compresses more than 2 MB with
// its threads), with files the configuration excludes and an absolute
// symbolic link into the tree.
func dropinTree(t *testing.T, dir string) string {
	src := filepath.Join(dir, "src")
	os.MkdirAll(filepath.Join(src, "sub", "deeper"), 0o755)
	rng := rand.New(rand.NewPCG(15, 15))
	b := make([]byte, 3<<20)
	for i := range b {
		b[i] = byte(rng.Uint32() % 7)
	}
	os.WriteFile(filepath.Join(src, "data"), b, 0o644)
	os.WriteFile(filepath.Join(src, "pagefile.sys"), []byte("excluded"), 0o644)
	os.WriteFile(filepath.Join(src, "sub", "x.tmp"), []byte("excluded too"), 0o644)
	os.WriteFile(filepath.Join(src, "sub", "deeper", "kept"), []byte("kept"), 0o644)
	if err := os.Symlink(filepath.Join(src, "sub", "deeper", "kept"), filepath.Join(src, "abs")); err != nil {
		t.Fatal(err)
	}
	return src
}

// TestInformationalLinesAsWimlib: on the same input, our wimcapture and
// wimappend print wimlib's informational lines (scanning, exclusions,
// adjusted symbolic links, compression and threads, delta base,
// template), on the same stream, and its configuration warnings on
// standard error; the final scan and archive lines agree.
func TestInformationalLinesAsWimlib(t *testing.T) {
	Require(t, "wimlib-imagex")
	dir := t.TempDir()
	src := dropinTree(t, dir)
	cfg := filepath.Join(dir, "cfg.ini")
	os.WriteFile(cfg, []byte("stray line\n[ExclusionList]\nc:\\pagefile.sys\n*.tmp\n[Bogus]\nx\n"), 0o644)
	scanRE := regexp.MustCompile(`\(\d+ files, \d+ directories\)`)
	archRE := regexp.MustCompile(`Archiving file data: .* \(100%\) done`)
	cases := []struct {
		name string
		args func(tool string) []string // after the command
	}{
		{"capture", func(tool string) []string {
			return []string{src, filepath.Join(dir, tool+"-1.wim"), "--config=" + cfg, "--threads=2"}
		}},
		{"delta and template", func(tool string) []string {
			base := filepath.Join(dir, tool+"-1.wim")
			return []string{src, filepath.Join(dir, tool+"-2.wim"), "--delta-from=" + base, "--update-of=" + base + ":1", "--threads=2", "--compress=xpress"}
		}},
		{"append", func(tool string) []string {
			return []string{src, filepath.Join(dir, tool+"-1.wim"), "--update-of=1", "--threads=2", "--norpfix"}
		}},
	}
	for _, c := range cases {
		for i, cmd := range []string{"capture", "append"} {
			if (c.name == "append") != (i == 1) {
				continue
			}
			wOut, wErr := run2(t, "wimlib-imagex", append([]string{cmd}, c.args("wimlib")...)...)
			oOut, oErr := run2(t, filepath.Join(bin, "wim"+cmd), c.args("ours")...)
			norm := func(s string) string {
				return strings.ReplaceAll(s, filepath.Join(dir, "ours-"), filepath.Join(dir, "wimlib-"))
			}
			w, o := infoLines(wOut, dir), infoLines(norm(oOut), dir)
			if c.name != "capture" {
				// wimlib compresses 2 MB or less on one thread; our
				// pool keeps its threads (same bytes either way).
				for _, l := range [][]string{w, o} {
					for i := range l {
						l[i] = threadsRE.ReplaceAllString(l[i], "with N threads")
					}
				}
			}
			// wimlib reports a fixed symbolic link as its scan reaches
			// it, we when the scan ends: the lines between the first and
			// the last compare as sets.
			if len(w) > 2 && len(o) > 2 {
				slices.Sort(w[1 : len(w)-1])
				slices.Sort(o[1 : len(o)-1])
			}
			if !slices.Equal(w, o) {
				t.Errorf("%s: standard output's informational lines differ\nwimlib: %q\nours:   %q", c.name, w, o)
			}
			if w, o := infoLines(wErr, dir), infoLines(norm(oErr), dir); !slices.Equal(w, o) {
				t.Errorf("%s: standard error's warnings differ\nwimlib: %q\nours:   %q", c.name, w, o)
			}
			if w, o := lastMatch(wOut, scanRE), lastMatch(oOut, scanRE); w != o || w == "" {
				t.Errorf("%s: last scan line: wimlib %q, ours %q", c.name, w, o)
			}
			if w, o := lastMatch(wOut, archRE), lastMatch(oOut, archRE); w != o {
				t.Errorf("%s: last archive line: wimlib %q, ours %q", c.name, w, o)
			}
		}
	}
}

// TestWarningsAsWimlib: --wimboot without WimBootCompress.ini and a
// pipable WIM written to standard output: wimlib's warnings on standard
// error, and all informational output there too when the WIM takes
// standard output.
func TestWarningsAsWimlib(t *testing.T) {
	Require(t, "wimlib-imagex")
	dir := t.TempDir()
	src := dropinTree(t, dir)
	for _, args := range [][]string{
		{src, filepath.Join(dir, "TOOL-wb.wim"), "--wimboot", "--threads=2"},
		{src, "-", "--threads=2"},
	} {
		var outs [2][2]string
		for i, tool := range []string{"wimlib-imagex", filepath.Join(bin, "wimcapture")} {
			argv := slices.Clone(args)
			argv[1] = strings.Replace(argv[1], "TOOL", fmt.Sprint(i), 1)
			if i == 0 {
				argv = append([]string{"capture"}, argv...)
			}
			stdout, stderr := run2(t, tool, argv...)
			outs[i] = [2]string{stdout, stderr}
		}
		w, o := infoLines(outs[0][1], dir), infoLines(outs[1][1], dir)
		if !slices.Equal(w, o) || len(w) == 0 {
			t.Errorf("%v: standard error differs\nwimlib: %q\nours:   %q", args[1:], w, o)
		}
		if args[1] == "-" && (!strings.HasPrefix(outs[1][0], "WLPWM") || strings.Contains(outs[1][0], "Scanning")) {
			t.Errorf("WIMFILE -: standard output holds more than the pipable WIM")
		}
	}
}

// TestProgressUpdatesOften: the archive progress updates about once a
// percent (wimlib: once a chunk), as whole lines when not on a terminal.
func TestProgressUpdatesOften(t *testing.T) {
	dir := t.TempDir()
	src := filepath.Join(dir, "src")
	os.MkdirAll(src, 0o755)
	rng := rand.New(rand.NewPCG(17, 17))
	b := make([]byte, 17<<20)
	for i := range b {
		b[i] = byte(rng.Uint32() % 3)
	}
	os.WriteFile(filepath.Join(src, "f"), b, 0o644)
	stdout, _ := run2(t, filepath.Join(bin, "wimcapture"), src, filepath.Join(dir, "x.wim"), "--compress=xpress", "--threads=2")
	n := strings.Count(stdout, "Archiving file data: ")
	if n < 50 || strings.Contains(stdout, "\r") || !strings.Contains(stdout, "Archiving file data: 17 MiB of 17 MiB (100%) done\n") {
		t.Fatalf("%d archive lines (want 50 or more, whole lines):\n%s", n, stdout)
	}
}

// TestProgressJSONSchema: --progress=json writes one JSON object a line on
// standard error, progress objects with the documented fields and a last
// summary object whose figures agree with the WIM wimlib reads.
func TestProgressJSONSchema(t *testing.T) {
	Require(t, "wimlib-imagex")
	dir := t.TempDir()
	src := dropinTree(t, dir)
	wim := filepath.Join(dir, "j.wim")
	_, stderr := run2(t, filepath.Join(bin, "wimcapture"), src, wim, "--progress=json", "--threads=2", "--compress=LZX:20")
	lines := strings.Split(strings.TrimSpace(stderr), "\n")
	progressKeys := []string{"type", "phase", "files_scanned", "dirs_scanned", "bytes_scanned", "bytes_done", "bytes_total", "bytes_written", "elapsed_s", "rate_bytes_per_s", "eta_s"}
	summaryKeys := []string{"type", "wim", "image", "name", "files", "dirs", "input_bytes", "unique_bytes", "stored_bytes", "output_bytes", "wim_bytes", "ratio", "wall_s", "cpu_s", "peak_memory_bytes", "threads", "compression", "level", "chunk_size", "solid"}
	phases := map[string]bool{}
	for i, l := range lines {
		var m map[string]any
		if err := json.Unmarshal([]byte(l), &m); err != nil {
			t.Fatalf("line %d is not JSON: %q", i+1, l)
		}
		keys := progressKeys
		if i == len(lines)-1 {
			keys = summaryKeys
		}
		got := make([]string, 0, len(m))
		for k := range m {
			got = append(got, k)
		}
		slices.Sort(got)
		want := slices.Sorted(slices.Values(keys))
		if !slices.Equal(got, want) {
			t.Fatalf("line %d: keys %v, want %v", i+1, got, want)
		}
		if i < len(lines)-1 {
			phases[m["phase"].(string)] = true
			continue
		}
		fi, _ := os.Stat(wim)
		if m["type"] != "summary" || m["wim_bytes"] != float64(fi.Size()) || m["output_bytes"] != float64(fi.Size()) ||
			m["compression"] != "LZX" || m["level"] != float64(20) || m["chunk_size"] != float64(32768) || m["threads"] != float64(2) ||
			m["input_bytes"].(float64) < 3<<20 || m["ratio"].(float64) <= 0 || m["ratio"].(float64) > 1 {
			t.Fatalf("summary %v (WIM %d bytes)", m, fi.Size())
		}
		info := Run(t, "wimlib-imagex", "info", wim, "1")
		if !strings.Contains(info, fmt.Sprintf("Total Bytes:            %d", int64(m["input_bytes"].(float64)))) {
			t.Fatalf("input_bytes %v disagrees with wiminfo:\n%s", m["input_bytes"], info)
		}
	}
	if !phases["scan"] || !phases["write"] {
		t.Fatalf("phases seen: %v", phases)
	}
}
