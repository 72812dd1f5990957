package engine

import (
	"cmp"
	"crypto/sha1"
	"fmt"
	"slices"

	"github.com/wimgo/wimgo/engine/blob"
	"github.com/wimgo/wimgo/engine/image"
	"github.com/wimgo/wimgo/engine/resource"
	"github.com/wimgo/wimgo/engine/source"
	"github.com/wimgo/wimgo/engine/wimfmt"
)

// pipable is wimlib's pipable layout (--pipable), which can be written and
// applied strictly sequentially:
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
// written, and everything is written at Close, when the first header and
// the XML copy are known. What it writes there, it writes as plain does.
type pipable struct {
	plain
	// from is the WIM being rebuilt, whose resources are copied at Close
	// (nil for a new WIM).
	from    *rebuild
	pending []pendingImage
}

// pendingImage is an image waiting for Close: its new blobs, its encoded
// metadata, and how to release its source (an NTFS volume stays mounted
// until its file data is written).
type pendingImage struct {
	blobs []*blob.Blob
	meta  []byte
	close func() error
}

// newPipable makes w's layout pipable: nothing is written before Close,
// whose first header is never rewritten.
func newPipable(w *Writer, from *rebuild) *pipable {
	w.hdr.Pipable = true
	w.hdr.Flags &^= wimfmt.HdrFlagWriteInProgress
	return &pipable{plain: plain{w}, from: from}
}

func (*pipable) begin() error { return nil }

// store hashes the blobs (their SHA-1 goes before them) and keeps them,
// with the source, for Close.
func (p *pipable) store(todo []*blob.Blob, res *source.Result) error {
	w := p.w
	if err := blob.HashAll(todo, w.opts.Threads); err != nil {
		return err
	}
	for _, b := range todo {
		w.table.AddStored(b)
	}
	p.pending = append(p.pending, pendingImage{blobs: todo, close: res.Close})
	res.Close = nil
	return nil
}

// metadata keeps the encoded metadata for Close, where it goes before the
// file data.
func (p *pipable) metadata(img *image.Image) (imageRec, error) {
	meta := image.EncodeMetadata(img)
	p.pending[len(p.pending)-1].meta = meta
	return imageRec{hash: sha1.Sum(meta)}, nil
}

// flush writes everything up to the file data, and the file data.
func (p *pipable) flush() (int64, error) {
	w := p.w
	// The first header has no resource headers (a pipe reader does not
	// need them); an appended-to WIM's old ones must not survive in it.
	first := w.hdr
	first.BlobTable, first.XML, first.BootMetadata, first.Integrity = wimfmt.ResHdr{}, wimfmt.ResHdr{}, wimfmt.ResHdr{}, wimfmt.ResHdr{}
	if _, err := w.f.WriteAt(first.Bytes(), 0); err != nil {
		return 0, fmt.Errorf("writing header: %w", err)
	}
	_, off, err := p.putRaw("XML data", w.xml.EncodeWithoutTotalBytes(), wimfmt.HeaderSize)
	if err != nil {
		return 0, err
	}
	if err := w.startResources(off); err != nil {
		return 0, err
	}
	// Rebuilding a pipable WIM: its own metadata first.
	nOld := len(w.images) - len(p.pending)
	for i := range nOld {
		hdr, err := p.from.copy(w.images[i].meta, w.images[i].hash, true)
		if err != nil {
			return 0, fmt.Errorf("copying image %d metadata: %w", i+1, err)
		}
		w.images[i].meta = hdr
	}
	for i, pi := range p.pending {
		hdr, _, err := w.rw.WriteBuffer(pi.meta, wimfmt.ResFlagMetadata)
		if err != nil {
			return 0, fmt.Errorf("writing metadata resource: %w", err)
		}
		w.images[nOld+i].meta = hdr
	}
	if p.from != nil {
		// Then its file data, in the old order.
		old := w.table.All()
		slices.SortFunc(old, func(a, b *blob.Blob) int { return cmp.Compare(a.Hdr.Offset, b.Hdr.Offset) })
		for _, b := range old {
			if !b.InWIM || b.External {
				continue
			}
			hdr, err := p.from.copy(b.Hdr, b.Hash, true)
			if err != nil {
				return 0, fmt.Errorf("copying blob at %d: %w", b.Hdr.Offset, err)
			}
			b.Hdr, b.InWIM = hdr, false
		}
	}
	var all []*blob.Blob
	for _, pi := range p.pending {
		all = append(all, pi.blobs...)
	}
	if err := p.plain.store(all, nil); err != nil {
		return 0, err
	}
	return p.plain.flush()
}

// putRaw writes the resource after its stream header.
func (p *pipable) putRaw(what string, data []byte, off int64) (wimfmt.ResHdr, int64, error) {
	sh := resource.PipableStreamHeader(int64(len(data)), sha1.Sum(data), wimfmt.ResFlagMetadata)
	if _, err := p.w.f.WriteAt(sh, off); err != nil {
		return wimfmt.ResHdr{}, 0, fmt.Errorf("writing %s: %w", what, err)
	}
	return p.plain.putRaw(what, data, off+int64(len(sh)))
}

// putHeader appends the header with the real resource headers: the first
// one stays as written, and readers that can seek take this copy at the
// end.
func (p *pipable) putHeader(off int64) (int64, error) {
	if _, err := p.w.f.WriteAt(p.w.hdr.Bytes(), off); err != nil {
		return 0, fmt.Errorf("writing header: %w", err)
	}
	return off + wimfmt.HeaderSize, nil
}

// release closes the sources of the images kept for Close.
func (p *pipable) release() {
	for i := range p.pending {
		if c := p.pending[i].close; c != nil {
			c()
			p.pending[i].close = nil
		}
	}
}
