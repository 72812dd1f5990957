package wimfmt

import (
	"encoding/binary"
	"fmt"
)

// BlobEntrySize is the size of one blob table entry.
const BlobEntrySize = 50

// SolidResourceMagic in an entry's OriginalSize marks a solid resource
// (the blobs inside it are described by the SOLID entries that follow).
const SolidResourceMagic = 0x100000000

// BlobEntry is one blob table entry.
//
//	+0  24  resource header
//	+24  2  part number
//	+26  4  reference count
//	+30 20  SHA-1 of the uncompressed bytes
type BlobEntry struct {
	Hdr        ResHdr
	PartNumber uint16
	RefCount   uint32
	Hash       [20]byte
}

// AppendBlobEntry appends the encoding of e to b.
func AppendBlobEntry(b []byte, e *BlobEntry) []byte {
	var buf [BlobEntrySize]byte
	e.Hdr.Put(buf[:])
	binary.LittleEndian.PutUint16(buf[24:], e.PartNumber)
	binary.LittleEndian.PutUint32(buf[26:], e.RefCount)
	copy(buf[30:], e.Hash[:])
	return append(b, buf[:]...)
}

// ParseBlobTable decodes a whole blob table. The table has no header; its
// length must be a multiple of the entry size.
func ParseBlobTable(b []byte) ([]BlobEntry, error) {
	if len(b)%BlobEntrySize != 0 {
		return nil, fmt.Errorf("%w: blob table size %d is not a multiple of %d", ErrCorrupt, len(b), BlobEntrySize)
	}
	out := make([]BlobEntry, len(b)/BlobEntrySize)
	for i := range out {
		p := b[i*BlobEntrySize : (i+1)*BlobEntrySize]
		e := &out[i]
		e.Hdr = ParseResHdr(p)
		e.PartNumber = binary.LittleEndian.Uint16(p[24:])
		e.RefCount = binary.LittleEndian.Uint32(p[26:])
		copy(e.Hash[:], p[30:50])
	}
	return out, nil
}
