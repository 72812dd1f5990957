package image

import (
	"encoding/binary"
	"errors"
	"slices"
	"unicode"
	"unicode/utf16"
)

// ErrBadUTF8 reports a name or link target that is not valid UTF-8 (with
// the addition of surrogate code points, which wimlib also accepts).
var ErrBadUTF8 = errors.New("not valid UTF-8")

// ToUTF16 converts a UNIX name to UTF-16LE. Unpaired surrogates encoded in
// the 3-byte UTF-8 form (as WTF-8 does) are accepted and kept as is, so
// that such names round-trip through wimapply.
func ToUTF16(s string) ([]byte, error) {
	return appendUTF16(make([]byte, 0, 2*len(s)), s)
}

// CheckName reports whether name converts to UTF-16 (ToUTF16), without
// keeping the conversion.
func CheckName(name string) error {
	var buf [256]byte
	_, err := appendUTF16(buf[:0], name)
	return err
}

// appendUTF16 is ToUTF16 appending to out.
func appendUTF16(out []byte, s string) ([]byte, error) {
	for i := 0; i < len(s); {
		c := s[i]
		var r rune
		var n int
		switch {
		case c < 0x80:
			r, n = rune(c), 1
		case c&0xE0 == 0xC0:
			if i+1 >= len(s) || s[i+1]&0xC0 != 0x80 {
				return nil, ErrBadUTF8
			}
			r, n = rune(c&0x1F)<<6|rune(s[i+1]&0x3F), 2
			if r < 0x80 {
				return nil, ErrBadUTF8
			}
		case c&0xF0 == 0xE0:
			if i+2 >= len(s) || s[i+1]&0xC0 != 0x80 || s[i+2]&0xC0 != 0x80 {
				return nil, ErrBadUTF8
			}
			r, n = rune(c&0x0F)<<12|rune(s[i+1]&0x3F)<<6|rune(s[i+2]&0x3F), 3
			if r < 0x800 {
				return nil, ErrBadUTF8
			}
		case c&0xF8 == 0xF0:
			if i+3 >= len(s) || s[i+1]&0xC0 != 0x80 || s[i+2]&0xC0 != 0x80 || s[i+3]&0xC0 != 0x80 {
				return nil, ErrBadUTF8
			}
			r, n = rune(c&0x07)<<18|rune(s[i+1]&0x3F)<<12|rune(s[i+2]&0x3F)<<6|rune(s[i+3]&0x3F), 4
			if r < 0x10000 || r > unicode.MaxRune {
				return nil, ErrBadUTF8
			}
		default:
			return nil, ErrBadUTF8
		}
		i += n
		if r >= 0x10000 {
			hi, lo := utf16.EncodeRune(r)
			out = binary.LittleEndian.AppendUint16(out, uint16(hi))
			out = binary.LittleEndian.AppendUint16(out, uint16(lo))
		} else {
			out = binary.LittleEndian.AppendUint16(out, uint16(r))
		}
	}
	return out, nil
}

// FromUTF16 converts UTF-16LE to UTF-8, keeping unpaired surrogates in the
// 3-byte form (the inverse of ToUTF16).
func FromUTF16(b []byte) string {
	out := make([]byte, 0, len(b))
	for i := 0; i+1 < len(b); i += 2 {
		u := rune(binary.LittleEndian.Uint16(b[i:]))
		if utf16.IsSurrogate(u) && u < 0xDC00 && i+3 < len(b) {
			lo := rune(binary.LittleEndian.Uint16(b[i+2:]))
			if lo >= 0xDC00 && lo < 0xE000 {
				out = utf8Append(out, utf16.DecodeRune(u, lo))
				i += 2
				continue
			}
		}
		out = utf8Append(out, u)
	}
	return string(out)
}

// utf8Append encodes r without replacing surrogates.
func utf8Append(b []byte, r rune) []byte {
	switch {
	case r < 0x80:
		return append(b, byte(r))
	case r < 0x800:
		return append(b, 0xC0|byte(r>>6), 0x80|byte(r&0x3F))
	case r < 0x10000:
		return append(b, 0xE0|byte(r>>12), 0x80|byte(r>>6&0x3F), 0x80|byte(r&0x3F))
	}
	return append(b, 0xF0|byte(r>>18), 0x80|byte(r>>12&0x3F), 0x80|byte(r>>6&0x3F), 0x80|byte(r&0x3F))
}

// upcase maps one UTF-16 code unit to upper case the way NTFS collates
// names: simple one-to-one case mapping within the BMP.
func upcase(u uint16) uint16 {
	if u < 0x80 {
		if u >= 'a' && u <= 'z' {
			return u - 32
		}
		return u
	}
	if u >= 0xD800 && u < 0xE000 {
		return u
	}
	r := unicode.ToUpper(rune(u))
	if r > 0xFFFF {
		return u
	}
	return uint16(r)
}

// compareNames orders UTF-16LE names as wimlib does: code unit by code unit
// after upper-casing, a prefix first; ties broken case-sensitively.
func compareNames(a, b []byte) int {
	if c := compareUnits(a, b, true); c != 0 {
		return c
	}
	return compareUnits(a, b, false)
}

func compareUnits(a, b []byte, fold bool) int {
	n := min(len(a), len(b)) &^ 1
	for i := 0; i < n; i += 2 {
		x := binary.LittleEndian.Uint16(a[i:])
		y := binary.LittleEndian.Uint16(b[i:])
		if fold {
			x, y = upcase(x), upcase(y)
		}
		if x != y {
			if x < y {
				return -1
			}
			return 1
		}
	}
	return len(a) - len(b)
}

// SortChildren sorts every child list below d into collation order. The
// UTF-16 names it compares are made per directory while it sorts (dentries
// do not keep them).
func (d *Dentry) SortChildren() {
	if n := len(d.Children); n > 1 {
		var names []byte
		ends := make([]int, n)
		for i, c := range d.Children {
			names = c.AppendName16(names)
			ends[i] = len(names)
		}
		type keyed struct {
			d    *Dentry
			name []byte
		}
		ks := make([]keyed, n)
		for i, c := range d.Children {
			start := 0
			if i > 0 {
				start = ends[i-1]
			}
			ks[i] = keyed{c, names[start:ends[i]]}
		}
		slices.SortFunc(ks, func(x, y keyed) int { return compareNames(x.name, y.name) })
		for i := range ks {
			d.Children[i] = ks[i].d
		}
	}
	for _, c := range d.Children {
		c.SortChildren()
	}
}
