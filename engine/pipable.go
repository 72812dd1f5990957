package engine

import (
	"crypto/sha1"
	"fmt"
	"slices"

	"github.com/wimgo/wimgo/engine/blob"
	"github.com/wimgo/wimgo/engine/image"
	"github.com/wimgo/wimgo/engine/resource"
	"github.com/wimgo/wimgo/engine/source"
	"github.com/wimgo/wimgo/engine/wimfmt"
)

// A pipable WIM (wimlib's extension, --pipable) can be written and applied
// strictly sequentially:
//
//	header (WLPWM, resource headers zero, never rewritten)
//	XML copy (without the root TOTALBYTES)
//	metadata resources, in image order
//	file data
//	blob table, XML, [integrity table]
//	a copy of the header with the real resource headers
//
// Every resource but the integrity table follows a 40-byte stream header
// carrying its size and SHA-1, so all blobs are hashed before anything is
// written.

// pendingImage is an image of a pipable WIM waiting for Close.
type pendingImage struct {
	img   *image.Image
	res   *source.Result
	io    *ImageOptions
	blobs []*blob.Blob
	meta  []byte
}

// holds reports whether a pending image still needs res's source.
func (w *Writer) holds(res *source.Result) bool {
	return slices.ContainsFunc(w.pending, func(p pendingImage) bool { return p.res == res })
}

// closePending releases the sources of the pending images (an NTFS
// volume stays mounted until their file data is written).
func (w *Writer) closePending() {
	for _, p := range w.pending {
		if p.res.Close != nil {
			p.res.Close()
			p.res.Close = nil
		}
	}
}

// writePipableBody writes everything up to the file data, and the file
// data, leaving w.rw positioned for the blob table.
func (w *Writer) writePipableBody() error {
	if w.rpfix {
		w.hdr.Flags |= wimfmt.HdrFlagRPFix
	}
	w.hdr.ImageCount = uint32(len(w.images))
	if w.deriveGUID {
		w.hdr.GUID = w.derivedGUID()
	}
	// The first header has no resource headers (a pipe reader does not
	// need them); an appended-to WIM's old ones must not survive in it.
	first := w.hdr
	first.BlobTable, first.XML, first.BootMetadata, first.Integrity = wimfmt.ResHdr{}, wimfmt.ResHdr{}, wimfmt.ResHdr{}, wimfmt.ResHdr{}
	if _, err := w.f.WriteAt(first.Bytes(), 0); err != nil {
		return fmt.Errorf("writing header: %w", err)
	}
	_, off, err := w.putRaw("XML data", w.xml.EncodeWithoutTotalBytes(), wimfmt.HeaderSize)
	if err != nil {
		return err
	}
	if err := w.startResources(off); err != nil {
		return err
	}
	// Rebuilding a pipable WIM: its own metadata first.
	nOld := len(w.images) - len(w.pending)
	for i := range nOld {
		hdr, err := w.copyOld(w.images[i].meta, w.images[i].hash)
		if err != nil {
			return fmt.Errorf("copying image %d metadata: %w", i+1, err)
		}
		w.images[i].meta = hdr
	}
	for i, p := range w.pending {
		hdr, _, err := w.rw.WriteBuffer(p.meta, wimfmt.ResFlagMetadata)
		if err != nil {
			return fmt.Errorf("writing metadata resource: %w", err)
		}
		w.images[nOld+i].meta = hdr
	}
	if w.rebuildSrc != nil {
		// Then its file data, in the old order.
		old := w.table.All()
		slices.SortFunc(old, func(a, b *blob.Blob) int { return cmpInt64(a.Hdr.Offset, b.Hdr.Offset) })
		for _, b := range old {
			if !b.InWIM || b.External {
				continue
			}
			hdr, err := w.copyOld(b.Hdr, b.Hash)
			if err != nil {
				return fmt.Errorf("copying blob at %d: %w", b.Hdr.Offset, err)
			}
			b.Hdr, b.InWIM = hdr, false
		}
	}
	var all []*blob.Blob
	for _, p := range w.pending {
		all = append(all, p.blobs...)
	}
	return w.writeBlobs(all)
}

// putRaw writes an uncompressed resource (blob table, XML) at off, after a
// stream header in a pipable WIM, and returns its header and the offset
// past it.
func (w *Writer) putRaw(what string, data []byte, off int64) (wimfmt.ResHdr, int64, error) {
	if w.pipable {
		sh := resource.PipableStreamHeader(int64(len(data)), sha1.Sum(data), wimfmt.ResFlagMetadata)
		if _, err := w.f.WriteAt(sh, off); err != nil {
			return wimfmt.ResHdr{}, 0, fmt.Errorf("writing %s: %w", what, err)
		}
		off += int64(len(sh))
	}
	if _, err := w.f.WriteAt(data, off); err != nil {
		return wimfmt.ResHdr{}, 0, fmt.Errorf("writing %s: %w", what, err)
	}
	n := int64(len(data))
	return wimfmt.ResHdr{StoredSize: n, Flags: wimfmt.ResFlagMetadata, Offset: off, OriginalSize: n}, off + n, nil
}

// copyPipable copies a resource of the pipable WIM being rebuilt, stream
// header included, and returns its new header.
func (w *Writer) copyPipable(h wimfmt.ResHdr) (wimfmt.ResHdr, error) {
	sh := resource.PipableStreamHeaderSize
	if h.Offset < int64(sh) {
		return h, fmt.Errorf("%w: resource at %d has no room for its stream header", wimfmt.ErrCorrupt, h.Offset)
	}
	withHeader := h
	withHeader.Offset -= int64(sh)
	withHeader.StoredSize += int64(sh)
	nh, err := w.rw.CopyRaw(w.rebuildSrc, withHeader)
	if err != nil {
		return h, err
	}
	h.Offset = nh.Offset + int64(sh)
	return h, nil
}
