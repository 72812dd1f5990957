package resource

import (
	"crypto/sha1"
	"encoding/binary"
	"fmt"
	"hash"
	"runtime/debug"
	"sync"
	"sync/atomic"

	"github.com/wimgo/wimgo/engine/blob"
	"github.com/wimgo/wimgo/engine/wimfmt"
	"github.com/wimgo/wimgo/internal/lzms"
	"github.com/wimgo/wimgo/internal/pages"
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
	sizes, err := w.solidChunks(blobs, c, chunkSize, level, nchunks)
	if chunkSize >= bigSolidChunk {
		// The compressors (over 500 MiB each at 64 MiB) are garbage now,
		// but the heap's goal is twice its size: without a collection what
		// comes next (metadata, XML, the next image) takes fresh pages on
		// top of them and raises the peak.
		debug.FreeOSMemory()
	}
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

// bigSolidChunk: solid chunks from this size have their memory handed back
// as soon as the resource is written.
const bigSolidChunk = 8 << 20

// zeroReader reads zeros, for reserving space through copyFrom.
type zeroReader struct{}

func (zeroReader) ReadAt(p []byte, _ int64) (int, error) {
	clear(p)
	return len(p), nil
}

// solidJob is one chunk of the solid stream in flight.
type solidJob struct {
	in, out []byte
	// The compressed chunk, head then tail, both in out; empty = raw.
	head, tail []byte
	signal
}

// solidChunks reads the blobs as one stream cut into chunks, compresses the
// chunks on a pool of compressors and appends them in order, returning
// each chunk's stored size.
func (w *Writer) solidChunks(blobs []*Blob, c *codec, chunkSize, level int, nchunks int64) ([]uint32, error) {
	sizes := make([]uint32, 0, nchunks)
	sp := &spareThreads{}
	gate := &peakGate{}
	// Each worker holds a compressor and one chunk's in and out buffers;
	// no more workers than chunks. No chunk waits filled for a worker (as
	// wimlib's one message per thread of big chunks): a chunk's input is
	// as big as a sixth of its compressor, and while the next one is read
	// the idle worker's thread is lent to the others (spareThreads).
	p, err := newPool(w,
		poolSize{perThread: c.memoryNeeded(chunkSize, level) + 2*int64(chunkSize), jobs: nchunks,
			inflight: func(threads int) int { return threads }},
		func() *solidJob { return &solidJob{in: make([]byte, chunkSize), out: make([]byte, chunkSize)} },
		func() (func(*solidJob), error) {
			comp, err := c.newCompressor(chunkSize, level)
			if s, ok := comp.(spareUser); ok {
				s.SetSpare(sp)
			}
			if g, ok := comp.(gateUser); ok {
				g.SetGate(gate)
			}
			return func(j *solidJob) {
				sp.busy.Add(1)
				j.head, j.tail = compressOwnedParts(comp, j.out, j.in)
				sp.busy.Add(-1)
			}, err
		},
		func(j *solidJob) {
			pieces := [][]byte{j.head, j.tail}
			if len(j.head)+len(j.tail) == 0 {
				pieces = [][]byte{j.in}
			}
			size := 0
			for _, data := range pieces {
				if !w.failed() {
					if _, err := w.pipe.copyFrom(byteReaderAt(data), 0, int64(len(data))); err != nil {
						w.fail(err)
					}
				}
				size += len(data)
			}
			if !w.failed() {
				w.progress(int64(len(j.in)))
			}
			sizes = append(sizes, uint32(size))
			// The next chunk's streams may fall on other pages of out
			// (and the bitmaps lent to its suffix sort): keep only those.
			pages.Release(j.out[:cap(j.out)])
		})
	if err != nil {
		return nil, err
	}
	sp.threads = int64(w.workers)
	// The compressors hold the gate already; its slots are made here,
	// once the workers are counted, before any chunk is handed out.
	gate.slots = make(chan struct{}, peakSlots(w.workers))
	rerr := w.feedSolid(blobs, chunkSize, p)
	p.wait()
	p.stop()
	if rerr != nil {
		return nil, rerr
	}
	return sizes, w.Err()
}

// feedSolid reads and hashes the blobs in order, filling chunks.
func (w *Writer) feedSolid(blobs []*Blob, chunkSize int, p *pool[*solidJob]) error {
	j := p.get()
	fill := 0
	send := func() {
		j.in = j.in[:fill]
		p.submit(j)
		j = p.get()
		j.in = j.in[:cap(j.in)]
		fill = 0
	}
	var h hash.Hash = sha1.New()
	var dirs blob.DirCache
	defer dirs.Close()
	for _, b := range blobs {
		s, err := dirs.OpenSource(b)
		if err != nil {
			return err
		}
		h.Reset()
		for rem := b.Size; rem > 0; {
			n := int(min(rem, int64(chunkSize-fill)))
			dst := j.in[fill : fill+n]
			if err := s.ReadFull(dst); err != nil {
				s.Close()
				return err
			}
			h.Write(dst)
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
		// The last chunk, usually short: the buffer's rest, filled by
		// an earlier chunk, would stay resident idle.
		pages.Release(j.in[fill:cap(j.in)])
		j.in = j.in[:fill]
		p.submit(j)
	}
	return nil
}

// byteReaderAt serves a byte slice as an io.ReaderAt.
type byteReaderAt []byte

func (b byteReaderAt) ReadAt(p []byte, off int64) (int, error) {
	return copy(p, b[off:]), nil
}

// spareUser is a compressor that can run part of a chunk on a thread the
// pool leaves idle (internal/lzms: its matchfinder, see lzms.Spare).
type spareUser interface {
	SetSpare(s lzms.Spare)
}

// gateUser is a compressor whose memory peaks in a stretch of each chunk
// that compressors sharing a gate take in turn (internal/lzms: its
// matchfinder's, see SetGate).
type gateUser interface {
	SetGate(g sync.Locker)
}

// peakGate admits a few of the solid pool's compressors at a time to the
// stretch where their memory peaks. A solid resource's chunks start
// together, one per worker, and reach that stretch together: without the
// gate their peaks add up (--solid on the Go tree, 2 threads: 1,188 MiB,
// against 1,222 for wimlib). It lasts a few percent of a chunk's time,
// and the gate's wait happens about once, at the first round; later
// rounds are out of step.
type peakGate struct{ slots chan struct{} }

func (g *peakGate) Lock()   { g.slots <- struct{}{} }
func (g *peakGate) Unlock() { <-g.slots }

// peakSlots is how many workers pass the peak stretch at once: one per
// eight, which keeps the gate free most of the time at any thread count.
func peakSlots(workers int) int { return max(1, (workers+7)/8) }

// spareThreads lends the solid pool's idle threads to its compressors:
// with fewer chunks left than workers (the last round) a core would
// otherwise wait while the last big chunk is parsed. busy counts the
// workers compressing and the threads lent; a lent thread is handed back
// once a worker starts a chunk and busy exceeds the workers. With one
// worker nothing is lent.
type spareThreads struct {
	threads int64
	busy    atomic.Int64
}

func (s *spareThreads) Take() bool {
	for {
		b := s.busy.Load()
		if b >= s.threads {
			return false
		}
		if s.busy.CompareAndSwap(b, b+1) {
			return true
		}
	}
}

func (s *spareThreads) Give() { s.busy.Add(-1) }

func (s *spareThreads) Crowded() bool { return s.busy.Load() > s.threads }
