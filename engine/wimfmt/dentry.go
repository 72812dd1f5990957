package wimfmt

import (
	"encoding/binary"
	"fmt"
)

// File attributes (FILE_ATTRIBUTE_*) used in dentries.
const (
	AttrReadOnly          = 0x1
	AttrHidden            = 0x2
	AttrSystem            = 0x4
	AttrDirectory         = 0x10
	AttrArchive           = 0x20
	AttrDevice            = 0x40
	AttrNormal            = 0x80
	AttrTemporary         = 0x100
	AttrSparseFile        = 0x200
	AttrReparsePoint      = 0x400
	AttrCompressed        = 0x800
	AttrOffline           = 0x1000
	AttrNotContentIndexed = 0x2000
	AttrEncrypted         = 0x4000
)

// Reparse tags and the dentry's reparse-point flag.
const (
	ReparseTagMountPoint = 0xA0000003
	ReparseTagSymlink    = 0xA000000C
	// RPNotFixed (dentry +0x5E) is set unless an absolute link target was
	// rewritten relative to the capture root.
	RPNotFixed = 0x0001
)

// NoSecurityID is the security ID of a dentry without a descriptor.
const NoSecurityID = 0xFFFFFFFF

// dentryFixedSize is the fixed part of a dentry before the names.
const dentryFixedSize = 102

// streamFixedSize is the fixed part of a stream entry before its name.
const streamFixedSize = 38

// Dentry is one directory entry, decoded.
//
//	+0x00  8  length (excluding stream entries; multiple of 8)
//	+0x08  4  attributes
//	+0x0C  4  security ID
//	+0x10  8  subdir offset
//	+0x18 16  unused
//	+0x28  8  creation time      +0x30 8 last access time   +0x38 8 last write time
//	+0x40 20  main hash
//	+0x54  4  unknown (kept, 0 for new files)
//	+0x58  8  reparse tag u32, reserved u16, rp flags u16 — or hard-link group ID
//	+0x60  2  number of stream entries
//	+0x62  2  short name length (bytes)
//	+0x64  2  long name length (bytes)
//	+0x66     long name UTF-16LE + NUL, short name UTF-16LE + NUL, pad to 8,
//	          tagged items (each padded to 8)
type Dentry struct {
	Attributes      uint32
	SecurityID      uint32
	SubdirOffset    uint64
	CreationTime    uint64
	LastAccessTime  uint64
	LastWriteTime   uint64
	Hash            [20]byte
	Unknown54       uint32
	ReparseTag      uint32
	ReparseReserved uint16
	RPFlags         uint16
	HardLinkGroup   uint64
	Name            []byte // UTF-16LE, no terminator; empty only for the root
	ShortName       []byte // UTF-16LE, no terminator
	Tagged          []byte // tagged items, each already padded to 8
	Streams         []StreamEntry
}

// StreamEntry is an extra stream entry following a dentry.
//
//	+0  8  length (multiple of 8)
//	+8  8  reserved
//	+16 20 SHA-1 (zero for an empty stream)
//	+36 2  name length in bytes (0 = unnamed)
//	+38    name UTF-16LE + NUL (if named), pad to 8
type StreamEntry struct {
	Hash [20]byte
	Name []byte // UTF-16LE, empty for an unnamed stream
}

func align8(n int) int { return (n + 7) &^ 7 }

func (d *Dentry) isReparse() bool { return d.Attributes&AttrReparsePoint != 0 }

// Length is the dentry's length field: fixed part, names, padding and
// tagged items, without stream entries.
func (d *Dentry) Length() int {
	n := dentryFixedSize
	if len(d.Name) > 0 {
		n += len(d.Name) + 2
	}
	if len(d.ShortName) > 0 {
		n += len(d.ShortName) + 2
	}
	return align8(n) + len(d.Tagged)
}

func (s *StreamEntry) length() int {
	n := streamFixedSize
	if len(s.Name) > 0 {
		n += len(s.Name) + 2
	}
	return align8(n)
}

// TotalLength is the space the dentry takes including its stream entries.
func (d *Dentry) TotalLength() int {
	n := d.Length()
	for i := range d.Streams {
		n += d.Streams[i].length()
	}
	return n
}

// AppendDentry appends the encoding of d and its stream entries to b.
func AppendDentry(b []byte, d *Dentry) []byte {
	le := binary.LittleEndian
	start := len(b)
	b = append(b, make([]byte, d.Length())...)
	p := b[start:]
	le.PutUint64(p[0x00:], uint64(d.Length()))
	le.PutUint32(p[0x08:], d.Attributes)
	le.PutUint32(p[0x0C:], d.SecurityID)
	le.PutUint64(p[0x10:], d.SubdirOffset)
	le.PutUint64(p[0x28:], d.CreationTime)
	le.PutUint64(p[0x30:], d.LastAccessTime)
	le.PutUint64(p[0x38:], d.LastWriteTime)
	copy(p[0x40:0x54], d.Hash[:])
	le.PutUint32(p[0x54:], d.Unknown54)
	if d.isReparse() {
		le.PutUint32(p[0x58:], d.ReparseTag)
		le.PutUint16(p[0x5C:], d.ReparseReserved)
		le.PutUint16(p[0x5E:], d.RPFlags)
	} else {
		le.PutUint64(p[0x58:], d.HardLinkGroup)
	}
	le.PutUint16(p[0x60:], uint16(len(d.Streams)))
	le.PutUint16(p[0x62:], uint16(len(d.ShortName)))
	le.PutUint16(p[0x64:], uint16(len(d.Name)))
	q := 0x66
	if len(d.Name) > 0 {
		q += copy(p[q:], d.Name) + 2
	}
	if len(d.ShortName) > 0 {
		q += copy(p[q:], d.ShortName) + 2
	}
	copy(p[align8(q):], d.Tagged)
	for i := range d.Streams {
		s := &d.Streams[i]
		n := s.length()
		start := len(b)
		b = append(b, make([]byte, n)...)
		e := b[start:]
		le.PutUint64(e[0:], uint64(n))
		copy(e[16:36], s.Hash[:])
		le.PutUint16(e[36:], uint16(len(s.Name)))
		copy(e[38:], s.Name)
	}
	return b
}

// ParseDentry decodes the dentry at b[off:]. It returns the dentry, the
// offset just past it and its stream entries, and end=true for the 8-byte
// end-of-list marker (length ≤ 8).
func ParseDentry(b []byte, off int) (d *Dentry, next int, end bool, err error) {
	le := binary.LittleEndian
	if off < 0 || off+8 > len(b) {
		return nil, 0, false, fmt.Errorf("%w: dentry at %d past end of metadata (%d bytes)", ErrCorrupt, off, len(b))
	}
	length := le.Uint64(b[off:])
	if length <= 8 {
		return nil, off + 8, true, nil
	}
	length = uint64(align8(int(min(length, 1<<31))))
	if length < dentryFixedSize || uint64(off)+length > uint64(len(b)) {
		return nil, 0, false, fmt.Errorf("%w: dentry at %d has bad length %d", ErrCorrupt, off, length)
	}
	p := b[off : off+int(length)]
	d = &Dentry{
		Attributes:     le.Uint32(p[0x08:]),
		SecurityID:     le.Uint32(p[0x0C:]),
		SubdirOffset:   le.Uint64(p[0x10:]),
		CreationTime:   le.Uint64(p[0x28:]),
		LastAccessTime: le.Uint64(p[0x30:]),
		LastWriteTime:  le.Uint64(p[0x38:]),
		Unknown54:      le.Uint32(p[0x54:]),
	}
	copy(d.Hash[:], p[0x40:0x54])
	if d.isReparse() {
		d.ReparseTag = le.Uint32(p[0x58:])
		d.ReparseReserved = le.Uint16(p[0x5C:])
		d.RPFlags = le.Uint16(p[0x5E:])
	} else {
		d.HardLinkGroup = le.Uint64(p[0x58:])
	}
	nstreams := int(le.Uint16(p[0x60:]))
	slen := int(le.Uint16(p[0x62:]))
	nlen := int(le.Uint16(p[0x64:]))
	if slen%2 != 0 || nlen%2 != 0 {
		return nil, 0, false, fmt.Errorf("%w: dentry at %d has odd name length", ErrCorrupt, off)
	}
	q := 0x66
	need := q
	if nlen > 0 {
		need += nlen + 2
	}
	if slen > 0 {
		need += slen + 2
	}
	if need > len(p) {
		return nil, 0, false, fmt.Errorf("%w: dentry at %d: names overflow its length", ErrCorrupt, off)
	}
	if nlen > 0 {
		d.Name = append([]byte(nil), p[q:q+nlen]...)
		q += nlen + 2
	}
	if slen > 0 {
		d.ShortName = append([]byte(nil), p[q:q+slen]...)
		q += slen + 2
	}
	if t := align8(q); t < len(p) {
		d.Tagged = append([]byte(nil), p[t:]...)
	}
	next = off + int(length)
	for i := 0; i < nstreams; i++ {
		if next+streamFixedSize > len(b) {
			return nil, 0, false, fmt.Errorf("%w: stream entry of dentry at %d past end", ErrCorrupt, off)
		}
		e := b[next:]
		slen := le.Uint64(e)
		if slen < streamFixedSize || uint64(next)+slen > uint64(len(b)) {
			return nil, 0, false, fmt.Errorf("%w: stream entry at %d has bad length %d", ErrCorrupt, next, slen)
		}
		var s StreamEntry
		copy(s.Hash[:], e[16:36])
		n := int(le.Uint16(e[36:]))
		if streamFixedSize+n > int(slen) {
			return nil, 0, false, fmt.Errorf("%w: stream entry at %d: name overflows", ErrCorrupt, next)
		}
		if n > 0 {
			s.Name = append([]byte(nil), e[38:38+n]...)
		}
		d.Streams = append(d.Streams, s)
		// The padding of the last entry may be missing at the very end.
		next = min(next+align8(int(slen)), len(b))
	}
	return d, next, false, nil
}
