package source

import (
	"bytes"
	"reflect"
	"strings"
	"testing"

	"github.com/wimgo/wimgo/engine/image"
	"github.com/wimgo/wimgo/engine/wimfmt"
)

// w is UTF-16LE of an ASCII string, written out byte by byte so that the
// test does not lean on the encoder it checks.
func w(s string) []byte {
	var b []byte
	for i := 0; i < len(s); i++ {
		b = append(b, s[i], 0)
	}
	return b
}

func cat(parts ...[]byte) []byte { return bytes.Join(parts, nil) }

// TestParseStreamInfo parses FILE_STREAM_INFORMATION entries laid out as
// the documentation gives them: NextEntryOffset, StreamNameLength,
// StreamSize, StreamAllocationSize, StreamName, entries 8-byte aligned.
func TestParseStreamInfo(t *testing.T) {
	buf := cat(
		// "::$DATA": 14 name bytes, entry 38 bytes padded to 40.
		[]byte{40, 0, 0, 0, 14, 0, 0, 0}, []byte{5, 0, 0, 0, 0, 0, 0, 0}, []byte{8, 0, 0, 0, 0, 0, 0, 0},
		w("::$DATA"), []byte{0, 0},
		// ":ads:$DATA": 20 name bytes, entry 44 padded to 48; size 0x12C.
		[]byte{48, 0, 0, 0, 20, 0, 0, 0}, []byte{0x2C, 0x01, 0, 0, 0, 0, 0, 0}, []byte{0, 0x10, 0, 0, 0, 0, 0, 0},
		w(":ads:$DATA"), []byte{0, 0, 0, 0},
		// Not $DATA: left out.
		[]byte{48, 0, 0, 0, 22, 0, 0, 0}, []byte{1, 0, 0, 0, 0, 0, 0, 0}, []byte{0, 0, 0, 0, 0, 0, 0, 0},
		w(":x:$EA_DATA"), []byte{0, 0},
		// Last entry (NextEntryOffset 0), an empty named stream.
		[]byte{0, 0, 0, 0, 16, 0, 0, 0}, []byte{0, 0, 0, 0, 0, 0, 0, 0}, []byte{0, 0, 0, 0, 0, 0, 0, 0},
		w(":e:$DATA"),
	)
	got, err := parseStreamInfo(buf)
	if err != nil {
		t.Fatal(err)
	}
	want := []winStream{{nil, 5}, {w("ads"), 300}, {w("e"), 0}}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got %v, want %v", got, want)
	}
	if got, err := parseStreamInfo(nil); err != nil || got != nil {
		t.Errorf("empty buffer: %v, %v", got, err)
	}

	bad := map[string][]byte{
		"truncated header": buf[:20],
		"name overflows":   cat([]byte{0, 0, 0, 0, 200, 0, 0, 0}, make([]byte, 16), w("::$DATA")),
		"odd name length":  cat([]byte{0, 0, 0, 0, 13, 0, 0, 0}, make([]byte, 16), w("::$DATA")),
		"next too small":   cat([]byte{8, 0, 0, 0, 14, 0, 0, 0}, make([]byte, 16), w("::$DATA"), make([]byte, 64)),
		"next past end":    cat([]byte{0, 1, 0, 0, 14, 0, 0, 0}, make([]byte, 16), w("::$DATA")),
		"negative size":    cat([]byte{0, 0, 0, 0, 14, 0, 0, 0}, []byte{0, 0, 0, 0, 0, 0, 0, 0x80}, make([]byte, 8), w("::$DATA")),
	}
	for name, b := range bad {
		if _, err := parseStreamInfo(b); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}

func TestDataStreamName(t *testing.T) {
	for raw, want := range map[string]string{
		"::$DATA": "", ":a:$DATA": "a", ":a b.txt:$DATA": "a b.txt",
	} {
		name, ok := dataStreamName(w(raw))
		if !ok || string(name) != string(w(want)) {
			t.Errorf("%q: %q, %v", raw, name, ok)
		}
		if want == "" && name != nil {
			t.Errorf("%q: unnamed stream has name %q", raw, name)
		}
	}
	for _, raw := range []string{"", "a:$DATA", ":a", ":a:$data", ":a:$DATAX", ":a:$INDEX_ALLOCATION"} {
		if _, ok := dataStreamName(w(raw)); ok {
			t.Errorf("%q accepted", raw)
		}
	}
}

func TestParseFileNameInfo(t *testing.T) {
	got, err := parseFileNameInfo(cat([]byte{16, 0, 0, 0}, w("AB~1.TXT"), []byte{0xEE, 0xEE}))
	if err != nil || string(got) != string(w("AB~1.TXT")) {
		t.Errorf("got %q, %v", got, err)
	}
	if got, err := parseFileNameInfo([]byte{0, 0, 0, 0}); got != nil || err != nil {
		t.Errorf("no short name: %q, %v", got, err)
	}
	for _, b := range [][]byte{{1, 0}, cat([]byte{18, 0, 0, 0}, w("AB~1.TXT")), cat([]byte{3, 0, 0, 0}, w("AB"))} {
		if _, err := parseFileNameInfo(b); err == nil {
			t.Errorf("% x accepted", b)
		}
	}
}

func TestWinExtendedPath(t *testing.T) {
	long := strings.Repeat("d", 200) + `\` + strings.Repeat("e", 200)
	for in, want := range map[string]string{
		`C:\a\.\b\..\c/d`:   `\\?\C:\a\c\d`,
		`c:\`:               `\\?\c:\`,
		`C:\..\x\\y\`:       `\\?\C:\x\y`,
		`\\srv\share\x\..`:  `\\?\UNC\srv\share\`,
		`\\srv\share\x\y`:   `\\?\UNC\srv\share\x\y`,
		`\\?\C:\a\..\b`:     `\\?\C:\a\..\b`, // already literal
		`\??\C:\a`:          `\??\C:\a`,
		`C:\` + long:        `\\?\C:\` + long,
		`C:/` + long + `/.`: `\\?\C:\` + long,
	} {
		got, err := winExtendedPath(in)
		if err != nil || got != want {
			t.Errorf("%q: got %q, %v; want %q", in, got, err, want)
		}
	}
	for _, in := range []string{`a\b`, `\a\b`, `C:a`, `\\srv`, `\\srv\`, ``} {
		if got, err := winExtendedPath(in); err == nil {
			t.Errorf("%q: got %q, want an error", in, got)
		}
	}
	if got := winJoin(`\\?\C:\`, "a"); got != `\\?\C:\a` {
		t.Errorf("join at root: %q", got)
	}
	if got := winJoin(`\\?\C:\a`, "b"); got != `\\?\C:\a\b` {
		t.Errorf("join: %q", got)
	}
	for in, want := range map[string]string{
		`\\?\C:\a`: `C:\a`, `\\?\UNC\srv\share\x`: `\\srv\share\x`, `C:\a`: `C:\a`,
	} {
		if got := winDisplayPath(in); got != want {
			t.Errorf("display %q: %q, want %q", in, got, want)
		}
	}
	for in, want := range map[string]string{
		`\??\C:\cap\`:               `\\?\C:\cap\`,
		`\DosDevices\C:\x`:          `\\?\C:\x`,
		`\Device\HarddiskVolume4\x`: `\\?\GLOBALROOT\Device\HarddiskVolume4\x`,
	} {
		if got := ntToWin32Path(in); got != want {
			t.Errorf("nt %q: %q, want %q", in, got, want)
		}
	}
}

// A symbolic link as mklink writes it (print name first, no NULs):
// C:\target, absolute.
var mklinkSymlink = cat(
	[]byte{18, 0, 26, 0}, // substitute name at 18, 26 bytes
	[]byte{0, 0, 18, 0},  // print name at 0, 18 bytes
	[]byte{0, 0, 0, 0},   // flags: absolute
	w(`C:\target`), w(`\??\C:\target`),
)

func TestLinkReparse(t *testing.T) {
	tag, res, data, err := splitReparseBuffer(cat([]byte{0x0C, 0, 0, 0xA0, byte(len(mklinkSymlink)), 0, 7, 0}, mklinkSymlink))
	if err != nil || tag != wimfmt.ReparseTagSymlink || res != 7 || !bytes.Equal(data, mklinkSymlink) {
		t.Fatalf("split: %#x %d % x %v", tag, res, data, err)
	}
	if _, _, _, err := splitReparseBuffer([]byte{0x0C, 0, 0, 0xA0, 0, 0}); err == nil {
		t.Error("short buffer accepted")
	}
	l, err := parseLinkReparse(tag, data)
	if err != nil {
		t.Fatal(err)
	}
	if string(l.subst) != string(w(`\??\C:\target`)) || string(l.print) != string(w(`C:\target`)) || l.flags != 0 || l.relativeSymlink() {
		t.Fatalf("parsed %+v", l)
	}
	// Re-encoded as wimlib does: substitute name first, NUL-terminated.
	want := cat([]byte{0, 0, 26, 0, 28, 0, 18, 0, 0, 0, 0, 0}, w(`\??\C:\target`), []byte{0, 0}, w(`C:\target`), []byte{0, 0})
	if got := l.data(); !bytes.Equal(got, want) {
		t.Errorf("symlink data\n got % x\nwant % x", got, want)
	}

	// A junction as Windows writes it: substitute, NUL, print, NUL.
	junction := cat([]byte{0, 0, 20, 0, 22, 0, 12, 0}, w(`\??\C:\dir`), []byte{0, 0}, w(`C:\dir`), []byte{0, 0})
	j, err := parseLinkReparse(wimfmt.ReparseTagMountPoint, junction)
	if err != nil || string(j.subst) != string(w(`\??\C:\dir`)) || string(j.print) != string(w(`C:\dir`)) {
		t.Fatalf("junction: %+v, %v", j, err)
	}
	if got := j.data(); !bytes.Equal(got, junction) {
		t.Errorf("junction data\n got % x\nwant % x", got, junction)
	}

	rel, err := parseLinkReparse(wimfmt.ReparseTagSymlink, cat([]byte{0, 0, 2, 0, 0, 0, 2, 0, 1, 0, 0, 0}, w("a")))
	if err != nil || !rel.relativeSymlink() {
		t.Errorf("relative link: %+v, %v", rel, err)
	}
	for name, b := range map[string][]byte{
		"short":            {0, 0, 0, 0},
		"odd length":       cat([]byte{0, 0, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0}, w("ab")),
		"subst overflows":  cat([]byte{0, 0, 6, 0, 0, 0, 0, 0, 0, 0, 0, 0}, w("ab")),
		"print overflows":  cat([]byte{0, 0, 2, 0, 2, 0, 4, 0, 0, 0, 0, 0}, w("ab")),
		"symlink no flags": {0, 0, 0, 0, 0, 0, 0, 0},
	} {
		if _, err := parseLinkReparse(wimfmt.ReparseTagSymlink, b); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	if _, err := parseLinkReparse(0x80000017, junction); err != errNotLink {
		t.Errorf("other tag: %v", err)
	}
}

// TestRpfixLink follows wimlib's walk over the target's prefixes and its
// rewriting of a link into the capture root C:\cap.
func TestRpfixLink(t *testing.T) {
	var asked []string
	isRoot := func(p string) bool {
		asked = append(asked, p)
		return strings.TrimRight(p, `\`) == `\??\C:\cap`
	}
	link := func(target string) *linkReparse {
		return &linkReparse{tag: wimfmt.ReparseTagSymlink, subst: w(target), print: w(target[4:])}
	}

	fixed := rpfixLink(link(`\??\C:\cap\\a`), isRoot)
	if fixed == nil {
		t.Fatal("link into the root not fixed")
	}
	if want := []string{`\`, `\??\`, `\??\C:\`, `\??\C:\cap\\`}; !reflect.DeepEqual(asked, want) {
		t.Errorf("asked %q, want %q", asked, want)
	}
	want := cat([]byte{0, 0, 18, 0, 20, 0, 10, 0, 0, 0, 0, 0}, w(`\??\X:\\a`), []byte{0, 0}, w(`X:\\a`), []byte{0, 0})
	if got := fixed.data(); !bytes.Equal(got, want) {
		t.Errorf("fixed data\n got % x\nwant % x", got, want)
	}

	// The root itself: nothing after the prefix.
	j := &linkReparse{tag: wimfmt.ReparseTagMountPoint, subst: w(`\??\C:\cap`), print: w(`C:\cap`)}
	if f := rpfixLink(j, isRoot); f == nil || string(f.subst) != string(w(`\??\X:`)) || string(f.print) != string(w(`X:`)) || f.tag != wimfmt.ReparseTagMountPoint {
		t.Errorf("link to the root: %+v", f)
	}

	asked = nil
	for _, target := range []string{`\??\C:\other\a`, `\??\C:\capx\a`, `\\srv\share`, `C:\cap\a`, ``} {
		l := &linkReparse{tag: wimfmt.ReparseTagSymlink, subst: w(target)}
		if f := rpfixLink(l, isRoot); f != nil {
			t.Errorf("%q fixed to %q", target, f.subst)
		}
	}
	rel := &linkReparse{tag: wimfmt.ReparseTagSymlink, flags: wimfmt.SymlinkRelative, subst: w(`\??\C:\cap\a`)}
	asked = nil
	if f := rpfixLink(rel, isRoot); f != nil || asked != nil {
		t.Errorf("relative symlink fixed (%+v) or looked up (%q)", f, asked)
	}
	// A match at the NT root leaves nothing to keep: not fixed.
	if f := rpfixLink(link(`\??\C:\x`), func(p string) bool { return p == `\` }); f != nil {
		t.Errorf("match at \\ fixed to %q", f.subst)
	}
}

// sid is a SID: revision 1, subauthority count, authority (big-endian 48
// bits), subauthorities.
func sid(auth byte, sub ...uint32) []byte {
	b := []byte{1, byte(len(sub)), 0, 0, 0, 0, 0, auth}
	for _, s := range sub {
		b = append(b, byte(s), byte(s>>8), byte(s>>16), byte(s>>24))
	}
	return b
}

// testSD is a self-relative security descriptor: owner Administrators
// (S-1-5-32-544) at 20, group SYSTEM (S-1-5-18) at 36, a DACL at 48
// allowing Everyone (S-1-1-0) access mask mask.
func testSD(mask byte) []byte {
	ace := cat([]byte{0, 0, 20, 0, mask, 0, 0, 0}, sid(1, 0))
	acl := cat([]byte{2, 0, 28, 0, 1, 0, 0, 0}, ace)
	hdr := []byte{1, 0, 0x04, 0x80, 20, 0, 0, 0, 36, 0, 0, 0, 0, 0, 0, 0, 48, 0, 0, 0}
	return cat(hdr, sid(5, 32, 544), sid(5, 18), acl)
}

func TestCheckSelfRelativeSD(t *testing.T) {
	sd := testSD(0xFF)
	if len(sd) != 76 {
		t.Fatalf("test descriptor is %d bytes", len(sd))
	}
	if err := checkSelfRelativeSD(sd); err != nil {
		t.Fatal(err)
	}
	absolute := bytes.Clone(sd)
	absolute[3] = 0
	badRev := bytes.Clone(sd)
	badRev[0] = 2
	ownerOut := bytes.Clone(sd)
	ownerOut[4] = 72
	inHeader := bytes.Clone(sd)
	inHeader[4] = 4
	for name, b := range map[string][]byte{
		"truncated DACL": sd[:70], "truncated owner SID": sd[:30], "header only": sd[:19],
		"absolute": absolute, "revision": badRev, "owner outside": ownerOut, "owner in header": inHeader,
	} {
		if err := checkSelfRelativeSD(b); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

// TestSDDedup: descriptors are stored once each, in first-seen order.
func TestSDDedup(t *testing.T) {
	var s sdSet
	ids := []uint32{s.add(testSD(0xFF)), s.add(testSD(0x01)), s.add(testSD(0xFF)), s.add(testSD(0x01))}
	if !reflect.DeepEqual(ids, []uint32{0, 1, 0, 1}) || len(s.list) != 2 || !bytes.Equal(s.list[1], testSD(1)) {
		t.Errorf("ids %v, %d descriptors", ids, len(s.list))
	}
}

func TestSDDenied(t *testing.T) {
	retry, none, fail := sdDenied(secAll, false)
	if retry != secOwner|secGroup|secDACL || none || fail {
		t.Errorf("without the SACL privilege: retry %#x none %v fail %v", retry, none, fail)
	}
	if _, none, fail := sdDenied(secOwner|secGroup|secDACL, false); !none || fail {
		t.Errorf("access denied: none %v fail %v", none, fail)
	}
	if _, none, fail := sdDenied(secAll, true); none || !fail {
		t.Errorf("strict: none %v fail %v", none, fail)
	}
}

// TestAdoptSecurity: the entries of a source list number their security
// descriptors each from 0 (a Windows capture has some); merged, every
// inode must point at its own descriptor in the image's one list, and an
// inode reached again through a later entry (a hard link) keeps its
// number.
func TestAdoptSecurity(t *testing.T) {
	x, y := testSD(0xFF), testSD(0x01)
	dir := func(children ...*image.Dentry) *image.Dentry {
		d := image.NewDentry("", nil, &image.Inode{Attributes: wimfmt.AttrDirectory, SecurityID: wimfmt.NoSecurityID})
		for _, c := range children {
			d.AppendChild(c)
		}
		return d
	}
	file := func(name string, id uint32) *image.Dentry {
		return image.NewDentry(name, nil, &image.Inode{Attributes: wimfmt.AttrNormal, SecurityID: id})
	}
	a := file("a", 0)
	res1 := &Result{Root: dir(a), Security: [][]byte{x}}
	b, c := file("b", 0), file("c", 1)
	aAgain := image.NewDentry("a2", nil, a.Inode)
	res2 := &Result{Root: dir(b, c, aAgain, file("none", wimfmt.NoSecurityID)), Security: [][]byte{y, x}}

	sds := &sdSet{}
	adopted := make(map[*image.Inode]bool)
	adoptSecurity(sds, res1, adopted)
	adoptSecurity(sds, res2, adopted)
	if len(sds.list) != 2 || !bytes.Equal(sds.list[0], x) || !bytes.Equal(sds.list[1], y) {
		t.Fatalf("%d descriptors", len(sds.list))
	}
	for _, tc := range []struct {
		d    *image.Dentry
		want uint32
	}{{a, 0}, {b, 1}, {c, 0}, {res2.Root.Children[3], wimfmt.NoSecurityID}} {
		if tc.d.Inode.SecurityID != tc.want {
			t.Errorf("%s: security ID %d, want %d", tc.d.Name, tc.d.Inode.SecurityID, tc.want)
		}
	}
}

// TestConfigFoldCase: on Windows wimlib matches capture-configuration
// patterns ignoring case; on UNIX it does not.
func TestConfigFoldCase(t *testing.T) {
	c, err := ParseConfig("cfg", []byte("[ExclusionList]\n/Temp\n*.TMP\n[ExclusionException]\n/temp/KEEP\n"))
	if err != nil {
		t.Fatal(err)
	}
	for _, fold := range []bool{false, true} {
		c.foldCase = fold
		for path, want := range map[string]bool{
			"/PAGEFILE.SYS": fold, "/pagefile.sys": true, "/Temp": !fold, "/TEMP/x": fold,
			"/a/b.tmp": fold, "/a/b.TMP": true, "/TEMP/keep": false, "/Temp/keep/x": !fold,
		} {
			cfg := c
			if path == "/PAGEFILE.SYS" || path == "/pagefile.sys" {
				cfg = DefaultConfig()
				cfg.foldCase = fold
			}
			if got := cfg.Excluded(path); got != want {
				t.Errorf("foldCase=%v: %s excluded %v, want %v", fold, path, got, want)
			}
		}
	}
}
