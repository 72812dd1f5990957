package wimfmt

// The XML document of a WIM (wim-format.md section 6).
//
// The document is kept as a generic element tree so that elements written by
// other tools (WINDOWS, SERVICINGDATA, ESD, unknown vendor elements) survive
// an append untouched. WIM-specific helpers (WIMXML) edit it by path.
//
// Serialization imitates wimlib 1.13.5, which uses libxml2: UTF-16LE with a
// BOM, no declaration, no indentation, "<X/>" for an element without
// content, text escaping of & < > and CR only, attribute escaping of
// & < > " TAB LF CR, and a final newline after </WIM>.

import (
	"bytes"
	"encoding/binary"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"
)

// MaxXMLSize is the largest XML resource ParseXML accepts, in bytes. Real
// documents are a few KiB per image; callers check a resource's original
// size against it before reading the resource.
const MaxXMLSize = 64 << 20

// maxXMLDepth bounds element nesting below the root so that a hostile
// document cannot make the (recursive) encoder or tree walkers exhaust the
// stack. WIM documents nest about five levels deep. libxml2 (which wimlib
// parses with) allows the same: 256 levels below the root, not 257.
const maxXMLDepth = 256

// maxXMLElements bounds the number of elements: each costs about 230 bytes
// of allocation and 2 µs to parse, so a 64 MiB document of "<A/>" had taken
// 1.9 GB and a minute. A WIM's document has a few dozen elements per image.
const maxXMLElements = 1 << 20

// maxXMLValue is the longest attribute value or element text accepted, in
// UTF-8 bytes: libxml2's XML_MAX_TEXT_LENGTH, beyond which wimlib refuses
// the document (a WIM we appended to would no longer open in wimlib).
const maxXMLValue = 10_000_000

// ErrInvalidProperty is returned (wrapped) by SetImageProperty for a
// malformed property name, an index that skips elements, or a value that
// cannot be stored in XML.
var ErrInvalidProperty = errors.New("wimfmt: invalid image property")

// XMLNode is one element of the document. Name includes any namespace prefix
// ("prefix:local"); Attrs keep their prefix in Name.Space. Text is the
// element's character data (unescaped); elements written by WIM tools hold
// either text or children, never both. Comments and processing instructions
// are not kept.
type XMLNode struct {
	Name     string
	Attrs    []xml.Attr
	Text     string
	Children []*XMLNode
}

// Child returns the first child element called name, or nil.
func (n *XMLNode) Child(name string) *XMLNode {
	for _, c := range n.Children {
		if c.Name == name {
			return c
		}
	}
	return nil
}

// Attr returns the value of the attribute called name (no prefix) and
// whether it is present.
func (n *XMLNode) Attr(name string) (string, bool) {
	for _, a := range n.Attrs {
		if a.Name.Space == "" && a.Name.Local == name {
			return a.Value, true
		}
	}
	return "", false
}

// removeChild unlinks c from n's children.
func (n *XMLNode) removeChild(c *XMLNode) {
	for i, x := range n.Children {
		if x == c {
			n.Children = append(n.Children[:i], n.Children[i+1:]...)
			return
		}
	}
}

func corruptXML(format string, args ...any) error {
	return fmt.Errorf("%w: XML document: %s", ErrCorrupt, fmt.Sprintf(format, args...))
}

// ParseXML decodes a WIM XML resource: UTF-16LE with or without a BOM, or
// UTF-8 with or without a BOM. Trailing NULs and whitespace are tolerated.
// The root element must be WIM. Errors wrap ErrCorrupt.
func ParseXML(b []byte) (*XMLNode, error) {
	if len(b) > MaxXMLSize {
		return nil, corruptXML("%d bytes exceeds the limit of %d", len(b), MaxXMLSize)
	}
	text, err := xmlDocumentText(b)
	if err != nil {
		return nil, err
	}
	d := xml.NewDecoder(strings.NewReader(text))
	d.Strict = true
	// The text is already UTF-8 whatever a declaration says.
	d.CharsetReader = func(_ string, r io.Reader) (io.Reader, error) { return r, nil }

	// open is the path from the root to the current element, with the
	// character data collected so far for each.
	type openElement struct {
		node *XMLNode
		text []byte
	}
	var root *XMLNode
	var open []openElement
	elements := 0
	for {
		tok, err := d.RawToken()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, corruptXML("%v", err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if root != nil && len(open) == 0 {
				return nil, corruptXML("content after the root element")
			}
			if len(open) > maxXMLDepth {
				return nil, corruptXML("elements nested more than %d deep below <%s>", maxXMLDepth, root.Name)
			}
			if elements++; elements > maxXMLElements {
				return nil, corruptXML("more than %d elements", maxXMLElements)
			}
			n := &XMLNode{Name: qualifiedName(t.Name)}
			for _, a := range t.Attr {
				if len(a.Value) > maxXMLValue {
					return nil, corruptXML("attribute %s of <%s> is %d bytes long, over the limit of %d", qualifiedName(a.Name), n.Name, len(a.Value), maxXMLValue)
				}
			}
			if len(t.Attr) > 0 {
				n.Attrs = append([]xml.Attr(nil), t.Attr...)
			}
			if len(open) == 0 {
				root = n
			} else {
				p := open[len(open)-1].node
				p.Children = append(p.Children, n)
			}
			open = append(open, openElement{node: n})
		case xml.EndElement:
			// RawToken does not pair tags; do it here.
			if len(open) == 0 || open[len(open)-1].node.Name != qualifiedName(t.Name) {
				return nil, corruptXML("unexpected </%s>", qualifiedName(t.Name))
			}
			e := open[len(open)-1]
			open = open[:len(open)-1]
			// Whitespace between child elements is layout (indentation
			// written by some tools), not content.
			if len(e.node.Children) == 0 || len(bytes.TrimSpace(e.text)) != 0 {
				e.node.Text = string(e.text)
			}
		case xml.CharData:
			if len(open) == 0 {
				if len(bytes.TrimSpace(t)) != 0 {
					return nil, corruptXML("text outside the root element")
				}
				continue
			}
			e := &open[len(open)-1]
			if len(e.text)+len(t) > maxXMLValue {
				return nil, corruptXML("text of <%s> is over the limit of %d bytes", e.node.Name, maxXMLValue)
			}
			e.text = append(e.text, t...)
		}
	}
	if root == nil {
		return nil, corruptXML("no root element")
	}
	if len(open) != 0 {
		return nil, corruptXML("<%s> not closed", open[len(open)-1].node.Name)
	}
	if root.Name != "WIM" {
		return nil, corruptXML("root element is <%s>, not <WIM>", root.Name)
	}
	return root, nil
}

func qualifiedName(n xml.Name) string {
	if n.Space == "" {
		return n.Local
	}
	return n.Space + ":" + n.Local
}

// xmlDocumentText converts the raw resource to a Go (UTF-8) string without
// BOM or trailing NULs.
func xmlDocumentText(b []byte) (string, error) {
	switch {
	case len(b) >= 2 && b[0] == 0xFF && b[1] == 0xFE:
		return utf16Text(b[2:])
	case len(b) >= 3 && b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF:
		return utf8Text(b[3:])
	case len(b) >= 2 && b[0] != 0 && b[1] == 0:
		return utf16Text(b)
	default:
		return utf8Text(b)
	}
}

func utf8Text(b []byte) (string, error) {
	b = bytes.TrimRight(b, "\x00")
	if !utf8.Valid(b) {
		return "", corruptXML("invalid UTF-8")
	}
	return string(b), nil
}

func utf16Text(b []byte) (string, error) {
	if len(b)%2 != 0 {
		if b[len(b)-1] != 0 {
			return "", corruptXML("odd length %d for UTF-16", len(b))
		}
		b = b[:len(b)-1]
	}
	// Decoded in place, not through a []uint16 copy (twice the document).
	u := func(i int) uint16 { return binary.LittleEndian.Uint16(b[2*i:]) }
	n := len(b) / 2
	for n > 0 && u(n-1) == 0 {
		n--
	}
	var sb strings.Builder
	sb.Grow(n)
	for i := 0; i < n; i++ {
		r := rune(u(i))
		switch {
		case utf16.IsSurrogate(r):
			if r >= 0xDC00 || i+1 == n {
				return "", corruptXML("unpaired UTF-16 surrogate at unit %d", i)
			}
			r = utf16.DecodeRune(r, rune(u(i+1)))
			if r == unicode.ReplacementChar {
				return "", corruptXML("unpaired UTF-16 surrogate at unit %d", i)
			}
			i++
		}
		sb.WriteRune(r)
	}
	return sb.String(), nil
}

// EncodeXML serializes the tree as wimlib 1.13.5 does: UTF-16LE, BOM FF FE
// first, no declaration, no indentation, a "\n" after the root element.
func EncodeXML(root *XMLNode) []byte {
	var sb strings.Builder
	writeXMLNode(&sb, root)
	sb.WriteByte('\n')
	s := sb.String()

	out := make([]byte, 2, 2+2*len(s))
	out[0], out[1] = 0xFF, 0xFE
	for _, r := range s {
		if r >= 0x10000 {
			r1, r2 := utf16.EncodeRune(r)
			out = binary.LittleEndian.AppendUint16(out, uint16(r1))
			out = binary.LittleEndian.AppendUint16(out, uint16(r2))
			continue
		}
		out = binary.LittleEndian.AppendUint16(out, uint16(r))
	}
	return out
}

func writeXMLNode(sb *strings.Builder, n *XMLNode) {
	sb.WriteByte('<')
	sb.WriteString(n.Name)
	for _, a := range n.Attrs {
		sb.WriteByte(' ')
		sb.WriteString(qualifiedName(a.Name))
		sb.WriteString(`="`)
		escapeXMLAttr(sb, a.Value)
		sb.WriteByte('"')
	}
	if n.Text == "" && len(n.Children) == 0 {
		sb.WriteString("/>")
		return
	}
	sb.WriteByte('>')
	escapeXMLText(sb, n.Text)
	for _, c := range n.Children {
		writeXMLNode(sb, c)
	}
	sb.WriteString("</")
	sb.WriteString(n.Name)
	sb.WriteByte('>')
}

// escapeXMLText escapes character data the way libxml2 does: quotes and
// tabs stay literal, CR becomes a character reference so it survives
// end-of-line normalisation.
func escapeXMLText(sb *strings.Builder, s string) {
	for _, r := range s {
		switch r {
		case '&':
			sb.WriteString("&amp;")
		case '<':
			sb.WriteString("&lt;")
		case '>':
			sb.WriteString("&gt;")
		case '\r':
			sb.WriteString("&#13;")
		default:
			sb.WriteRune(r)
		}
	}
}

// escapeXMLAttr escapes an attribute value (libxml2 rules): whitespace
// other than space becomes a character reference so that attribute value
// normalisation does not change it.
func escapeXMLAttr(sb *strings.Builder, s string) {
	for _, r := range s {
		switch r {
		case '&':
			sb.WriteString("&amp;")
		case '<':
			sb.WriteString("&lt;")
		case '>':
			sb.WriteString("&gt;")
		case '"':
			sb.WriteString("&quot;")
		case '\t':
			sb.WriteString("&#9;")
		case '\n':
			sb.WriteString("&#10;")
		case '\r':
			sb.WriteString("&#13;")
		default:
			sb.WriteRune(r)
		}
	}
}

// ImageInfo is what AddImage writes for a new image.
type ImageInfo struct {
	Name, Description, Flags  string
	DirCount, FileCount       uint64
	TotalBytes, HardLinkBytes uint64
	// CreationTime and LastModificationTime are FILETIMEs (100 ns units
	// since 1601-01-01 UTC).
	CreationTime, LastModificationTime uint64
	WIMBoot                            bool
	// Detected are set right after the timestamps, in order, as
	// SetImageProperty sets them: what the image's contents say about it
	// (the WINDOWS element, FLAGS, DISPLAYNAME, DISPLAYDESCRIPTION), which
	// wimlib sets while adding the image. Values must pass
	// CheckPropertyValue; any that fail are left out.
	Detected []ImageProperty
}

// ImageProperty is an element of an image set by its path (see
// SetImageProperty).
type ImageProperty struct{ Path, Value string }

// CheckPropertyValue reports why value cannot be an element's text, or nil.
func CheckPropertyValue(value string) error { return checkXMLValue(value) }

// WIMXML is the XML document of a whole WIM. Images are the IMAGE children
// of Root, identified by their INDEX attribute (1..N, in any order).
type WIMXML struct{ Root *XMLNode }

// NewWIMXML returns the document of a WIM without images.
func NewWIMXML() *WIMXML {
	return &WIMXML{Root: &XMLNode{Name: "WIM"}}
}

// ParseWIMXML parses a WIM's XML resource and checks that the INDEX
// attributes of the IMAGE elements are exactly 1..N. The caller compares
// ImageCount with the header's image count. An encrypted ESD document
// (ESD/ENCRYPTED present) gives ErrUnsupported.
func ParseWIMXML(b []byte) (*WIMXML, error) {
	root, err := ParseXML(b)
	if err != nil {
		return nil, err
	}
	if esd := root.Child("ESD"); esd != nil && esd.Child("ENCRYPTED") != nil {
		return nil, fmt.Errorf("%w: encrypted ESD", ErrUnsupported)
	}
	var n int
	for _, c := range root.Children {
		if c.Name == "IMAGE" {
			n++
		}
	}
	seen := make([]bool, n+1)
	for _, c := range root.Children {
		if c.Name != "IMAGE" {
			continue
		}
		idx, ok := imageIndex(c)
		if !ok || idx < 1 || idx > n {
			v, _ := c.Attr("INDEX")
			return nil, corruptXML("IMAGE INDEX %q not in 1..%d", v, n)
		}
		if seen[idx] {
			return nil, corruptXML("two IMAGE elements with INDEX %d", idx)
		}
		seen[idx] = true
	}
	return &WIMXML{Root: root}, nil
}

// imageIndex parses the INDEX attribute of an IMAGE element (decimal).
func imageIndex(img *XMLNode) (int, bool) {
	v, ok := img.Attr("INDEX")
	if !ok {
		return 0, false
	}
	i, err := strconv.ParseUint(strings.TrimSpace(v), 10, 31)
	if err != nil {
		return 0, false
	}
	return int(i), true
}

// ImageCount returns the number of IMAGE elements.
func (x *WIMXML) ImageCount() int {
	n := 0
	for _, c := range x.Root.Children {
		if c.Name == "IMAGE" {
			n++
		}
	}
	return n
}

// Image returns the IMAGE element with the given 1-based index, or nil.
func (x *WIMXML) Image(index int) *XMLNode {
	for _, c := range x.Root.Children {
		if c.Name != "IMAGE" {
			continue
		}
		if i, ok := imageIndex(c); ok && i == index {
			return c
		}
	}
	return nil
}

// ImageName returns the NAME of image index (1-based), "" when the image
// has no NAME or does not exist.
func (x *WIMXML) ImageName(index int) string {
	return x.ImageProperty(index, "NAME")
}

// ImageProperty returns the text of the element at path (SetImageProperty
// syntax) inside image index, "" when absent or the path is malformed.
func (x *WIMXML) ImageProperty(index int, path string) string {
	img := x.Image(index)
	if img == nil {
		return ""
	}
	steps, err := parsePropertyPath(path)
	if err != nil {
		return ""
	}
	n, _, _ := walkProperty(img, steps)
	if n == nil {
		return ""
	}
	return n.Text
}

// SetImageCounters writes the counters and modification time wimlib
// computes when it writes an image (DIRCOUNT, FILECOUNT, TOTALBYTES,
// HARDLINKBYTES, LASTMODIFICATIONTIME) over whatever properties set: each
// replaces the first element of its name, or is appended when there is
// none.
func (x *WIMXML) SetImageCounters(index int, info ImageInfo) {
	img := x.Image(index)
	if img == nil {
		return
	}
	set := func(n *XMLNode) {
		for i, c := range img.Children {
			if c.Name == n.Name {
				img.Children[i] = n
				return
			}
		}
		img.Children = append(img.Children, n)
	}
	num := func(name string, v uint64) { set(&XMLNode{Name: name, Text: strconv.FormatUint(v, 10)}) }
	num("DIRCOUNT", info.DirCount)
	num("FILECOUNT", info.FileCount)
	num("TOTALBYTES", info.TotalBytes)
	num("HARDLINKBYTES", info.HardLinkBytes)
	set(timeNode("LASTMODIFICATIONTIME", info.LastModificationTime))
}

// timeNode is a FILETIME element as wimlib writes it.
func timeNode(name string, t uint64) *XMLNode {
	return &XMLNode{Name: name, Children: []*XMLNode{
		{Name: "HIGHPART", Text: fmt.Sprintf("0x%08X", uint32(t>>32))},
		{Name: "LOWPART", Text: fmt.Sprintf("0x%08X", uint32(t))},
	}}
}

// AddImage appends an IMAGE element for a new image and returns its index.
// Element order is wimlib 1.13.5's: NAME (omitted when empty), DIRCOUNT,
// FILECOUNT, TOTALBYTES, HARDLINKBYTES, CREATIONTIME, LASTMODIFICATIONTIME,
// the Detected properties, then WIMBOOT, FLAGS (in place when Detected set
// it) and DESCRIPTION when set. (wimlib sets WIMBOOT while
// adding the image and FLAGS and DESCRIPTION afterwards as properties, so a
// caller mixing them with other properties passes them empty here and sets
// them with SetImageProperty in command-line order.)
func (x *WIMXML) AddImage(info ImageInfo) int {
	index := x.ImageCount() + 1
	img := &XMLNode{
		Name:  "IMAGE",
		Attrs: []xml.Attr{{Name: xml.Name{Local: "INDEX"}, Value: strconv.Itoa(index)}},
	}
	text := func(name, value string) {
		img.Children = append(img.Children, &XMLNode{Name: name, Text: value})
	}
	num := func(name string, v uint64) { text(name, strconv.FormatUint(v, 10)) }
	stamp := func(name string, t uint64) { img.Children = append(img.Children, timeNode(name, t)) }
	if info.Name != "" {
		text("NAME", info.Name)
	}
	num("DIRCOUNT", info.DirCount)
	num("FILECOUNT", info.FileCount)
	num("TOTALBYTES", info.TotalBytes)
	num("HARDLINKBYTES", info.HardLinkBytes)
	stamp("CREATIONTIME", info.CreationTime)
	stamp("LASTMODIFICATIONTIME", info.LastModificationTime)
	x.Root.Children = append(x.Root.Children, img)
	for _, p := range info.Detected {
		x.SetImageProperty(index, p.Path, p.Value) // a bad one is left out
	}
	if info.WIMBoot {
		text("WIMBOOT", "1")
	}
	if f := img.Child("FLAGS"); f != nil && info.Flags != "" {
		f.Text = info.Flags
	} else if info.Flags != "" {
		text("FLAGS", info.Flags)
	}
	if info.Description != "" {
		text("DESCRIPTION", info.Description)
	}
	return index
}

// propertyStep is one component of a property path: the index-th (1-based)
// child element called name.
type propertyStep struct {
	name  string
	index int
}

// SetImageProperty sets the element at path inside image index to value,
// with wimlib's path syntax: "A/B/C" names nested elements, created as
// needed; "LANGUAGE[2]" is the second LANGUAGE child, which may be created
// only when exactly one exists. Names are case-sensitive. An existing
// element's content (text or children) is replaced; a new element is
// appended after its siblings. An empty value removes the element if it
// exists, as wimlib does. Errors wrap ErrInvalidProperty.
func (x *WIMXML) SetImageProperty(index int, path, value string) error {
	img := x.Image(index)
	if img == nil {
		return fmt.Errorf("%w: no image %d", ErrInvalidProperty, index)
	}
	steps, err := parsePropertyPath(path)
	if err != nil {
		return err
	}
	if err := checkXMLValue(value); err != nil {
		return fmt.Errorf("%w: value of %q: %v", ErrInvalidProperty, path, err)
	}
	n, parent, missing := walkProperty(img, steps)
	if value == "" {
		if n != nil {
			parent.removeChild(n)
		}
		return nil
	}
	if n == nil {
		// Create the rest of the path below the deepest existing element,
		// checking first so that a failure leaves the tree unchanged. Only
		// the element right after the last existing one may be created.
		have := countChildren(parent, steps[missing].name)
		for _, s := range steps[missing:] {
			if s.index != have+1 {
				return fmt.Errorf("%w: %q: %s[%d] given but %d %s element(s) exist there; "+
					"indexes must be used in sequential order",
					ErrInvalidProperty, path, s.name, s.index, have, s.name)
			}
			have = 0
		}
		n = parent
		for _, s := range steps[missing:] {
			c := &XMLNode{Name: s.name}
			n.Children = append(n.Children, c)
			n = c
		}
	}
	n.Text = value
	n.Children = nil
	return nil
}

func countChildren(n *XMLNode, name string) int {
	k := 0
	for _, c := range n.Children {
		if c.Name == name {
			k++
		}
	}
	return k
}

// walkProperty follows steps from n. When the whole path exists it returns
// the element and its parent. Otherwise it returns nil, the deepest element
// found, and the number of steps that matched.
func walkProperty(n *XMLNode, steps []propertyStep) (found, parent *XMLNode, matched int) {
	for i, s := range steps {
		var next *XMLNode
		k := s.index
		for _, c := range n.Children {
			if c.Name == s.name {
				if k--; k == 0 {
					next = c
					break
				}
			}
		}
		if next == nil {
			return nil, n, i
		}
		parent, n = n, next
	}
	return n, parent, len(steps)
}

// parsePropertyPath splits "A/B[2]/C" into steps, checking the syntax and
// that each name is a legal XML name.
func parsePropertyPath(path string) ([]propertyStep, error) {
	bad := func(why string) error {
		return fmt.Errorf("%w: %q: %s", ErrInvalidProperty, path, why)
	}
	if path == "" {
		return nil, bad("empty name")
	}
	comps := strings.Split(path, "/")
	steps := make([]propertyStep, 0, len(comps))
	for _, c := range comps {
		if c == "" {
			return nil, bad("empty path component")
		}
		s := propertyStep{name: c, index: 1}
		if i := strings.IndexByte(c, '['); i >= 0 {
			num, ok := strings.CutSuffix(c[i+1:], "]")
			if !ok || num == "" || strings.Trim(num, "0123456789") != "" {
				return nil, bad("malformed [index] in " + strconv.Quote(c))
			}
			v, err := strconv.ParseUint(num, 10, 31)
			if err != nil || v == 0 {
				return nil, bad("index in " + strconv.Quote(c) + " must be 1 or more")
			}
			s.name, s.index = c[:i], int(v)
			if s.name == "" {
				return nil, bad("empty path component")
			}
		}
		if !isXMLName(s.name) {
			return nil, bad(strconv.Quote(s.name) + " is not a legal XML element name")
		}
		steps = append(steps, s)
	}
	return steps, nil
}

// isXMLName reports whether s is an XML 1.0 Name (letters, '_' or ':'
// first; then also digits, '-', '.', combining marks). Non-ASCII letters
// are accepted by their Unicode category.
func isXMLName(s string) bool {
	if s == "" || !utf8.ValidString(s) {
		return false
	}
	for i, r := range s {
		switch {
		case r == '_' || r == ':' || 'A' <= r && r <= 'Z' || 'a' <= r && r <= 'z':
		case r >= 0x80 && unicode.IsLetter(r):
		case i == 0:
			return false
		case r == '-' || r == '.' || '0' <= r && r <= '9' || r == 0xB7:
		case r >= 0x80 && (unicode.IsDigit(r) || unicode.In(r, unicode.Mn, unicode.Mc, unicode.Lm, unicode.Nd)):
		default:
			return false
		}
	}
	return true
}

// checkXMLValue rejects text that XML 1.0 cannot carry: invalid UTF-8 and
// characters outside Char (control characters other than TAB, LF, CR;
// surrogates; U+FFFE, U+FFFF).
func checkXMLValue(s string) error {
	// A longer value would make a document that wimlib (and our reader)
	// refuse.
	if len(s) > maxXMLValue {
		return fmt.Errorf("%d bytes is over the limit of %d", len(s), maxXMLValue)
	}
	for i, r := range s {
		switch {
		case r == utf8.RuneError && !strings.HasPrefix(s[i:], "\uFFFD"):
			return fmt.Errorf("invalid UTF-8 at byte %d", i)
		case r == '\t' || r == '\n' || r == '\r':
		case r < 0x20 || r == 0xFFFE || r == 0xFFFF:
			return fmt.Errorf("character U+%04X at byte %d is not allowed in XML", r, i)
		}
	}
	return nil
}

// Encode replaces the root TOTALBYTES element (any old ones are removed; the
// new one becomes the last child of WIM, as wimlib places it) and returns
// EncodeXML of the document. totalBytes is the file offset at which the XML
// resource is written.
func (x *WIMXML) Encode(totalBytes int64) []byte {
	kept := x.Root.Children[:0]
	for _, c := range x.Root.Children {
		if c.Name != "TOTALBYTES" {
			kept = append(kept, c)
		}
	}
	x.Root.Children = append(kept, &XMLNode{Name: "TOTALBYTES", Text: strconv.FormatInt(totalBytes, 10)})
	return EncodeXML(x.Root)
}

// EncodeWithoutTotalBytes serializes the document without the root
// TOTALBYTES, as the XML copy at the start of a pipable WIM is written.
func (x *WIMXML) EncodeWithoutTotalBytes() []byte {
	kept := x.Root.Children[:0]
	for _, c := range x.Root.Children {
		if c.Name != "TOTALBYTES" {
			kept = append(kept, c)
		}
	}
	x.Root.Children = kept
	return EncodeXML(x.Root)
}
