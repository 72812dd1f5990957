package wininfo

import (
	"bytes"
	"debug/pe"
	"fmt"
	"strings"
	"testing"

	"github.com/wimgo/wimgo/engine/blob"
	"github.com/wimgo/wimgo/engine/image"
	"github.com/wimgo/wimgo/engine/wimfmt"
	"github.com/wimgo/wimgo/internal/hive/hivetest"
)

// tree builds an image tree from paths ("a/b/" a directory) with file data.
func tree(files map[string][]byte) *image.Dentry {
	dir := func() *image.Inode { return &image.Inode{Attributes: wimfmt.AttrDirectory} }
	root := image.NewDentry("", nil, dir())
	for p, data := range files {
		d := root
		parts := strings.Split(strings.TrimSuffix(p, "/"), "/")
		for i, name := range parts {
			c := d.Child(name)
			if c == nil {
				ino := dir()
				if i == len(parts)-1 && !strings.HasSuffix(p, "/") {
					ino = &image.Inode{}
					if len(data) > 0 {
						ino.Data = &blob.Blob{Size: int64(len(data)), Data: data, Name: p}
					}
				}
				c = image.NewDentry(name, nil, ino)
				d.AddChild(c)
			}
			d = c
		}
	}
	return root
}

func props(ps []wimfmt.ImageProperty) string {
	var sb strings.Builder
	for _, p := range ps {
		fmt.Fprintf(&sb, "%s=%s\n", p.Path, p.Value)
	}
	return sb.String()
}

// TestRead: a Windows tree with real hives gives wimlib's properties, in
// the order wimlib sets them.
func TestRead(t *testing.T) {
	root := tree(map[string][]byte{
		"Windows/System32/kernel32.dll":    hivetest.Kernel32(pe.IMAGE_FILE_MACHINE_AMD64),
		"Windows/System32/config/SOFTWARE": hivetest.Build(t, hivetest.Software()),
		"Windows/System32/config/SYSTEM":   hivetest.Build(t, hivetest.System()),
		"Program Files/":                   nil,
	})
	got, warnings := Read(root)
	want := `WINDOWS/SYSTEMROOT=WINDOWS
WINDOWS/ARCH=9
FLAGS=Professional
DISPLAYNAME=Windows 10 Pro
DISPLAYDESCRIPTION=Windows 10 Pro
WINDOWS/EDITIONID=Professional
WINDOWS/INSTALLATIONTYPE=Client
WINDOWS/PRODUCTNAME=Windows 10 Pro
WINDOWS/VERSION/MAJOR=10
WINDOWS/VERSION/MINOR=0
WINDOWS/VERSION/BUILD=19045
WINDOWS/VERSION/SPBUILD=1105
WINDOWS/VERSION/SPLEVEL=2
WINDOWS/PRODUCTTYPE=WinNT
WINDOWS/PRODUCTSUITE=Terminal Server
WINDOWS/HAL=acpiapic
WINDOWS/LANGUAGES/LANGUAGE[1]=de-DE
WINDOWS/LANGUAGES/LANGUAGE[2]=en-US
WINDOWS/LANGUAGES/LANGUAGE[3]=fr-FR
WINDOWS/LANGUAGES/DEFAULT=de-DE
`
	if s := props(got); s != want {
		t.Errorf("properties:\n%s\nwant:\n%s", s, want)
	}
	if len(warnings) != 0 {
		t.Errorf("warnings: %q", warnings)
	}
}

// TestArch: each PE machine type wimlib knows gives its ARCH number.
func TestArch(t *testing.T) {
	for machine, arch := range map[uint16]string{
		pe.IMAGE_FILE_MACHINE_I386: "0", pe.IMAGE_FILE_MACHINE_AMD64: "9",
		pe.IMAGE_FILE_MACHINE_ARM: "5", pe.IMAGE_FILE_MACHINE_ARMNT: "5", pe.IMAGE_FILE_MACHINE_THUMB: "5",
		pe.IMAGE_FILE_MACHINE_IA64: "6", pe.IMAGE_FILE_MACHINE_ARM64: "12",
	} {
		dll := hivetest.Kernel32(machine)
		// debug/pe reads the files of the machines it supports.
		supported := machine == pe.IMAGE_FILE_MACHINE_I386 || machine == pe.IMAGE_FILE_MACHINE_AMD64 ||
			machine == pe.IMAGE_FILE_MACHINE_ARMNT || machine == pe.IMAGE_FILE_MACHINE_ARM64
		if f, err := pe.NewFile(bytes.NewReader(dll)); supported && (err != nil || f.Machine != machine) {
			t.Fatalf("test PE file for 0x%x does not read back: %v", machine, err)
		}
		got, warnings := Read(tree(map[string][]byte{"WINDOWS/system32/KERNEL32.DLL": dll}))
		if s, want := props(got), "WINDOWS/SYSTEMROOT=WINDOWS\nWINDOWS/ARCH="+arch+"\n"; s != want || len(warnings) != 0 {
			t.Errorf("machine 0x%x: %q, warnings %q; want %q", machine, s, warnings, want)
		}
	}
}

// TestNotPE: a kernel32.dll that is not a PE file of a known machine gives
// no ARCH and a warning naming the file; the PE header may start inside
// the DOS header.
func TestNotPE(t *testing.T) {
	short := hivetest.Kernel32(pe.IMAGE_FILE_MACHINE_I386)[:0x82]
	unknown := hivetest.Kernel32(0x1234)
	unaligned := hivetest.Kernel32(pe.IMAGE_FILE_MACHINE_I386)
	unaligned[0x3C] = 0x81
	for name, dll := range map[string][]byte{"short": short, "unknown": unknown, "unaligned": unaligned, "empty": nil, "text": []byte(strings.Repeat("not a PE file ", 10))} {
		got, warnings := Read(tree(map[string][]byte{"Windows/System32/kernel32.dll": dll}))
		if s := props(got); s != "WINDOWS/SYSTEMROOT=WINDOWS\n" {
			t.Errorf("%s: %q", name, s)
		}
		if len(warnings) != 1 || !strings.Contains(warnings[0], "Windows/System32/kernel32.dll") || !strings.Contains(warnings[0], "ARCH not set") {
			t.Errorf("%s: warnings %q", name, warnings)
		}
	}
	early := make([]byte, 0x40)
	copy(early, "MZ")
	early[0x3C] = 0x20
	copy(early[0x20:], "PE\x00\x00\x64\xAA")
	got, _ := Read(tree(map[string][]byte{"Windows/System32/kernel32.dll": early}))
	if s := props(got); !strings.Contains(s, "ARCH=12\n") {
		t.Errorf("PE header inside the DOS header: %q", s)
	}
}

// TestSystemRoot: the directory with the most of the three files wins, a
// tie goes to one named Windows, then to the first in collation order; a
// directory with none is no Windows.
func TestSystemRoot(t *testing.T) {
	dll := hivetest.Kernel32(pe.IMAGE_FILE_MACHINE_I386)
	for _, c := range []struct {
		files map[string][]byte
		want  string
	}{
		{map[string][]byte{"WINNT/System32/kernel32.dll": dll, "Windows/System32/": nil}, "WINNT"},
		{map[string][]byte{"aaa/System32/kernel32.dll": dll, "windows/SYSTEM32/kernel32.dll": dll}, "WINDOWS"},
		{map[string][]byte{"zzz/System32/kernel32.dll": dll, "Bbb/System32/kernel32.dll": dll}, "BBB"},
		{map[string][]byte{"Windows/System32/config/": nil, "Windows/kernel32.dll": dll}, ""},
		{map[string][]byte{"Windows/System32/config/sYsTeM/": nil}, "WINDOWS"},
	} {
		got, _ := Read(tree(c.files))
		root := ""
		if len(got) > 0 {
			root = got[0].Value
		}
		if root != c.want {
			t.Errorf("%v: system root %q, want %q", c.files, root, c.want)
		}
	}
}

// TestOldWindows: without the version numbers, CurrentVersion gives them;
// a dotted CurrentBuild (Windows XP) yields to CurrentBuildNumber; a
// half-read version string still gives its major number, as sscanf does.
func TestOldWindows(t *testing.T) {
	for _, c := range []struct {
		values []hivetest.Value
		want   string
	}{
		{[]hivetest.Value{
			hivetest.V("CurrentVersion", "string:5.1"),
			hivetest.V("CurrentBuild", "string:1.511.1 () (Obsolete data - do not use)"),
			hivetest.V("CurrentBuildNumber", "string:2600"),
		}, "MAJOR=5\nWINDOWS/VERSION/MINOR=1\nWINDOWS/VERSION/BUILD=2600\n"},
		{[]hivetest.Value{
			hivetest.V("CurrentMajorVersionNumber", "dword:10"),
			hivetest.V("CurrentVersion", "string:6"),
		}, "MAJOR=6\n"},
		{[]hivetest.Value{
			hivetest.V("CurrentVersion", "string:x6.1"),
			hivetest.V("CurrentBuild", "string:7.1"),
		}, ""},
	} {
		sw := hivetest.Build(t, []hivetest.Key{{Path: currentVersion, Values: c.values}})
		got, _ := Read(tree(map[string][]byte{"Windows/System32/config/SOFTWARE": sw}))
		s := props(got)
		if i := strings.Index(s, "MAJOR="); i >= 0 {
			s = s[i:]
		} else {
			s = ""
		}
		if s != c.want {
			t.Errorf("%v: %q, want %q", c.values, s, c.want)
		}
	}
}

// TestBrokenHives: a truncated SOFTWARE hive and a SYSTEM hive with one
// corrupt key: what can be read is read, the rest is warned about.
func TestBrokenHives(t *testing.T) {
	sw := hivetest.Build(t, hivetest.Software())
	sys := hivetest.Build(t, hivetest.System())
	i := bytes.Index(sys, []byte("UILanguages"))
	if i < 0 {
		t.Fatal("no UILanguages key name in the SYSTEM hive")
	}
	// The key's nk cell starts 0x50 before its name; its subkey list
	// offset, at 0x20 in the cell, now points past the hive.
	copy(sys[i-0x50+0x20:], []byte{0xF8, 0xFF, 0xFF, 0x7F})
	root := tree(map[string][]byte{
		"Windows/System32/config/SOFTWARE": sw[:len(sw)-100],
		"Windows/System32/config/SYSTEM":   sys,
	})
	got, warnings := Read(root)
	s := props(got)
	if strings.Contains(s, "LANGUAGE[") || strings.Contains(s, "PRODUCTNAME") {
		t.Errorf("unreadable fields set:\n%s", s)
	}
	if !strings.Contains(s, "WINDOWS/HAL=acpiapic\n") || !strings.Contains(s, "DEFAULT=de-DE\n") {
		t.Errorf("readable fields not set:\n%s", s)
	}
	w := strings.Join(warnings, "\n")
	if len(warnings) != 2 ||
		!strings.Contains(w, "Windows/System32/config/SOFTWARE is not a valid registry hive") ||
		!strings.Contains(w, `Windows/System32/config/SYSTEM: ControlSet001\Control\MUI\UILanguages: registry hive is corrupt`) {
		t.Errorf("warnings:\n%s", w)
	}
}

// TestLanguageIDs: InstallLanguage is hexadecimal, parsed as "%x" does.
func TestLanguageIDs(t *testing.T) {
	for s, want := range map[string]string{
		"0409": "en-US", " 0x407": "de-DE", "40C": "fr-FR", "10409": "en-US", "0804 x": "zh-CN",
		"": "", "zz": "", "ffff": "",
	} {
		id, ok := scanHex(s)
		name := languageNames[uint16(id)]
		if !ok {
			name = ""
		}
		if name != want {
			t.Errorf("%q: %q, want %q", s, name, want)
		}
	}
	var major, minor int64 = -1, -1
	scanVersion(" 10 .2", &major, &minor)
	if major != 10 || minor != -1 {
		t.Errorf("version \" 10 .2\": %d.%d, want 10 and no minor", major, minor)
	}
	scanVersion("99999999999999999999.-3", &major, &minor)
	if major != 1<<63-1 || minor != -3 {
		t.Errorf("saturated version: %d.%d", major, minor)
	}
}
