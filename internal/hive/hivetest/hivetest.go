// Package hivetest makes the files of a Windows installation for tests:
// real registry hives, hivex's test hive "minimal" (testdata, see
// ORIGIN.md) edited with hivexsh, the hivex project's shell (Debian's
// libhivex-bin), and read back with hivexget (without those tools the
// tests skip, or fail when CI=true); and a minimal PE kernel32.dll.
package hivetest

import (
	"bytes"
	"debug/pe"
	_ "embed"
	"encoding/binary"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

//go:embed testdata/minimal
var minimal []byte

// Minimal returns a copy of hivex's minimal hive: a root key, nothing else.
func Minimal() []byte { return append([]byte(nil), minimal...) }

// Value is one value: Data in hivexsh's setval syntax ("string:abc",
// "dword:0x0a", "qword:5", "hex:7:41,00,00,00", "none").
type Value struct{ Name, Data string }

// V makes a Value.
func V(name, data string) Value { return Value{Name: name, Data: data} }

// Key is one key, by its backslash path from the root, with its values.
// Keys are created in the order given, so a key's subkeys come out in the
// order hivex sorts them (by name), as Windows does.
type Key struct {
	Path   string
	Values []Value
}

// Require skips (fails under CI=true) when hivexsh or hivexget is missing,
// as oracle.Require does (which the oracle tests, users of this package,
// cannot import here).
func Require(t testing.TB) {
	t.Helper()
	for _, tool := range []string{"hivexsh", "hivexget"} {
		if _, err := exec.LookPath(tool); err != nil {
			if os.Getenv("CI") == "true" {
				t.Fatalf("%s is missing (CI=true: failing, not skipping)", tool)
			}
			t.Skipf("%s is missing", tool)
		}
	}
}

// Build makes a hive holding keys, written by hivexsh into a copy of the
// minimal hive, checks with hivexget that every value reads back (see
// CheckAll), and returns its bytes.
func Build(t testing.TB, keys []Key) []byte {
	t.Helper()
	Require(t)
	dir := t.TempDir()
	file := filepath.Join(dir, "hive")
	if err := os.WriteFile(file, minimal, 0o644); err != nil {
		t.Fatal(err)
	}
	script := filepath.Join(dir, "script")
	if err := os.WriteFile(script, []byte(Script(keys)), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("hivexsh", "-w", "-f", script, file).CombinedOutput()
	if err != nil || len(strings.TrimSpace(string(out))) != 0 {
		t.Fatalf("hivexsh: %v\n%s\nscript:\n%s", err, out, Script(keys))
	}
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	CheckAll(t, b, keys)
	return b
}

// Script is the hivexsh script that adds keys to a hive.
func Script(keys []Key) string {
	var sb strings.Builder
	made := map[string]bool{}
	for _, k := range keys {
		parts := strings.Split(k.Path, `\`)
		for i, p := range parts {
			if sub := strings.Join(parts[:i+1], `\`); !made[strings.ToUpper(sub)] {
				made[strings.ToUpper(sub)] = true
				fmt.Fprintf(&sb, "add %s\n", p)
			}
			fmt.Fprintf(&sb, "cd %s\n", p)
		}
		if len(k.Values) > 0 {
			fmt.Fprintf(&sb, "setval %d\n", len(k.Values))
			for _, v := range k.Values {
				fmt.Fprintf(&sb, "%s\n%s\n", v.Name, v.Data)
			}
		}
		for range parts {
			sb.WriteString("cd ..\n")
		}
	}
	sb.WriteString("commit\n")
	return sb.String()
}

// Get reads a value back with hivexget (its .reg-style output, trimmed),
// failing the test when hivexget cannot read the hive.
func Get(t testing.TB, hive []byte, key, value string) string {
	t.Helper()
	Require(t)
	file := filepath.Join(t.TempDir(), "hive")
	if err := os.WriteFile(file, hive, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("hivexget", file, key, value).CombinedOutput()
	if err != nil {
		t.Fatalf("hivexget %s %s: %v\n%s", key, value, err, out)
	}
	return strings.TrimRight(string(out), "\n")
}

// CheckAll has hivexget read every value of keys back from hive and fails
// unless each reads as given: the hive is a real one, readable by hivex.
func CheckAll(t testing.TB, hive []byte, keys []Key) {
	t.Helper()
	for _, k := range keys {
		for _, v := range k.Values {
			got := Get(t, hive, k.Path, v.Name)
			if want := regText(v.Data); want != "" && got != want {
				t.Fatalf("hivexget %s %s = %q, built as %q", k.Path, v.Name, got, v.Data)
			}
		}
	}
}

// regText is how hivexget prints a value given in setval syntax, for the
// kinds the tests use ("" when not worked out: only read, not compared).
func regText(data string) string {
	typ, val, _ := strings.Cut(data, ":")
	switch typ {
	case "string":
		return val
	case "dword":
		var n uint32
		if _, err := fmt.Sscan(val, &n); err == nil {
			return fmt.Sprint(n)
		}
	}
	return ""
}

// Software is a SOFTWARE hive's part that describes Windows, as wimlib
// reads it (Microsoft\Windows NT\CurrentVersion).
func Software() []Key {
	return []Key{{Path: `Microsoft\Windows NT\CurrentVersion`, Values: []Value{
		{"EditionID", "string:Professional"},
		{"ProductName", "string:Windows 10 Pro"},
		{"InstallationType", "string:Client"},
		{"CurrentMajorVersionNumber", "dword:0x0000000a"},
		{"CurrentMinorVersionNumber", "dword:0"},
		{"CurrentBuild", "string:19045"},
		{"CurrentBuildNumber", "string:19045"},
		{"CurrentVersion", "string:6.3"},
	}}}
}

// System is a SYSTEM hive's part that describes Windows: service pack,
// product type and suite, HAL, UI languages and the install language.
func System() []Key {
	return []Key{
		{Path: `ControlSet001\Control\Windows`, Values: []Value{
			{"CSDBuildNumber", "dword:0x00000451"},
			{"CSDVersion", "dword:0x00000200"},
		}},
		{Path: `ControlSet001\Control\ProductOptions`, Values: []Value{
			{"ProductType", "string:WinNT"},
			// REG_MULTI_SZ "Terminal Server", "": the first string counts.
			{"ProductSuite", "hex:7:" + utf16Hex("Terminal Server\x00\x00")},
		}},
		{Path: `ControlSet001\Control\Class\{4D36E966-E325-11CE-BFC1-08002BE10318}\0000`, Values: []Value{
			{"MatchingDeviceId", "string:acpiapic"},
		}},
		{Path: `ControlSet001\Control\MUI\UILanguages\en-US`},
		{Path: `ControlSet001\Control\MUI\UILanguages\de-DE`},
		{Path: `ControlSet001\Control\MUI\UILanguages\fr-FR`},
		{Path: `ControlSet001\Control\Nls\Language`, Values: []Value{
			{"InstallLanguage", "string:0407"},
		}},
	}
}

// utf16Hex is s as UTF-16LE in hivexsh's hex syntax (ASCII only).
func utf16Hex(s string) string {
	var parts []string
	for _, c := range []byte(s) {
		parts = append(parts, fmt.Sprintf("%02x,00", c))
	}
	return strings.Join(parts, ",")
}

// Kernel32 returns a minimal PE file for machine (a pe.IMAGE_FILE_MACHINE_*
// value): DOS header, "PE\0\0", COFF header, and the optional header of
// its word size (PE32+ for AMD64, ARM64 and IA64, else PE32), no sections.
// debug/pe reads it; wimlib reads the machine from it as from kernel32.dll.
func Kernel32(machine uint16) []byte {
	var b bytes.Buffer
	dos := make([]byte, 0x80)
	copy(dos, "MZ")
	binary.LittleEndian.PutUint32(dos[0x3C:], 0x80)
	b.Write(dos)
	b.WriteString("PE\x00\x00")
	var opt any
	switch machine {
	case pe.IMAGE_FILE_MACHINE_AMD64, pe.IMAGE_FILE_MACHINE_ARM64, pe.IMAGE_FILE_MACHINE_IA64:
		opt = &pe.OptionalHeader64{Magic: 0x20b, ImageBase: 0x180000000, SectionAlignment: 0x1000,
			FileAlignment: 0x200, MajorSubsystemVersion: 6, SizeOfImage: 0x1000, SizeOfHeaders: 0x200,
			Subsystem: 3, NumberOfRvaAndSizes: 16}
	default:
		opt = &pe.OptionalHeader32{Magic: 0x10b, ImageBase: 0x10000000, SectionAlignment: 0x1000,
			FileAlignment: 0x200, MajorSubsystemVersion: 6, SizeOfImage: 0x1000, SizeOfHeaders: 0x200,
			Subsystem: 3, NumberOfRvaAndSizes: 16}
	}
	binary.Write(&b, binary.LittleEndian, pe.FileHeader{
		Machine:              machine,
		SizeOfOptionalHeader: uint16(binary.Size(opt)),
		Characteristics:      pe.IMAGE_FILE_EXECUTABLE_IMAGE | pe.IMAGE_FILE_DLL,
	})
	binary.Write(&b, binary.LittleEndian, opt)
	for b.Len()%0x200 != 0 {
		b.WriteByte(0)
	}
	return b.Bytes()
}
