package oracle

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// requireWine returns the environment that runs Windows programs under
// Wine, as scripts/wine-setup.sh prepares it (a prefix with the ProcessPrng
// shim Go's Windows runtime needs), or skips; under CI=true (where
// scripts/test.sh has run scripts/wine-setup.sh) it fails instead.
func requireWine(t *testing.T) []string {
	t.Helper()
	Require(t, "wine")
	prefix := os.Getenv("WINEPREFIX")
	if prefix == "" {
		home, _ := os.UserHomeDir()
		prefix = filepath.Join(home, ".wine-wimgo")
	}
	if _, err := os.Stat(filepath.Join(prefix, "drive_c/windows/system32/bcryptprimitives.dll")); err != nil {
		msg := fmt.Sprintf("no Wine prefix with the ProcessPrng shim at %s: run scripts/wine-setup.sh", prefix)
		if os.Getenv("CI") == "true" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	return []string{"WINEPREFIX=" + prefix, "WINEDEBUG=-all", "WINEDLLOVERRIDES=mscoree,mshtml=", "DISPLAY="}
}

// winePath is a Linux path as Wine's drive Z: shows it.
func winePath(p string) string { return `Z:` + strings.ReplaceAll(p, "/", `\`) }

// wineTree makes a tree with files of several sizes, an empty file, a hard
// link, nested directories and a path longer than MAX_PATH (260), with
// times to the nanosecond set deepest first (so that making the children
// does not move their directory's times).
func wineTree(t *testing.T) string {
	root := filepath.Join(t.TempDir(), "tree")
	long := filepath.Join(root, strings.Repeat("l", 60), strings.Repeat("o", 60), strings.Repeat("n", 60), strings.Repeat("g", 60))
	files := map[string]string{
		"a.txt":                 "hello\n",
		"sub/b.bin":             strings.Repeat("0123456789abcdef", 5000),
		"sub/deeper/c":          "c\n",
		"empty":                 "",
		"Mixed Case Name.TXT":   "mixed\n",
		strings.Repeat("x", 40): "long name\n",
	}
	for p, data := range files {
		full := filepath.Join(root, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.MkdirAll(long, 0o755); err != nil {
		t.Fatal(err)
	}
	deep := filepath.Join(long, "deep file.txt")
	if err := os.WriteFile(deep, []byte("beyond MAX_PATH\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if len(winePath(deep)) <= 260 {
		t.Fatalf("%s is not beyond MAX_PATH", deep)
	}
	if err := os.Link(filepath.Join(root, "a.txt"), filepath.Join(root, "sub", "hard link")); err != nil {
		t.Fatal(err)
	}
	// Access times after the change times (in the future): reading the
	// files and directories under relatime then leaves them alone, so
	// both captures see the same.
	atime := time.Now().Add(time.Hour).Truncate(time.Second).Add(987654321)
	mtime := time.Date(2021, 3, 4, 5, 6, 7, 123456789, time.UTC)
	var paths []string
	filepath.WalkDir(root, func(p string, _ os.DirEntry, err error) error {
		paths = append(paths, p)
		return err
	})
	for i := len(paths) - 1; i >= 0; i-- {
		mtime = mtime.Add(time.Second + 100)
		if err := os.Chtimes(paths[i], atime, mtime); err != nil {
			t.Fatal(err)
		}
	}
	return root
}

var (
	reSecurity = regexp.MustCompile(`(?m)^Security Descriptor = [0-9a-f]+\n`)
	reArchive  = regexp.MustCompile(`(?m)^Attributes          = 0x00000020\n    FILE_ATTRIBUTE_ARCHIVE is set$`)
)

// TestWineCaptureMatchesWimlib captures a tree with the Windows build of
// wimcapture under Wine (the Windows directory scanner, through Wine's
// Win32 and NT calls) and with wimlib on Linux, and compares: wimdir
// --detailed (names, attributes, times to the second, sizes, hashes, link
// groups), then both applied by wimapply (contents, hard links, write
// times to 100 ns).
//
// Two differences are the platforms', not the scanners': Wine reports a
// regular file as ARCHIVE (as Windows does for a new file), where wimlib
// on UNIX stores NORMAL; and Windows has security descriptors (Wine makes
// them from the UNIX mode), so the capture without --no-acls must have one
// on every file and the capture with --no-acls none.
func TestWineCaptureMatchesWimlib(t *testing.T) {
	env := requireWine(t)
	Require(t, "wimlib-imagex")
	dir := t.TempDir()
	exe := filepath.Join(dir, "wimcapture.exe")
	build := exec.Command("go", "build", "-o", exe, "github.com/wimgo/wimgo/cmd/wimcapture")
	build.Env = append(os.Environ(), "GOOS=windows", "GOARCH=amd64", "CGO_ENABLED=0")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("building wimcapture.exe: %v\n%s", err, out)
	}
	src := wineTree(t)
	theirWIM := filepath.Join(dir, "wimlib.wim")
	Run(t, "wimlib-imagex", "capture", src, theirWIM)

	for _, acls := range []bool{false, true} {
		ourWIM := filepath.Join(dir, "wine.wim")
		os.Remove(ourWIM)
		args := []string{exe, winePath(src), winePath(ourWIM)}
		if !acls {
			args = append(args, "--no-acls")
		}
		if out, err := RunEnv(env, "wine", args...); err != nil {
			t.Fatalf("wine %s: %v\n%s", strings.Join(args, " "), err, out)
		}
		Verify(t, ourWIM)
		da := DirDetailed(t, ourWIM, DirDetailedOptions{CompressedSizes: true})
		db := DirDetailed(t, theirWIM, DirDetailedOptions{CompressedSizes: true})
		entries := strings.Count(db, "Full Path")
		if n := len(reSecurity.FindAllString(da, -1)); acls && n != entries || !acls && n != 0 {
			t.Errorf("acls=%v: %d security descriptors for %d files and directories", acls, n, entries)
		}
		da = reSecurity.ReplaceAllString(da, "")
		da = reArchive.ReplaceAllString(da, "Attributes          = 0x00000080\n    FILE_ATTRIBUTE_NORMAL is set")
		if da != db {
			t.Fatalf("acls=%v: wimdir --detailed differs (Wine capture, wimlib capture):\n%s", acls, firstDiff(da, db))
		}
		if acls {
			continue
		}
		a, b := filepath.Join(dir, "a"), filepath.Join(dir, "b")
		Apply(t, ourWIM, 1, a)
		Apply(t, theirWIM, 1, b)
		CompareTrees(t, "wimapply of the Wine capture vs wimapply of wimlib's", Snapshot(t, a), Snapshot(t, b))
	}
}
