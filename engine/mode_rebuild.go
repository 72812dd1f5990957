package engine

import (
	"cmp"
	"crypto/sha1"
	"fmt"
	"io"
	"os"
	"slices"

	"github.com/wimgo/wimgo/engine/blob"
	"github.com/wimgo/wimgo/engine/resource"
	"github.com/wimgo/wimgo/engine/wimfmt"
)

// rebuild writes the whole WIM anew into another file (the caller renames
// it into place), copying the resources it keeps without recompressing
// them, unless the chunk size changes, and keeping the GUID.
type rebuild struct {
	appendBase
	w          *Writer
	src        *os.File // the WIM as it was
	srcPipable bool
	srcChunk   int
}

// start copies the old resources, in the plain and solid layouts: the
// blobs in their old file order, then the solid resources whole, then the
// metadata resources. (The pipable layout copies them at Close, in its
// own order, through copy.)
func (r *rebuild) start() error {
	w := r.w
	w.hdr.Pipable = false
	w.hdr.Flags |= wimfmt.HdrFlagWriteInProgress
	if _, err := w.f.WriteAt(w.hdr.Bytes(), 0); err != nil {
		return err
	}
	if err := w.startResources(wimfmt.HeaderSize); err != nil {
		return err
	}
	blobs := w.table.All()
	slices.SortFunc(blobs, func(a, b *blob.Blob) int { return cmp.Compare(a.Hdr.Offset, b.Hdr.Offset) })
	for _, b := range blobs {
		if b.External || b.Hdr.Flags&wimfmt.ResFlagSolid != 0 {
			continue
		}
		h, err := r.copy(b.Hdr, b.Hash, false)
		if err != nil {
			return fmt.Errorf("%s: copying blob at %d: %w", r.src.Name(), b.Hdr.Offset, err)
		}
		b.Hdr = h
		b.InWIM = false
	}
	for _, h := range w.layout.held() {
		nh, err := w.rw.CopyRaw(r.src, *h)
		if err != nil {
			return fmt.Errorf("%s: copying solid resource at %d: %w", r.src.Name(), h.Offset, err)
		}
		*h = nh
	}
	for i := range w.images {
		h, err := r.copy(w.images[i].meta, w.images[i].hash, false)
		if err != nil {
			return fmt.Errorf("%s: copying image %d metadata: %w", r.src.Name(), i+1, err)
		}
		w.images[i].meta = h
	}
	return nil
}

// copy copies a resource of the old WIM into the new one, whose layout is
// pipable or not: byte for byte when both have the same layout (a pipable
// one with its stream header), chunk by chunk into the other layout
// otherwise, recompressed at another chunk size.
func (r *rebuild) copy(h wimfmt.ResHdr, hash [20]byte, pipable bool) (wimfmt.ResHdr, error) {
	w := r.w
	switch {
	case w.set.ChunkSize != r.srcChunk:
		return r.recompress(h, hash)
	case r.srcPipable != pipable:
		return w.rw.CopyConverted(r.src, h, r.srcPipable, hash)
	case pipable:
		return r.copyPipable(h)
	}
	return w.rw.CopyRaw(r.src, h)
}

// copyPipable copies a resource of a pipable WIM into a pipable one,
// stream header included, and returns its new header.
func (r *rebuild) copyPipable(h wimfmt.ResHdr) (wimfmt.ResHdr, error) {
	sh := resource.PipableStreamHeaderSize
	if h.Offset < int64(sh) {
		return h, fmt.Errorf("%w: resource at %d has no room for its stream header", wimfmt.ErrCorrupt, h.Offset)
	}
	withHeader := h
	withHeader.Offset -= int64(sh)
	withHeader.StoredSize += int64(sh)
	nh, err := r.w.rw.CopyRaw(r.src, withHeader)
	if err != nil {
		return h, err
	}
	h.Offset = nh.Offset + int64(sh)
	return h, nil
}

// recompress stores a resource of the old WIM anew, decompressed and
// compressed again, for a rebuild at another chunk size (wimappend
// --chunk-size). The bytes are checked against hash.
func (r *rebuild) recompress(h wimfmt.ResHdr, hash [20]byte) (wimfmt.ResHdr, error) {
	w := r.w
	open := func() (io.ReadCloser, error) {
		newReader := resource.NewReader
		if r.srcPipable {
			newReader = resource.NewPipableReader
		}
		rd, err := newReader(r.src, h, w.set.Type, r.srcChunk)
		return io.NopCloser(rd), err
	}
	if h.Flags&wimfmt.ResFlagMetadata != 0 {
		rd, err := open()
		if err != nil {
			return h, err
		}
		data := make([]byte, h.OriginalSize)
		if _, err := io.ReadFull(rd, data); err != nil {
			return h, fmt.Errorf("%w: metadata resource at %d: %v", wimfmt.ErrCorrupt, h.Offset, err)
		}
		if sha1.Sum(data) != hash {
			return h, fmt.Errorf("%w: metadata resource at %d does not match its SHA-1", wimfmt.ErrCorrupt, h.Offset)
		}
		nh, _, err := w.rw.WriteBuffer(data, wimfmt.ResFlagMetadata)
		return nh, err
	}
	if h.OriginalSize == 0 {
		return wimfmt.ResHdr{Offset: w.rw.Offset()}, nil
	}
	b := &blob.Blob{Size: h.OriginalSize, Open: open, Name: fmt.Sprintf("blob at offset %d", h.Offset), Hashed: true, Hash: hash}
	if err := w.rw.Write(b); err != nil {
		return h, err
	}
	if err := w.rw.Flush(); err != nil {
		return h, err
	}
	return b.Hdr, nil
}
