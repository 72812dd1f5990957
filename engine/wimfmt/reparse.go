package wimfmt

import "encoding/binary"

// SymlinkRelative is the symlink reparse-data flag for relative targets.
const SymlinkRelative = 1

// MaxReparseData bounds reparse data (the whole buffer is at most 16 KiB).
const MaxReparseData = 16384 - 8

// SymlinkReparseData builds the reparse data (without the 8-byte buffer
// header, which the WIM does not store) of a symlink reparse point:
//
//	+0 2 substitute name offset   +2 2 substitute name length
//	+4 2 print name offset        +6 2 print name length
//	+8 4 flags
//	+12  substitute name + NUL, print name + NUL (UTF-16LE)
//
// The NUL terminators are not counted in the lengths.
func SymlinkReparseData(subst, print []byte, flags uint32) []byte {
	b := make([]byte, 12, 12+len(subst)+len(print)+4)
	le := binary.LittleEndian
	le.PutUint16(b[0:], 0)
	le.PutUint16(b[2:], uint16(len(subst)))
	le.PutUint16(b[4:], uint16(len(subst)+2))
	le.PutUint16(b[6:], uint16(len(print)))
	le.PutUint32(b[8:], flags)
	b = append(b, subst...)
	b = append(b, 0, 0)
	b = append(b, print...)
	return append(b, 0, 0)
}
