package engine

import (
	"fmt"

	"github.com/wimgo/wimgo/engine/blob"
	"github.com/wimgo/wimgo/engine/wimfmt"
	"github.com/wimgo/wimgo/engine/wimread"
)

// solidRec is one solid resource and the blobs in it.
type solidRec struct {
	hdr   wimfmt.ResHdr
	usize int64 // uncompressed size of the whole resource
	blobs []*blob.Blob
}

// writeSolid stores blobs (dedup done) in one solid resource.
func (w *Writer) writeSolid(todo []*blob.Blob) error {
	w.progressDone, w.progressTotal, w.progressType = 0, 0, w.solidSet.Type
	var usize int64
	for _, b := range todo {
		w.progressTotal += b.Size
		usize += b.Size
	}
	hdr, err := w.rw.WriteSolid(todo, w.solidSet.Type, w.solidSet.ChunkSize, w.solidSet.Level)
	if err != nil {
		return fmt.Errorf("writing solid resource: %w", err)
	}
	for _, b := range todo {
		w.table.AddStored(b)
	}
	w.solids = append(w.solids, solidRec{hdr: hdr, usize: usize, blobs: todo})
	w.unique, w.stored = usize, hdr.StoredSize
	return nil
}

// keepSolid takes over the solid resources of the WIM being appended to,
// with their blobs (as stored, deduplicable, with the reference counts in
// refs, or the table's when refs is nil), ahead of any this writer adds: all of them are written as one
// solid run. Blobs keep refuses get no table entry, and a resource left
// with none is dropped. (A resource with some is kept whole: its other
// blobs' bytes stay inside it, unlisted.)
func (w *Writer) keepSolid(old *wimread.WIM, refs map[[20]byte]uint32, keep func([20]byte) bool) {
	if len(old.Solid) == 0 {
		return
	}
	recs := make([]solidRec, len(old.Solid))
	for i, s := range old.Solid {
		recs[i] = solidRec{hdr: s.Hdr, usize: s.USize}
	}
	refused := make([]bool, len(recs))
	for _, sb := range old.SolidBlobs {
		e := sb.Entry
		if !keep(e.Hash) {
			refused[sb.Res] = true
			continue
		}
		n := e.RefCount
		if refs != nil {
			n = refs[e.Hash]
		}
		b := &blob.Blob{Size: e.Hdr.StoredSize, InWIM: true, Hdr: e.Hdr, Hash: e.Hash, Hashed: true, RefCount: n}
		if w.table.AddStored(b) == b {
			recs[sb.Res].blobs = append(recs[sb.Res].blobs, b)
		}
	}
	var kept []solidRec
	for i, r := range recs {
		if len(r.blobs) > 0 || !refused[i] {
			kept = append(kept, r)
		}
	}
	w.solids = append(kept, w.solids...)
}

// appendSolidEntries appends the solid run of the blob table: every solid
// resource (original size wimfmt.SolidResourceMagic), then the blobs in
// them, whose offsets count through the resources' uncompressed data as if
// concatenated in run order (what WIMGAPI and wimlib expect).
func (w *Writer) appendSolidEntries(tbl []byte) []byte {
	for _, s := range w.solids {
		tbl = wimfmt.AppendBlobEntry(tbl, &wimfmt.BlobEntry{Hdr: s.hdr, PartNumber: 1, RefCount: 1})
	}
	var base int64
	for _, s := range w.solids {
		for _, b := range s.blobs {
			if b.Resolve() != b {
				continue
			}
			h := b.Hdr
			h.Offset += base
			tbl = wimfmt.AppendBlobEntry(tbl, &wimfmt.BlobEntry{Hdr: h, PartNumber: 1, RefCount: b.RefCount, Hash: b.Hash})
		}
		base += s.usize
	}
	return tbl
}
