package resource

import (
	"crypto/sha1"
	"hash"
	"io"

	"github.com/wimgo/wimgo/engine/blob"
	"github.com/wimgo/wimgo/engine/wimfmt"
)

// plainPipe stores uncompressed resources. A resource's size is known before
// it is read, so every blob gets its offset when it is queued and the
// pool's workers read, hash and write whole blobs in parallel: the bytes
// land where they would with one thread, and the pool needs no finisher. Small blobs travel in batches of consecutive blobs that a
// worker reads into its buffer and writes with one call.
type plainPipe struct {
	w    *Writer
	buf  int       // each worker's buffer (plainBufFor)
	off  int64     // offset of the next blob
	cur  *plainJob // batch being filled
	pool *pool[*plainJob]
}

// plainJob is a run of consecutive blobs starting at off.
type plainJob struct {
	blobs []*Blob
	flags uint8
	off   int64
	n     int64 // total size
	signal
}

// plainBuf is each worker's buffer; also the batch size limit and the piece
// size big blobs are hashed and written in. Past plainBudget/plainBuf
// threads the buffers share plainBudget, down to plainBufMin each: reading
// and writing uncompressed data gains nothing from more buffered bytes,
// and at --threads=64 the buffers were most of the memory (95 MiB, against
// wimlib's 17).
const (
	plainBuf    = 1 << 20
	plainBufMin = 256 << 10
	plainBudget = 16 << 20
)

// plainBufFor is each worker's buffer for threads workers.
func plainBufFor(threads int) int {
	return max(plainBufMin, min(plainBuf, plainBudget/max(threads, 1)))
}

// plainBatchMax caps the blobs in a batch, so a batch of tiny files does not
// hold up progress reports.
const plainBatchMax = 1024

type plainWorker struct {
	w   *Writer
	buf []byte
	h   hash.Hash
}

func newPlainPipe(w *Writer, start int64) *plainPipe {
	// Sized for the threads asked for; fitting them to memory may leave
	// fewer, with buffers smaller than they could be.
	p := &plainPipe{w: w, buf: plainBufFor(Threads(w.opts.Threads)), off: start}
	// Jobs hold no buffers (the workers do): three per worker, as many
	// as before the pool (a queue of two per worker, and one each).
	p.pool, _ = newPool(w, poolSize{perThread: int64(p.buf), inflight: func(threads int) int { return 3 * threads }},
		func() *plainJob { return &plainJob{blobs: make([]*Blob, 0, 16)} },
		func() (func(*plainJob), error) {
			pw := &plainWorker{w: w, buf: make([]byte, p.buf), h: sha1.New()}
			return pw.run, nil
		},
		nil)
	return p
}

func (p *plainPipe) write(b *Blob, flags uint8) {
	if p.w.opts.Pipable {
		// The stream header goes first; the resource starts after it.
		p.dispatch()
		if !p.w.writeAt(PipableStreamHeader(b.Size, b.Hash, flags), p.off) {
			return
		}
		p.off += PipableStreamHeaderSize
	}
	b.Hdr = wimfmt.ResHdr{StoredSize: b.Size, Flags: flags, Offset: p.off, OriginalSize: b.Size}
	if b.Size > int64(p.buf) {
		p.dispatch()
		j := p.pool.get()
		clear(j.blobs)
		j.blobs, j.flags, j.off, j.n = append(j.blobs[:0], b), flags, p.off, b.Size
		p.pool.submit(j)
	} else {
		if p.cur != nil && (p.cur.n+b.Size > int64(p.buf) || len(p.cur.blobs) == plainBatchMax || p.cur.flags != flags) {
			p.dispatch()
		}
		if p.cur == nil {
			p.cur = p.pool.get()
			clear(p.cur.blobs) // drop the last use's blob references
			p.cur.blobs, p.cur.flags, p.cur.off, p.cur.n = p.cur.blobs[:0], flags, p.off, 0
		}
		p.cur.blobs = append(p.cur.blobs, b)
		p.cur.n += b.Size
	}
	p.off += b.Size
}

// dispatch sends the batch being filled.
func (p *plainPipe) dispatch() {
	if p.cur != nil {
		p.pool.submit(p.cur)
		p.cur = nil
	}
}

func (p *plainPipe) flush() {
	p.dispatch()
	p.pool.wait()
}

func (p *plainPipe) offset() int64 { return p.off }

func (p *plainPipe) stop() { p.pool.stop() }

// run stores one job, recording the first error in the Writer.
func (pw *plainWorker) run(j *plainJob) {
	w := pw.w
	if len(j.blobs) == 1 && j.n > int64(len(pw.buf)) {
		pw.runLarge(j.blobs[0])
		return
	}
	pos := int64(0)
	// A batch is consecutive blobs, mostly of a few directories.
	var dirs blob.DirCache
	defer dirs.Close()
	for _, b := range j.blobs {
		dst := pw.buf[pos : pos+b.Size]
		if b.Data != nil && int64(len(b.Data)) == b.Size {
			copy(dst, b.Data)
		} else if err := readWhole(b, dst, &dirs); err != nil {
			w.fail(err)
			return
		}
		w.checkHash(b, sha1.Sum(dst))
		b.Drop() // stored: the file is read again if needed
		pos += b.Size
	}
	if w.writeAt(pw.buf[:pos], j.off) {
		w.progress(pos)
	}
}

// readWhole reads all of b into dst (len(dst) == b.Size), opening it
// through dirs.
func readWhole(b *Blob, dst []byte, dirs *blob.DirCache) error {
	s, err := dirs.OpenSource(b)
	if err != nil {
		return err
	}
	if err := s.ReadFull(dst); err != nil {
		s.Close()
		return err
	}
	return s.Finish()
}

// runLarge hashes and writes one big blob a buffer at a time (straight from
// Data when it is in memory).
func (pw *plainWorker) runLarge(b *Blob) {
	w := pw.w
	s, err := blob.OpenSource(b)
	if err != nil {
		w.fail(err)
		return
	}
	defer s.Close()
	pw.h.Reset()
	off := b.Hdr.Offset
	for rem := b.Size; rem > 0; {
		n := int(min(rem, int64(len(pw.buf))))
		p, err := s.Next(pw.buf, n)
		if err != nil {
			w.fail(err)
			return
		}
		pw.h.Write(p)
		if !w.writeAt(p, off) {
			return
		}
		w.progress(int64(n))
		off += int64(n)
		rem -= int64(n)
		if w.failed() {
			return
		}
	}
	if err := s.Finish(); err != nil {
		w.fail(err)
		return
	}
	var sum [20]byte
	pw.h.Sum(sum[:0])
	w.checkHash(b, sum)
}

// copyFrom appends n raw bytes of src at off (after a flush).
func (p *plainPipe) copyFrom(src io.ReaderAt, off, n int64) (int64, error) {
	at := p.off
	if err := p.w.copyAt(at, src, off, n); err != nil {
		return 0, err
	}
	p.off += n
	return at, nil
}
