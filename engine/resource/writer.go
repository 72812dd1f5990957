package resource

import (
	"crypto/sha1"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"sync"

	"github.com/wimgo/wimgo/engine/blob"
	"github.com/wimgo/wimgo/engine/wimfmt"
)

// Options configures a Writer. The zero value writes uncompressed resources.
type Options struct {
	Type      Type
	ChunkSize int           // 0 = DefaultChunkSize(Type); ignored for None
	Level     int           // 0 = 50
	Threads   int           // 0 = runtime.NumCPU(); capped and fitted to memory (see poolThreads)
	Progress  func(n int64) // optional: called, never concurrently, with bytes of blob input consumed
	// Pipable writes wimlib's pipable layout: every resource is preceded by
	// a stream header carrying its size and SHA-1 (so blobs must come with
	// Hashed), compressed chunks each carry a 4-byte size prefix, the
	// chunk table follows the chunks, and nothing is ever rewritten.
	Pipable bool
}

// Blob is one blob to store: the engine's blob.Blob, from scan to blob
// table. The Writer reads its bytes from whichever of Data, Path, Open
// supplies them (blob.OpenSource); a source may be read twice (a compressed
// resource that does not shrink is rewritten uncompressed from it), and
// from pipeline goroutines concurrently with other blobs' sources: Open
// and its readers must allow that.
//
// When Hashed (and not Assumed) the Writer checks the bytes it reads
// against Hash: a blob hashed before writing may have been merged with its
// duplicates, and the stream header of a pipable resource carries the hash
// before the bytes (so Pipable requires Hashed, and checks an Assumed hash
// too: it is written before it could be replaced). Otherwise it sets Hash
// and Hashed. Once the blob is written (after Flush) Hdr is set and bytes
// that hashing kept are dropped (blob.Blob.Drop).
type Blob = blob.Blob

// Writer writes resources one after the other into a file from a start
// offset. Blob bytes are read, hashed, compressed and written by a pipeline;
// Flush waits for it. The first error is sticky: every later call returns it.
// A Writer is used from one goroutine.
type Writer struct {
	f      io.WriterAt
	opts   Options
	pipe   pipe
	closed bool
	// workers is the thread count of the pool started last (plain,
	// pipeline or solid), as poolThreads fitted it.
	workers int

	errMu sync.Mutex
	err   error

	// turnMu and turn order the hashing of blobs read in segments by
	// several workers (fill.go); fail wakes the waiters.
	turnMu sync.Mutex
	turn   *sync.Cond

	progMu sync.Mutex
}

// pipe is the part that differs between uncompressed resources (plain.go)
// and chunked ones (pipeline.go).
type pipe interface {
	// write queues b, storing it with the extra reshdr flags.
	write(b *Blob, flags uint8)
	// flush waits until every queued blob is on disk.
	flush()
	// offset is the file offset past everything written (after flush).
	offset() int64
	// copyFrom appends n bytes of src at off unchanged (after a flush) and
	// returns where they went.
	copyFrom(src io.ReaderAt, off, n int64) (int64, error)
	// stop ends the workers, after a flush.
	stop()
}

// NewWriter returns a Writer storing resources in f from offset start. It
// checks the options; it does not close f.
func NewWriter(f io.WriterAt, start int64, opts Options) (*Writer, error) {
	if start < 0 {
		return nil, fmt.Errorf("resource: negative start offset %d", start)
	}
	if opts.Type == None {
		opts.ChunkSize = 0 // ignored
	}
	set, err := CheckSettings(opts.Type, opts.Level, opts.ChunkSize, Ordinary)
	if err != nil {
		return nil, err
	}
	opts.Level, opts.ChunkSize = set.Level, set.ChunkSize
	opts.Threads = Threads(opts.Threads)
	w := &Writer{f: f, opts: opts}
	if opts.Type == None {
		w.pipe = newPlainPipe(w, start)
		return w, nil
	}
	c, err := codecFor(opts.Type)
	if err != nil {
		return nil, err
	}
	p, err := newChunkPipe(w, c, start)
	if err != nil {
		return nil, err
	}
	w.pipe = p
	return w, nil
}

// Write queues b. It returns once b is accepted, possibly before it is
// written, blocking while the pipeline's buffers are all in use. b must not
// be modified until Flush returns; b.Size must be positive (empty blobs are
// never stored).
func (w *Writer) Write(b *Blob) error {
	if err := w.check(); err != nil {
		return err
	}
	if b.Size <= 0 {
		return blobErr(b, "", fmt.Errorf("resource: cannot store a blob of size %d", b.Size))
	}
	if w.opts.Pipable && !b.Hashed {
		return blobErr(b, "", errors.New("resource: a pipable resource needs its SHA-1 before it is written"))
	}
	w.pipe.write(b, 0)
	return w.Err()
}

// Flush waits until every queued blob is written; their Hdr and Hash are
// then set.
func (w *Writer) Flush() error {
	if err := w.check(); err != nil {
		return err
	}
	w.pipe.flush()
	return w.Err()
}

// WriteBuffer flushes, then writes data as one resource compressed like the
// blobs, with the extra reshdr flags (e.g. wimfmt.ResFlagMetadata). It
// returns the resource's header and the SHA-1 of data. Progress is not
// reported for it.
func (w *Writer) WriteBuffer(data []byte, flags uint8) (wimfmt.ResHdr, [20]byte, error) {
	b := &Blob{Size: int64(len(data)), Data: data, Name: "buffer"}
	if w.opts.Pipable {
		b.Hash, b.Hashed = sha1.Sum(data), true
	}
	return w.writeOne(b, flags)
}

// WriteStream is WriteBuffer for size bytes that open reads (it may be
// called more than once), for a resource too big to hold (the metadata of
// many files). Not for pipable WIMs, which need the hash first.
func (w *Writer) WriteStream(size int64, open func() (io.ReadCloser, error), flags uint8) (wimfmt.ResHdr, [20]byte, error) {
	if w.opts.Pipable {
		return wimfmt.ResHdr{}, [20]byte{}, errors.New("resource: WriteStream on a pipable WIM")
	}
	return w.writeOne(&Blob{Size: size, Open: open, Name: "metadata"}, flags)
}

func (w *Writer) writeOne(b *Blob, flags uint8) (wimfmt.ResHdr, [20]byte, error) {
	if err := w.Flush(); err != nil {
		return wimfmt.ResHdr{}, [20]byte{}, err
	}
	if b.Size == 0 {
		// Nothing to store: an empty resource where the next one would go.
		return wimfmt.ResHdr{Offset: w.pipe.offset(), Flags: flags}, emptySHA1, nil
	}
	prog := w.opts.Progress
	w.opts.Progress = nil
	w.pipe.write(b, flags)
	w.pipe.flush()
	w.opts.Progress = prog
	if err := w.Err(); err != nil {
		return wimfmt.ResHdr{}, [20]byte{}, err
	}
	return b.Hdr, b.Hash, nil
}

// SHA-1 of no bytes.
var emptySHA1 = [20]byte{0xda, 0x39, 0xa3, 0xee, 0x5e, 0x6b, 0x4b, 0x0d, 0x32, 0x55,
	0xbf, 0xef, 0x95, 0x60, 0x18, 0x90, 0xaf, 0xd8, 0x07, 0x09}

// Offset is the file offset just past everything written (valid after
// Flush).
func (w *Writer) Offset() int64 { return w.pipe.offset() }

// Close flushes and stops the workers. It is idempotent; it does not close
// the file.
func (w *Writer) Close() error {
	if w.closed {
		return w.Err()
	}
	if w.Err() == nil {
		w.pipe.flush()
	}
	w.pipe.stop()
	w.closed = true
	return w.Err()
}

func (w *Writer) check() error {
	if w.closed {
		if err := w.Err(); err != nil {
			return err
		}
		return ErrClosed
	}
	return w.Err()
}

// Err returns the sticky error, if any.
func (w *Writer) Err() error {
	w.errMu.Lock()
	defer w.errMu.Unlock()
	return w.err
}

// fail records err unless an earlier error is already recorded.
func (w *Writer) fail(err error) {
	w.errMu.Lock()
	if w.err == nil {
		w.err = err
	}
	w.errMu.Unlock()
	w.turnMu.Lock()
	if w.turn != nil {
		w.turn.Broadcast()
	}
	w.turnMu.Unlock()
}

// turnCond is the condition segments wait on for their turn to hash; the
// caller holds turnMu.
func (w *Writer) turnCond() *sync.Cond {
	if w.turn == nil {
		w.turn = sync.NewCond(&w.turnMu)
	}
	return w.turn
}

// failed is the cheap check the pipeline makes before each unit of work.
func (w *Writer) failed() bool {
	w.errMu.Lock()
	f := w.err != nil
	w.errMu.Unlock()
	return f
}

// progress reports n bytes of input consumed; workers call it concurrently
// and the mutex keeps the callback single-threaded.
func (w *Writer) progress(n int64) {
	if w.opts.Progress == nil || n == 0 {
		return
	}
	w.progMu.Lock()
	w.opts.Progress(n)
	w.progMu.Unlock()
}

// writeAt writes p at off, recording a failure.
func (w *Writer) writeAt(p []byte, off int64) bool {
	if _, err := w.f.WriteAt(p, off); err != nil {
		w.fail(fmt.Errorf("writing WIM at offset %d: %w", off, err))
		return false
	}
	return true
}

var errShortCopy = errors.New("source resource ends early")

// PipableStreamHeaderSize is the size of the header before every resource
// of a pipable WIM.
const PipableStreamHeaderSize = 40

// pipableMagic starts every pipable stream header.
const pipableMagic = 0x2B9B9BA2443DB9D8

// PipableStreamHeader encodes the header that precedes a resource in a
// pipable WIM:
//
//	+0  8  magic 0x2B9B9BA2443DB9D8
//	+8  8  uncompressed size
//	+16 20 SHA-1 of the uncompressed bytes
//	+36 4  reshdr-style flags (0x02 metadata, 0x04 compressed)
func PipableStreamHeader(size int64, hash [20]byte, flags uint8) []byte {
	b := make([]byte, PipableStreamHeaderSize)
	binary.LittleEndian.PutUint64(b[0:], pipableMagic)
	binary.LittleEndian.PutUint64(b[8:], uint64(size))
	copy(b[16:36], hash[:])
	binary.LittleEndian.PutUint32(b[36:], uint32(flags))
	return b
}

// checkHash records the SHA-1 computed while reading b: it becomes b.Hash,
// or, when b was hashed before (see Blob), must equal it.
func (w *Writer) checkHash(b *Blob, sum [20]byte) {
	if b.Hashed && (!b.Assumed || w.opts.Pipable) {
		if sum != b.Hash {
			w.fail(blobErr(b, "", errContentChanged))
		}
		return
	}
	b.Hash, b.Hashed, b.Assumed = sum, true, false
}
