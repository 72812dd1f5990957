// Package oracle holds the tests that judge our WIMs with the reference
// readers: wimlib's tools (wimlib-imagex capture, apply, verify, info, dir)
// and 7-Zip (7zz). This file has the shared helpers; the tests are in the
// _test.go files. When CI=true a missing oracle fails the test; elsewhere it
// skips.
package oracle

import (
	"bytes"
	"crypto/sha1"
	"encoding/hex"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
	"unicode/utf16"
)

// Require fails (CI) or skips (elsewhere) when a tool is missing.
func Require(t testing.TB, tools ...string) {
	t.Helper()
	for _, tool := range tools {
		if _, err := exec.LookPath(tool); err != nil {
			if os.Getenv("CI") == "true" {
				t.Fatalf("oracle %s is missing (CI=true: failing, not skipping)", tool)
			}
			t.Skipf("oracle %s is missing", tool)
		}
	}
}

// Run runs a command and returns its combined output, failing on error.
func Run(t testing.TB, name string, args ...string) string {
	t.Helper()
	out, err := exec.Command(name, args...).CombinedOutput()
	if err != nil {
		t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
	}
	return string(out)
}

// RunEnv is Run with extra environment variables; it returns the output
// and the error instead of failing.
func RunEnv(env []string, name string, args ...string) (string, error) {
	cmd := exec.Command(name, args...)
	cmd.Env = append(os.Environ(), env...)
	out, err := cmd.CombinedOutput()
	return string(out), err
}

// Verify checks a WIM with wimlib's verifier and 7-Zip's tester, and its
// blob reference counts with CheckRefcounts.
func Verify(t testing.TB, wim string) {
	t.Helper()
	Run(t, "wimlib-imagex", "verify", wim)
	out := Run(t, "7zz", "t", wim)
	if !strings.Contains(out, "Everything is Ok") {
		t.Fatalf("7zz t %s:\n%s", wim, out)
	}
	CheckRefcounts(t, wim)
}

// Apply extracts image index of wim into a new directory dir with wimlib.
func Apply(t testing.TB, wim string, index int, dir string, extra ...string) {
	t.Helper()
	args := append([]string{"apply", wim, fmt.Sprint(index), dir}, extra...)
	Run(t, "wimlib-imagex", args...)
}

// Entry is what the tree comparison looks at for one path.
type Entry struct {
	Type   string // "dir", "file", "symlink", "other"
	Size   int64
	SHA1   string
	Target string
	Mtime  int64 // ns
	Mode   os.FileMode
	Link   string // the first path (sorted) of the hard-link group
}

// Snapshot describes every file below root. Symlink targets have root
// replaced by "ROOT" so trees applied to different places compare equal.
func Snapshot(t testing.TB, root string) map[string]Entry {
	t.Helper()
	out := make(map[string]Entry)
	groups := make(map[[2]uint64][]string)
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		st, err := lstat(p)
		if err != nil {
			return err
		}
		// Times are compared at the WIM's granularity, 100 ns.
		e := Entry{Mtime: st.mtime / 100 * 100, Mode: os.FileMode(st.mode & 0o7777)}
		switch st.kind {
		case fs.ModeDir:
			e.Type = "dir"
			e.Mtime = 0 // a directory's mtime changes as the walk's own tools touch it; compared separately
		case 0:
			e.Type = "file"
			e.Size = st.size
			data, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			s := sha1.Sum(data)
			e.SHA1 = hex.EncodeToString(s[:])
			groups[st.id] = append(groups[st.id], rel)
		case fs.ModeSymlink:
			e.Type = "symlink"
			tg, err := os.Readlink(p)
			if err != nil {
				return err
			}
			e.Target = strings.ReplaceAll(tg, root, "ROOT")
			e.Mode = 0
		default:
			e.Type = "other"
		}
		out[rel] = e
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, g := range groups {
		sort.Strings(g)
		for _, p := range g {
			e := out[p]
			e.Link = g[0]
			out[p] = e
		}
	}
	return out
}

// CompareTrees reports every difference between two snapshots.
func CompareTrees(t testing.TB, what string, a, b map[string]Entry) {
	t.Helper()
	var diffs []string
	for p, ea := range a {
		eb, ok := b[p]
		if !ok {
			diffs = append(diffs, fmt.Sprintf("%s: only in the first tree", p))
			continue
		}
		if ea != eb {
			diffs = append(diffs, fmt.Sprintf("%s: %+v != %+v", p, ea, eb))
		}
	}
	for p := range b {
		if _, ok := a[p]; !ok {
			diffs = append(diffs, fmt.Sprintf("%s: only in the second tree", p))
		}
	}
	sort.Strings(diffs)
	if len(diffs) > 0 {
		if len(diffs) > 30 {
			diffs = diffs[:30]
		}
		t.Fatalf("%s: trees differ:\n%s", what, strings.Join(diffs, "\n"))
	}
}

var (
	reOffset    = regexp.MustCompile(`(?m)^Offset in WIM     = \d+ bytes$`)
	reCompSize  = regexp.MustCompile(`(?m)^Compressed size   = \d+ bytes$`)
	reLinkGroup = regexp.MustCompile(`(?m)^Link Group ID       = (0x[0-9a-f]+)$`)
	reResFlags  = regexp.MustCompile(`(?m)^Flags             = .*$`)
	reSolidRes  = regexp.MustCompile(`(?m)^Solid resource    = (\d+) => \d+ bytes @ offset \d+$`)
	reSolidOff  = regexp.MustCompile(`(?m)^Solid offset      = \d+ bytes$`)
)

// DirDetailedOptions say which normalizations apply to `wimdir --detailed`.
type DirDetailedOptions struct {
	// CompressedSizes: the codecs differ, so compressed sizes may too.
	CompressedSizes bool
}

// DirDetailed returns `wimlib-imagex dir WIM 1 --detailed`, normalized:
//   - offsets, including a blob's offset inside a solid resource: blob
//     placement is free in the format, and the metadata resource's size
//     shifts everything after it;
//   - link group IDs: arbitrary labels, replaced by their order of first
//     appearance (the partition into hard-link groups is kept);
//   - compressed sizes and the COMPRESSED resource flag, when asked:
//     different compressors give different sizes, and a blob whose
//     compressed form is not smaller is stored raw (flag clear).
func DirDetailed(t testing.TB, wim string, o DirDetailedOptions) string {
	t.Helper()
	return DirDetailedText(Run(t, "wimlib-imagex", "dir", wim, "1", "--detailed"), o)
}

// DirDetailedText normalizes the output of `wimdir --detailed` as
// DirDetailed does.
func DirDetailedText(s string, o DirDetailedOptions) string {
	s = reOffset.ReplaceAllString(s, "Offset in WIM     = N bytes")
	s = reSolidOff.ReplaceAllString(s, "Solid offset      = N bytes")
	if o.CompressedSizes {
		s = reCompSize.ReplaceAllString(s, "Compressed size   = N bytes")
		s = reResFlags.ReplaceAllString(s, "Flags             = F")
		s = reSolidRes.ReplaceAllString(s, "Solid resource    = $1 => N bytes @ offset N")
	}
	ids := map[string]int{"0x0000000000000000": 0}
	s = reLinkGroup.ReplaceAllStringFunc(s, func(m string) string {
		id := reLinkGroup.FindStringSubmatch(m)[1]
		n, ok := ids[id]
		if !ok {
			n = len(ids)
			ids[id] = n
		}
		return fmt.Sprintf("Link Group ID       = group%d", n)
	})
	return s
}

var (
	reXMLTime  = regexp.MustCompile(`<(CREATIONTIME|LASTMODIFICATIONTIME)><HIGHPART>0x[0-9A-F]+</HIGHPART><LOWPART>0x[0-9A-F]+</LOWPART></(CREATIONTIME|LASTMODIFICATIONTIME)>`)
	reRootSize = regexp.MustCompile(`</IMAGE><TOTALBYTES>\d+</TOTALBYTES></WIM>`)
)

// InfoXML returns `wimlib-imagex info WIM --xml` decoded to UTF-8 and
// normalized:
//   - CREATIONTIME and LASTMODIFICATIONTIME: the moment of capture;
//   - the root TOTALBYTES: the XML's file offset, which moves with the
//     metadata and compressed sizes.
func InfoXML(t testing.TB, wim string) string {
	t.Helper()
	raw, err := exec.Command("wimlib-imagex", "info", wim, "--xml").Output()
	if err != nil {
		t.Fatalf("wiminfo --xml %s: %v", wim, err)
	}
	s := DecodeUTF16(raw)
	s = strings.TrimRight(s, "\n\x00 ")
	s = reXMLTime.ReplaceAllString(s, "<$1>TIME</$2>")
	s = reRootSize.ReplaceAllString(s, "</IMAGE><TOTALBYTES>N</TOTALBYTES></WIM>")
	return s
}

// DecodeUTF16 decodes UTF-16LE with an optional BOM.
func DecodeUTF16(b []byte) string {
	b = bytes.TrimPrefix(b, []byte{0xFF, 0xFE})
	u := make([]uint16, 0, len(b)/2)
	for i := 0; i+1 < len(b); i += 2 {
		u = append(u, uint16(b[i])|uint16(b[i+1])<<8)
	}
	return string(utf16.Decode(u))
}

// RunWithCommands builds our wimcapture and wimappend (with the given build
// tags) into a temporary directory, runs m with that directory, and exits:
// the TestMain of every package that runs the commands.
func RunWithCommands(m *testing.M, tags string, set func(dir string)) {
	dir, err := os.MkdirTemp("", "wimgo-bin")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	out, err := exec.Command("go", "build", "-tags", tags, "-o", dir, "github.com/wimgo/wimgo/cmd/...").CombinedOutput()
	if err != nil {
		fmt.Fprintf(os.Stderr, "building the commands: %v\n%s", err, out)
		os.RemoveAll(dir)
		os.Exit(1)
	}
	set(dir)
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

var (
	reImageCount = regexp.MustCompile(`(?m)^Image Count\s+= (\d+)$`)
	reStreamHash = regexp.MustCompile(`(?m)^Hash\s+= 0x([0-9a-f]{40})$`)
	reRefCount   = regexp.MustCompile(`(?m)^Reference Count\s+= (\d+)$`)
)

// CheckRefcounts fails the test unless every blob of wim is referenced by
// the images exactly as often as its blob table entry says, and at least
// once: a blob no image references is data the WIM carries for nothing
// (see RefcountProblems).
func CheckRefcounts(t testing.TB, wim string) {
	t.Helper()
	probs, err := RefcountProblems(wim)
	if err != nil {
		t.Fatal(err)
	}
	if len(probs) > 0 {
		if len(probs) > 20 {
			probs = append(probs[:20], "...")
		}
		t.Fatalf("%s: blob reference counts:\n%s", wim, strings.Join(probs, "\n"))
	}
}

// RefcountProblems reads wim with wimlib's tools, not our reader: the
// reference count of every blob table entry (`wiminfo --blobs`, metadata
// resources left out) against the references from every image (`wimdir
// --detailed`: every stream of every dentry, so a file with n hard links
// counts n times, as WIM reference counts do). It returns one line per
// disagreement, per blob referenced by nothing, and per stream whose blob
// the table lacks.
func RefcountProblems(wim string) ([]string, error) {
	hdr, err := exec.Command("wimlib-imagex", "info", wim, "--header").Output()
	if err != nil {
		return nil, fmt.Errorf("wiminfo --header %s: %v", wim, err)
	}
	m := reImageCount.FindSubmatch(hdr)
	if m == nil {
		return nil, fmt.Errorf("wiminfo --header %s: no image count:\n%s", wim, hdr)
	}
	images, _ := strconv.Atoi(string(m[1]))
	out, err := exec.Command("wimlib-imagex", "info", wim, "--blobs").Output()
	if err != nil {
		return nil, fmt.Errorf("wiminfo --blobs %s: %v", wim, err)
	}
	table := map[string]int{}
	var order []string
	for _, block := range strings.Split(string(out), "\n\n") {
		h := reStreamHash.FindStringSubmatch(block)
		if h == nil || strings.Contains(block, "WIM_RESHDR_FLAG_METADATA") {
			continue
		}
		r := reRefCount.FindStringSubmatch(block)
		if r == nil {
			return nil, fmt.Errorf("wiminfo --blobs %s: no reference count in:\n%s", wim, block)
		}
		n, _ := strconv.Atoi(r[1])
		if _, dup := table[h[1]]; dup {
			return nil, fmt.Errorf("wiminfo --blobs %s: blob %s listed twice", wim, h[1])
		}
		table[h[1]] = n
		order = append(order, h[1])
	}
	refs := map[string]int{}
	for i := 1; i <= images; i++ {
		out, err := exec.Command("wimlib-imagex", "dir", wim, strconv.Itoa(i), "--detailed").Output()
		if err != nil {
			return nil, fmt.Errorf("wimdir --detailed %s %d: %v", wim, i, err)
		}
		for _, h := range reStreamHash.FindAllStringSubmatch(string(out), -1) {
			if h[1] != strings.Repeat("0", 40) {
				refs[h[1]]++
			}
		}
	}
	var probs []string
	for _, h := range order {
		switch n, want := refs[h], table[h]; {
		case n == 0:
			probs = append(probs, fmt.Sprintf("blob %s: no image references it (blob table count %d)", h, want))
		case n != want:
			probs = append(probs, fmt.Sprintf("blob %s: referenced %d times, blob table count %d", h, n, want))
		}
	}
	var missing []string
	for h := range refs {
		if _, ok := table[h]; !ok {
			missing = append(missing, fmt.Sprintf("blob %s: referenced %d times, not in the blob table", h, refs[h]))
		}
	}
	sort.Strings(missing)
	return append(probs, missing...), nil
}
