package oracle

import (
	"bytes"
	"debug/pe"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/wimgo/wimgo/internal/hive/hivetest"
)

// windowsTree writes a tree holding files (paths relative to its root,
// made with their directories) beside a few ordinary ones.
func windowsTree(t *testing.T, files map[string][]byte) string {
	t.Helper()
	root := filepath.Join(t.TempDir(), "tree")
	all := map[string][]byte{
		"Program Files/app.exe": []byte("not windows\n"),
		"Users/readme.txt":      bytes.Repeat([]byte("user data\n"), 100),
	}
	for p, b := range files {
		all[p] = b
	}
	for p, b := range all {
		full := filepath.Join(root, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return root
}

// windowsFiles is a Windows installation at dir (with the given case of
// "System32/config", and of the hive file names).
func windowsFiles(t *testing.T, dir, config string, machine uint16, software, system []hivetest.Key) map[string][]byte {
	files := map[string][]byte{dir + "/System32/kernel32.dll": hivetest.Kernel32(machine)}
	if software != nil {
		files[dir+"/"+config+"/SOFTWARE"] = hivetest.Build(t, software)
	}
	if system != nil {
		files[dir+"/"+config+"/SYSTEM"] = hivetest.Build(t, system)
	}
	return files
}

var reWindows = regexp.MustCompile(`<WINDOWS>.*</WINDOWS>`)

// sameWindowsXML captures src with ours and with wimlib (each given args)
// and fails unless wiminfo --xml reads the same, with a WINDOWS element
// containing want. It returns our command's output.
func sameWindowsXML(t *testing.T, src, want string, args ...string) string {
	t.Helper()
	dir := t.TempDir()
	ourWIM, theirWIM := filepath.Join(dir, "o.wim"), filepath.Join(dir, "w.wim")
	out := ours(t, "wimcapture", append([]string{src, ourWIM}, args...)...)
	Run(t, "wimlib-imagex", append([]string{"capture", src, theirWIM}, args...)...)
	xa, xb := InfoXML(t, ourWIM), InfoXML(t, theirWIM)
	if xa != xb {
		t.Fatalf("wiminfo --xml differs:\nours:   %s\nwimlib: %s", xa, xb)
	}
	if w := reWindows.FindString(xa); !strings.Contains(w, want) {
		t.Fatalf("WINDOWS element %q lacks %q", w, want)
	}
	return out
}

// TestWindowsDirectory: a directory holding Windows (kernel32.dll, the
// SOFTWARE and SYSTEM hives, names in any case) is described in the XML
// as wimlib describes it, element by element.
func TestWindowsDirectory(t *testing.T) {
	Require(t, "wimlib-imagex")
	hivetest.Require(t)
	xpSoftware := []hivetest.Key{{Path: `Microsoft\Windows NT\CurrentVersion`, Values: []hivetest.Value{
		hivetest.V("ProductName", "string:Microsoft Windows XP"),
		hivetest.V("CurrentVersion", "string:5.1"),
		hivetest.V("CurrentBuild", "string:1.511.1 () (Obsolete data - do not use)"),
		hivetest.V("CurrentBuildNumber", "string:2600"),
	}}}
	xpSystem := []hivetest.Key{
		{Path: `ControlSet001\Control\Windows`, Values: []hivetest.Value{
			hivetest.V("CSDBuildNumber", "dword:0x0000076c"),
			hivetest.V("CSDVersion", "dword:0x00000300"),
		}},
		{Path: `ControlSet001\Control\Nls\Language`, Values: []hivetest.Value{
			hivetest.V("InstallLanguage", "string:0411"),
		}},
	}
	halfVersion := []hivetest.Key{{Path: `Microsoft\Windows NT\CurrentVersion`, Values: []hivetest.Value{
		hivetest.V("CurrentMajorVersionNumber", "dword:10"),
		hivetest.V("CurrentVersion", "string:6"),
	}}}
	for _, c := range []struct {
		name  string
		files map[string][]byte
		want  string
		args  []string
	}{
		{"windows 10 amd64", windowsFiles(t, "Windows", "System32/config", pe.IMAGE_FILE_MACHINE_AMD64, hivetest.Software(), hivetest.System()),
			"<ARCH>9</ARCH>", nil},
		{"windows 10 flags and properties", windowsFiles(t, "Windows", "System32/config", pe.IMAGE_FILE_MACHINE_AMD64, hivetest.Software(), hivetest.System()),
			"<ARCH>5</ARCH>", []string{"name", "desc", "--flags", "MyFlags", "--image-property", "WINDOWS/ARCH=5", "--image-property", "X=1"}},
		{"xp i386, lower case", windowsFiles(t, "windows", "system32/CONFIG", pe.IMAGE_FILE_MACHINE_I386, xpSoftware, xpSystem),
			"<ARCH>0</ARCH>", nil},
		{"arm64 without hives", windowsFiles(t, "Windows", "System32/config", pe.IMAGE_FILE_MACHINE_ARM64, nil, nil),
			"<ARCH>12</ARCH>", nil},
		{"arm, system hive only", windowsFiles(t, "Windows", "System32/config", pe.IMAGE_FILE_MACHINE_ARMNT, nil, hivetest.System()),
			"<ARCH>5</ARCH>", nil},
		{"half a version", windowsFiles(t, "Windows", "System32/config", pe.IMAGE_FILE_MACHINE_AMD64, halfVersion, nil),
			"<MAJOR>6</MAJOR>", nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			src := windowsTree(t, c.files)
			if out := sameWindowsXML(t, src, c.want, c.args...); strings.Contains(out, "WARNING") {
				t.Errorf("warnings for good files:\n%s", out)
			}
		})
	}
	t.Run("two system roots", func(t *testing.T) {
		files := windowsFiles(t, "WINNT", "System32/config", pe.IMAGE_FILE_MACHINE_I386, hivetest.Software(), nil)
		files["Windows/System32/kernel32.dll"] = hivetest.Kernel32(pe.IMAGE_FILE_MACHINE_AMD64)
		sameWindowsXML(t, windowsTree(t, files), "<SYSTEMROOT>WINNT</SYSTEMROOT><ARCH>0</ARCH>")
	})
}

// brokenHives: a truncated SOFTWARE hive, and a SYSTEM hive whose
// UILanguages key points its subkey list past the end and whose ProductType
// value's data is out of bounds; the other values stay readable.
func brokenHives(t *testing.T) map[string][]byte {
	sw := hivetest.Build(t, hivetest.Software())
	sys := hivetest.Build(t, hivetest.System())
	// An nk cell's name is at 0x50, its subkey list offset at 0x20; a vk
	// cell's name at 0x18, its data offset at 0x0C.
	i := bytes.Index(sys, []byte("UILanguages"))
	j := bytes.Index(sys, []byte("ProductType"))
	if i < 0 || j < 0 {
		t.Fatal("key or value name not found in the SYSTEM hive")
	}
	copy(sys[i-0x50+0x20:], []byte{0xF8, 0xFF, 0xFF, 0x7F})
	copy(sys[j-0x18+0x0C:], []byte{0xF8, 0xFF, 0xFF, 0x7F})
	return map[string][]byte{
		"Windows/System32/kernel32.dll":    hivetest.Kernel32(pe.IMAGE_FILE_MACHINE_AMD64),
		"Windows/System32/config/SOFTWARE": sw[:len(sw)-4096],
		"Windows/System32/config/SYSTEM":   sys,
	}
}

// TestWindowsBrokenHives: broken hives do not stop the capture; the fields
// that can be read are written, as wimlib writes them, and a warning names
// each file and what could not be read.
func TestWindowsBrokenHives(t *testing.T) {
	Require(t, "wimlib-imagex")
	hivetest.Require(t)
	out := sameWindowsXML(t, windowsTree(t, brokenHives(t)), "<HAL>acpiapic</HAL>")
	for _, want := range []string{
		"WARNING: Windows/System32/config/SOFTWARE is not a valid registry hive",
		`WARNING: Windows/System32/config/SYSTEM: ControlSet001\Control\MUI\UILanguages: registry hive is corrupt`,
		`WARNING: Windows/System32/config/SYSTEM: ControlSet001\Control\ProductOptions\ProductType: registry hive is corrupt: WINDOWS/PRODUCTTYPE not set`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

// TestWindowsAppend: wimappend describes the Windows of the image it adds
// as wimlib's does.
func TestWindowsAppend(t *testing.T) {
	Require(t, "wimlib-imagex")
	hivetest.Require(t)
	dir := t.TempDir()
	first := smallTree(t, dir, "first", 1)
	src := windowsTree(t, windowsFiles(t, "Windows", "System32/config", pe.IMAGE_FILE_MACHINE_ARM64, hivetest.Software(), hivetest.System()))
	ourWIM, theirWIM := filepath.Join(dir, "o.wim"), filepath.Join(dir, "w.wim")
	Run(t, "wimlib-imagex", "capture", first, ourWIM, "first")
	Run(t, "cp", ourWIM, theirWIM)
	ours(t, "wimappend", src, ourWIM, "win")
	Run(t, "wimlib-imagex", "append", src, theirWIM, "win")
	xa, xb := InfoXML(t, ourWIM), InfoXML(t, theirWIM)
	if xa != xb {
		t.Fatalf("wiminfo --xml differs:\nours:   %s\nwimlib: %s", xa, xb)
	}
	if !strings.Contains(xa, `<IMAGE INDEX="2"><NAME>win</NAME>`) || !strings.Contains(reWindows.FindString(xa), "<ARCH>12</ARCH>") {
		t.Fatalf("appended image without its WINDOWS element: %s", xa)
	}
}
