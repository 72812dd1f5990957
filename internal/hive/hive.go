// Package hive reads values from a Windows NT registry hive file (the
// "regf" format of Windows/System32/config/SOFTWARE, SYSTEM, ...).
//
// It reads what the capture needs to describe a Windows image: string and
// number values and the names of subkeys, looked up by a backslash path
// from the root key, names compared case-insensitively. The acceptance
// rules follow wimlib's reader (so that a capture describes the same
// hives as wimlib does): the base block must say "regf", major version 1,
// and an hbin area that fits the file; cells are found by their offset in
// the hbin area (hbin headers are not needed); a value whose data does not
// fit one data cell (a "db" big-data value, only for values over 16 KiB) is
// reported as unsupported.
//
// A hive inside a captured tree is untrusted input: every offset and size
// is checked against the hbin area before use, counts are capped, subkey
// list nesting is bounded, and each Hive has a budget of cells it may visit
// and of name bytes it may return, so no input makes it panic, loop or
// allocate more than a small multiple of its own size.
package hive

import (
	"encoding/binary"
	"errors"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"
)

// The errors a lookup returns; callers tell a broken hive (ErrCorrupt,
// ErrUnsupported, ErrTooMuchWork) from a hive that simply lacks the key or
// value (ErrKeyNotFound, ErrValueNotFound, ErrWrongType).
var (
	ErrCorrupt       = errors.New("registry hive is corrupt")
	ErrUnsupported   = errors.New("registry hive uses an unsupported format")
	ErrKeyNotFound   = errors.New("registry key not found")
	ErrValueNotFound = errors.New("registry value not found")
	ErrWrongType     = errors.New("registry value has another type")
	ErrTooMuchWork   = errors.New("registry hive needs too much work to read (cell budget spent)")
)

// Value types (REG_*).
const (
	TypeSZ         = 1
	TypeExpandSZ   = 2
	TypeBinary     = 3
	TypeDWORD      = 4
	TypeDWORDBig   = 5
	TypeMultiSZ    = 7
	TypeQWORD      = 11
	baseBlockSize  = 4096
	regfMagic      = "regf"
	offRootKey     = 0x24
	offHbinSize    = 0x28
	offMajor       = 0x14
	nkSize         = 0x50 // nk cell up to its name
	vkSize         = 0x18 // vk cell up to its name
	listHdrSize    = 8    // subkey list: cell size, magic, count
	nkCompressed   = 0x0020
	vkCompressed   = 0x0001
	inlineDataFlag = 0x80000000
)

// Limits: a real hive stays far below each.
const (
	maxValues       = 65536   // values of one key
	maxSubkeys      = 65536   // subkeys of one key
	maxListLevels   = 5       // nesting of ri lists
	maxLists        = 4096    // subkey lists visited for one key
	maxValueSize    = 1 << 20 // bytes of one value's data
	defaultCells    = 1 << 22 // cells one Hive may visit in all
	defaultNameByte = 4 << 20 // subkey name bytes one Hive may return in all
)

// Hive is an opened hive file held in memory.
type Hive struct {
	bins  []byte // the hbin area: cell offsets count from its start
	root  uint32
	cells int // cells still allowed to be visited
	names int // subkey name bytes still allowed to be returned
}

// Open checks the base block of a hive file and returns the hive. It fails
// with ErrCorrupt for a file too short for its base block or whose hbin
// area does not fit, ErrUnsupported for another magic or major version.
// b is kept, not copied.
func Open(b []byte) (*Hive, error) {
	if len(b) < baseBlockSize {
		return nil, ErrCorrupt
	}
	if string(b[:4]) != regfMagic || le32(b, offMajor) != 1 {
		return nil, ErrUnsupported
	}
	n := le32(b, offHbinSize)
	if uint64(n) > uint64(len(b)-baseBlockSize) {
		return nil, ErrCorrupt
	}
	return &Hive{
		bins:  b[baseBlockSize : baseBlockSize+int(n)],
		root:  le32(b, offRootKey),
		cells: defaultCells,
		names: defaultNameByte,
	}, nil
}

func le16(b []byte, off int) uint16 { return binary.LittleEndian.Uint16(b[off:]) }
func le32(b []byte, off int) uint32 { return binary.LittleEndian.Uint32(b[off:]) }

// cell returns the in-use cell at off, at least want bytes long (counting
// its 4-byte size field), or nil. The slice ends where the cell ends or the
// hbin area does, whichever is first.
func (h *Hive) cell(off uint32, want int) ([]byte, error) {
	if h.cells <= 0 {
		return nil, ErrTooMuchWork
	}
	h.cells--
	total := uint64(len(h.bins))
	if uint64(off) > total || off&7 != 0 || uint64(want) > total-uint64(off) || want < 4 {
		return nil, ErrCorrupt
	}
	// In-use cells store their size negated; a positive size is a free cell.
	size := int32(le32(h.bins, int(off)))
	if size >= 0 || size == -1<<31 {
		return nil, ErrCorrupt
	}
	n := min(uint64(-size), total-uint64(off))
	if uint64(want) > n {
		return nil, ErrCorrupt
	}
	return h.bins[off : uint64(off)+n], nil
}

// key is an nk cell, checked to hold its name.
type key []byte

func (k key) name() ([]byte, bool) {
	n := int(le16(k, 0x4C))
	return k[nkSize : nkSize+n], le16(k, 0x06)&nkCompressed != 0
}
func (k key) subkeyCount() uint32 { return le32(k, 0x18) }
func (k key) subkeyList() uint32  { return le32(k, 0x20) }
func (k key) valueCount() uint32  { return le32(k, 0x28) }
func (k key) valueList() uint32   { return le32(k, 0x2C) }

// nk returns the key cell at off, checked to hold its whole name when
// the name is to be read (the root key's never is).
func (h *Hive) nk(off uint32, withName bool) (key, error) {
	c, err := h.cell(off, nkSize)
	if err != nil {
		return nil, err
	}
	if string(c[4:6]) != "nk" {
		return nil, ErrCorrupt
	}
	if withName && len(c) < nkSize+int(le16(c, 0x4C)) {
		return nil, ErrCorrupt
	}
	return key(c), nil
}

// errStop ends a subkey walk early.
var errStop = errors.New("stop")

// subkeys calls fn for each subkey of k, in list order. It checks that the
// lists hold exactly the number of subkeys k says, unless fn stops early.
func (h *Hive) subkeys(k key, fn func(key) error) error {
	n := k.subkeyCount()
	if n == 0 {
		return nil
	}
	if n > maxSubkeys {
		return ErrCorrupt
	}
	w := walk{left: n, levels: maxListLevels, lists: maxLists, fn: fn}
	err := h.walkList(k.subkeyList(), &w)
	if err == errStop {
		return nil
	}
	if err == nil && w.left != 0 {
		return ErrCorrupt
	}
	return err
}

type walk struct {
	left          uint32 // subkeys not yet seen
	levels, lists int
	fn            func(key) error
}

// walkList visits one subkey list: lf and lh lists hold (offset, hash)
// pairs, li lists offsets, all of nk cells; ri lists offsets of lists.
func (h *Hive) walkList(off uint32, w *walk) error {
	if w.levels == 0 || w.lists == 0 {
		return ErrCorrupt
	}
	w.lists--
	c, err := h.cell(off, listHdrSize)
	if err != nil {
		return err
	}
	magic := string(c[4:6])
	count := int(le16(c, 6))
	stride := 4
	if magic == "lf" || magic == "lh" {
		stride = 8
	}
	if len(c) < listHdrSize+count*stride {
		return ErrCorrupt
	}
	switch magic {
	case "lf", "lh", "li":
		if uint32(count) > w.left {
			return ErrCorrupt
		}
		w.left -= uint32(count)
		for i := range count {
			sub, err := h.nk(le32(c, listHdrSize+i*stride), true)
			if err != nil {
				return err
			}
			if err := w.fn(sub); err != nil {
				return err
			}
		}
		return nil
	case "ri":
		w.levels--
		defer func() { w.levels++ }()
		for i := range count {
			if err := h.walkList(le32(c, listHdrSize+i*4), w); err != nil {
				return err
			}
		}
		return nil
	}
	return ErrUnsupported
}

// lookup finds the key at path: names separated by backslashes, empty
// components skipped, "" for the root key.
func (h *Hive) lookup(path string) (key, error) {
	k, err := h.nk(h.root, false)
	if err != nil {
		return nil, err
	}
	for _, comp := range splitPath(path) {
		want := utf16.Encode([]rune(comp))
		var found key
		err := h.subkeys(k, func(sub key) error {
			if name, compressed := sub.name(); nameEqual(want, name, compressed) {
				found = sub
				return errStop
			}
			return nil
		})
		if found == nil {
			if err == nil {
				err = ErrKeyNotFound
			}
			return nil, err
		}
		k = found
	}
	return k, nil
}

func splitPath(path string) []string {
	var out []string
	for len(path) > 0 {
		i := 0
		for i < len(path) && path[i] != '\\' {
			i++
		}
		if i > 0 {
			out = append(out, path[:i])
		}
		if i == len(path) {
			break
		}
		path = path[i+1:]
	}
	return out
}

// nameEqual compares a wanted name (UTF-16) with a stored one: Latin-1
// bytes when compressed, else UTF-16LE; case-insensitively.
func nameEqual(want []uint16, name []byte, compressed bool) bool {
	if compressed {
		if len(name) != len(want) {
			return false
		}
		for i, c := range name {
			if upcase(want[i]) != upcase(uint16(c)) {
				return false
			}
		}
		return true
	}
	if len(name) != 2*len(want) {
		return false
	}
	for i, u := range want {
		if upcase(u) != upcase(le16(name, 2*i)) {
			return false
		}
	}
	return true
}

// upcase maps a UTF-16 unit to upper case. Only a-z reach ASCII (as in
// Windows' own table, which leaves dotless i and long s alone).
func upcase(u uint16) uint16 {
	if u < 0x80 {
		if 'a' <= u && u <= 'z' {
			return u - 32
		}
		return u
	}
	if utf16.IsSurrogate(rune(u)) {
		return u
	}
	r := unicode.ToUpper(rune(u))
	if r < 0x80 || r > 0xFFFF {
		return u
	}
	return uint16(r)
}

// Value returns the type and data of the value name of the key at path.
func (h *Hive) Value(path, name string) (typ uint32, data []byte, err error) {
	k, err := h.lookup(path)
	if err != nil {
		return 0, nil, err
	}
	n := k.valueCount()
	if n == 0 {
		return 0, nil, ErrValueNotFound
	}
	if n > maxValues {
		return 0, nil, ErrCorrupt
	}
	list, err := h.cell(k.valueList(), 4+4*int(n))
	if err != nil {
		return 0, nil, err
	}
	want := utf16.Encode([]rune(name))
	for i := range int(n) {
		vk, err := h.cell(le32(list, 4+4*i), vkSize)
		if err != nil {
			return 0, nil, err
		}
		nameLen := int(le16(vk, 6))
		if string(vk[4:6]) != "vk" || len(vk) < vkSize+nameLen {
			return 0, nil, ErrCorrupt
		}
		if !nameEqual(want, vk[vkSize:vkSize+nameLen], le16(vk, 0x14)&vkCompressed != 0) {
			continue
		}
		typ = le32(vk, 0x10)
		size := le32(vk, 8)
		inline := size&inlineDataFlag != 0
		size &^= inlineDataFlag
		if size > maxValueSize {
			return 0, nil, ErrCorrupt
		}
		if inline {
			// Up to 4 bytes sit in the data offset field itself.
			if size > 4 {
				return 0, nil, ErrCorrupt
			}
			return typ, vk[0x0C : 0x0C+size], nil
		}
		dc, err := h.cell(le32(vk, 0x0C), 4)
		if err != nil {
			return 0, nil, err
		}
		if uint64(len(dc)) < 4+uint64(size) {
			// A big-data (db) value, or a cell too short for its data.
			return 0, nil, ErrUnsupported
		}
		return typ, dc[4 : 4+size], nil
	}
	return 0, nil, ErrValueNotFound
}

// String returns a REG_SZ or REG_MULTI_SZ value (the first string of a
// multi-string): the UTF-16LE data up to its first NUL. Data of an odd
// length is ErrUnsupported; an unpaired surrogate becomes U+FFFD.
func (h *Hive) String(path, name string) (string, error) {
	typ, data, err := h.Value(path, name)
	if err != nil {
		return "", err
	}
	if typ != TypeSZ && typ != TypeMultiSZ {
		return "", ErrWrongType
	}
	if len(data)%2 != 0 {
		return "", ErrUnsupported
	}
	return decodeUTF16(data), nil
}

// decodeUTF16 decodes UTF-16LE up to the first NUL unit.
func decodeUTF16(b []byte) string {
	u := make([]uint16, 0, len(b)/2)
	for i := 0; i+1 < len(b); i += 2 {
		c := le16(b, i)
		if c == 0 {
			break
		}
		u = append(u, c)
	}
	return string(utf16.Decode(u))
}

// Number returns a REG_DWORD, REG_DWORD_BIG_ENDIAN or REG_QWORD value
// (a QWORD as the signed number its bits make). Data of the wrong size for
// its type is ErrCorrupt.
func (h *Hive) Number(path, name string) (int64, error) {
	typ, data, err := h.Value(path, name)
	if err != nil {
		return 0, err
	}
	switch typ {
	case TypeDWORD, TypeDWORDBig:
		if len(data) != 4 {
			return 0, ErrCorrupt
		}
		if typ == TypeDWORDBig {
			return int64(binary.BigEndian.Uint32(data)), nil
		}
		return int64(binary.LittleEndian.Uint32(data)), nil
	case TypeQWORD:
		if len(data) != 8 {
			return 0, ErrCorrupt
		}
		return int64(binary.LittleEndian.Uint64(data)), nil
	}
	return 0, ErrWrongType
}

// Subkeys returns the names of the subkeys of the key at path, in the
// order of its subkey lists (sorted, in a hive Windows wrote).
func (h *Hive) Subkeys(path string) ([]string, error) {
	k, err := h.lookup(path)
	if err != nil {
		return nil, err
	}
	var names []string
	err = h.subkeys(k, func(sub key) error {
		name, compressed := sub.name()
		if len(name) > h.names {
			return ErrTooMuchWork
		}
		h.names -= len(name)
		if compressed {
			names = append(names, latin1(name))
		} else {
			if len(name)%2 != 0 {
				return ErrUnsupported
			}
			names = append(names, decodeUTF16All(name))
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return names, nil
}

func latin1(b []byte) string {
	out := make([]byte, 0, len(b))
	for _, c := range b {
		out = utf8.AppendRune(out, rune(c))
	}
	return string(out)
}

// decodeUTF16All decodes a whole UTF-16LE name (NULs included).
func decodeUTF16All(b []byte) string {
	u := make([]uint16, len(b)/2)
	for i := range u {
		u[i] = le16(b, 2*i)
	}
	return string(utf16.Decode(u))
}
