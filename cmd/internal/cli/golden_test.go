//go:build linux

package cli

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// goldenWIMs are the SHA-256 sums of the WIMs goldenRuns writes from
// goldenTree with SOURCE_DATE_EPOCH set, as commit e875448 (before the
// engine was reshaped) wrote them. Refactoring must not change a byte;
// a deliberate format or codec change updates them: run
//
//	GOLDEN_PRINT=1 go test ./cmd/internal/cli -run TestGoldenWIMs -v
//
// and say in the commit why the bytes changed.
var goldenWIMs = map[string]string{
	"none":          "d43006e7e504a46ae50e46217a201648d820877563fce32ddab9eee28c1c195a",
	"xpress":        "1a5442a973989ff4651836b2c87c623ad1fa5767cc3cde269915e1648dde03dc",
	"lzx20":         "1b2de394344e7963324d9013f64414c873e7422f6a44ee3543f3d35d59ac674f",
	"lzx":           "14eb22502320846fcf7e668d574830a80b6b20a93125d58d3eb07d8ae41f3f76",
	"lzx100-1M":     "ea83557c39d8a0711eb4f8ffa4a58e8a0c6004da0e3a9a097a73fe6b5eaf953e",
	"lzms":          "e2aec2d2c72e99ebce8d9c01a6b9af9eda60c76fa3567616230e6ea9cbba3da0",
	"solid":         "18470c269f6070b6a74d8196749b5a26373e701640fe52f74687071f869c807f",
	"solid-lzx":     "536466af3eb9188e292cbd77727d07a001bc31d65b8d6e362af7a2f8efda860e",
	"pipable":       "525e17f2c898b7c970e40da8913fdfa42fab80b2871b389823dbcda7b720dc09",
	"check":         "ae6ccb15886d7a9161324a2aa4a05c40c7cea046792a7cebc4f2dd3e988c7d6d",
	"append":        "9789678d5a90d0e1c20cf847c86e7f28e71cc9a53fbdcff7340beff310f4cf7e",
	"append-solid":  "410913f2d254b74790a91c5e01c9384a68854d1b388eefad4006d7d5b9f835bb",
	"append-update": "664101c8950219a4f1fbaebc64e2786534cb9625f5ce26036eee89d3b989a774",
}

// goldenRuns: each name's command lines, run in order on one WIMFILE.
var goldenRuns = []goldenRun{
	{"none", [][]string{{"c", "--compress=none"}}},
	{"xpress", [][]string{{"c", "--compress=XPRESS"}}},
	{"lzx20", [][]string{{"c", "--compress=LZX:20"}}},
	{"lzx", [][]string{{"c"}}},
	{"lzx100-1M", [][]string{{"c", "--compress=LZX:100", "--chunk-size=1M"}}},
	{"lzms", [][]string{{"c", "--compress=LZMS"}}},
	{"solid", [][]string{{"c", "--solid"}}},
	{"solid-lzx", [][]string{{"c", "--solid", "--solid-compress=LZX", "--solid-chunk-size=1M"}}},
	{"pipable", [][]string{{"c", "--pipable"}}},
	{"check", [][]string{{"c", "--check", "--compress=fast"}}},
	{"append", [][]string{{"c"}, {"a", "two"}}},
	{"append-solid", [][]string{{"c", "--solid"}, {"a", "two", "--solid"}}},
	{"append-update", [][]string{{"c", "--compress=XPRESS"}, {"a", "two", "--update-of=1", "--check"}, {"a", "three", "--rebuild"}}},
}

// TestGoldenWIMs: the bytes written for a fixed tree at a fixed time are
// those of the table above, whatever the thread count.
func TestGoldenWIMs(t *testing.T) {
	dir := t.TempDir()
	src := goldenTree(t, filepath.Join(dir, "src"))
	checkGolden(t, dir, map[string]string{"c": src, "a": src}, goldenRuns, goldenWIMs)
}

// goldenRun is one WIM's command lines, run in order on one WIMFILE: the
// first word says the command and its source ("c" captures, "a" and "a2"
// append, each from the source checkGolden's srcs names), the rest are
// the arguments after SOURCE and WIMFILE.
type goldenRun struct {
	name string
	cmds [][]string
}

// checkGolden runs each of runs at --threads=1 and 2 with a fixed
// SOURCE_DATE_EPOCH and compares the SHA-256 of the WIM with want[name];
// GOLDEN_PRINT=1 prints the sums (for a deliberate change).
func checkGolden(t *testing.T, dir string, srcs map[string]string, runs []goldenRun, want map[string]string) {
	t.Helper()
	t.Setenv("SOURCE_DATE_EPOCH", "1700000000")
	var print strings.Builder
	for _, g := range runs {
		for _, threads := range []string{"1", "2"} {
			wim := filepath.Join(dir, g.name+threads+".wim")
			for _, c := range g.cmds {
				cmd := Append
				if c[0] == "c" {
					cmd = Capture
				}
				args := append([]string{srcs[c[0]], wim}, c[1:]...)
				args = append(args, "--threads="+threads)
				if code, msg := runCmd(cmd, nil, args...); code != 0 {
					t.Fatalf("%s %v: exit %d: %s", g.name, args, code, msg)
				}
			}
			data, err := os.ReadFile(wim)
			if err != nil {
				t.Fatal(err)
			}
			sum := sha256.Sum256(data)
			got := hex.EncodeToString(sum[:])
			if threads == "1" {
				fmt.Fprintf(&print, "\t%q: %q,\n", g.name, got)
			}
			if got != want[g.name] {
				t.Errorf("%s (--threads=%s): sha256 %s, want %s", g.name, threads, got, want[g.name])
			}
		}
	}
	if os.Getenv("GOLDEN_PRINT") != "" {
		t.Log("\n" + print.String())
	}
}

// goldenTree writes a small tree of fixed contents, modes and times:
// text, random and repetitive files, an empty file, a hard link, a
// symbolic link and nested directories.
func goldenTree(t *testing.T, root string) string {
	t.Helper()
	r := rand.New(rand.NewPCG(7, 11))
	words := strings.Fields("func return if else for range package import type struct interface map chan go defer select case switch var const nil err")
	var text bytes.Buffer
	for text.Len() < 300_000 {
		text.WriteString(words[r.IntN(len(words))])
		if r.IntN(9) == 0 {
			text.WriteString("\n\t")
		} else {
			text.WriteByte(' ')
		}
	}
	random := make([]byte, 200_000)
	for i := range random {
		random[i] = byte(r.Uint32())
	}
	files := map[string][]byte{
		"a/text.go":       text.Bytes(),
		"a/b/random.bin":  random,
		"a/b/c/zeros":     make([]byte, 70_000),
		"a/b/c/pages":     bytes.Repeat(random[:4096], 40),
		"empty":           nil,
		"small.txt":       []byte("hello, world\n"),
		"d/text-copy.go":  text.Bytes(), // deduplicated
		"d/text-edit.go":  append(append([]byte{}, text.Bytes()[:150_000]...), "edited"...),
		"d/e/f/g/h/deep":  []byte("deep\n"),
		"upper/Name.TXT":  []byte("case"),
		"upper/name.txt2": []byte("case 2"),
	}
	for name, data := range files {
		p := filepath.Join(root, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(os.Link(filepath.Join(root, "small.txt"), filepath.Join(root, "a/hard.txt")))
	must(os.Symlink("../small.txt", filepath.Join(root, "a/link")))
	must(os.Chmod(filepath.Join(root, "upper/Name.TXT"), 0o444))
	// Fixed times, deepest first so a directory's own time is set after
	// its entries were made.
	var paths []string
	must(filepath.Walk(root, func(p string, _ os.FileInfo, err error) error {
		paths = append(paths, p)
		return err
	}))
	for i := len(paths) - 1; i >= 0; i-- {
		tm := time.Unix(1600000000+int64(i)*3600, int64(i)*1000)
		ts := []unix.Timespec{unix.NsecToTimespec(tm.UnixNano()), unix.NsecToTimespec(tm.UnixNano() + 5e8)}
		must(unix.UtimesNanoAt(unix.AT_FDCWD, paths[i], ts, unix.AT_SYMLINK_NOFOLLOW))
	}
	return root
}
