package resource

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"io"

	"github.com/wimgo/wimgo/engine/wimfmt"
)

// CopyRaw flushes, then copies the resource hdr describes from src byte for
// byte to the current offset, and returns its new header (same sizes and
// flags, new offset). The resource must use this Writer's compression type
// and chunk size; nothing is decompressed or checked.
func (w *Writer) CopyRaw(src io.ReaderAt, hdr wimfmt.ResHdr) (wimfmt.ResHdr, error) {
	if err := w.Flush(); err != nil {
		return wimfmt.ResHdr{}, err
	}
	if hdr.StoredSize < 0 || hdr.Offset < 0 {
		return wimfmt.ResHdr{}, fmt.Errorf("%w: resource header with negative size or offset", ErrCorrupt)
	}
	at, err := w.pipe.copyFrom(src, hdr.Offset, hdr.StoredSize)
	if err != nil {
		w.fail(err)
		return wimfmt.ResHdr{}, err
	}
	hdr.Offset = at
	return hdr, nil
}

// copyBuf is the piece size CopyRaw moves at a time.
const copyBuf = 1 << 20

// copyAt copies n bytes from src at off to w's file at dst.
func (w *Writer) copyAt(dst int64, src io.ReaderAt, off, n int64) error {
	buf := make([]byte, min(n, copyBuf))
	for n > 0 {
		k := int(min(n, int64(len(buf))))
		got, err := src.ReadAt(buf[:k], off)
		if got < k {
			if err == nil || err == io.EOF {
				err = errShortCopy
			}
			return fmt.Errorf("copying resource at offset %d: %w", off, err)
		}
		if _, err := w.f.WriteAt(buf[:k], dst); err != nil {
			return fmt.Errorf("writing WIM at offset %d: %w", dst, err)
		}
		off += int64(k)
		dst += int64(k)
		n -= int64(k)
	}
	return nil
}

// CopyConverted copies an existing resource into this writer's layout when
// the source's layout differs (a pipable WIM rebuilt as a regular one, or
// the other way round): chunks are moved, never recompressed; the chunk
// table is rebuilt where the target layout wants it, and a pipable target
// gets the stream header (hash is the resource's SHA-1). The source must
// use this writer's compression type and chunk size.
func (w *Writer) CopyConverted(src io.ReaderAt, hdr wimfmt.ResHdr, srcPipable bool, hash [20]byte) (wimfmt.ResHdr, error) {
	if err := w.Flush(); err != nil {
		return wimfmt.ResHdr{}, err
	}
	out := hdr
	put := func(p []byte) (int64, error) { return w.pipe.copyFrom(bytes.NewReader(p), 0, int64(len(p))) }
	fail := func(err error) (wimfmt.ResHdr, error) {
		w.fail(err)
		return wimfmt.ResHdr{}, err
	}
	if w.opts.Pipable {
		if _, err := put(PipableStreamHeader(hdr.OriginalSize, hash, hdr.Flags)); err != nil {
			return fail(err)
		}
	}
	if hdr.Flags&wimfmt.ResFlagCompressed == 0 {
		at, err := w.pipe.copyFrom(src, hdr.Offset, hdr.StoredSize)
		if err != nil {
			return fail(err)
		}
		out.Offset = at
		return out, nil
	}
	rd, err := newReader(src, hdr, w.opts.Type, w.opts.ChunkSize, srcPipable)
	if err != nil {
		return fail(err)
	}
	c := rd.(*chunkReader)
	// Where each chunk's bytes are in the source.
	type span struct{ off, n int64 }
	spans := make([]span, c.n)
	for i := int64(0); i < c.n; i++ {
		start, err := c.chunkStart(i)
		if err != nil {
			return fail(err)
		}
		end, err := c.chunkStart(i + 1)
		if err != nil {
			return fail(err)
		}
		if start < 0 || end > c.dataLen || end <= start {
			return fail(c.corrupt("chunk %d spans [%d, %d)", i, start, end))
		}
		at := c.dataOff + start
		if srcPipable {
			at += 4 * (i + 1)
		}
		spans[i] = span{at, end - start}
	}
	if !w.opts.Pipable {
		// A pipable resource keeps incompressible data in raw chunks; a
		// regular one that would not be smaller is stored uncompressed
		// (see emit.go), which, when every chunk is raw, is just the
		// chunks' bytes.
		var total int64
		for _, sp := range spans {
			total += sp.n
		}
		if total == hdr.OriginalSize {
			first := w.pipe.offset()
			for _, sp := range spans {
				if _, err := w.pipe.copyFrom(src, sp.off, sp.n); err != nil {
					return fail(err)
				}
			}
			out.Offset, out.StoredSize = first, total
			out.Flags &^= wimfmt.ResFlagCompressed
			return out, nil
		}
	}
	es := entrySize(hdr.OriginalSize)
	table := make([]byte, tableSize(hdr.OriginalSize, w.opts.ChunkSize))
	var pos int64
	for i := int64(1); i < c.n; i++ {
		pos += spans[i-1].n
		putEntry(table, i-1, es, pos)
	}
	first := int64(-1)
	note := func(at int64) {
		if first < 0 {
			first = at
		}
	}
	if !w.opts.Pipable {
		at, err := put(table)
		if err != nil {
			return fail(err)
		}
		note(at)
	}
	for _, sp := range spans {
		if w.opts.Pipable {
			var pre [4]byte
			binary.LittleEndian.PutUint32(pre[:], uint32(sp.n))
			at, err := put(pre[:])
			if err != nil {
				return fail(err)
			}
			note(at)
		}
		at, err := w.pipe.copyFrom(src, sp.off, sp.n)
		if err != nil {
			return fail(err)
		}
		note(at)
	}
	if w.opts.Pipable {
		if _, err := put(table); err != nil {
			return fail(err)
		}
	}
	out.Offset = first
	out.StoredSize = w.pipe.offset() - first
	return out, nil
}
