package wimfmt

import "encoding/binary"

// ResHdrSize is the on-disk size of a resource header.
const ResHdrSize = 24

// Resource header flags (WIM_RESHDR_FLAG_*).
const (
	ResFlagFree       = 0x01
	ResFlagMetadata   = 0x02 // image metadata; also set on the blob table and XML
	ResFlagCompressed = 0x04 // chunked, compressed with the header's codec
	ResFlagSpanned    = 0x08
	ResFlagSolid      = 0x10
)

// ResHdr locates one resource in a WIM file.
//
//	+0  7 bytes  stored size (size in the WIM, chunk table included)
//	+7  1 byte   flags
//	+8  8 bytes  file offset
//	+16 8 bytes  original (uncompressed) size
type ResHdr struct {
	StoredSize   int64
	Flags        uint8
	Offset       int64
	OriginalSize int64
}

// Put encodes h into b[:24].
func (h ResHdr) Put(b []byte) {
	_ = b[ResHdrSize-1]
	binary.LittleEndian.PutUint64(b[0:], uint64(h.StoredSize)&(1<<56-1)|uint64(h.Flags)<<56)
	binary.LittleEndian.PutUint64(b[8:], uint64(h.Offset))
	binary.LittleEndian.PutUint64(b[16:], uint64(h.OriginalSize))
}

// ParseResHdr decodes b[:24].
func ParseResHdr(b []byte) ResHdr {
	_ = b[ResHdrSize-1]
	v := binary.LittleEndian.Uint64(b[0:])
	return ResHdr{
		StoredSize:   int64(v & (1<<56 - 1)),
		Flags:        uint8(v >> 56),
		Offset:       int64(binary.LittleEndian.Uint64(b[8:])),
		OriginalSize: int64(binary.LittleEndian.Uint64(b[16:])),
	}
}

// End is the file offset just past the resource.
func (h ResHdr) End() int64 { return h.Offset + h.StoredSize }

// IsZero reports whether h is the all-zero header (resource absent).
func (h ResHdr) IsZero() bool { return h == ResHdr{} }
