package engine

import (
	"fmt"

	"github.com/wimgo/wimgo/engine/blob"
	"github.com/wimgo/wimgo/engine/image"
	"github.com/wimgo/wimgo/engine/source"
	"github.com/wimgo/wimgo/engine/wimfmt"
)

// plain is the layout WIMGAPI writes: every blob in its own chunked
// resource, written as images are added, and the header at the start,
// rewritten last. The solid and pipable layouts build on it.
type plain struct{ w *Writer }

func (p *plain) begin() error { return p.w.mode.start() }

// store writes the blobs and records where they went. The resource writer
// sets each blob's Hdr and, unless it was hashed before, its Hash (it
// checks one computed before against the bytes it stores).
func (p *plain) store(todo []*blob.Blob, _ *source.Result) error {
	w := p.w
	w.countData(todo, w.set.Type)
	for _, b := range todo {
		if err := w.rw.Write(b); err != nil {
			return err
		}
	}
	if err := w.rw.Flush(); err != nil {
		return err
	}
	var unique, stored int64
	for _, b := range todo {
		unique += b.Size
		stored += b.Hdr.StoredSize
		w.table.AddStored(b)
	}
	w.stats.Unique, w.stats.Stored = unique, stored
	return nil
}

// metadata writes the metadata resource encoded as the resource writer
// reads it: it is never held whole.
func (p *plain) metadata(img *image.Image) (imageRec, error) {
	size, open := image.MetadataReader(img)
	hdr, hash, err := p.w.rw.WriteStream(size, open, wimfmt.ResFlagMetadata)
	if err != nil {
		return imageRec{}, fmt.Errorf("writing metadata resource: %w", err)
	}
	return imageRec{meta: hdr, hash: hash}, nil
}

func (p *plain) flush() (int64, error) {
	if err := p.w.rw.Close(); err != nil {
		return 0, err
	}
	return p.w.rw.Offset(), nil
}

func (*plain) entries(tbl []byte) []byte { return tbl }

func (p *plain) putRaw(what string, data []byte, off int64) (wimfmt.ResHdr, int64, error) {
	if _, err := p.w.f.WriteAt(data, off); err != nil {
		return wimfmt.ResHdr{}, 0, fmt.Errorf("writing %s: %w", what, err)
	}
	n := int64(len(data))
	return wimfmt.ResHdr{StoredSize: n, Flags: wimfmt.ResFlagMetadata, Offset: off, OriginalSize: n}, off + n, nil
}

// putHeader rewrites the header at the start: until then the one there
// says the write is in progress (or, appending in place, still describes
// the old WIM).
func (p *plain) putHeader(off int64) (int64, error) {
	if _, err := p.w.f.WriteAt(p.w.hdr.Bytes(), 0); err != nil {
		return 0, fmt.Errorf("writing header: %w", err)
	}
	return off, nil
}

func (*plain) held() []*wimfmt.ResHdr { return nil }

func (*plain) release() {}
