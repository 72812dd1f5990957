package resource

import (
	"crypto/sha1"
	"encoding/binary"
	"io"

	"github.com/wimgo/wimgo/engine/blob"
	"github.com/wimgo/wimgo/engine/wimfmt"
)

// emitter lays compressed chunks down in order. It owns the output offset
// and a staging buffer holding the newest bytes, so that many small
// resources cost one write call per buffer, and so a chunk table reserved
// at a resource's start is usually patched in memory rather than written
// twice.
type emitter struct {
	w        *Writer
	chunk    int
	off      int64  // end of everything emitted
	stage    []byte // the bytes of [stageOff, off) not yet written
	stageOff int64
}

// stageSize is the staging buffer's capacity.
const stageSize = 1 << 20

func newEmitter(w *Writer, chunk int, start int64) *emitter {
	return &emitter{w: w, chunk: chunk, off: start, stageOff: start, stage: make([]byte, 0, stageSize)}
}

// emit writes the chunks of a compressed batch.
func (e *emitter) emit(b *batch) {
	if e.w.failed() {
		return
	}
	for i := range b.chunks {
		r := &b.chunks[i]
		bj := r.blob
		if bj.written == 0 {
			e.beginBlob(bj)
		} else if e.w.opts.Pipable {
			// Offsets in a pipable table leave out the size prefixes.
			putEntry(bj.table, bj.written-1, entrySize(bj.b.Size), bj.data)
		} else {
			putEntry(bj.table, bj.written-1, entrySize(bj.b.Size), e.off-(bj.start+bj.tsize))
		}
		var chunk []byte
		if r.csize > 0 {
			chunk = b.out[r.ostart : r.ostart+r.csize]
		} else {
			chunk = b.in[r.start : r.start+r.n]
		}
		if e.w.opts.Pipable {
			var pre [4]byte
			binary.LittleEndian.PutUint32(pre[:], uint32(len(chunk)))
			e.put(pre[:])
		}
		e.put(chunk)
		bj.data += int64(len(chunk))
		bj.written++
		if bj.written == bj.nchunks {
			e.endBlob(bj)
		}
		if e.w.failed() {
			return
		}
	}
}

// beginBlob starts bj's resource at the current offset, reserving its chunk
// table.
func (e *emitter) beginBlob(bj *blobJob) {
	bj.tsize = tableSize(bj.b.Size, e.chunk)
	if e.w.opts.Pipable {
		// Stream header first; the chunk table goes after the chunks.
		e.put(PipableStreamHeader(bj.b.Size, bj.b.Hash, bj.flags|wimfmt.ResFlagCompressed))
		bj.start = e.off
		bj.table = make([]byte, bj.tsize)
		return
	}
	bj.start = e.off
	if bj.tsize > 0 {
		bj.table = make([]byte, bj.tsize)
		e.reserve(bj.tsize)
	}
}

// endBlob completes bj's resource: its chunk table and header, or, when
// compression did not make it smaller, an uncompressed rewrite (WOF reads a
// resource whose stored size equals its size as uncompressed; wimlib does
// the same for any that is not smaller).
func (e *emitter) endBlob(bj *blobJob) {
	b := bj.b
	defer b.Drop() // stored: the file is read again if needed
	if e.w.opts.Pipable {
		// Raw chunks stay inside a "compressed" resource: a pipe cannot
		// go back to rewrite it.
		e.put(bj.table)
		bj.table = nil
		b.Hdr = wimfmt.ResHdr{StoredSize: e.off - bj.start, Flags: bj.flags | wimfmt.ResFlagCompressed, Offset: bj.start, OriginalSize: b.Size}
		return
	}
	stored := e.off - bj.start
	if stored < b.Size {
		e.patch(bj.start, bj.table)
		b.Hdr = wimfmt.ResHdr{StoredSize: stored, Flags: bj.flags | wimfmt.ResFlagCompressed, Offset: bj.start, OriginalSize: b.Size}
		bj.table = nil
		return
	}
	b.Hdr = wimfmt.ResHdr{StoredSize: b.Size, Flags: bj.flags, Offset: bj.start, OriginalSize: b.Size}
	bj.table = nil
	if bj.nchunks == 1 {
		// A single chunk that did not shrink was stored raw: the bytes are
		// already the uncompressed resource.
		return
	}
	e.truncate(bj.start)
	if err := e.rewrite(b); err != nil {
		e.w.fail(err)
	}
}

// rewrite appends b's bytes, read again from its source, checking they are
// the bytes hashed the first time.
func (e *emitter) rewrite(b *Blob) error {
	s, err := blob.OpenSource(b)
	if err != nil {
		return err
	}
	defer s.Close()
	h := sha1.New()
	for rem := b.Size; rem > 0; {
		if len(e.stage) == cap(e.stage) {
			e.flushStage()
		}
		n := int(min(rem, int64(cap(e.stage)-len(e.stage))))
		dst := e.stage[len(e.stage) : len(e.stage)+n]
		if err := s.ReadFull(dst); err != nil {
			return err
		}
		h.Write(dst)
		e.stage = e.stage[:len(e.stage)+n]
		e.off += int64(n)
		rem -= int64(n)
	}
	if err := s.Finish(); err != nil {
		return err
	}
	var sum [20]byte
	if h.Sum(sum[:0]); sum != b.Hash {
		return blobErr(b, "", errContentChanged)
	}
	return nil
}

// put appends p to the output.
func (e *emitter) put(p []byte) {
	if len(e.stage)+len(p) > cap(e.stage) {
		e.flushStage()
		if len(p) > cap(e.stage) {
			e.w.writeAt(p, e.off)
			e.off += int64(len(p))
			e.stageOff = e.off
			return
		}
	}
	e.stage = append(e.stage, p...)
	e.off += int64(len(p))
}

// reserve skips n bytes, to be filled by patch.
func (e *emitter) reserve(n int64) {
	if int64(len(e.stage))+n <= int64(cap(e.stage)) {
		e.stage = e.stage[:len(e.stage)+int(n)]
		e.off += n
		return
	}
	e.flushStage()
	e.off += n
	e.stageOff = e.off
}

// patch overwrites already emitted bytes at off (off+len(p) <= e.off): in
// the staging buffer where they are still there, else in the file.
func (e *emitter) patch(off int64, p []byte) {
	if off < e.stageOff {
		k := min(int64(len(p)), e.stageOff-off)
		if !e.w.writeAt(p[:k], off) {
			return
		}
		off += k
		p = p[k:]
		if len(p) == 0 {
			return
		}
	}
	copy(e.stage[off-e.stageOff:], p)
}

// truncate drops everything emitted from off on.
func (e *emitter) truncate(off int64) {
	if off >= e.stageOff {
		e.stage = e.stage[:off-e.stageOff]
	} else {
		e.stage = e.stage[:0]
		e.stageOff = off
	}
	e.off = off
}

// flushStage writes the staging buffer out.
func (e *emitter) flushStage() {
	if len(e.stage) > 0 && !e.w.failed() {
		e.w.writeAt(e.stage, e.stageOff)
	}
	e.stageOff += int64(len(e.stage))
	e.stage = e.stage[:0]
}

// copyFrom appends n raw bytes of src at off (after a flush).
func (e *emitter) copyFrom(src io.ReaderAt, off, n int64) (int64, error) {
	e.flushStage()
	at := e.off
	if err := e.w.copyAt(at, src, off, n); err != nil {
		return 0, err
	}
	e.off += n
	e.stageOff = e.off
	return at, nil
}
