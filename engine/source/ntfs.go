package source

// NTFS volume capture (NTFS VOLUME CAPTURE (UNIX) in the manual): the parts
// that need no libntfs-3g. The scanner is in ntfs_3g.go, built with the tags
// ntfs3g and cgo; without them ScanNTFS (ntfs_stub.go) says the program was
// built without NTFS support.

// sdSet collects the distinct self-relative security descriptors of an
// image; a descriptor's index in list is the SecurityID of the inodes that
// carry it.
type sdSet struct {
	index map[string]uint32
	list  [][]byte
}

// add returns the index of sd, appending it the first time it is seen.
func (s *sdSet) add(sd []byte) uint32 {
	if id, ok := s.index[string(sd)]; ok {
		return id
	}
	if s.index == nil {
		s.index = make(map[string]uint32)
	}
	id := uint32(len(s.list))
	s.index[string(sd)] = id
	s.list = append(s.list, sd)
	return id
}

// isDotName reports whether a UTF-16LE name is "." or "..".
func isDotName(name16 []byte) bool {
	switch len(name16) {
	case 2:
		return name16[0] == '.' && name16[1] == 0
	case 4:
		return name16[0] == '.' && name16[1] == 0 && name16[2] == '.' && name16[3] == 0
	}
	return false
}
