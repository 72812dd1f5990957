package resource

import "encoding/binary"

// A non-solid compressed resource is
//
//	[chunk table: nchunks-1 entries] [chunk 0] [chunk 1] ... [chunk n-1]
//
// Entry i-1 is the offset of chunk i from the end of the table (chunk 0's
// offset, always 0, is left out). Entries are 4 bytes, or 8 when the
// resource's uncompressed size exceeds 4 GiB - 1. A chunk as long as its
// uncompressed size is stored raw.

// numChunks is the number of chunks a resource of size bytes is cut into.
func numChunks(size int64, chunkSize int) int64 {
	return (size + int64(chunkSize) - 1) / int64(chunkSize)
}

// entrySize is the width of a chunk-table entry for a resource of
// uncompressed size bytes.
func entrySize(size int64) int {
	if size > 0xFFFFFFFF {
		return 8
	}
	return 4
}

// tableSize is the size of the chunk table of a resource of size bytes.
func tableSize(size int64, chunkSize int) int64 {
	n := numChunks(size, chunkSize)
	if n == 0 {
		return 0
	}
	return (n - 1) * int64(entrySize(size))
}

// putEntry stores chunk offset v as entry i of a table of es-byte entries.
func putEntry(table []byte, i int64, es int, v int64) {
	if es == 8 {
		binary.LittleEndian.PutUint64(table[i*8:], uint64(v))
	} else {
		binary.LittleEndian.PutUint32(table[i*4:], uint32(v))
	}
}

// getEntry loads entry i of a table of es-byte entries.
func getEntry(table []byte, i int64, es int) int64 {
	if es == 8 {
		return int64(binary.LittleEndian.Uint64(table[i*8:]))
	}
	return int64(binary.LittleEndian.Uint32(table[i*4:]))
}
