// Package wininfo describes the Windows installation inside a captured
// image the way wimlib does in the image's XML: the WINDOWS element (ARCH
// from kernel32.dll's PE header; product, edition, version, service pack,
// HAL and languages from the SOFTWARE and SYSTEM registry hives), and the
// image's FLAGS, DISPLAYNAME and DISPLAYDESCRIPTION. DISM, Windows Setup
// and deployment servers show and select images by these.
//
// The files are untrusted input. Whatever can be read is described; what
// cannot (a hive that is truncated or corrupt, a kernel32.dll that is not
// a PE file) is left out with a warning, and the capture goes on.
package wininfo

import (
	"debug/pe"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf16"

	"github.com/wimgo/wimgo/engine/image"
	"github.com/wimgo/wimgo/engine/wimfmt"
	"github.com/wimgo/wimgo/internal/hive"
)

// MaxHiveSize is the largest hive file read (into memory, whole). Real
// SOFTWARE hives are tens of MiB, rarely a few hundred.
const MaxHiveSize = 1 << 30

// Read looks for Windows in the top-level directories of the tree at root
// and returns the image properties that describe it, in the order wimlib
// sets them (which gives wimlib's element order when they are applied in
// turn with wimfmt's SetImageProperty), and warnings for what could not be
// read. Without a Windows directory it returns nothing.
func Read(root *image.Dentry) (props []wimfmt.ImageProperty, warnings []string) {
	sr := findSystemRoot(root)
	if sr == nil {
		return nil, nil
	}
	r := &reader{}
	r.set("WINDOWS/SYSTEMROOT", upper(sr.dir.Name))
	if sr.kernel32 != nil {
		r.kernel32(sr.kernel32)
	}
	if h := r.openHive(sr.software); h != nil {
		r.software(h)
	}
	if h := r.openHive(sr.system); h != nil {
		r.system(h)
	}
	return r.props, r.warnings
}

type reader struct {
	props    []wimfmt.ImageProperty
	warnings []string
	file     string // the hive being read, for warnings
}

func (r *reader) warn(format string, args ...any) {
	r.warnings = append(r.warnings, fmt.Sprintf(format, args...))
}

// set adds a property. An empty value sets nothing, as wimlib's setting
// of an empty value removes the element (none exists yet).
func (r *reader) set(path, value string) {
	if value == "" {
		return
	}
	if err := wimfmt.CheckPropertyValue(value); err != nil {
		r.warn("%s: value %q cannot be stored in XML (%v): %s not set", r.file, value, err, path)
		return
	}
	r.props = append(r.props, wimfmt.ImageProperty{Path: path, Value: value})
}

// systemRoot is the Windows directory and the files read from it (nil when
// missing).
type systemRoot struct {
	dir                        *image.Dentry
	kernel32, software, system *image.Dentry
}

// findSystemRoot picks, among the top-level directories that have a
// System32 subdirectory, the one with the most of System32/kernel32.dll,
// System32/config/SOFTWARE and System32/config/SYSTEM (names compared
// case-insensitively); on a tie the one called Windows, else the first in
// collation order. None when no directory has any of the three.
func findSystemRoot(root *image.Dentry) *systemRoot {
	var dirs []*image.Dentry
	for _, c := range root.Children {
		if c.Inode.IsDir() && child(c, "System32") != nil {
			dirs = append(dirs, c)
		}
	}
	slices.SortFunc(dirs, func(a, b *image.Dentry) int { return collate(a.Name, b.Name) })
	var best *systemRoot
	bestScore := 0
	for _, d := range dirs {
		sys32 := child(d, "System32")
		sr := &systemRoot{dir: d, kernel32: child(sys32, "kernel32.dll")}
		if config := child(sys32, "config"); config != nil {
			sr.software = child(config, "SOFTWARE")
			sr.system = child(config, "SYSTEM")
		}
		score := 0
		for _, f := range []*image.Dentry{sr.kernel32, sr.software, sr.system} {
			if f != nil {
				score++
			}
		}
		if score > bestScore || score == bestScore && foldEqual(d.Name, "Windows") {
			best, bestScore = sr, score
		}
	}
	if bestScore == 0 {
		return nil
	}
	return best
}

// child finds d's child called name: the one spelled exactly so, else the
// first in collation order that matches ignoring case.
func child(d *image.Dentry, name string) *image.Dentry {
	var found *image.Dentry
	for _, c := range d.Children {
		if c.Name == name {
			return c
		}
		if foldEqual(c.Name, name) && (found == nil || collate(c.Name, found.Name) < 0) {
			found = c
		}
	}
	return found
}

// upcase maps a UTF-16 unit to upper case as Windows' own table does for
// the names here: only a-z reach ASCII (dotless i and long s stay).
func upcase(u uint16) uint16 {
	switch {
	case u < 0x80:
		if 'a' <= u && u <= 'z' {
			return u - 32
		}
		return u
	case utf16.IsSurrogate(rune(u)):
		return u
	}
	if r := unicode.ToUpper(rune(u)); r >= 0x80 && r <= 0xFFFF {
		return uint16(r)
	}
	return u
}

func units(s string) []uint16 { return utf16.Encode([]rune(s)) }

func foldEqual(a, b string) bool {
	x, y := units(a), units(b)
	return len(x) == len(y) && compareUnits(x, y, true) == 0
}

// collate orders names as wimlib orders a directory's entries: ignoring
// case first, then exactly.
func collate(a, b string) int {
	x, y := units(a), units(b)
	if c := compareUnits(x, y, true); c != 0 {
		return c
	}
	return compareUnits(x, y, false)
}

func compareUnits(x, y []uint16, fold bool) int {
	for i := range min(len(x), len(y)) {
		a, b := x[i], y[i]
		if fold {
			a, b = upcase(a), upcase(b)
		}
		if a != b {
			return int(a) - int(b)
		}
	}
	return len(x) - len(y)
}

func upper(s string) string {
	u := units(s)
	for i := range u {
		u[i] = upcase(u[i])
	}
	return string(utf16.Decode(u))
}

func path(d *image.Dentry) string { return strings.TrimPrefix(d.Path(), "/") }

// open opens d's unnamed data stream; nil with a warning when it has none.
func (r *reader) open(d *image.Dentry, what string) (io.ReadCloser, int64) {
	b := d.Inode.Data
	if b == nil || b.Size == 0 {
		r.warn("%s has no data: %s", path(d), what)
		return nil, 0
	}
	rc, err := b.Reader()
	if err != nil {
		r.warn("%s: %v: %s", path(d), err, what)
		return nil, 0
	}
	return rc, b.Size
}

// PE machine types and the Windows processor architecture numbers
// (PROCESSOR_ARCHITECTURE_*) that ARCH holds for them.
var archOf = map[uint16]int{
	pe.IMAGE_FILE_MACHINE_I386:  0,
	pe.IMAGE_FILE_MACHINE_ARM:   5,
	pe.IMAGE_FILE_MACHINE_THUMB: 5,
	pe.IMAGE_FILE_MACHINE_ARMNT: 5,
	pe.IMAGE_FILE_MACHINE_IA64:  6,
	pe.IMAGE_FILE_MACHINE_AMD64: 9,
	pe.IMAGE_FILE_MACHINE_ARM64: 12,
}

// kernel32 sets ARCH from the Machine field of kernel32.dll's COFF header.
func (r *reader) kernel32(d *image.Dentry) {
	const what = "WINDOWS/ARCH not set"
	rc, size := r.open(d, what)
	if rc == nil {
		return
	}
	defer rc.Close()
	machine, err := peMachine(rc, size)
	if err != nil {
		r.warn("%s: %v: %s", path(d), err, what)
		return
	}
	arch, ok := archOf[machine]
	if !ok {
		r.warn("%s: unknown PE machine type 0x%04X: %s", path(d), machine, what)
		return
	}
	r.set("WINDOWS/ARCH", strconv.Itoa(arch))
}

var errNotPE = errors.New("not a PE file")

// peMachine reads the Machine field of a PE file of size bytes: the DOS
// header's e_lfanew (at 0x3C) points at "PE\0\0" and the COFF header.
// The PE header must sit on a 4-byte boundary, as wimlib wants it.
func peMachine(r io.Reader, size int64) (uint16, error) {
	var dos [0x40]byte
	if size < int64(len(dos)) {
		return 0, errNotPE
	}
	if _, err := io.ReadFull(r, dos[:]); err != nil {
		return 0, err
	}
	at := int64(binary.LittleEndian.Uint32(dos[0x3C:]))
	if at > size || size-at < 6 || at&3 != 0 {
		return 0, errNotPE
	}
	var hdr [6]byte
	if at+6 <= int64(len(dos)) {
		copy(hdr[:], dos[at:])
	} else {
		if _, err := io.CopyN(io.Discard, r, max(at-int64(len(dos)), 0)); err != nil {
			return 0, err
		}
		skip := max(int64(len(dos))-at, 0) // bytes of the header already read
		if skip > 0 {
			copy(hdr[:], dos[at:])
		}
		if _, err := io.ReadFull(r, hdr[skip:]); err != nil {
			return 0, err
		}
	}
	if string(hdr[:4]) != "PE\x00\x00" {
		return 0, errNotPE
	}
	return binary.LittleEndian.Uint16(hdr[4:]), nil
}

// openHive reads the hive file d whole; nil with a warning when it cannot
// be read or is not a hive.
func (r *reader) openHive(d *image.Dentry) *hive.Hive {
	if d == nil {
		return nil
	}
	what := "WINDOWS fields from it not set"
	rc, size := r.open(d, what)
	if rc == nil {
		return nil
	}
	defer rc.Close()
	if size > MaxHiveSize {
		r.warn("%s is %d bytes, over the %d read as a registry hive: %s", path(d), size, MaxHiveSize, what)
		return nil
	}
	b := make([]byte, size)
	if _, err := io.ReadFull(rc, b); err != nil {
		r.warn("%s: %v: %s", path(d), err, what)
		return nil
	}
	h, err := hive.Open(b)
	if err != nil {
		r.warn("%s is not a valid registry hive (%v): %s", path(d), err, what)
		return nil
	}
	r.file = path(d)
	return h
}

// broken reports whether a lookup failed because the hive could not be
// read there, not because the key or value is simply absent.
func broken(err error) bool {
	return errors.Is(err, hive.ErrCorrupt) || errors.Is(err, hive.ErrUnsupported) || errors.Is(err, hive.ErrTooMuchWork)
}

// str reads a string value; when the hive is broken there, it warns that
// the properties in sets are not set.
func (r *reader) str(h *hive.Hive, key, name, sets string) (string, bool) {
	s, err := h.String(key, name)
	r.check(err, key, name, sets)
	return s, err == nil
}

func (r *reader) num(h *hive.Hive, key, name, sets string) (int64, bool) {
	n, err := h.Number(key, name)
	r.check(err, key, name, sets)
	return n, err == nil
}

func (r *reader) check(err error, key, name, sets string) {
	if broken(err) {
		r.warn(`%s: %s\%s: %v: %s not set`, r.file, key, name, err, sets)
	}
}

const currentVersion = `Microsoft\Windows NT\CurrentVersion`

// software reads the product, edition and version.
func (r *reader) software(h *hive.Hive) {
	edition, hasEdition := r.str(h, currentVersion, "EditionID", "FLAGS, WINDOWS/EDITIONID")
	if hasEdition {
		r.set("FLAGS", edition)
	}
	product, hasProduct := r.str(h, currentVersion, "ProductName", "DISPLAYNAME, DISPLAYDESCRIPTION, WINDOWS/PRODUCTNAME")
	if hasProduct {
		r.set("DISPLAYNAME", product)
		r.set("DISPLAYDESCRIPTION", product)
	}
	if hasEdition {
		r.set("WINDOWS/EDITIONID", edition)
	}
	if s, ok := r.str(h, currentVersion, "InstallationType", "WINDOWS/INSTALLATIONTYPE"); ok {
		r.set("WINDOWS/INSTALLATIONTYPE", s)
	}
	if hasProduct {
		r.set("WINDOWS/PRODUCTNAME", product)
	}

	// Windows 10 and later keep CurrentVersion at "6.3" and give the real
	// version in two numbers; older Windows only has the string.
	major, minor := int64(-1), int64(-1)
	if n, ok := r.num(h, currentVersion, "CurrentMajorVersionNumber", "WINDOWS/VERSION/MAJOR"); ok {
		major = n
	}
	if n, ok := r.num(h, currentVersion, "CurrentMinorVersionNumber", "WINDOWS/VERSION/MINOR"); ok {
		minor = n
	}
	if major < 0 || minor < 0 {
		if s, ok := r.str(h, currentVersion, "CurrentVersion", "WINDOWS/VERSION"); ok {
			scanVersion(s, &major, &minor)
		}
	}
	if major >= 0 {
		r.set("WINDOWS/VERSION/MAJOR", strconv.FormatInt(major, 10))
		if minor >= 0 {
			r.set("WINDOWS/VERSION/MINOR", strconv.FormatInt(minor, 10))
		}
	}

	// CurrentBuild is the build number, except on Windows XP where it is
	// an obsolete dotted string and CurrentBuildNumber has it.
	if build, ok := r.str(h, currentVersion, "CurrentBuild", "WINDOWS/VERSION/BUILD"); ok {
		if strings.Contains(build, ".") {
			build, ok = r.str(h, currentVersion, "CurrentBuildNumber", "WINDOWS/VERSION/BUILD")
		}
		if ok {
			r.set("WINDOWS/VERSION/BUILD", build)
		}
	}
}

const (
	controlWindows = `ControlSet001\Control\Windows`
	productOptions = `ControlSet001\Control\ProductOptions`
	uiLanguages    = `ControlSet001\Control\MUI\UILanguages`
	nlsLanguage    = `ControlSet001\Control\Nls\Language`
	// The first device of the "Computer" setup class names the HAL.
	halDevice = `ControlSet001\Control\Class\{4D36E966-E325-11CE-BFC1-08002BE10318}\0000`
)

// system reads the service pack, product type and suite, HAL and languages.
func (r *reader) system(h *hive.Hive) {
	if n, ok := r.num(h, controlWindows, "CSDBuildNumber", "WINDOWS/VERSION/SPBUILD"); ok {
		r.set("WINDOWS/VERSION/SPBUILD", strconv.FormatInt(n, 10))
	}
	if n, ok := r.num(h, controlWindows, "CSDVersion", "WINDOWS/VERSION/SPLEVEL"); ok {
		// The service pack level is the high byte of CSDVersion's low word.
		r.set("WINDOWS/VERSION/SPLEVEL", strconv.FormatInt(n>>8, 10))
	}
	if s, ok := r.str(h, productOptions, "ProductType", "WINDOWS/PRODUCTTYPE"); ok {
		r.set("WINDOWS/PRODUCTTYPE", s)
	}
	if s, ok := r.str(h, productOptions, "ProductSuite", "WINDOWS/PRODUCTSUITE"); ok {
		r.set("WINDOWS/PRODUCTSUITE", s)
	}
	if s, ok := r.str(h, halDevice, "MatchingDeviceId", "WINDOWS/HAL"); ok {
		r.set("WINDOWS/HAL", s)
	}

	langs, err := h.Subkeys(uiLanguages)
	if broken(err) {
		r.warn(`%s: %s: %v: WINDOWS/LANGUAGES/LANGUAGE not set`, r.file, uiLanguages, err)
	}
	set := 0
	for i, name := range langs {
		// Each is set by its index: after a name that sets nothing (an
		// empty one) the next index no longer follows the ones set.
		if name == "" {
			continue
		}
		if i != set {
			r.warn("%s: %s: UI language %q not set after an empty name", r.file, uiLanguages, name)
			continue
		}
		before := len(r.props)
		r.set(fmt.Sprintf("WINDOWS/LANGUAGES/LANGUAGE[%d]", i+1), name)
		if len(r.props) > before {
			set++
		}
	}

	if s, ok := r.str(h, nlsLanguage, "InstallLanguage", "WINDOWS/LANGUAGES/DEFAULT"); ok {
		id, ok := scanHex(s)
		name, known := languageNames[uint16(id)]
		if !ok || !known {
			r.warn("%s: %s\\InstallLanguage %q is not a known language ID: WINDOWS/LANGUAGES/DEFAULT not set", r.file, nlsLanguage, s)
			return
		}
		r.set("WINDOWS/LANGUAGES/DEFAULT", name)
	}
}
