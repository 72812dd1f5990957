package resource

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"

	"github.com/wimgo/wimgo/engine/wimfmt"
)

// Read returns the whole uncompressed content of a non-solid resource,
// refusing one larger than limit.
func Read(r io.ReaderAt, hdr wimfmt.ResHdr, t Type, chunkSize int, limit int64) ([]byte, error) {
	if hdr.OriginalSize < 0 || hdr.OriginalSize > limit {
		return nil, fmt.Errorf("%w: resource of %d bytes exceeds the limit of %d", wimfmt.ErrCorrupt, hdr.OriginalSize, limit)
	}
	rd, err := NewReader(r, hdr, t, chunkSize)
	if err != nil {
		return nil, err
	}
	out := make([]byte, hdr.OriginalSize)
	if _, err := io.ReadFull(rd, out); err != nil {
		return nil, err
	}
	return out, nil
}

// NewReader streams the uncompressed content of a non-solid resource.
func NewReader(r io.ReaderAt, hdr wimfmt.ResHdr, t Type, chunkSize int) (io.Reader, error) {
	if hdr.Flags&wimfmt.ResFlagSolid != 0 {
		return nil, fmt.Errorf("%w: solid resources are not supported yet", wimfmt.ErrUnsupported)
	}
	if hdr.Flags&wimfmt.ResFlagCompressed == 0 {
		if hdr.StoredSize != hdr.OriginalSize {
			return nil, fmt.Errorf("%w: uncompressed resource at %d has stored size %d, size %d", wimfmt.ErrCorrupt, hdr.Offset, hdr.StoredSize, hdr.OriginalSize)
		}
		return io.NewSectionReader(r, hdr.Offset, hdr.OriginalSize), nil
	}
	if t == None {
		return nil, fmt.Errorf("%w: compressed resource at %d in an uncompressed WIM", wimfmt.ErrCorrupt, hdr.Offset)
	}
	c, err := lookup(t)
	if err != nil {
		return nil, err
	}
	if err := CheckChunkSize(t, chunkSize); err != nil {
		return nil, err
	}
	d, err := c.newDecompressor(chunkSize)
	if err != nil {
		return nil, err
	}
	n := (hdr.OriginalSize + int64(chunkSize) - 1) / int64(chunkSize)
	es := entrySize(hdr.OriginalSize)
	tbl := (n - 1) * es
	if n < 1 || tbl > hdr.StoredSize {
		return nil, fmt.Errorf("%w: resource at %d: chunk table of %d bytes in %d", wimfmt.ErrCorrupt, hdr.Offset, tbl, hdr.StoredSize)
	}
	raw := make([]byte, tbl)
	if _, err := r.ReadAt(raw, hdr.Offset); err != nil {
		return nil, fmt.Errorf("resource at %d: reading chunk table: %w", hdr.Offset, err)
	}
	starts := make([]int64, n+1)
	for i := int64(1); i < n; i++ {
		if es == 8 {
			starts[i] = int64(binary.LittleEndian.Uint64(raw[(i-1)*8:]))
		} else {
			starts[i] = int64(binary.LittleEndian.Uint32(raw[(i-1)*4:]))
		}
	}
	starts[n] = hdr.StoredSize - tbl
	for i := int64(0); i < n; i++ {
		if starts[i+1] < starts[i] || starts[i+1]-starts[i] > int64(chunkSize) {
			return nil, fmt.Errorf("%w: resource at %d: bad chunk table entry %d", wimfmt.ErrCorrupt, hdr.Offset, i)
		}
	}
	return &chunkReader{r: r, d: d, base: hdr.Offset + tbl, starts: starts, size: hdr.OriginalSize, chunk: int64(chunkSize),
		in: make([]byte, chunkSize), out: make([]byte, chunkSize)}, nil
}

// chunkReader decompresses one chunk at a time.
type chunkReader struct {
	r      io.ReaderAt
	d      decompressor
	base   int64   // offset of chunk 0
	starts []int64 // chunk i spans starts[i]..starts[i+1] relative to base
	size   int64
	chunk  int64
	next   int64 // index of the next chunk to decode
	in     []byte
	out    []byte
	avail  []byte // decoded, not yet returned
}

func (c *chunkReader) Read(p []byte) (int, error) {
	for len(c.avail) == 0 {
		if c.next >= int64(len(c.starts)-1) {
			return 0, io.EOF
		}
		i := c.next
		usize := min(c.chunk, c.size-i*c.chunk)
		csize := c.starts[i+1] - c.starts[i]
		in := c.in[:csize]
		if _, err := c.r.ReadAt(in, c.base+c.starts[i]); err != nil {
			if errors.Is(err, io.EOF) {
				err = io.ErrUnexpectedEOF
			}
			return 0, fmt.Errorf("reading chunk %d at %d: %w", i, c.base+c.starts[i], err)
		}
		out := c.out[:usize]
		if csize == usize {
			copy(out, in)
		} else if err := c.d.Decompress(out, in); err != nil {
			return 0, fmt.Errorf("chunk %d at %d: %w", i, c.base+c.starts[i], err)
		}
		c.avail = out
		c.next++
	}
	n := copy(p, c.avail)
	c.avail = c.avail[n:]
	return n, nil
}
