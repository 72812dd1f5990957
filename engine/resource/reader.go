package resource

import (
	"fmt"
	"io"

	"github.com/wimgo/wimgo/engine/wimfmt"
)

// Read returns the whole uncompressed content of the non-solid resource hdr
// describes, in a WIM of compression type t and chunk size chunkSize. It
// refuses resources larger than limit before allocating.
func Read(r io.ReaderAt, hdr wimfmt.ResHdr, t Type, chunkSize int, limit int64) ([]byte, error) {
	return read(r, hdr, t, chunkSize, limit, false)
}

// ReadPipable is Read for a resource of a pipable WIM (chunks with size
// prefixes, chunk table at the end).
func ReadPipable(r io.ReaderAt, hdr wimfmt.ResHdr, t Type, chunkSize int, limit int64) ([]byte, error) {
	return read(r, hdr, t, chunkSize, limit, true)
}

func read(r io.ReaderAt, hdr wimfmt.ResHdr, t Type, chunkSize int, limit int64, pipable bool) ([]byte, error) {
	if hdr.OriginalSize > limit {
		return nil, fmt.Errorf("%w: resource at offset %d has size %d, over the limit of %d",
			ErrCorrupt, hdr.Offset, hdr.OriginalSize, limit)
	}
	rd, err := newReader(r, hdr, t, chunkSize, pipable)
	if err != nil {
		return nil, err
	}
	buf := make([]byte, hdr.OriginalSize)
	if _, err := io.ReadFull(rd, buf); err != nil {
		if err == io.ErrUnexpectedEOF || err == io.EOF {
			err = fmt.Errorf("%w: resource at offset %d ends early", ErrCorrupt, hdr.Offset)
		}
		return nil, err
	}
	return buf, nil
}

// NewReader streams the uncompressed content of the non-solid resource hdr
// describes. Memory use is bounded by the chunk size whatever the header
// claims; inconsistencies surface as errors wrapping ErrCorrupt.
func NewReader(r io.ReaderAt, hdr wimfmt.ResHdr, t Type, chunkSize int) (io.Reader, error) {
	return newReader(r, hdr, t, chunkSize, false)
}

// NewPipableReader is NewReader for a resource of a pipable WIM.
func NewPipableReader(r io.ReaderAt, hdr wimfmt.ResHdr, t Type, chunkSize int) (io.Reader, error) {
	return newReader(r, hdr, t, chunkSize, true)
}

func newReader(r io.ReaderAt, hdr wimfmt.ResHdr, t Type, chunkSize int, pipable bool) (io.Reader, error) {
	if hdr.Flags&wimfmt.ResFlagSolid != 0 {
		return nil, fmt.Errorf("%w: solid resource at offset %d", ErrUnsupported, hdr.Offset)
	}
	if hdr.Offset < 0 || hdr.OriginalSize < 0 || hdr.StoredSize < 0 {
		return nil, fmt.Errorf("%w: resource header with negative field", ErrCorrupt)
	}
	if hdr.Flags&wimfmt.ResFlagCompressed == 0 {
		if hdr.StoredSize != hdr.OriginalSize {
			return nil, fmt.Errorf("%w: uncompressed resource at offset %d has stored size %d != size %d",
				ErrCorrupt, hdr.Offset, hdr.StoredSize, hdr.OriginalSize)
		}
		return io.NewSectionReader(r, hdr.Offset, hdr.OriginalSize), nil
	}
	if t == None {
		return nil, fmt.Errorf("%w: compressed resource at offset %d in an uncompressed WIM", ErrCorrupt, hdr.Offset)
	}
	if err := CheckChunkSize(t, chunkSize); err != nil {
		return nil, err
	}
	c, err := codecFor(t)
	if err != nil {
		return nil, err
	}
	ts := tableSize(hdr.OriginalSize, chunkSize)
	if ts > hdr.StoredSize {
		return nil, fmt.Errorf("%w: resource at offset %d: chunk table (%d bytes) larger than the resource (%d bytes)",
			ErrCorrupt, hdr.Offset, ts, hdr.StoredSize)
	}
	d, err := c.newDecompressor(chunkSize)
	if err != nil {
		return nil, err
	}
	cr := &chunkReader{
		r:        r,
		hdr:      hdr,
		chunk:    chunkSize,
		d:        d,
		n:        numChunks(hdr.OriginalSize, chunkSize),
		es:       entrySize(hdr.OriginalSize),
		tabOff:   hdr.Offset,
		dataOff:  hdr.Offset + ts,
		dataLen:  hdr.StoredSize - ts,
		tabFirst: -1,
	}
	if pipable {
		// [u32 size][chunk] ... [table]: table offsets leave out the
		// 4-byte prefixes.
		cr.pipable = true
		cr.tabOff = hdr.Offset + hdr.StoredSize - ts
		cr.dataOff = hdr.Offset
		cr.dataLen = hdr.StoredSize - ts - 4*cr.n
		if cr.dataLen < 0 {
			return nil, fmt.Errorf("%w: pipable resource at offset %d too small for its %d chunks", ErrCorrupt, hdr.Offset, cr.n)
		}
	}
	return cr, nil
}

// chunkReader decodes a compressed resource one chunk at a time, reading
// the chunk table a window at a time so that a hostile size in the header
// cannot make it allocate much.
type chunkReader struct {
	r       io.ReaderAt
	hdr     wimfmt.ResHdr
	chunk   int
	d       decompressor
	n       int64 // chunks
	es      int   // table entry size
	tabOff  int64 // file offset of the chunk table
	dataOff int64 // file offset of chunk 0 (pipable: of its size prefix)
	// pipable: each chunk i is preceded by a 4-byte size, so its data
	// starts 4·(i+1) bytes after its table offset.
	pipable bool
	dataLen int64 // bytes of chunk data

	next int64  // next chunk to decode
	out  []byte // decoded bytes not yet returned
	ubuf []byte
	cbuf []byte

	tab      []byte // table entries tabFirst.. (window)
	tabFirst int64
	err      error
}

// tableWindow is how many chunk-table entries are read at once.
const tableWindow = 4096

// chunkStart returns the offset of chunk i relative to chunk 0 (i < n; the
// end of the last chunk is dataLen).
func (c *chunkReader) chunkStart(i int64) (int64, error) {
	if i == 0 {
		return 0, nil
	}
	if i == c.n {
		return c.dataLen, nil
	}
	e := i - 1 // table entry
	if c.tabFirst < 0 || e < c.tabFirst || e >= c.tabFirst+int64(len(c.tab)/c.es) {
		cnt := min(tableWindow, c.n-1-e)
		if cap(c.tab) < int(cnt)*c.es {
			c.tab = make([]byte, tableWindow*c.es)
		}
		c.tab = c.tab[:int(cnt)*c.es]
		if err := readAt(c.r, c.tab, c.tabOff+e*int64(c.es)); err != nil {
			c.tabFirst = -1
			return 0, c.corrupt("reading chunk table: %v", err)
		}
		c.tabFirst = e
	}
	return getEntry(c.tab, e-c.tabFirst, c.es), nil
}

func (c *chunkReader) corrupt(format string, args ...any) error {
	return fmt.Errorf("%w: resource at offset %d: %s", ErrCorrupt, c.hdr.Offset, fmt.Sprintf(format, args...))
}

func (c *chunkReader) Read(p []byte) (int, error) {
	for len(c.out) == 0 {
		if c.err != nil {
			return 0, c.err
		}
		if c.next == c.n {
			return 0, io.EOF
		}
		c.err = c.decodeNext()
	}
	n := copy(p, c.out)
	c.out = c.out[n:]
	return n, nil
}

// decodeNext decodes chunk c.next into c.out.
func (c *chunkReader) decodeNext() error {
	i := c.next
	start, err := c.chunkStart(i)
	if err != nil {
		return err
	}
	end, err := c.chunkStart(i + 1)
	if err != nil {
		return err
	}
	usize := int64(c.chunk)
	if i == c.n-1 {
		usize = c.hdr.OriginalSize - i*int64(c.chunk)
	}
	csize := end - start
	if start < 0 || end > c.dataLen || csize <= 0 || csize > usize {
		return c.corrupt("chunk %d spans [%d, %d) of %d bytes", i, start, end, c.dataLen)
	}
	if c.ubuf == nil {
		c.ubuf = make([]byte, c.chunk)
		c.cbuf = make([]byte, c.chunk)
	}
	u := c.ubuf[:usize]
	at := c.dataOff + start
	if c.pipable {
		at += 4 * (i + 1)
	}
	if csize == usize {
		// Stored raw.
		if err := readAt(c.r, u, at); err != nil {
			return c.corrupt("chunk %d: %v", i, err)
		}
	} else {
		cb := c.cbuf[:csize]
		if err := readAt(c.r, cb, at); err != nil {
			return c.corrupt("chunk %d: %v", i, err)
		}
		if err := c.d.Decompress(u, cb); err != nil {
			return fmt.Errorf("%w: resource at offset %d: chunk %d: %w", ErrCorrupt, c.hdr.Offset, i, err)
		}
	}
	c.next++
	c.out = u
	return nil
}

// readAt fills p from r at off; a full read that also reports io.EOF is
// a success, as io.ReaderAt allows.
func readAt(r io.ReaderAt, p []byte, off int64) error {
	n, err := r.ReadAt(p, off)
	if n == len(p) {
		return nil
	}
	if err == nil || err == io.EOF {
		err = io.ErrUnexpectedEOF
	}
	return err
}
