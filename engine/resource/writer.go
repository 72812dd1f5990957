package resource

import (
	"crypto/sha1"
	"errors"
	"fmt"
	"hash"
	"io"
	"runtime"
	"sync"

	"golang.org/x/sys/unix"

	"github.com/wimgo/wimgo/engine/wimfmt"
)

// Options configure a Writer.
type Options struct {
	Type      Type
	ChunkSize int // 0 = DefaultChunkSize(Type); ignored for None
	Level     int // 0 = 50
	Threads   int // 0 = runtime.NumCPU()
	// Progress, when set, is called from the writer goroutine with the
	// uncompressed bytes just written.
	Progress func(n int64)
}

const (
	// rawBufSize is the piece size of uncompressed resources: big enough
	// that per-piece overhead vanishes against the copy and the hash.
	rawBufSize = 1 << 20
	// memoryBudget caps the compressors' memory when choosing the thread
	// count, as wimlib fits its threads to available memory.
	memoryBudget = 4 << 30
)

// chunk is one unit of work in flight: a piece of a blob's uncompressed
// bytes and, after a worker ran, its compressed form.
type chunk struct {
	blob *blobState
	buf  []byte // owned input buffer (cap chunk size + 1)
	in   []byte // the uncompressed bytes (in buf or in Blob.Data)
	out  []byte // owned output buffer
	n    int    // compressed length; 0 = store raw
	last bool
	// done receives once when the chunk is ready to be written.
	done chan struct{}
	// flush marks a Flush request instead of data.
	flush chan error
	// copyPath: the whole blob is copied from this file by the kernel
	// (uncompressed output of an already hashed file).
	copyPath bool
}

// blobState tracks one blob between its first chunk and its last.
type blobState struct {
	b       *Blob
	flags   uint8
	start   int64   // file offset of the resource
	nchunks int     // chunks in a compressed resource
	offsets []int64 // compressed: start of chunk i+1 relative to the table end
	written int64   // bytes of the resource written so far (table included)
}

// Writer writes resources into a file.
type Writer struct {
	f         io.WriterAt
	opts      Options
	chunkSize int
	compress  bool
	threads   int

	free    chan *chunk
	work    chan *chunk
	ordered chan *chunk
	wg      sync.WaitGroup // workers and the writer goroutine

	out  *outBuf
	fd   int // the output's descriptor for copy_file_range, or -1
	mu   sync.Mutex
	err  error // sticky
	hash hash.Hash

	closed bool
}

// NewWriter returns a Writer putting resources into f from offset start.
func NewWriter(f io.WriterAt, start int64, opts Options) (*Writer, error) {
	if opts.Level == 0 {
		opts.Level = 50
	}
	if opts.Level < 0 {
		return nil, fmt.Errorf("compression level %d: must be positive", opts.Level)
	}
	threads := opts.Threads
	if threads <= 0 {
		threads = runtime.NumCPU()
	}
	w := &Writer{f: f, opts: opts, threads: threads, hash: sha1.New()}
	bufSize := rawBufSize
	var newComp func() (compressor, error)
	if opts.Type != None {
		c, err := lookup(opts.Type)
		if err != nil {
			return nil, err
		}
		if opts.ChunkSize == 0 {
			opts.ChunkSize = DefaultChunkSize(opts.Type)
		}
		if err := CheckChunkSize(opts.Type, opts.ChunkSize); err != nil {
			return nil, err
		}
		w.chunkSize, w.compress, bufSize = opts.ChunkSize, true, opts.ChunkSize
		if mem := c.memoryNeeded(opts.ChunkSize, opts.Level); mem > 0 {
			w.threads = max(1, min(threads, int(memoryBudget/mem)))
		}
		newComp = func() (compressor, error) { return c.newCompressor(opts.ChunkSize, opts.Level) }
	}
	w.opts = opts
	// Buffers in flight: enough to keep every worker busy while the
	// writer drains, few enough to bound memory.
	inflight := 4 * (w.threads + 1)
	if !w.compress {
		inflight = 8
	}
	w.free = make(chan *chunk, inflight)
	w.ordered = make(chan *chunk, inflight+1)
	for range inflight {
		c := &chunk{buf: make([]byte, bufSize+1), done: make(chan struct{}, 1)}
		if w.compress {
			c.out = make([]byte, bufSize)
		}
		w.free <- c
	}
	if w.compress {
		w.work = make(chan *chunk, inflight)
		comps := make([]compressor, w.threads)
		for i := range comps {
			cp, err := newComp()
			if err != nil {
				return nil, err
			}
			comps[i] = cp
		}
		for _, cp := range comps {
			w.wg.Add(1)
			go w.worker(cp)
		}
	}
	w.out = &outBuf{f: f, off: start, buf: make([]byte, 0, 1<<20)}
	w.fd = -1
	if fd, ok := f.(interface{ Fd() uintptr }); ok {
		w.fd = int(fd.Fd())
	}
	w.wg.Add(1)
	go w.writer()
	return w, nil
}

func (w *Writer) worker(cp compressor) {
	defer w.wg.Done()
	for c := range w.work {
		c.n = cp.Compress(c.out, c.in)
		c.done <- struct{}{}
	}
}

func (w *Writer) setErr(err error) {
	w.mu.Lock()
	if w.err == nil {
		w.err = err
	}
	w.mu.Unlock()
}

func (w *Writer) getErr() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.err
}

// Write queues b. It returns once b's bytes are read and hashed and its
// chunks are queued; they are written later (see Flush).
func (w *Writer) Write(b *Blob) error {
	return w.write(b, 0)
}

func (w *Writer) write(b *Blob, flags uint8) error {
	if w.closed {
		return errors.New("resource: writer closed")
	}
	if err := w.getErr(); err != nil {
		return err
	}
	if b.Size <= 0 {
		return fmt.Errorf("%s: empty blobs have no resource", b.name())
	}
	bs := &blobState{b: b, flags: flags}
	piece := rawBufSize
	if w.compress {
		piece = w.chunkSize
		bs.nchunks = int((b.Size + int64(piece) - 1) / int64(piece))
	}
	if !w.compress && b.Hashed && b.Path != "" && w.fd >= 0 {
		c := <-w.free
		c.blob, c.n, c.flush, c.copyPath, c.last, c.in = bs, 0, nil, true, true, nil
		c.done <- struct{}{}
		w.ordered <- c
		return nil
	}
	w.hash.Reset()
	var r io.ReadCloser
	if b.Data == nil {
		var err error
		if r, err = b.open(); err != nil {
			w.setErr(err)
			return err
		}
		defer r.Close()
	} else if int64(len(b.Data)) != b.Size {
		err := fmt.Errorf("%s: %d bytes of data for a blob of %d", b.name(), len(b.Data), b.Size)
		w.setErr(err)
		return err
	}
	for done := int64(0); done < b.Size; {
		c := <-w.free
		c.blob, c.n, c.flush, c.copyPath = bs, 0, nil, false
		n := int(min(int64(piece), b.Size-done))
		if b.Data != nil {
			c.in = b.Data[done : done+int64(n)]
		} else {
			// Ask for one byte more at the end to catch a file that grew.
			want := n
			if done+int64(n) == b.Size {
				want++
			}
			got, err := io.ReadFull(r, c.buf[:want])
			if err == io.ErrUnexpectedEOF && got == n && want == n+1 {
				err = nil
			} else if err == nil && want == n+1 {
				err = fmt.Errorf("file grew during capture (more than %d bytes)", b.Size)
			} else if err == io.ErrUnexpectedEOF || err == io.EOF {
				err = fmt.Errorf("file shrank during capture (%d bytes, expected %d)", done+int64(got), b.Size)
			}
			if err != nil {
				w.free <- c
				err = fmt.Errorf("%s: %w", b.name(), err)
				w.setErr(err)
				return err
			}
			c.in = c.buf[:n]
		}
		if !b.Hashed {
			w.hash.Write(c.in)
		}
		done += int64(n)
		c.last = done == b.Size
		if c.last && !b.Hashed {
			w.hash.Sum(b.Hash[:0])
		}
		if w.compress && len(c.in) > 1 {
			w.work <- c
		} else {
			c.done <- struct{}{}
		}
		w.ordered <- c
	}
	return nil
}

// writer puts chunks into the file in submission order.
func (w *Writer) writer() {
	defer w.wg.Done()
	for c := range w.ordered {
		if c.flush != nil {
			err := w.out.flush()
			if err != nil {
				w.setErr(err)
			}
			c.flush <- w.getErr()
			continue
		}
		<-c.done
		if w.getErr() == nil {
			if err := w.put(c); err != nil {
				w.setErr(err)
			}
		}
		c.blob, c.in = nil, nil
		w.free <- c
	}
}

// put writes one chunk, opening and closing its resource as needed.
func (w *Writer) put(c *chunk) error {
	bs := c.blob
	b := bs.b
	if c.copyPath {
		return w.copyFile(bs)
	}
	if bs.written == 0 {
		bs.start = w.out.off
		if w.compress && bs.nchunks > 1 {
			// Reserve the chunk table; it is filled in at the end.
			tbl := int64(bs.nchunks-1) * entrySize(b.Size)
			if err := w.out.write(make([]byte, tbl)); err != nil {
				return err
			}
			bs.written = tbl
			bs.offsets = make([]int64, 0, bs.nchunks-1)
		}
	}
	data := c.in
	if c.n > 0 {
		data = c.out[:c.n]
	}
	if w.compress && bs.nchunks > 1 && !c.last {
		tbl := int64(bs.nchunks-1) * entrySize(b.Size)
		bs.offsets = append(bs.offsets, bs.written+int64(len(data))-tbl)
	}
	if err := w.out.write(data); err != nil {
		return err
	}
	bs.written += int64(len(data))
	if w.opts.Progress != nil {
		w.opts.Progress(int64(len(c.in)))
	}
	if !c.last {
		return nil
	}
	return w.finishBlob(bs)
}

func entrySize(size int64) int64 {
	if size > 0xFFFFFFFF {
		return 8
	}
	return 4
}

// finishBlob fills the chunk table and sets the blob's header; a
// compressed resource that is not smaller than its data is rewritten
// uncompressed (WOF treats equal sizes as uncompressed, so wimlib does).
func (w *Writer) finishBlob(bs *blobState) error {
	b := bs.b
	if !w.compress {
		b.Hdr = wimfmt.ResHdr{StoredSize: b.Size, Flags: bs.flags, Offset: bs.start, OriginalSize: b.Size}
		return nil
	}
	if bs.written >= b.Size {
		if bs.nchunks > 1 {
			if err := w.rewriteRaw(bs); err != nil {
				return err
			}
		}
		b.Hdr = wimfmt.ResHdr{StoredSize: b.Size, Flags: bs.flags, Offset: bs.start, OriginalSize: b.Size}
		return nil
	}
	if bs.nchunks > 1 {
		es := entrySize(b.Size)
		tbl := make([]byte, 0, int64(len(bs.offsets))*es)
		for _, o := range bs.offsets {
			if es == 8 {
				tbl = appendU64(tbl, uint64(o))
			} else {
				tbl = appendU32(tbl, uint32(o))
			}
		}
		if err := w.out.patch(tbl, bs.start); err != nil {
			return err
		}
	}
	b.Hdr = wimfmt.ResHdr{StoredSize: bs.written, Flags: bs.flags | wimfmt.ResFlagCompressed, Offset: bs.start, OriginalSize: b.Size}
	return nil
}

// rewriteRaw replaces a compressed resource that did not shrink with its
// raw bytes, read again from the source.
func (w *Writer) rewriteRaw(bs *blobState) error {
	b := bs.b
	if err := w.out.flush(); err != nil {
		return err
	}
	w.out.off = bs.start
	if b.Data != nil {
		return w.out.write(b.Data)
	}
	r, err := b.open()
	if err != nil {
		return err
	}
	defer r.Close()
	buf := make([]byte, rawBufSize)
	for done := int64(0); done < b.Size; {
		n := int(min(int64(len(buf)), b.Size-done))
		if _, err := io.ReadFull(r, buf[:n]); err != nil {
			return fmt.Errorf("%s: reading again: %w", b.name(), err)
		}
		if err := w.out.write(buf[:n]); err != nil {
			return err
		}
		done += int64(n)
	}
	return nil
}

func appendU32(b []byte, v uint32) []byte {
	return append(b, byte(v), byte(v>>8), byte(v>>16), byte(v>>24))
}

func appendU64(b []byte, v uint64) []byte {
	return appendU32(appendU32(b, uint32(v)), uint32(v>>32))
}

// Flush waits until every queued blob is written.
func (w *Writer) Flush() error {
	if w.closed {
		return w.getErr()
	}
	c := &chunk{flush: make(chan error, 1)}
	w.ordered <- c
	return <-c.flush
}

// WriteBuffer flushes, then writes data as one resource with the extra
// reshdr flags (e.g. metadata), compressed like the blobs.
func (w *Writer) WriteBuffer(data []byte, flags uint8) (wimfmt.ResHdr, [20]byte, error) {
	b := &Blob{Size: int64(len(data)), Data: data, Name: "metadata"}
	if err := w.write(b, flags); err != nil {
		return wimfmt.ResHdr{}, [20]byte{}, err
	}
	if err := w.Flush(); err != nil {
		return wimfmt.ResHdr{}, [20]byte{}, err
	}
	return b.Hdr, b.Hash, nil
}

// CopyRaw flushes, then copies an existing resource from src byte for byte
// and returns its new header.
func (w *Writer) CopyRaw(src io.ReaderAt, hdr wimfmt.ResHdr) (wimfmt.ResHdr, error) {
	if err := w.Flush(); err != nil {
		return hdr, err
	}
	out := hdr
	out.Offset = w.out.off
	buf := make([]byte, min(hdr.StoredSize, rawBufSize))
	for done := int64(0); done < hdr.StoredSize; {
		n := min(int64(len(buf)), hdr.StoredSize-done)
		if _, err := src.ReadAt(buf[:n], hdr.Offset+done); err != nil {
			return hdr, err
		}
		if err := w.out.write(buf[:n]); err != nil {
			return hdr, err
		}
		done += n
	}
	return out, w.out.flush()
}

// Offset is the file offset just past everything written (after Flush).
func (w *Writer) Offset() int64 { return w.out.off }

// Close flushes and stops the goroutines; it is idempotent.
func (w *Writer) Close() error {
	if w.closed {
		return w.getErr()
	}
	err := w.Flush()
	w.closed = true
	close(w.ordered)
	if w.work != nil {
		close(w.work)
	}
	w.wg.Wait()
	return err
}

// outBuf batches sequential writes into large WriteAt calls.
type outBuf struct {
	f   io.WriterAt
	off int64 // file offset of the next byte (buffered bytes included)
	buf []byte
}

func (o *outBuf) write(p []byte) error {
	if len(o.buf)+len(p) > cap(o.buf) {
		if err := o.flush(); err != nil {
			return err
		}
		if len(p) >= cap(o.buf) {
			if _, err := o.f.WriteAt(p, o.off); err != nil {
				return err
			}
			o.off += int64(len(p))
			return nil
		}
	}
	o.buf = append(o.buf, p...)
	o.off += int64(len(p))
	return nil
}

func (o *outBuf) flush() error {
	if len(o.buf) == 0 {
		return nil
	}
	_, err := o.f.WriteAt(o.buf, o.off-int64(len(o.buf)))
	o.buf = o.buf[:0]
	return err
}

// patch overwrites bytes at off, in the buffer if they are still there.
func (o *outBuf) patch(p []byte, off int64) error {
	bufStart := o.off - int64(len(o.buf))
	if off >= bufStart {
		copy(o.buf[off-bufStart:], p)
		return nil
	}
	if off+int64(len(p)) > bufStart {
		if err := o.flush(); err != nil {
			return err
		}
	}
	_, err := o.f.WriteAt(p, off)
	return err
}

// copyFile writes an uncompressed, already hashed blob by having the kernel
// copy the file (copy_file_range), falling back to read and write.
func (w *Writer) copyFile(bs *blobState) error {
	b := bs.b
	if err := w.out.flush(); err != nil {
		return err
	}
	bs.start = w.out.off
	f, err := b.open()
	if err != nil {
		return err
	}
	defer f.Close()
	src, _ := f.(interface{ Fd() uintptr })
	var done int64
	for src != nil && done < b.Size {
		soff, doff := done, bs.start+done
		n, err := unix.CopyFileRange(int(src.Fd()), &soff, w.fd, &doff, int(min(b.Size-done, 1<<30)), 0)
		if err != nil || n == 0 {
			break
		}
		done += int64(n)
	}
	if done < b.Size {
		// Not supported here (or the file shrank): copy the rest by hand.
		buf := make([]byte, min(b.Size-done, rawBufSize))
		for done < b.Size {
			n := min(int64(len(buf)), b.Size-done)
			ra, ok := f.(io.ReaderAt)
			if !ok {
				return fmt.Errorf("%s: cannot reread", b.name())
			}
			if _, err := ra.ReadAt(buf[:n], done); err != nil {
				return fmt.Errorf("%s: file shrank during capture: %w", b.name(), err)
			}
			if _, err := w.f.WriteAt(buf[:n], bs.start+done); err != nil {
				return err
			}
			done += n
		}
	}
	w.out.off += b.Size
	if w.opts.Progress != nil {
		w.opts.Progress(b.Size)
	}
	b.Hdr = wimfmt.ResHdr{StoredSize: b.Size, Flags: bs.flags, Offset: bs.start, OriginalSize: b.Size}
	return nil
}
