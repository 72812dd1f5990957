package resource

import (
	"crypto/sha1"
	"hash"
	"io"

	"github.com/wimgo/wimgo/engine/blob"
	"github.com/wimgo/wimgo/engine/wimfmt"
)

// chunkPipe stores chunked, compressed resources with wimlib's pipeline:
//
//	caller (write):  cut each blob into chunks packed into batches from a
//	                 fixed pool, in order; only a blob that must be read
//	                 in order (an Open stream) is read and SHA-1'd here
//	workers (N):     each reads its batch's files (fill.go), SHA-1s them,
//	                 and compresses the batch with the compressor it owns
//	writer (1):      take batches in submission order, lay chunks and chunk
//	                 tables down (emit.go), return the batch to the pool
//
// Batches go to the workers and, in the same order, to the writer, which
// waits for each to be compressed; so the bytes written never depend on
// which worker ran first (pool.go). The pool bounds memory and makes write
// block when the workers fall behind. With one thread there are no
// goroutines: write fills, compresses and emits each batch itself.
//
// wimlib's main thread reads and hashes every blob itself; here that was
// one goroutine too, the stage that stops a compressed capture from
// scaling past a few cores (bench/scaling_test.go). Reading in the workers
// leaves the caller only bookkeeping; SHA-1, which is serial within a
// blob, runs in parallel across blobs, and in turn for a blob whose
// chunks fill more than one batch (fill.go).
type chunkPipe struct {
	w     *Writer
	chunk int
	h     hash.Hash // the caller's SHA-1 state, for Open streams
	e     *emitter
	cur   *batch // being filled by write
	pool  *pool[*batch]
	dirs  blob.DirCache // write's, closed by flush and stop
}

// batch is a run of chunks, possibly from several blobs, packed end to end
// in in; a chunk's compressed form goes to the same range of out.
type batch struct {
	in, out []byte
	used    int
	chunks  []chunkRef
	segs    []segment // the ranges of in that its worker reads (fill.go)
	meta    bool      // the chunks are a metadata resource's (see metadataTuner)
	signal
}

// chunkRef is one chunk of a batch.
type chunkRef struct {
	blob   *blobJob
	start  int // in batch.in
	n      int // uncompressed length
	ostart int // in batch.out (compressBatch)
	csize  int // compressed length, 0 = store raw
}

// blobJob is a blob travelling through the pipeline.
type blobJob struct {
	b       *Blob
	flags   uint8
	nchunks int64
	// Emitter state.
	start   int64  // resource offset
	tsize   int64  // chunk table size
	table   []byte // chunk table, filled as chunks are written
	written int64  // chunks written
	data    int64  // chunk bytes written, without pipable size prefixes
	// Ordered hashing of a blob read in several segments (fill.go):
	// segment turn hashes next; h is the running SHA-1.
	turn int
	h    hash.Hash
}

// Batch geometry. wimlib sends 2 to 16 chunks per message and 2 messages
// per thread; batches here hold up to 16 chunks or 1 MiB, whichever is
// less (at least one chunk), and many small blobs share one batch. Two
// batches per thread, as wimlib: three were no faster on the Go tree
// (XPRESS:20, LZX:50, LZMS:50) and LZMS:50 peaked 5-8 MB higher.
//
// A batch amortizes the hand-offs between caller, workers and writer; with
// many threads the queue of two batches per thread already keeps every
// worker busy, and the batches' buffers were most of what a thread costs
// (LZMS:50 at 64 threads: 4 of 5.7 MiB per thread). So all batches
// together take at most batchBudget bytes of input, down to one chunk a
// batch: with 8 threads or fewer nothing changes; 64 threads of LZMS
// (128 KiB chunks) get one chunk a batch, of LZX (32 KiB) four.
const (
	batchChunks      = 16
	batchMaxBytes    = 1 << 20
	batchMaxRefs     = 1024
	batchesPerThread = 2
	batchBudget      = 16 << 20
)

// batchBytes is the input size of each batch for chunks of chunk bytes and
// threads workers: a whole number of chunks.
func batchBytes(chunk, threads int) int {
	bb := min(batchChunks*chunk, batchMaxBytes, batchBudget/(batchesPerThread*max(threads, 1)))
	return max(chunk, bb/chunk*chunk)
}

// batchCount is the number of batches for threads workers: two per thread,
// except for chunks of bigBatch bytes or more (solid resources, 64 MiB
// chunks by default), where one per thread and one more to fill keep the
// workers as busy (a chunk takes seconds to compress, milliseconds to read)
// and save a batch's in and out buffers per thread.
func batchCount(threads, bb int) int {
	if bb >= bigBatch {
		return threads + 1
	}
	return batchesPerThread * threads
}

const bigBatch = 8 << 20

func newChunkPipe(w *Writer, c *codec, start int64) (pipe, error) {
	chunk, level := w.opts.ChunkSize, w.opts.Level
	// Sized for the threads asked for; fitting them to memory may leave
	// fewer, with batches smaller than they could be.
	bb := batchBytes(chunk, Threads(w.opts.Threads))
	p := &chunkPipe{w: w, chunk: chunk, h: sha1.New(), e: newEmitter(w, chunk, start)}
	var err error
	p.pool, err = newPool(w,
		poolSize{perThread: c.memoryNeeded(chunk, level) + int64(batchCount(1, bb)*2*bb),
			inflight: func(threads int) int { return batchCount(threads, bb) }},
		func() *batch { return newBatch(bb) },
		func() (func(*batch), error) {
			comp, err := c.newCompressor(chunk, level)
			var f filler
			return func(b *batch) {
				if f.fill(p, b) {
					compressBatch(comp, b)
				}
			}, err
		},
		func(b *batch) {
			p.e.emit(b)
			b.used = 0
			clear(b.chunks) // drop blob references
			b.chunks = b.chunks[:0]
			clear(b.segs)
			b.segs = b.segs[:0]
		})
	if err != nil {
		return nil, err
	}
	return p, nil
}

func newBatch(size int) *batch {
	return &batch{
		in:     make([]byte, size),
		out:    make([]byte, size),
		chunks: make([]chunkRef, 0, batchChunks),
	}
}

// compressBatch compresses every chunk of b. Compress writes at most n-1
// bytes into the n bytes of out it is given, or returns 0 to store the
// chunk raw. Each chunk is given the room in out right after the
// compressed chunks before it, which keeps the pages of out ever touched
// (the memory a batch really holds) to its compressed bytes and one chunk;
// given the same range as in, chunks starting anywhere in a batch would by
// the end of a capture have written every page of out. No chunk's output
// is longer than its input, so its room never ends past its range of in.
func compressBatch(c compressor, b *batch) {
	if t, ok := c.(metadataTuner); ok {
		t.ForMetadata(b.meta)
	}
	o := 0
	for i := range b.chunks {
		r := &b.chunks[i]
		r.ostart = o
		r.csize = compressOwned(c, b.out[o:o+r.n], b.in[r.start:r.start+r.n])
		o += r.csize
	}
}

// submit hands the batch being filled to the pool.
func (p *chunkPipe) submit() {
	if p.cur != nil {
		p.pool.submit(p.cur)
		p.cur = nil
	}
}

func (p *chunkPipe) write(b *Blob, flags uint8) {
	if p.w.failed() {
		return
	}
	bj := &blobJob{b: b, flags: flags, nchunks: numChunks(b.Size, p.chunk)}
	meta := flags&wimfmt.ResFlagMetadata != 0
	// Files and bytes in memory are read by the workers, anywhere; an Open
	// stream only from its start, in order, so here.
	if deferred(b) {
		p.pack(bj, meta, nil)
		return
	}
	s, err := p.dirs.OpenSource(b)
	if err != nil {
		p.w.fail(err)
		return
	}
	p.h.Reset()
	if !p.pack(bj, meta, &s) {
		s.Close()
		return
	}
	if err := s.Finish(); err != nil {
		p.w.fail(err)
		return
	}
	// Set before the last chunk's batch is submitted, so the writer sees
	// it if it must re-read the blob.
	var sum [20]byte
	p.h.Sum(sum[:0])
	p.w.checkHash(b, sum)
}

// pack cuts bj's blob into chunks in the batches being filled. With a
// source, it reads and hashes each chunk as it goes; without one, it
// records the segments the workers will read (fill.go).
func (p *chunkPipe) pack(bj *blobJob, meta bool, s *blob.Source) bool {
	var off int64 // blob bytes packed
	seg := -1     // index in p.cur.segs of bj's open segment
	index := 0    // bj's segments so far
	for off < bj.b.Size {
		n := int(min(bj.b.Size-off, int64(p.chunk)))
		// Metadata is written alone (WriteBuffer and WriteStream flush
		// first), so a batch never mixes it with file data; checked anyway.
		if p.cur != nil && (p.cur.used+n > len(p.cur.in) || len(p.cur.chunks) == batchMaxRefs || p.cur.meta != meta) {
			p.submit()
			seg = -1
		}
		if p.cur == nil {
			p.cur = p.pool.get()
			p.cur.meta = meta
		}
		bt := p.cur
		if s != nil {
			dst := bt.in[bt.used : bt.used+n]
			if err := s.ReadFull(dst); err != nil {
				p.w.fail(err)
				return false
			}
			p.h.Write(dst)
			// Reported per chunk, as wimlib reports: a display updates
			// about a hundred times for 3 MiB, not once per batch.
			p.w.progress(int64(n))
		} else if seg < 0 {
			bt.segs = append(bt.segs, segment{bj: bj, start: bt.used, off: off, index: index})
			seg = len(bt.segs) - 1
			index++
		}
		if seg >= 0 {
			bt.segs[seg].n += n
		}
		bt.chunks = append(bt.chunks, chunkRef{blob: bj, start: bt.used, n: n})
		bt.used += n
		off += int64(n)
	}
	return true
}

func (p *chunkPipe) flush() {
	p.dirs.Close()
	p.submit()
	p.pool.wait()
	p.e.flushStage()
}

func (p *chunkPipe) offset() int64 { return p.e.off }

func (p *chunkPipe) copyFrom(src io.ReaderAt, off, n int64) (int64, error) {
	return p.e.copyFrom(src, off, n)
}

func (p *chunkPipe) stop() {
	p.dirs.Close()
	p.pool.stop()
}
