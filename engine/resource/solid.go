package resource

import (
	"crypto/sha1"
	"encoding/binary"
	"fmt"
	"hash"
	"sync"

	"github.com/wimgo/wimgo/engine/blob"
	"github.com/wimgo/wimgo/engine/wimfmt"
)

// A solid resource (--solid; WIM version 0xE00) compresses many blobs as one
// stream, so matches reach across files:
//
//	+0  8  uncompressed size of the whole resource
//	+8  4  chunk size
//	+12 4  compression type (1 XPRESS, 2 LZX, 3 LZMS)
//	+16    chunk table: the compressed size of every chunk (4 bytes each,
//	       chunk 0 included); a chunk as large as its input is stored raw
//	       then the chunks
//
// Blobs inside are described by blob table entries flagged SOLID whose
// "stored size" is the blob's size and "offset" its offset in the
// uncompressed stream; the resource itself by an entry whose original size
// is wimfmt.SolidResourceMagic.

// SolidHeaderSize is the size of a solid resource's header.
const SolidHeaderSize = 16

// WriteSolid flushes, then writes blobs as one solid resource compressed
// with t at chunkSize and level, on Threads workers; the bytes do not depend
// on the thread count. Each blob's Hash is set (or checked, see Blob)
// and its Hdr becomes its solid entry form. It returns the resource's header
// (original size SolidResourceMagic).
func (w *Writer) WriteSolid(blobs []*Blob, t Type, chunkSize, level int) (wimfmt.ResHdr, error) {
	if err := w.Flush(); err != nil {
		return wimfmt.ResHdr{}, err
	}
	if w.opts.Pipable {
		return wimfmt.ResHdr{}, fmt.Errorf("%w: solid resources in a pipable WIM", ErrUnsupported)
	}
	set, err := CheckSettings(t, level, chunkSize, Solid)
	if err != nil {
		return wimfmt.ResHdr{}, err
	}
	chunkSize, level = set.ChunkSize, set.Level
	c, err := codecFor(t)
	if err != nil {
		return wimfmt.ResHdr{}, err
	}
	var total int64
	for _, b := range blobs {
		if b.Size <= 0 {
			return wimfmt.ResHdr{}, blobErr(b, "", fmt.Errorf("resource: cannot store a blob of size %d", b.Size))
		}
		total += b.Size
	}
	nchunks := numChunks(total, chunkSize)
	if nchunks > 1<<31 {
		return wimfmt.ResHdr{}, fmt.Errorf("resource: solid resource of %d chunks is too large", nchunks)
	}
	start := w.pipe.offset()
	head := make([]byte, SolidHeaderSize+4*nchunks)
	binary.LittleEndian.PutUint64(head[0:], uint64(total))
	binary.LittleEndian.PutUint32(head[8:], uint32(chunkSize))
	binary.LittleEndian.PutUint32(head[12:], uint32(t))
	// The chunk table is written once the sizes are known.
	if _, err := w.pipe.copyFrom(zeroReader{}, 0, int64(len(head))); err != nil {
		return wimfmt.ResHdr{}, err
	}
	// Each worker holds a compressor and one more chunk's in and out
	// buffers (solidChunks).
	threads := w.poolThreads(c.memoryNeeded(chunkSize, level)+2*int64(chunkSize), nchunks)
	comps := make([]compressor, threads)
	for i := range comps {
		if comps[i], err = c.newCompressor(chunkSize, level); err != nil {
			return wimfmt.ResHdr{}, err
		}
	}
	sizes, err := w.solidChunks(blobs, comps, chunkSize, nchunks)
	if err != nil {
		w.fail(err)
		return wimfmt.ResHdr{}, err
	}
	for i, n := range sizes {
		binary.LittleEndian.PutUint32(head[SolidHeaderSize+4*i:], n)
	}
	if !w.writeAt(head, start) {
		return wimfmt.ResHdr{}, w.Err()
	}
	var off int64
	for _, b := range blobs {
		b.Hdr = wimfmt.ResHdr{StoredSize: b.Size, Flags: wimfmt.ResFlagSolid, Offset: off}
		off += b.Size
	}
	return wimfmt.ResHdr{StoredSize: w.pipe.offset() - start, Flags: wimfmt.ResFlagSolid, Offset: start, OriginalSize: wimfmt.SolidResourceMagic}, nil
}

// zeroReader reads zeros, for reserving space through copyFrom.
type zeroReader struct{}

func (zeroReader) ReadAt(p []byte, _ int64) (int, error) {
	clear(p)
	return len(p), nil
}

// solidJob is one chunk of the solid stream in flight.
type solidJob struct {
	in, out []byte
	n       int // compressed size; 0 = raw
	done    chan struct{}
}

// solidChunks reads the blobs as one stream cut into chunks, compresses the
// chunks on len(comps) workers and appends them in order, returning each
// chunk's stored size.
func (w *Writer) solidChunks(blobs []*Blob, comps []compressor, chunkSize int, nchunks int64) ([]uint32, error) {
	inflight := batchCount(len(comps), chunkSize)
	free := make(chan *solidJob, inflight)
	for range inflight {
		free <- &solidJob{in: make([]byte, chunkSize), out: make([]byte, chunkSize), done: make(chan struct{}, 1)}
	}
	work := make(chan *solidJob, inflight)
	ordered := make(chan *solidJob, inflight)
	var wg sync.WaitGroup
	for _, cp := range comps {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range work {
				j.n = compressOwned(cp, j.out, j.in)
				j.done <- struct{}{}
			}
		}()
	}
	sizes := make([]uint32, 0, nchunks)
	var werr error
	writerDone := make(chan struct{})
	go func() {
		defer close(writerDone)
		for j := range ordered {
			<-j.done
			data := j.in
			if j.n > 0 {
				data = j.out[:j.n]
			}
			if werr == nil {
				if _, err := w.pipe.copyFrom(byteReaderAt(data), 0, int64(len(data))); err != nil {
					werr = err
				}
				w.progress(int64(len(j.in)))
			}
			sizes = append(sizes, uint32(len(data)))
			free <- j
		}
	}()
	rerr := w.feedSolid(blobs, chunkSize, free, work, ordered)
	close(work)
	close(ordered)
	wg.Wait()
	<-writerDone
	if rerr != nil {
		return nil, rerr
	}
	return sizes, werr
}

// feedSolid reads and hashes the blobs in order, filling chunks.
func (w *Writer) feedSolid(blobs []*Blob, chunkSize int, free <-chan *solidJob, work, ordered chan<- *solidJob) error {
	j := <-free
	fill := 0
	send := func() {
		j.in = j.in[:fill]
		j.n = 0
		work <- j
		ordered <- j
		j = <-free
		j.in = j.in[:cap(j.in)]
		fill = 0
	}
	var h hash.Hash = sha1.New()
	for _, b := range blobs {
		s, err := blob.OpenSource(b)
		if err != nil {
			return err
		}
		h.Reset()
		for rem := b.Size; rem > 0; {
			n := int(min(rem, int64(chunkSize-fill)))
			p := j.in[fill : fill+n]
			if err := s.ReadFull(p); err != nil {
				s.Close()
				return err
			}
			h.Write(p)
			fill += n
			rem -= int64(n)
			if fill == chunkSize {
				send()
			}
		}
		if err := s.Finish(); err != nil {
			return err
		}
		var sum [20]byte
		h.Sum(sum[:0])
		w.checkHash(b, sum)
		b.Drop() // in the solid stream
		if err := w.Err(); err != nil {
			return err
		}
	}
	if fill > 0 {
		j.in = j.in[:fill]
		j.n = 0
		work <- j
		ordered <- j
	}
	return nil
}

// byteReaderAt serves a byte slice as an io.ReaderAt.
type byteReaderAt []byte

func (b byteReaderAt) ReadAt(p []byte, off int64) (int, error) {
	return copy(p, b[off:]), nil
}
