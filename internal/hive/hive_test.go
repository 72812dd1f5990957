package hive

import (
	"encoding/binary"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/wimgo/wimgo/internal/hive/hivetest"
)

const cv = `Microsoft\Windows NT\CurrentVersion`

// TestBuiltHives: hives written by hivexsh (and read back by hivexget, in
// Build) read the same with this package, names matched in any case.
func TestBuiltHives(t *testing.T) {
	swKeys, sysKeys := hivetest.Software(), hivetest.System()
	sw := hivetest.Build(t, swKeys)
	sys := hivetest.Build(t, sysKeys)

	h, err := Open(sw)
	if err != nil {
		t.Fatal(err)
	}
	wantString(t, h, cv, "EditionID", "Professional")
	wantString(t, h, `microsoft\WINDOWS NT\currentversion`, "productname", "Windows 10 Pro")
	wantString(t, h, cv, "CurrentVersion", "6.3")
	wantNumber(t, h, cv, "CurrentMajorVersionNumber", 10)
	wantNumber(t, h, cv, "CurrentMinorVersionNumber", 0)
	if _, err := h.String(cv, "NoSuchValue"); !errors.Is(err, ErrValueNotFound) {
		t.Errorf("missing value: %v, want ErrValueNotFound", err)
	}
	if _, err := h.String(`Microsoft\Nothing`, "X"); !errors.Is(err, ErrKeyNotFound) {
		t.Errorf("missing key: %v, want ErrKeyNotFound", err)
	}
	if _, err := h.Number(cv, "EditionID"); !errors.Is(err, ErrWrongType) {
		t.Errorf("string read as number: %v, want ErrWrongType", err)
	}
	if _, err := h.String(cv, "CurrentMajorVersionNumber"); !errors.Is(err, ErrWrongType) {
		t.Errorf("number read as string: %v, want ErrWrongType", err)
	}

	h, err = Open(sys)
	if err != nil {
		t.Fatal(err)
	}
	wantNumber(t, h, `ControlSet001\Control\Windows`, "CSDBuildNumber", 0x451)
	wantNumber(t, h, `ControlSet001\Control\Windows`, "CSDVersion", 0x200)
	wantString(t, h, `ControlSet001\Control\ProductOptions`, "ProductSuite", "Terminal Server")
	wantString(t, h, `ControlSet001\Control\Class\{4d36e966-e325-11ce-bfc1-08002be10318}\0000`, "MatchingDeviceId", "acpiapic")
	langs, err := h.Subkeys(`ControlSet001\Control\MUI\UILanguages`)
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"de-DE", "en-US", "fr-FR"}; !slices.Equal(langs, want) {
		t.Errorf("UILanguages subkeys %q, want %q", langs, want)
	}
}

// TestValueKinds: inline DWORDs, big-endian DWORDs, QWORDs (negative too),
// multi-strings and strings without a terminating NUL.
func TestValueKinds(t *testing.T) {
	keys := []hivetest.Key{{Path: `K`, Values: []hivetest.Value{
		hivetest.V("be", "hex:5:00,00,01,02"),
		hivetest.V("q", "hex:11:fe,ff,ff,ff,ff,ff,ff,ff"),
		hivetest.V("nonul", "hex:1:41,00,42,00"),
		hivetest.V("odd", "hex:1:41,00,42"),
		hivetest.V("multi", "hex:7:41,00,00,00,42,00,00,00,00,00"),
		hivetest.V("short", "hex:4:01,02"),
		hivetest.V("bin", "hex:3:01,02,03,04"),
	}}}
	b := hivetest.Build(t, keys)
	h, err := Open(b)
	if err != nil {
		t.Fatal(err)
	}
	wantNumber(t, h, "K", "be", 0x102)
	wantNumber(t, h, "K", "q", -2)
	wantString(t, h, "k", "NONUL", "AB")
	wantString(t, h, "K", "multi", "A")
	if _, err := h.String("K", "odd"); !errors.Is(err, ErrUnsupported) {
		t.Errorf("odd-length string: %v, want ErrUnsupported", err)
	}
	if _, err := h.Number("K", "short"); !errors.Is(err, ErrCorrupt) {
		t.Errorf("2-byte DWORD: %v, want ErrCorrupt", err)
	}
	if _, err := h.Number("K", "bin"); !errors.Is(err, ErrWrongType) {
		t.Errorf("binary as number: %v, want ErrWrongType", err)
	}
}

// TestMinimal: hivex's minimal hive is a root key without subkeys or values.
func TestMinimal(t *testing.T) {
	h, err := Open(hivetest.Minimal())
	if err != nil {
		t.Fatal(err)
	}
	if k, err := h.Subkeys(""); err != nil || len(k) != 0 {
		t.Errorf("root subkeys %q, %v; want none", k, err)
	}
	if _, err := h.String(cv, "ProductName"); !errors.Is(err, ErrKeyNotFound) {
		t.Errorf("lookup in minimal: %v, want ErrKeyNotFound", err)
	}
}

// TestBaseBlock: what Open refuses.
func TestBaseBlock(t *testing.T) {
	good := hivetest.Minimal()
	for _, c := range []struct {
		name string
		edit func([]byte) []byte
		want error
	}{
		{"truncated base block", func(b []byte) []byte { return b[:4000] }, ErrCorrupt},
		{"truncated hbins", func(b []byte) []byte { return b[:6000] }, ErrCorrupt},
		{"magic", func(b []byte) []byte { b[0] = 'x'; return b }, ErrUnsupported},
		{"major version", func(b []byte) []byte { b[offMajor] = 2; return b }, ErrUnsupported},
	} {
		if _, err := Open(c.edit(slices.Clone(good))); !errors.Is(err, c.want) {
			t.Errorf("%s: %v, want %v", c.name, err, c.want)
		}
	}
}

// TestHostile: hand-made hives that loop or fan out fail quickly with an
// error, never a panic or a hang.
func TestHostile(t *testing.T) {
	sys := hivetest.Build(t, hivetest.System())
	h, err := Open(sys)
	if err != nil {
		t.Fatal(err)
	}
	root, err := h.nk(h.root, false)
	if err != nil {
		t.Fatal(err)
	}
	rootOff := h.root
	listOff := root.subkeyList()

	// An ri list naming itself: nesting is bounded.
	b := slices.Clone(sys)
	bins := b[baseBlockSize:]
	copy(bins[listOff+4:], "ri")
	binary.LittleEndian.PutUint16(bins[listOff+6:], 1)
	binary.LittleEndian.PutUint32(bins[listOff+8:], listOff)
	wantErr(t, b, ErrCorrupt)

	// A key whose only subkey is itself, claimed to have many subkeys:
	// the count no longer matches what the lists hold.
	b = slices.Clone(sys)
	bins = b[baseBlockSize:]
	copy(bins[listOff+4:], "li")
	binary.LittleEndian.PutUint16(bins[listOff+6:], 1)
	binary.LittleEndian.PutUint32(bins[listOff+8:], rootOff)
	binary.LittleEndian.PutUint32(bins[rootOff+0x18:], 5)
	wantErr(t, b, ErrCorrupt)

	// A cell size that is positive (a free cell) or runs past the end.
	b = slices.Clone(sys)
	binary.LittleEndian.PutUint32(b[baseBlockSize+rootOff:], 0x50)
	wantErr(t, b, ErrCorrupt)
	b = slices.Clone(sys)
	binary.LittleEndian.PutUint32(b[baseBlockSize+rootOff:], 0x80000000)
	wantErr(t, b, ErrCorrupt)

	// The root key is its own subkey, counted right: each level finds
	// the root again, so a deep path is walked but the budget ends it.
	b = slices.Clone(sys)
	bins = b[baseBlockSize:]
	copy(bins[listOff+4:], "li")
	binary.LittleEndian.PutUint16(bins[listOff+6:], 1)
	binary.LittleEndian.PutUint32(bins[listOff+8:], rootOff)
	binary.LittleEndian.PutUint32(bins[rootOff+0x18:], 1)
	h, err = Open(b)
	if err != nil {
		t.Fatal(err)
	}
	h.cells = 1000
	name, _ := root.name()
	path := ""
	for range 2000 {
		path += string(name) + `\`
	}
	if _, err := h.Subkeys(path); !errors.Is(err, ErrTooMuchWork) {
		t.Errorf("self-nested root, deep path: %v, want ErrTooMuchWork", err)
	}
}

func wantErr(t *testing.T, b []byte, want error) {
	t.Helper()
	h, err := Open(b)
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	if _, err := h.Subkeys(`ControlSet001\Control\MUI\UILanguages`); !errors.Is(err, want) {
		t.Errorf("got %v, want %v", err, want)
	}
	if d := time.Since(start); d > time.Second {
		t.Errorf("took %v", d)
	}
}

func wantString(t *testing.T, h *Hive, key, name, want string) {
	t.Helper()
	if got, err := h.String(key, name); err != nil || got != want {
		t.Errorf("%s\\%s = %q, %v; want %q", key, name, got, err, want)
	}
}

func wantNumber(t *testing.T, h *Hive, key, name string, want int64) {
	t.Helper()
	if got, err := h.Number(key, name); err != nil || got != want {
		t.Errorf("%s\\%s = %d, %v; want %d", key, name, got, err, want)
	}
}

// FuzzHive: any bytes, read as a hive the way a capture reads SOFTWARE and
// SYSTEM, give values or errors: no panic, and a bounded amount of work.
// Seeds: hivex's minimal hive and hives built from it by hivexsh
// (testdata/*.hive, made with hivetest.Software and hivetest.System).
func FuzzHive(f *testing.F) {
	f.Add(hivetest.Minimal())
	seeds, _ := filepath.Glob("testdata/*.hive")
	if len(seeds) == 0 {
		f.Fatal("no seed hives in testdata")
	}
	for _, s := range seeds {
		b, err := os.ReadFile(s)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		h, err := Open(b)
		if err != nil {
			return
		}
		h.String(cv, "ProductName")
		h.Number(cv, "CurrentMajorVersionNumber")
		h.Number(`ControlSet001\Control\Windows`, "CSDVersion")
		h.String(`ControlSet001\Control\ProductOptions`, "ProductSuite")
		h.Subkeys(`ControlSet001\Control\MUI\UILanguages`)
		h.Subkeys("")
		if h.cells < 0 || h.names < 0 {
			t.Fatalf("budget overspent: cells %d, names %d", h.cells, h.names)
		}
	})
}
