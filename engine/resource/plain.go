package resource

import (
	"crypto/sha1"
	"hash"
	"io"
	"sync"

	"github.com/wimgo/wimgo/engine/blob"
	"github.com/wimgo/wimgo/engine/wimfmt"
)

// plainPipe stores uncompressed resources. A resource's size is known before
// it is read, so every blob gets its offset when it is queued and workers
// can read, hash and write whole blobs in parallel without any ordering:
// the bytes land where they would with one thread. Small blobs travel in
// batches of consecutive blobs that a worker reads into one buffer and
// writes with one call.
type plainPipe struct {
	w    *Writer
	off  int64     // offset of the next blob
	cur  *plainJob // batch being filled
	jobs chan *plainJob
	busy sync.WaitGroup // jobs queued but not done
	done sync.WaitGroup // workers running
	// serial: with one thread, Write does the work itself.
	serial *plainWorker
}

// plainJob is a run of consecutive blobs starting at off.
type plainJob struct {
	blobs []*Blob
	flags uint8
	off   int64
	n     int64 // total size
}

// plainBuf is each worker's buffer; also the batch size limit and the piece
// size big blobs are hashed and written in.
const plainBuf = 1 << 20

// plainBatchMax caps the blobs in a batch, so a batch of tiny files does not
// hold up progress reports.
const plainBatchMax = 1024

type plainWorker struct {
	p   *plainPipe
	buf []byte
	h   hash.Hash
}

func newPlainPipe(w *Writer, start int64) *plainPipe {
	p := &plainPipe{w: w, off: start}
	threads := w.poolThreads(plainBuf, 0)
	if threads <= 1 {
		p.serial = p.newWorker()
		return p
	}
	p.jobs = make(chan *plainJob, 2*threads)
	for range threads {
		p.done.Add(1)
		go func(pw *plainWorker) {
			defer p.done.Done()
			for j := range p.jobs {
				pw.run(j)
				p.busy.Done()
			}
		}(p.newWorker())
	}
	return p
}

func (p *plainPipe) newWorker() *plainWorker {
	return &plainWorker{p: p, buf: make([]byte, plainBuf), h: sha1.New()}
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
	if b.Size > plainBuf {
		p.dispatch()
		p.send(&plainJob{blobs: []*Blob{b}, flags: flags, off: p.off, n: b.Size})
	} else {
		if p.cur != nil && (p.cur.n+b.Size > plainBuf || len(p.cur.blobs) == plainBatchMax || p.cur.flags != flags) {
			p.dispatch()
		}
		if p.cur == nil {
			p.cur = &plainJob{blobs: make([]*Blob, 0, 16), flags: flags, off: p.off}
		}
		p.cur.blobs = append(p.cur.blobs, b)
		p.cur.n += b.Size
	}
	p.off += b.Size
}

// dispatch sends the batch being filled.
func (p *plainPipe) dispatch() {
	if p.cur != nil {
		j := p.cur
		p.cur = nil
		p.send(j)
	}
}

func (p *plainPipe) send(j *plainJob) {
	if p.serial != nil {
		p.serial.run(j)
		return
	}
	p.busy.Add(1)
	p.jobs <- j
}

func (p *plainPipe) flush() {
	p.dispatch()
	p.busy.Wait()
}

func (p *plainPipe) offset() int64 { return p.off }

func (p *plainPipe) stop() {
	if p.jobs != nil {
		close(p.jobs)
		p.done.Wait()
		p.jobs = nil
	}
}

// run stores one job, recording the first error in the Writer.
func (pw *plainWorker) run(j *plainJob) {
	w := pw.p.w
	if w.failed() {
		return
	}
	if len(j.blobs) == 1 && j.n > int64(len(pw.buf)) {
		pw.runLarge(j.blobs[0])
		return
	}
	pos := int64(0)
	for _, b := range j.blobs {
		dst := pw.buf[pos : pos+b.Size]
		if b.Data != nil && int64(len(b.Data)) == b.Size {
			copy(dst, b.Data)
		} else if err := readWhole(b, dst); err != nil {
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

// readWhole reads all of b into dst (len(dst) == b.Size).
func readWhole(b *Blob, dst []byte) error {
	s, err := blob.OpenSource(b)
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
	w := pw.p.w
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
