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
	if testing.Short() {
		// Wine starts slowly (30 s for the five Wine tests): the quick
		// loop leaves them to the full test command.
		t.Skip("-short: the Wine tests run in scripts/test.sh")
	}
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

// wineExe builds wimcapture.exe (windows/amd64) into dir.
func wineExe(t *testing.T, dir string) string {
	t.Helper()
	exe := filepath.Join(dir, "wimcapture.exe")
	build := exec.Command("go", "build", "-o", exe, "github.com/wimgo/wimgo/cmd/wimcapture")
	build.Env = append(os.Environ(), "GOOS=windows", "GOARCH=amd64", "CGO_ENABLED=0")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("building wimcapture.exe: %v\n%s", err, out)
	}
	return exe
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
	exe := wineExe(t, dir)
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

// wineMatchesWimlib captures src with wimcapture.exe under Wine and with
// wimlib on Linux, both with args (Linux paths, given to Wine as Z:
// paths), and compares `wimdir --detailed` (normalized as in
// TestWineCaptureMatchesWimlib: no security descriptors asked, ARCHIVE as
// NORMAL) and `wiminfo --xml`.
func wineMatchesWimlib(t *testing.T, env []string, exe, src string, args ...string) string {
	t.Helper()
	dir := t.TempDir()
	ourWIM, theirWIM := filepath.Join(dir, "wine.wim"), filepath.Join(dir, "wimlib.wim")
	Run(t, "wimlib-imagex", append([]string{"capture", src, theirWIM, "--no-acls"}, args...)...)
	wargs := []string{exe, winePath(src), winePath(ourWIM), "--no-acls"}
	for _, a := range args {
		if k, v, ok := strings.Cut(a, "="); ok && strings.HasPrefix(v, "/") {
			a = k + "=" + winePath(v)
		}
		wargs = append(wargs, a)
	}
	if out, err := RunEnv(env, "wine", wargs...); err != nil {
		t.Fatalf("wine %s: %v\n%s", strings.Join(wargs, " "), err, out)
	}
	Verify(t, ourWIM)
	da := DirDetailed(t, ourWIM, DirDetailedOptions{CompressedSizes: true})
	db := DirDetailed(t, theirWIM, DirDetailedOptions{CompressedSizes: true})
	da = reArchive.ReplaceAllString(da, "Attributes          = 0x00000080\n    FILE_ATTRIBUTE_NORMAL is set")
	if da != db {
		t.Fatalf("%v: wimdir --detailed differs (Wine capture, wimlib capture):\n%s", args, firstDiff(da, db))
	}
	if xa, xb := InfoXML(t, ourWIM), InfoXML(t, theirWIM); xa != xb {
		t.Fatalf("%v: wiminfo --xml differs (Wine capture, wimlib capture):\n%s\n%s", args, xa, xb)
	}
	return db
}

// checkExcluded fails unless the capture's wimdir --detailed lists the
// files captureConfig keeps and none that it excludes.
func checkExcluded(t *testing.T, detailed string) {
	t.Helper()
	for _, p := range []string{"/build/keep.obj", "/sub/deeper/c", "/a.txt", "/logs"} {
		if !strings.Contains(detailed, "Full Path           = \""+p+"\"\n") {
			t.Errorf("%s is not in the image", p)
		}
	}
	for _, p := range []string{"/build/out.obj", "/logs/today.log", "/logs/sub", "/cache", "/sub/deeper/notes.tmp"} {
		if strings.Contains(detailed, "Full Path           = \""+p) {
			t.Errorf("%s is in the image", p)
		}
	}
}

// configTree is wineTree with files that the configuration of
// TestWineConfigMatchesWimlib and the WimBootCompress.ini of
// TestWineWIMBootMatchesWimlib leave out, keep, or keep by exception.
func configTree(t *testing.T, ini string) string {
	src := wineTree(t)
	files := map[string]string{
		"build/out.obj":          "object\n",
		"build/keep.obj":         "kept by an exception\n",
		"logs/today.log":         "log\n",
		"logs/sub/old.log":       "old log\n",
		"cache/blob":             "cached\n",
		"sub/deeper/notes.tmp":   "temporary\n",
		"Windows/System32/a.dll": "dll\n",
	}
	if ini != "" {
		files["Windows/System32/WimBootCompress.ini"] = ini
	}
	for p, data := range files {
		full := filepath.Join(src, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	// The new files' times as the rest: the tree's times are set before.
	mtime := time.Date(2022, 1, 2, 3, 4, 5, 600, time.UTC)
	atime := time.Now().Add(time.Hour).Truncate(time.Second)
	filepath.WalkDir(src, func(p string, _ os.DirEntry, err error) error {
		if err == nil {
			os.Chtimes(p, atime, mtime)
		}
		return err
	})
	return src
}

// captureConfig excludes by name pattern, by path and a whole directory,
// and keeps one excluded file by an exception.
const captureConfig = `[ExclusionList]
*.obj
\logs\sub
*.log
\cache
*.tmp

[ExclusionException]
\build\keep.obj
`

// TestWineConfigMatchesWimlib: --config=FILE under Wine (the Windows
// scanner's exclusion, with patterns matched ignoring case there) gives
// the image wimlib gives on Linux.
func TestWineConfigMatchesWimlib(t *testing.T) {
	env := requireWine(t)
	Require(t, "wimlib-imagex")
	exe := wineExe(t, t.TempDir())
	src := configTree(t, "")
	cfg := filepath.Join(t.TempDir(), "capture.ini")
	if err := os.WriteFile(cfg, []byte(captureConfig), 0o644); err != nil {
		t.Fatal(err)
	}
	checkExcluded(t, wineMatchesWimlib(t, env, exe, src, "--config="+cfg))
}

// TestWineWIMBootMatchesWimlib: --wimboot under Wine reads
// \Windows\System32\WimBootCompress.ini of the source (its exclusions and
// exceptions; the prepopulate and compression lists change nothing in
// the image) and gives the image wimlib gives on Linux: XPRESS 4K,
// WIMBoot flag, the same files.
func TestWineWIMBootMatchesWimlib(t *testing.T) {
	env := requireWine(t)
	Require(t, "wimlib-imagex")
	exe := wineExe(t, t.TempDir())
	src := configTree(t, captureConfig+`
[PrepopulateList]
\Windows\System32\a.dll

[CompressionExclusionList]
*.dll

[CompressionFolderList]
\Windows\System32
`)
	d := wineMatchesWimlib(t, env, exe, src, "--wimboot")
	checkExcluded(t, d)
	if !strings.Contains(d, "Full Path           = \"/Windows/System32/WimBootCompress.ini\"") {
		t.Error("WimBootCompress.ini is not in the image")
	}
}

// TestWineSnapshotFails: Wine has no Volume Shadow Copy service (its
// vssapi.dll returns E_NOTIMPL), so wimcapture.exe --snapshot fails there
// with an error naming the snapshot and the step, before writing
// anything: no WIM, no temporary file, and an existing WIM unchanged.
func TestWineSnapshotFails(t *testing.T) {
	env := requireWine(t)
	dir := t.TempDir()
	exe := wineExe(t, dir)
	src := filepath.Join(dir, "src")
	os.MkdirAll(src, 0o755)
	os.WriteFile(filepath.Join(src, "f"), []byte("data\n"), 0o644)
	outDir := filepath.Join(dir, "out")
	os.MkdirAll(outDir, 0o755)
	wim := filepath.Join(outDir, "x.wim")
	out, err := RunEnv(env, "wine", exe, winePath(src), winePath(wim), "--snapshot")
	if err == nil {
		t.Fatalf("--snapshot under Wine succeeded:\n%s", out)
	}
	for _, want := range []string{"ERROR: --snapshot: cannot create a VSS snapshot of Z:\\", "CreateVssBackupComponents", "0x80004001"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if left, _ := os.ReadDir(outDir); len(left) > 0 {
		t.Errorf("left behind: %v", left)
	}
	old := []byte("an existing file that is not replaced")
	os.WriteFile(wim, old, 0o644)
	if out, err := RunEnv(env, "wine", exe, winePath(src), winePath(wim), "--snapshot"); err == nil {
		t.Fatalf("--snapshot under Wine succeeded:\n%s", out)
	}
	if b, _ := os.ReadFile(wim); string(b) != string(old) {
		t.Error("the existing file was changed")
	}
	if left, _ := os.ReadDir(outDir); len(left) != 1 {
		t.Errorf("left behind: %v", left)
	}
}

// TestWineEFSRaw runs engine/source's TestWindowsReadEncrypted (the
// Windows test binary) under Wine. Wine cannot make encrypted files (it
// keeps no FILE_ATTRIBUTE_ENCRYPTED, and its raw EFS functions are
// stubs), so what runs is the path of a raw export that fails: the scan's
// readEncrypted through the real advapi32 calls, failing with an error
// naming the file.
func TestWineEFSRaw(t *testing.T) {
	env := requireWine(t)
	exe := filepath.Join(t.TempDir(), "source.test.exe")
	build := exec.Command("go", "test", "-c", "-o", exe, "github.com/wimgo/wimgo/engine/source")
	build.Env = append(os.Environ(), "GOOS=windows", "GOARCH=amd64", "CGO_ENABLED=0")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("building the source package's tests for Windows: %v\n%s", err, out)
	}
	out, err := RunEnv(append(env, "WIMGO_WINE=1"), "wine", exe, "-test.run", "^TestWindowsReadEncrypted$", "-test.v")
	if err != nil || !strings.Contains(out, "--- PASS: TestWindowsReadEncrypted") {
		t.Fatalf("TestWindowsReadEncrypted under Wine: %v\n%s", err, out)
	}
}
