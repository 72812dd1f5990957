package wimfmt

import (
	"encoding/binary"
	"fmt"
)

// AppendSecurityData appends the security data block holding the given
// self-relative security descriptors, padded to 8 bytes.
//
//	+0 4  total length (already rounded up to 8)
//	+4 4  number of descriptors N
//	+8 8N sizes, then the descriptors back to back, then zero padding
func AppendSecurityData(b []byte, sds [][]byte) []byte {
	n := 8 + 8*len(sds)
	for _, sd := range sds {
		n += len(sd)
	}
	total := align8(n)
	var hdr [8]byte
	binary.LittleEndian.PutUint32(hdr[0:], uint32(total))
	binary.LittleEndian.PutUint32(hdr[4:], uint32(len(sds)))
	b = append(b, hdr[:]...)
	for _, sd := range sds {
		b = binary.LittleEndian.AppendUint64(b, uint64(len(sd)))
	}
	for _, sd := range sds {
		b = append(b, sd...)
	}
	return append(b, make([]byte, total-n)...)
}

// ParseSecurityData decodes the security data block at the start of a
// metadata resource and returns the descriptors and the block length
// (where the root dentry starts).
func ParseSecurityData(b []byte) (sds [][]byte, length int, err error) {
	if len(b) < 8 {
		return nil, 0, fmt.Errorf("%w: metadata resource too short for security data", ErrCorrupt)
	}
	total := int64(binary.LittleEndian.Uint32(b))
	count := int64(binary.LittleEndian.Uint32(b[4:]))
	if total == 0 {
		total = 8
	}
	total = (total + 7) &^ 7
	if total > int64(len(b)) || 8+8*count > total {
		return nil, 0, fmt.Errorf("%w: security data length %d, %d descriptors, in %d bytes", ErrCorrupt, total, count, len(b))
	}
	p := int64(8 + 8*count)
	for i := int64(0); i < count; i++ {
		sz := int64(binary.LittleEndian.Uint64(b[8+8*i:]))
		if sz < 0 || p+sz > total {
			return nil, 0, fmt.Errorf("%w: security descriptor %d overflows the block", ErrCorrupt, i)
		}
		sds = append(sds, b[p:p+sz])
		p += sz
	}
	return sds, int(total), nil
}
