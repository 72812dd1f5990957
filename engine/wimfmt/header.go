package wimfmt

import (
	"encoding/binary"
	"fmt"
)

// HeaderSize is the size of the WIM header at offset 0 (and, for pipable
// WIMs, again at the end of the file).
const HeaderSize = 208

// Magic values at offset 0.
var (
	Magic        = [8]byte{'M', 'S', 'W', 'I', 'M', 0, 0, 0}
	PipableMagic = [8]byte{'W', 'L', 'P', 'W', 'M', 0, 0, 0}
)

// Format versions. VersionSolid is required by solid resources and LZMS.
const (
	VersionDefault = 0x00010D00
	VersionSolid   = 0x00000E00
)

// Header flags (WIM_HDR_FLAG_*).
const (
	HdrFlagCompression     = 0x00000002
	HdrFlagReadOnly        = 0x00000004
	HdrFlagSpanned         = 0x00000008
	HdrFlagResourceOnly    = 0x00000010
	HdrFlagMetadataOnly    = 0x00000020
	HdrFlagWriteInProgress = 0x00000040
	HdrFlagRPFix           = 0x00000080
	HdrFlagCompressXPRESS  = 0x00020000
	HdrFlagCompressLZX     = 0x00040000
	HdrFlagCompressLZMS    = 0x00080000
	HdrFlagCompressXPRESS2 = 0x00200000
)

// MaxImages bounds the image count read from a file (wimlib's limit).
const MaxImages = 65535

// Header is the decoded WIM header.
//
//	+0x00  8  magic
//	+0x08  4  header size (208)
//	+0x0C  4  version
//	+0x10  4  flags
//	+0x14  4  chunk size (0 for uncompressed WIMs)
//	+0x18 16  GUID
//	+0x28  2  part number
//	+0x2A  2  total parts
//	+0x2C  4  image count
//	+0x30 24  blob table reshdr
//	+0x48 24  XML reshdr
//	+0x60 24  boot metadata reshdr
//	+0x78  4  boot index
//	+0x7C 24  integrity table reshdr (only 4-byte aligned: the struct is packed)
//	+0x94 60  unused
type Header struct {
	Pipable      bool
	Version      uint32
	Flags        uint32
	ChunkSize    uint32
	GUID         [16]byte
	PartNumber   uint16
	TotalParts   uint16
	ImageCount   uint32
	BlobTable    ResHdr
	XML          ResHdr
	BootMetadata ResHdr
	BootIndex    uint32
	Integrity    ResHdr
}

// Bytes encodes h.
func (h *Header) Bytes() []byte {
	b := make([]byte, HeaderSize)
	if h.Pipable {
		copy(b, PipableMagic[:])
	} else {
		copy(b, Magic[:])
	}
	le := binary.LittleEndian
	le.PutUint32(b[0x08:], HeaderSize)
	le.PutUint32(b[0x0C:], h.Version)
	le.PutUint32(b[0x10:], h.Flags)
	le.PutUint32(b[0x14:], h.ChunkSize)
	copy(b[0x18:0x28], h.GUID[:])
	le.PutUint16(b[0x28:], h.PartNumber)
	le.PutUint16(b[0x2A:], h.TotalParts)
	le.PutUint32(b[0x2C:], h.ImageCount)
	h.BlobTable.Put(b[0x30:])
	h.XML.Put(b[0x48:])
	h.BootMetadata.Put(b[0x60:])
	le.PutUint32(b[0x78:], h.BootIndex)
	h.Integrity.Put(b[0x7C:])
	return b
}

// ParseHeader decodes and validates a header. It checks only what is
// knowable from the 208 bytes; resource bounds are checked by the reader.
func ParseHeader(b []byte) (*Header, error) {
	if len(b) < HeaderSize {
		return nil, fmt.Errorf("%w: file is shorter than a WIM header (%d bytes)", ErrNotWIM, len(b))
	}
	h := &Header{}
	switch [8]byte(b[:8]) {
	case Magic:
	case PipableMagic:
		h.Pipable = true
	default:
		return nil, fmt.Errorf("%w: bad magic %q", ErrNotWIM, b[:8])
	}
	le := binary.LittleEndian
	if n := le.Uint32(b[0x08:]); n != HeaderSize {
		return nil, fmt.Errorf("%w: header size %d, want %d", ErrCorrupt, n, HeaderSize)
	}
	h.Version = le.Uint32(b[0x0C:])
	h.Flags = le.Uint32(b[0x10:])
	h.ChunkSize = le.Uint32(b[0x14:])
	copy(h.GUID[:], b[0x18:0x28])
	h.PartNumber = le.Uint16(b[0x28:])
	h.TotalParts = le.Uint16(b[0x2A:])
	h.ImageCount = le.Uint32(b[0x2C:])
	h.BlobTable = ParseResHdr(b[0x30:])
	h.XML = ParseResHdr(b[0x48:])
	h.BootMetadata = ParseResHdr(b[0x60:])
	h.BootIndex = le.Uint32(b[0x78:])
	h.Integrity = ParseResHdr(b[0x7C:])
	if h.Version != VersionDefault && h.Version != VersionSolid {
		return nil, fmt.Errorf("%w: WIM version %#x", ErrUnsupported, h.Version)
	}
	if h.PartNumber < 1 || h.PartNumber > h.TotalParts {
		return nil, fmt.Errorf("%w: part %d of %d", ErrCorrupt, h.PartNumber, h.TotalParts)
	}
	if h.ImageCount > MaxImages {
		return nil, fmt.Errorf("%w: %d images (limit %d)", ErrCorrupt, h.ImageCount, MaxImages)
	}
	return h, nil
}

// CompressionFlag returns the header flag bits for compression type t
// (numbered as in solid headers: 0 none, 1 XPRESS, 2 LZX, 3 LZMS).
func CompressionFlag(t uint8) uint32 {
	switch t {
	case 1:
		return HdrFlagCompression | HdrFlagCompressXPRESS
	case 2:
		return HdrFlagCompression | HdrFlagCompressLZX
	case 3:
		return HdrFlagCompression | HdrFlagCompressLZMS
	}
	return 0
}

// CompressionType decodes the compression type from header flags, with
// wimlib's precedence when several bits are set: LZX, XPRESS, LZMS.
func CompressionType(flags uint32) uint8 {
	if flags&HdrFlagCompression == 0 {
		return 0
	}
	switch {
	case flags&HdrFlagCompressLZX != 0:
		return 2
	case flags&(HdrFlagCompressXPRESS|HdrFlagCompressXPRESS2) != 0:
		return 1
	case flags&HdrFlagCompressLZMS != 0:
		return 3
	}
	return 0
}
