package engine

import (
	"fmt"

	"github.com/wimgo/wimgo/engine/blob"
	"github.com/wimgo/wimgo/engine/resource"
	"github.com/wimgo/wimgo/engine/source"
	"github.com/wimgo/wimgo/engine/wimfmt"
	"github.com/wimgo/wimgo/engine/wimread"
)

// solid is the layout of --solid: each image's new blobs go into one solid
// resource, compressed as one stream (LZMS by default), listed in the blob
// table as a run after the other entries. Metadata, the tables and the
// header are as in a plain WIM.
type solid struct {
	plain
	set  resource.Settings // of the solid resources
	recs []solidRec
}

// solidRec is one solid resource and the blobs in it.
type solidRec struct {
	hdr   wimfmt.ResHdr
	usize int64 // uncompressed size of the whole resource
	blobs []*blob.Blob
}

// newSolid makes w's layout solid, with the --solid settings of its
// options; the WIM's version then says it has solid resources.
func newSolid(w *Writer) (*solid, error) {
	set, err := solidParams(&w.opts)
	if err != nil {
		return nil, err
	}
	w.hdr.Version = wimfmt.VersionSolid
	w.stats.Compression, w.stats.Level, w.stats.ChunkSize = set.Type.String(), set.Level, set.ChunkSize
	return &solid{plain: plain{w}, set: set}, nil
}

// store writes the blobs in one solid resource (none when there are none).
func (s *solid) store(todo []*blob.Blob, res *source.Result) error {
	if len(todo) == 0 {
		return s.plain.store(todo, res)
	}
	w := s.w
	usize := w.countData(todo, s.set.Type)
	hdr, err := w.rw.WriteSolid(todo, s.set.Type, s.set.ChunkSize, s.set.Level)
	if err != nil {
		return fmt.Errorf("writing solid resource: %w", err)
	}
	for _, b := range todo {
		w.table.AddStored(b)
	}
	s.recs = append(s.recs, solidRec{hdr: hdr, usize: usize, blobs: todo})
	w.stats.Unique, w.stats.Stored = usize, hdr.StoredSize
	return nil
}

// keep takes over the solid resources of the WIM being appended to, with
// their blobs (as stored, deduplicable, with the reference counts in refs,
// or the table's when refs is nil), ahead of any this writer adds: all of
// them are written as one solid run. Blobs keep refuses get no table
// entry, and a resource left with none is dropped. (A resource with some
// is kept whole: its other blobs' bytes stay inside it, unlisted.)
func (s *solid) keep(old *wimread.WIM, refs map[[20]byte]uint32, keep func([20]byte) bool) {
	if len(old.Solid) == 0 {
		return
	}
	recs := make([]solidRec, len(old.Solid))
	for i, r := range old.Solid {
		recs[i] = solidRec{hdr: r.Hdr, usize: r.USize}
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
		if s.w.table.AddStored(b) == b {
			recs[sb.Res].blobs = append(recs[sb.Res].blobs, b)
		}
	}
	var kept []solidRec
	for i, r := range recs {
		if len(r.blobs) > 0 || !refused[i] {
			kept = append(kept, r)
		}
	}
	s.recs = append(kept, s.recs...)
}

// entries appends the solid run: every solid resource (original size
// wimfmt.SolidResourceMagic), then the blobs in them, whose offsets count
// through the resources' uncompressed data as if concatenated in run order
// (what WIMGAPI and wimlib expect).
func (s *solid) entries(tbl []byte) []byte {
	for _, r := range s.recs {
		tbl = wimfmt.AppendBlobEntry(tbl, &wimfmt.BlobEntry{Hdr: r.hdr, PartNumber: 1, RefCount: 1})
	}
	var base int64
	for _, r := range s.recs {
		for _, b := range r.blobs {
			if b.Resolve() != b {
				continue
			}
			h := b.Hdr
			h.Offset += base
			tbl = wimfmt.AppendBlobEntry(tbl, &wimfmt.BlobEntry{Hdr: h, PartNumber: 1, RefCount: b.RefCount, Hash: b.Hash})
		}
		base += r.usize
	}
	return tbl
}

// held is the solid resources taken over by keep (before store adds any).
func (s *solid) held() []*wimfmt.ResHdr {
	hs := make([]*wimfmt.ResHdr, len(s.recs))
	for i := range s.recs {
		hs[i] = &s.recs[i].hdr
	}
	return hs
}
