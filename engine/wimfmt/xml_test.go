package wimfmt

import (
	"bytes"
	"encoding/binary"
	"encoding/xml"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"unicode/utf16"
)

// utf16le encodes s as UTF-16LE without BOM.
func utf16le(s string) []byte {
	var b []byte
	for _, u := range utf16.Encode([]rune(s)) {
		b = binary.LittleEndian.AppendUint16(b, u)
	}
	return b
}

// decodeUTF16 is the inverse of utf16le (test helper, input well formed).
func decodeUTF16(t *testing.T, b []byte) string {
	t.Helper()
	if len(b)%2 != 0 {
		t.Fatalf("odd UTF-16 length %d", len(b))
	}
	u := make([]uint16, len(b)/2)
	for i := range u {
		u[i] = binary.LittleEndian.Uint16(b[2*i:])
	}
	return string(utf16.Decode(u))
}

// encodedText is EncodeXML's output as a Go string, BOM checked and removed.
func encodedText(t *testing.T, b []byte) string {
	t.Helper()
	if len(b) < 2 || b[0] != 0xFF || b[1] != 0xFE {
		t.Fatalf("encoded XML does not start with FF FE: % x", b[:min(len(b), 4)])
	}
	return decodeUTF16(t, b[2:])
}

// needTool returns the path of an oracle tool, skipping the test when it is
// missing, except under CI where a missing oracle is a failure.
func needTool(t *testing.T, name string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s not found: %v", name, err)
		}
		t.Skipf("%s not found", name)
	}
	return p
}

// wimlibXML runs wimcapture (and wimappend for each extra argument list) on
// a small tree and returns the raw XML resource of the result.
func wimlibXML(t *testing.T, capture []string, appends ...[]string) []byte {
	t.Helper()
	wimcapture := needTool(t, "wimcapture")
	dir := t.TempDir()
	src := filepath.Join(dir, "src")
	if err := os.MkdirAll(filepath.Join(src, "sub"), 0o755); err != nil {
		t.Fatal(err)
	}
	for name, data := range map[string]string{"a": "hi\n", "sub/b": "hello\n"} {
		if err := os.WriteFile(filepath.Join(src, name), []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	wim := filepath.Join(dir, "t.wim")
	run := func(prog string, args ...string) {
		cmd := exec.Command(prog, args...)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("%s %q: %v\n%s", prog, args, err, out)
		}
	}
	run(wimcapture, append([]string{src, wim, "--compress=none"}, capture...)...)
	for _, a := range appends {
		run(needTool(t, "wimappend"), append([]string{src, wim}, a...)...)
	}
	f, err := os.ReadFile(wim)
	if err != nil {
		t.Fatal(err)
	}
	if len(f) < wimHeaderSize {
		t.Fatalf("WIM only %d bytes", len(f))
	}
	h := ParseResHdr(f[0x48:])
	if h.Offset < 0 || h.End() > int64(len(f)) || h.StoredSize != h.OriginalSize {
		t.Fatalf("bad XML reshdr %+v for a %d-byte file", h, len(f))
	}
	return f[h.Offset:h.End()]
}

// wimHeaderSize is the WIM header size, spelled out so that this test
// does not depend on header.go.
const wimHeaderSize = 208

// rootTotalBytes returns the value of the root TOTALBYTES element.
func rootTotalBytes(t *testing.T, x *WIMXML) int64 {
	t.Helper()
	tb := x.Root.Child("TOTALBYTES")
	if tb == nil {
		t.Fatal("no root TOTALBYTES")
	}
	v, err := strconv.ParseInt(tb.Text, 10, 64)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func TestXMLWimlibRoundTrip(t *testing.T) {
	cases := []struct {
		name    string
		capture []string
		appends [][]string
	}{
		{"plain", nil, nil},
		{"unnamed", []string{""}, nil},
		{"properties", []string{"n<>&\"'\té\U0001F600", "d&<", "--flags", "F",
			"--image-property", "WINDOWS/LANGUAGES/LANGUAGE[1]=en",
			"--image-property", "WINDOWS/LANGUAGES/LANGUAGE[2]=de",
			"--image-property", "WINDOWS/VERSION/BUILD=19041"}, nil},
		{"wimboot", []string{"nm", "ds", "--wimboot", "--flags", "F"}, nil},
		{"appended", nil, [][]string{nil, {"named", "--image-property", "X=1"}}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			raw := wimlibXML(t, tc.capture, tc.appends...)
			x, err := ParseWIMXML(raw)
			if err != nil {
				t.Fatal(err)
			}
			tb := rootTotalBytes(t, x)
			if got := x.Encode(tb); !bytes.Equal(got, raw) {
				t.Fatalf("re-encoded document differs\n got %q\nwant %q",
					encodedText(t, got), encodedText(t, raw))
			}
			// Another TOTALBYTES changes that element only.
			want := strings.Replace(encodedText(t, raw),
				"<TOTALBYTES>"+strconv.FormatInt(tb, 10)+"</TOTALBYTES></WIM>",
				"<TOTALBYTES>123456789</TOTALBYTES></WIM>", 1)
			if got := encodedText(t, x.Encode(123456789)); got != want {
				t.Fatalf("with new TOTALBYTES\n got %q\nwant %q", got, want)
			}
		})
	}
}

// parseStamp reads a CREATIONTIME-like element back into a FILETIME.
func parseStamp(t *testing.T, n *XMLNode) uint64 {
	t.Helper()
	part := func(name string) uint64 {
		c := n.Child(name)
		if c == nil {
			t.Fatalf("%s has no %s", n.Name, name)
		}
		v, err := strconv.ParseUint(strings.TrimPrefix(c.Text, "0x"), 16, 32)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	return part("HIGHPART")<<32 | part("LOWPART")
}

// wimlibInfo reads back what AddImage would have been given for image 1.
func wimlibInfo(t *testing.T, x *WIMXML) ImageInfo {
	t.Helper()
	img := x.Image(1)
	num := func(name string) uint64 {
		v, err := strconv.ParseUint(img.Child(name).Text, 10, 64)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	return ImageInfo{
		Name:                 x.ImageName(1),
		DirCount:             num("DIRCOUNT"),
		FileCount:            num("FILECOUNT"),
		TotalBytes:           num("TOTALBYTES"),
		HardLinkBytes:        num("HARDLINKBYTES"),
		CreationTime:         parseStamp(t, img.Child("CREATIONTIME")),
		LastModificationTime: parseStamp(t, img.Child("LASTMODIFICATIONTIME")),
	}
}

// TestXMLAddImageMatchesWimlib builds documents from scratch and compares
// them byte for byte with wimlib's.
func TestXMLAddImageMatchesWimlib(t *testing.T) {
	t.Run("flags-description-wimboot", func(t *testing.T) {
		raw := wimlibXML(t, []string{"nm", "d<&>", "--wimboot", "--flags", "Ed"})
		ref, err := ParseWIMXML(raw)
		if err != nil {
			t.Fatal(err)
		}
		info := wimlibInfo(t, ref)
		info.Flags, info.Description, info.WIMBoot = "Ed", "d<&>", true
		x := NewWIMXML()
		if i := x.AddImage(info); i != 1 {
			t.Fatalf("AddImage returned %d", i)
		}
		if got := x.Encode(rootTotalBytes(t, ref)); !bytes.Equal(got, raw) {
			t.Fatalf("\n got %q\nwant %q", encodedText(t, got), encodedText(t, raw))
		}
	})
	t.Run("properties-in-command-line-order", func(t *testing.T) {
		raw := wimlibXML(t, []string{"", "desc",
			"--image-property", "WINDOWS/VERSION/BUILD=1",
			"--flags", "F",
			"--image-property", "DISPLAYNAME=x'y\"z"})
		ref, err := ParseWIMXML(raw)
		if err != nil {
			t.Fatal(err)
		}
		x := NewWIMXML()
		x.AddImage(wimlibInfo(t, ref))
		for _, p := range [][2]string{{"WINDOWS/VERSION/BUILD", "1"}, {"FLAGS", "F"},
			{"DISPLAYNAME", "x'y\"z"}, {"DESCRIPTION", "desc"}} {
			if err := x.SetImageProperty(1, p[0], p[1]); err != nil {
				t.Fatal(err)
			}
		}
		if got := x.Encode(rootTotalBytes(t, ref)); !bytes.Equal(got, raw) {
			t.Fatalf("\n got %q\nwant %q", encodedText(t, got), encodedText(t, raw))
		}
	})
}

func TestXMLAddImageLayout(t *testing.T) {
	x := NewWIMXML()
	x.AddImage(ImageInfo{Name: "one", DirCount: 3, FileCount: 7, TotalBytes: 1048678,
		HardLinkBytes: 6, CreationTime: 0x01DD7D2899460050, LastModificationTime: 0x01DD7D2899460A46})
	if i := x.AddImage(ImageInfo{Flags: "F", Description: "D", WIMBoot: true}); i != 2 {
		t.Fatalf("second AddImage returned %d", i)
	}
	got := encodedText(t, x.Encode(1050484))
	want := `<WIM><IMAGE INDEX="1"><NAME>one</NAME><DIRCOUNT>3</DIRCOUNT><FILECOUNT>7</FILECOUNT>` +
		`<TOTALBYTES>1048678</TOTALBYTES><HARDLINKBYTES>6</HARDLINKBYTES>` +
		`<CREATIONTIME><HIGHPART>0x01DD7D28</HIGHPART><LOWPART>0x99460050</LOWPART></CREATIONTIME>` +
		`<LASTMODIFICATIONTIME><HIGHPART>0x01DD7D28</HIGHPART><LOWPART>0x99460A46</LOWPART></LASTMODIFICATIONTIME>` +
		`</IMAGE><IMAGE INDEX="2"><DIRCOUNT>0</DIRCOUNT><FILECOUNT>0</FILECOUNT>` +
		`<TOTALBYTES>0</TOTALBYTES><HARDLINKBYTES>0</HARDLINKBYTES>` +
		`<CREATIONTIME><HIGHPART>0x00000000</HIGHPART><LOWPART>0x00000000</LOWPART></CREATIONTIME>` +
		`<LASTMODIFICATIONTIME><HIGHPART>0x00000000</HIGHPART><LOWPART>0x00000000</LOWPART></LASTMODIFICATIONTIME>` +
		`<WIMBOOT>1</WIMBOOT><FLAGS>F</FLAGS><DESCRIPTION>D</DESCRIPTION></IMAGE>` +
		`<TOTALBYTES>1050484</TOTALBYTES></WIM>` + "\n"
	if got != want {
		t.Fatalf("\n got %q\nwant %q", got, want)
	}
	if x.ImageCount() != 2 || x.ImageName(1) != "one" || x.ImageName(2) != "" || x.ImageName(3) != "" {
		t.Fatalf("count %d names %q %q", x.ImageCount(), x.ImageName(1), x.ImageName(2))
	}
	// Encoding twice leaves a single TOTALBYTES, last.
	again := encodedText(t, x.Encode(5))
	if strings.Count(again, "<TOTALBYTES>5</TOTALBYTES></WIM>") != 1 ||
		strings.Contains(again, "1050484") {
		t.Fatalf("second Encode: %q", again)
	}
}

func TestXMLEscaping(t *testing.T) {
	x := NewWIMXML()
	name := `a<b>c&d"e'f` + "\tg\rh\ni\U0001F600"
	x.AddImage(ImageInfo{Name: name})
	if err := x.SetImageProperty(1, "DISPLAYNAME", "&amp;"); err != nil {
		t.Fatal(err)
	}
	x.Root.Attrs = []xml.Attr{{Name: xml.Name{Local: "a"}, Value: "<\"&'>\t\n\r"}}
	b := x.Encode(0)
	s := encodedText(t, b)
	for _, want := range []string{
		`<NAME>a&lt;b&gt;c&amp;d"e'f` + "\tg&#13;h\ni\U0001F600</NAME>",
		`<DISPLAYNAME>&amp;amp;</DISPLAYNAME>`,
		`<WIM a="&lt;&quot;&amp;'&gt;&#9;&#10;&#13;">`,
	} {
		if !strings.Contains(s, want) {
			t.Errorf("encoded %q lacks %q", s, want)
		}
	}
	y, err := ParseWIMXML(b)
	if err != nil {
		t.Fatal(err)
	}
	if got := y.ImageName(1); got != name {
		t.Errorf("name back %q, want %q", got, name)
	}
	if got, _ := y.Root.Attr("a"); got != "<\"&'>\t\n\r" {
		t.Errorf("attribute back %q", got)
	}
	if got := y.ImageProperty(1, "DISPLAYNAME"); got != "&amp;" {
		t.Errorf("DISPLAYNAME back %q", got)
	}
	if !bytes.Equal(y.Encode(0), b) {
		t.Error("second round trip differs")
	}
}

func TestSetImageProperty(t *testing.T) {
	x := NewWIMXML()
	x.AddImage(ImageInfo{Name: "n"})
	set := func(path, value string) {
		t.Helper()
		if err := x.SetImageProperty(1, path, value); err != nil {
			t.Fatalf("SetImageProperty(%q, %q): %v", path, value, err)
		}
	}
	set("WINDOWS/VERSION/BUILD", "19041")
	set("WINDOWS/VERSION/MAJOR", "10")
	set("WINDOWS/LANGUAGES/LANGUAGE[1]", "en-US")
	set("WINDOWS/LANGUAGES/LANGUAGE[2]", "de-DE")
	set("WINDOWS/LANGUAGES/DEFAULT", "en-US")
	set("WINDOWS/VERSION/BUILD", "22000") // replace
	set("WINDOWS/LANGUAGES/LANGUAGE", "fr-FR")
	set("name", "lower") // case-sensitive: a new element
	set("DISPLAYNAME[1]", "dn")

	// The longest value the reader accepts is the longest one written.
	set("LONG", strings.Repeat("v", maxXMLValue))
	if err := x.SetImageProperty(1, "LONG", strings.Repeat("v", maxXMLValue+1)); !errors.Is(err, ErrInvalidProperty) {
		t.Fatalf("a value of maxXMLValue+1 bytes: %v", err)
	}
	set("LONG", "")

	err := x.SetImageProperty(1, "WINDOWS/LANGUAGES/LANGUAGE[4]", "xx")
	if !errors.Is(err, ErrInvalidProperty) {
		t.Fatalf("LANGUAGE[4] after two: %v", err)
	}
	err = x.SetImageProperty(1, "A/B[2]", "xx")
	if !errors.Is(err, ErrInvalidProperty) {
		t.Fatalf("A/B[2] with no A: %v", err)
	}
	if x.Image(1).Child("A") != nil {
		t.Fatal("failed SetImageProperty left elements behind")
	}

	want := `<IMAGE INDEX="1"><NAME>n</NAME>`
	s := encodedText(t, x.Encode(0))
	if !strings.HasPrefix(s, "<WIM>"+want) {
		t.Fatalf("document %q", s)
	}
	tail := `<WINDOWS><VERSION><BUILD>22000</BUILD><MAJOR>10</MAJOR></VERSION>` +
		`<LANGUAGES><LANGUAGE>fr-FR</LANGUAGE><LANGUAGE>de-DE</LANGUAGE><DEFAULT>en-US</DEFAULT></LANGUAGES>` +
		`</WINDOWS><name>lower</name><DISPLAYNAME>dn</DISPLAYNAME></IMAGE><TOTALBYTES>0</TOTALBYTES></WIM>` + "\n"
	if !strings.HasSuffix(s, tail) {
		t.Fatalf("document %q\nwant suffix %q", s, tail)
	}
	for path, want := range map[string]string{
		"WINDOWS/LANGUAGES/LANGUAGE[2]": "de-DE",
		"WINDOWS/LANGUAGES/LANGUAGE[3]": "",
		"NAME":                          "n",
		"name":                          "lower",
		"Name":                          "",
	} {
		if got := x.ImageProperty(1, path); got != want {
			t.Errorf("ImageProperty(%q) = %q, want %q", path, got, want)
		}
	}

	// A bad [3] right after [1].
	y := NewWIMXML()
	y.AddImage(ImageInfo{})
	if err := y.SetImageProperty(1, "L/LANGUAGE[1]", "a"); err != nil {
		t.Fatal(err)
	}
	if err := y.SetImageProperty(1, "L/LANGUAGE[3]", "c"); !errors.Is(err, ErrInvalidProperty) {
		t.Fatalf("[3] after [1]: %v", err)
	}

	// An empty value removes the element (wimlib semantics), a missing
	// one is not an error.
	set("WINDOWS/LANGUAGES/LANGUAGE[1]", "")
	if got := x.ImageProperty(1, "WINDOWS/LANGUAGES/LANGUAGE"); got != "de-DE" {
		t.Fatalf("after removing LANGUAGE[1], first is %q", got)
	}
	set("NAME", "")
	set("NOSUCH/THING", "")
	if x.ImageName(1) != "" || x.Image(1).Child("NOSUCH") != nil {
		t.Fatal("empty value did not remove NAME or created NOSUCH")
	}

	// Setting a value replaces children too.
	set("WINDOWS", "flat")
	if w := x.Image(1).Child("WINDOWS"); w.Text != "flat" || len(w.Children) != 0 {
		t.Fatalf("WINDOWS = %+v", w)
	}

	if err := x.SetImageProperty(2, "NAME", "x"); !errors.Is(err, ErrInvalidProperty) {
		t.Fatalf("image 2 of 1: %v", err)
	}
}

func TestSetImagePropertyBadSyntax(t *testing.T) {
	names := []string{"", "/A", "A/", "A//B", "A[0]", "A[]", "A[x]", "A[1", "A[1]x", "A[1]/",
		"[1]", "A[-1]", "A[99999999999]", "1A", "-A", "A B", "A<", "A&", "A\"", "A=B", "A\x00",
		"\xff", "A[1][2]"}
	for _, name := range names {
		x := NewWIMXML()
		x.AddImage(ImageInfo{})
		if err := x.SetImageProperty(1, name, "v"); !errors.Is(err, ErrInvalidProperty) {
			t.Errorf("SetImageProperty(%q) = %v, want ErrInvalidProperty", name, err)
		}
	}
	for _, value := range []string{"a\x00", "\x01", "\x1f", "\uFFFE", "\uFFFF", "a\xffb"} {
		x := NewWIMXML()
		x.AddImage(ImageInfo{})
		if err := x.SetImageProperty(1, "NAME", value); !errors.Is(err, ErrInvalidProperty) {
			t.Errorf("value %q: %v, want ErrInvalidProperty", value, err)
		}
	}
	for _, name := range []string{"A", "a_b", "_x", "x-y.z9", "ns:EL", "Ä", "日本", "A[12]/b"} {
		x := NewWIMXML()
		x.AddImage(ImageInfo{})
		err := x.SetImageProperty(1, name, "v\uFFFD\t")
		if name == "A[12]/b" {
			if !errors.Is(err, ErrInvalidProperty) {
				t.Errorf("%q: %v", name, err)
			}
			continue
		}
		if err != nil {
			t.Errorf("SetImageProperty(%q): %v", name, err)
			continue
		}
		// What we write must parse back.
		y, err := ParseWIMXML(x.Encode(0))
		if err != nil {
			t.Errorf("%q: reparse: %v", name, err)
		} else if got := y.ImageProperty(1, name); got != "v\uFFFD\t" {
			t.Errorf("%q: value back %q", name, got)
		}
	}
}

func TestXMLUnknownElementsPreserved(t *testing.T) {
	doc := `<WIM><TOTALBYTES>99</TOTALBYTES><IMAGE INDEX="1"><NAME>a</NAME>` +
		`<SERVICINGDATA><GDRDUREVISION>0</GDRDUREVISION><PKEYCONFIGVERSION>10.0</PKEYCONFIGVERSION></SERVICINGDATA>` +
		`<EMPTY></EMPTY><X:Y xmlns:X="urn:x" X:a="1"/></IMAGE><VENDOR v="1">t</VENDOR></WIM>`
	x, err := ParseWIMXML(append([]byte{0xFF, 0xFE}, utf16le(doc)...))
	if err != nil {
		t.Fatal(err)
	}
	if i := x.AddImage(ImageInfo{Name: "b"}); i != 2 {
		t.Fatalf("AddImage returned %d", i)
	}
	got := encodedText(t, x.Encode(1000))
	want := `<WIM><IMAGE INDEX="1"><NAME>a</NAME>` +
		`<SERVICINGDATA><GDRDUREVISION>0</GDRDUREVISION><PKEYCONFIGVERSION>10.0</PKEYCONFIGVERSION></SERVICINGDATA>` +
		`<EMPTY/><X:Y xmlns:X="urn:x" X:a="1"/></IMAGE><VENDOR v="1">t</VENDOR><IMAGE INDEX="2"><NAME>b</NAME>`
	if !strings.HasPrefix(got, want) || !strings.HasSuffix(got, "</IMAGE><TOTALBYTES>1000</TOTALBYTES></WIM>\n") {
		t.Fatalf("\n got %q\nwant prefix %q", got, want)
	}
}

func TestParseXMLEncodings(t *testing.T) {
	const doc = `<WIM><IMAGE INDEX="1"><NAME>é😀</NAME></IMAGE></WIM>`
	bom16 := append([]byte{0xFF, 0xFE}, utf16le(doc)...)
	inputs := map[string][]byte{
		"utf16-bom":         bom16,
		"utf16-nobom":       utf16le(doc),
		"utf16-nl":          append(append([]byte(nil), bom16...), 0x0A, 0),
		"utf16-nuls":        append(append([]byte(nil), bom16...), 0x0A, 0, 0, 0, 0, 0),
		"utf16-odd-nul":     append(append([]byte(nil), bom16...), 0),
		"utf8":              []byte(doc),
		"utf8-bom":          append([]byte{0xEF, 0xBB, 0xBF}, doc...),
		"utf8-nl-nuls":      []byte(doc + "\r\n\x00\x00"),
		"indented":          []byte("<WIM>\n  <IMAGE INDEX=\"1\">\n    <NAME>é😀</NAME>\n  </IMAGE>\n</WIM>\n"),
		"declaration-utf16": append([]byte{0xFF, 0xFE}, utf16le(`<?xml version="1.0" encoding="UTF-16"?>`+doc)...),
		"comment":           []byte(`<!-- c --><WIM><!-- d --><IMAGE INDEX="1"><NAME>é😀</NAME></IMAGE></WIM>`),
		"cdata":             []byte(`<WIM><IMAGE INDEX="1"><NAME><![CDATA[é]]>&#x1F600;</NAME></IMAGE></WIM>`),
	}
	want := append([]byte{0xFF, 0xFE}, utf16le(doc+"<TOTALBYTES>7</TOTALBYTES>")...)
	want = append(want[:len(want)-len(utf16le("</WIM><TOTALBYTES>7</TOTALBYTES>"))],
		utf16le("<TOTALBYTES>7</TOTALBYTES></WIM>\n")...)
	for name, in := range inputs {
		x, err := ParseWIMXML(in)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if got := x.Encode(7); !bytes.Equal(got, want) {
			t.Errorf("%s: got %q", name, encodedText(t, got))
		}
	}
}

func TestParseXMLErrors(t *testing.T) {
	bad := map[string][]byte{
		"empty":           nil,
		"nuls":            {0, 0, 0, 0},
		"not-wim-root":    []byte(`<WIMX/>`),
		"lowercase-root":  []byte(`<wim/>`),
		"mismatched":      []byte(`<WIM><A></B></WIM>`),
		"unclosed":        []byte(`<WIM><A>`),
		"two-roots":       []byte(`<WIM/><WIM/>`),
		"text-after":      []byte(`<WIM/>junk`),
		"bad-entity":      []byte(`<WIM>&nbsp;</WIM>`),
		"bad-char":        []byte("<WIM>\x01</WIM>"),
		"bad-utf8":        []byte("<WIM>\xff</WIM>"),
		"utf16-odd":       append([]byte{0xFF, 0xFE}, append(utf16le("<WIM/>"), 'x')...),
		"utf16-lone-high": append([]byte{0xFF, 0xFE}, append(utf16le("<WIM>"), 0x00, 0xD8, '<', 0)...),
		"utf16-lone-low":  append([]byte{0xFF, 0xFE}, append(utf16le("<WIM>"), 0x00, 0xDC)...),
		"too-deep":        []byte(strings.Repeat("<WIM>", maxXMLDepth+2) + strings.Repeat("</WIM>", maxXMLDepth+2)),
		"too-big":         append([]byte("<WIM>"), make([]byte, MaxXMLSize)...),
	}
	for name, in := range bad {
		if _, err := ParseXML(in); !errors.Is(err, ErrCorrupt) {
			t.Errorf("%s: err = %v, want ErrCorrupt", name, err)
		}
	}
	badIndex := map[string]string{
		"zero":        `<IMAGE INDEX="0"/>`,
		"gap":         `<IMAGE INDEX="1"/><IMAGE INDEX="3"/>`,
		"dup":         `<IMAGE INDEX="1"/><IMAGE INDEX="1"/>`,
		"missing":     `<IMAGE/>`,
		"nonnumeric":  `<IMAGE INDEX="one"/>`,
		"negative":    `<IMAGE INDEX="-1"/>`,
		"huge":        `<IMAGE INDEX="99999999999999999999"/>`,
		"beyond-last": `<IMAGE INDEX="2"/>`,
	}
	for name, images := range badIndex {
		if _, err := ParseWIMXML([]byte("<WIM>" + images + "</WIM>")); !errors.Is(err, ErrCorrupt) {
			t.Errorf("%s: err = %v, want ErrCorrupt", name, err)
		}
	}
	_, err := ParseWIMXML([]byte(`<WIM><ESD><ENCRYPTED/></ESD></WIM>`))
	if !errors.Is(err, ErrUnsupported) {
		t.Errorf("encrypted ESD: %v, want ErrUnsupported", err)
	}
	// Indexes in any order are fine.
	x, err := ParseWIMXML([]byte(`<WIM><IMAGE INDEX="2"><NAME>b</NAME></IMAGE><IMAGE INDEX="1"><NAME>a</NAME></IMAGE></WIM>`))
	if err != nil {
		t.Fatal(err)
	}
	if x.ImageCount() != 2 || x.ImageName(1) != "a" || x.ImageName(2) != "b" {
		t.Fatalf("out-of-order images: %d %q %q", x.ImageCount(), x.ImageName(1), x.ImageName(2))
	}
	if i := x.AddImage(ImageInfo{Name: "c"}); i != 3 || x.ImageName(3) != "c" {
		t.Fatalf("AddImage after out-of-order images: %d", i)
	}
}

// TestParseXMLLimits: a hostile document is refused early with a clear
// error, within bounded memory, and the limits are libxml2's (wimlib's
// parser) where it has them: 256 levels below the root, 10,000,000-byte
// attribute values and texts.
func TestParseXMLLimits(t *testing.T) {
	nest := func(levels int) []byte {
		return []byte("<WIM>" + strings.Repeat("<A>", levels) + strings.Repeat("</A>", levels) + "</WIM>")
	}
	big := func(n int) string { return strings.Repeat("x", n) }
	ok := map[string][]byte{
		"256 levels": nest(maxXMLDepth),
		"attribute":  []byte(`<WIM><A V="` + big(maxXMLValue) + `"/></WIM>`),
		"text":       []byte(`<WIM><A>` + big(maxXMLValue) + `</A></WIM>`),
	}
	for name, in := range ok {
		if _, err := ParseXML(in); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
	bad := map[string]struct {
		in   []byte
		want string
	}{
		"257 levels": {nest(maxXMLDepth + 1), "nested more than 256 deep"},
		"attribute":  {[]byte(`<WIM><A V="` + big(maxXMLValue+1) + `"/></WIM>`), "attribute V of <A> is 10000001 bytes"},
		"text":       {[]byte(`<WIM><A>` + big(maxXMLValue+1) + `</A></WIM>`), "text of <A> is over the limit"},
		// Text in pieces around a comment adds up.
		"split text": {[]byte(`<WIM><A>` + big(6e6) + `<!--c-->` + big(6e6) + `</A></WIM>`), "text of <A>"},
	}
	for name, c := range bad {
		if _, err := ParseXML(c.in); !errors.Is(err, ErrCorrupt) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: err = %v, want ErrCorrupt with %q", name, err, c.want)
		}
	}

	// 64 MiB of UTF-16 "<A/>": 8 million elements. Refused after a
	// million, having allocated a fraction of the 1.9 GB it took to
	// parse whole.
	doc := append([]byte{0xFF, 0xFE}, utf16le("<WIM>")...)
	doc = append(doc, bytes.Repeat(utf16le("<A/>"), (MaxXMLSize-32)/8)...)
	doc = append(doc, utf16le("</WIM>")...)
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	_, err := ParseXML(doc)
	runtime.ReadMemStats(&after)
	if !errors.Is(err, ErrCorrupt) || !strings.Contains(err.Error(), "more than 1048576 elements") {
		t.Fatalf("8M elements: err = %v", err)
	}
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 400<<20 {
		t.Fatalf("8M elements: %d MiB allocated before the refusal", alloc>>20)
	}
}

func FuzzParseXML(f *testing.F) {
	f.Add([]byte(`<WIM><IMAGE INDEX="1"><NAME>a&amp;</NAME></IMAGE><TOTALBYTES>5</TOTALBYTES></WIM>`))
	f.Add(append([]byte{0xFF, 0xFE}, utf16le(`<WIM><X a="&#9;">&#13;</X></WIM>`)...))
	f.Fuzz(func(t *testing.T, b []byte) {
		n, err := ParseXML(b)
		if err != nil {
			if !errors.Is(err, ErrCorrupt) {
				t.Fatalf("error %v does not wrap ErrCorrupt", err)
			}
			return
		}
		enc := EncodeXML(n)
		n2, err := ParseXML(enc)
		if err != nil {
			t.Fatalf("re-parse of %q: %v", enc, err)
		}
		if enc2 := EncodeXML(n2); !bytes.Equal(enc, enc2) {
			t.Fatalf("encoding not stable:\n%q\n%q", enc, enc2)
		}
	})
}

// TestSetImageCounters: the counters and modification time overwrite what
// properties set, in place; one a property removed comes back last.
func TestSetImageCounters(t *testing.T) {
	x := NewWIMXML()
	info := ImageInfo{Name: "n", DirCount: 1, FileCount: 2, TotalBytes: 3, HardLinkBytes: 4, CreationTime: 5, LastModificationTime: 6}
	x.AddImage(info)
	for _, p := range [][2]string{{"TOTALBYTES", "99"}, {"FILECOUNT", ""}, {"LASTMODIFICATIONTIME/HIGHPART", "0x7"}, {"FOO", "bar"}} {
		if err := x.SetImageProperty(1, p[0], p[1]); err != nil {
			t.Fatal(err)
		}
	}
	x.SetImageCounters(1, info)
	got := encodedText(t, x.Encode(0))
	want := `<WIM><IMAGE INDEX="1"><NAME>n</NAME><DIRCOUNT>1</DIRCOUNT><TOTALBYTES>3</TOTALBYTES><HARDLINKBYTES>4</HARDLINKBYTES>` +
		`<CREATIONTIME><HIGHPART>0x00000000</HIGHPART><LOWPART>0x00000005</LOWPART></CREATIONTIME>` +
		`<LASTMODIFICATIONTIME><HIGHPART>0x00000000</HIGHPART><LOWPART>0x00000006</LOWPART></LASTMODIFICATIONTIME>` +
		`<FOO>bar</FOO><FILECOUNT>2</FILECOUNT></IMAGE><TOTALBYTES>0</TOTALBYTES></WIM>` + "\n"
	if got != want {
		t.Fatalf("\n got %q\nwant %q", got, want)
	}
}
