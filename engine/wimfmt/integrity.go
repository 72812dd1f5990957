package wimfmt

import (
	"crypto/sha1"
	"encoding/binary"
	"fmt"
	"io"
)

// IntegrityChunkSize is the span each integrity hash covers.
const IntegrityChunkSize = 10 * 1024 * 1024

// IntegrityTable holds the SHA-1 of each chunk of the range from the end of
// the header to the end of the blob table.
//
//	+0 4  total size (12 + 20N)
//	+4 4  N
//	+8 4  chunk size
//	+12   N × 20-byte SHA-1
type IntegrityTable struct {
	ChunkSize uint32
	Hashes    [][20]byte
}

// Bytes encodes t.
func (t *IntegrityTable) Bytes() []byte {
	b := make([]byte, 12, 12+20*len(t.Hashes))
	binary.LittleEndian.PutUint32(b[0:], uint32(12+20*len(t.Hashes)))
	binary.LittleEndian.PutUint32(b[4:], uint32(len(t.Hashes)))
	binary.LittleEndian.PutUint32(b[8:], t.ChunkSize)
	for i := range t.Hashes {
		b = append(b, t.Hashes[i][:]...)
	}
	return b
}

// ParseIntegrityTable decodes b.
func ParseIntegrityTable(b []byte) (*IntegrityTable, error) {
	if len(b) < 12 {
		return nil, fmt.Errorf("%w: integrity table too short", ErrCorrupt)
	}
	size := binary.LittleEndian.Uint32(b)
	n := binary.LittleEndian.Uint32(b[4:])
	cs := binary.LittleEndian.Uint32(b[8:])
	if uint64(size) != uint64(len(b)) || 12+20*uint64(n) != uint64(size) || cs == 0 {
		return nil, fmt.Errorf("%w: integrity table size %d, %d entries, chunk %d", ErrCorrupt, size, n, cs)
	}
	t := &IntegrityTable{ChunkSize: cs, Hashes: make([][20]byte, n)}
	for i := range t.Hashes {
		copy(t.Hashes[i][:], b[12+20*i:])
	}
	return t, nil
}

// ComputeIntegrity hashes [start, end) of r in chunks of chunkSize. Hashes of
// chunks wholly inside the range covered by reuse (same chunk size, same
// start) are taken from it instead of re-read.
func ComputeIntegrity(r io.ReaderAt, start, end int64, chunkSize uint32, reuse *IntegrityTable, reuseEnd int64) (*IntegrityTable, error) {
	cs := int64(chunkSize)
	n := (end - start + cs - 1) / cs
	t := &IntegrityTable{ChunkSize: chunkSize, Hashes: make([][20]byte, n)}
	buf := make([]byte, min(cs, max(end-start, 0)))
	for i := int64(0); i < n; i++ {
		off := start + i*cs
		sz := min(cs, end-off)
		if reuse != nil && reuse.ChunkSize == chunkSize && i < int64(len(reuse.Hashes)) && off+sz <= reuseEnd && sz == cs {
			t.Hashes[i] = reuse.Hashes[i]
			continue
		}
		if _, err := r.ReadAt(buf[:sz], off); err != nil {
			return nil, fmt.Errorf("reading bytes %d..%d for the integrity table: %w", off, off+sz, err)
		}
		t.Hashes[i] = sha1.Sum(buf[:sz])
	}
	return t, nil
}
