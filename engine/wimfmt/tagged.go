package wimfmt

import "encoding/binary"

// Tags of the metadata items stored after a dentry's names.
const (
	TagObjectID = 0x00000001
	TagXattrs   = 0x00000002 // extended attributes, WIMGAPI/DISM format
	TagUnixData = 0x337DD873 // wimlib: uid, gid, mode, rdev
)

// AppendTaggedItem appends one item (u32 tag, u32 length, data, pad to 8).
func AppendTaggedItem(b []byte, tag uint32, data []byte) []byte {
	b = binary.LittleEndian.AppendUint32(b, tag)
	b = binary.LittleEndian.AppendUint32(b, uint32(len(data)))
	b = append(b, data...)
	return append(b, make([]byte, align8(len(data))-len(data))...)
}

// UnixData is the wimlib UNIX data item (--unix-data).
type UnixData struct{ UID, GID, Mode, Rdev uint32 }

// AppendUnixData appends u as a tagged item.
func AppendUnixData(b []byte, u UnixData) []byte {
	var d [16]byte
	binary.LittleEndian.PutUint32(d[0:], u.UID)
	binary.LittleEndian.PutUint32(d[4:], u.GID)
	binary.LittleEndian.PutUint32(d[8:], u.Mode)
	binary.LittleEndian.PutUint32(d[12:], u.Rdev)
	return AppendTaggedItem(b, TagUnixData, d[:])
}

// Xattr is one extended attribute.
type Xattr struct {
	Name  string
	Value []byte
	Flags uint8
}

// AppendXattrs appends the xattr item: entries of u16 value length, u8 name
// length, u8 flags, name + NUL, value, with no padding between entries.
// Names longer than 255 bytes or values over 65535 bytes cannot be stored;
// the caller filters them.
func AppendXattrs(b []byte, xs []Xattr) []byte {
	var d []byte
	for _, x := range xs {
		d = binary.LittleEndian.AppendUint16(d, uint16(len(x.Value)))
		d = append(d, byte(len(x.Name)), x.Flags)
		d = append(d, x.Name...)
		d = append(d, 0)
		d = append(d, x.Value...)
	}
	return AppendTaggedItem(b, TagXattrs, d)
}

// FindTaggedItem returns the data of the first item with tag and at least
// minLen bytes in a dentry's tagged area.
func FindTaggedItem(area []byte, tag uint32, minLen int) []byte {
	for len(area) >= 8 {
		t := binary.LittleEndian.Uint32(area)
		n := int(binary.LittleEndian.Uint32(area[4:]))
		if n < 0 || n > len(area)-8 {
			return nil
		}
		if t == tag && n >= minLen {
			return area[8 : 8+n]
		}
		area = area[min(len(area), 8+align8(n)):]
	}
	return nil
}
