package engine

import (
	"encoding/binary"
	"os"

	"github.com/wimgo/wimgo/engine/wimfmt"
	"github.com/wimgo/wimgo/engine/wimread"
)

// inPlace appends to the WIM in its file: new data after the old end,
// then a new blob table, XML and integrity table, and the header rewritten
// last. Until that single write the old WIM stays valid, whatever
// interrupts; a failure before it cuts the file back.
type inPlace struct {
	appendBase
	w         *Writer
	f         *os.File
	end       int64  // of the old WIM's used region: new resources go after it
	origFlags uint32 // the old header's flags word
	origSize  int64  // the file's size before
}

// newInPlace checks that the old WIM can be appended to in place (nothing
// lies after its XML and integrity table) and makes the header write the
// commit point, synced after the data.
func newInPlace(w *Writer, f *os.File, old *wimread.WIM, size int64) (*inPlace, error) {
	end, err := usedEnd(old)
	if err != nil {
		return nil, err
	}
	w.opts.Sync = true
	return &inPlace{appendBase: appendBase{old}, w: w, f: f, end: end, origFlags: old.Header.Flags, origSize: size}, nil
}

// start marks the write in progress by rewriting only the flags word
// (readers merely warn about it; the final header clears it), then starts
// the resources at the old end.
func (m *inPlace) start() error {
	var fl [4]byte
	binary.LittleEndian.PutUint32(fl[:], m.origFlags|wimfmt.HdrFlagWriteInProgress)
	if _, err := m.f.WriteAt(fl[:], 0x10); err != nil {
		return err
	}
	m.w.hdr.Flags |= wimfmt.HdrFlagWriteInProgress
	if err := m.w.startResources(m.end); err != nil {
		m.restore()
		return err
	}
	return nil
}

// restore cuts the file back to its old length and puts the flags word
// back, leaving the old WIM as it was.
func (m *inPlace) restore() {
	m.f.Truncate(max(m.origSize, m.end))
	var fl [4]byte
	binary.LittleEndian.PutUint32(fl[:], m.origFlags)
	m.f.WriteAt(fl[:], 0x10)
}

// reusable: the integrity chunks wholly before the old blob table's end
// are unchanged.
func (m *inPlace) reusable() (*wimfmt.IntegrityTable, int64) {
	return m.old.Integrity, m.old.Header.BlobTable.End()
}

// usedEnd is the end of the region the header references: the integrity
// table if any, else the XML. In-place append writes after it, and refuses
// (errResourceOrder) when a resource lies beyond it.
func usedEnd(w *wimread.WIM) (int64, error) {
	h := w.Header
	end := h.XML.End()
	if !h.Integrity.IsZero() {
		if h.Integrity.Offset < h.XML.End() {
			return 0, errResourceOrder
		}
		end = h.Integrity.End()
	}
	if h.BlobTable.End() > h.XML.Offset {
		return 0, errResourceOrder
	}
	for _, e := range w.Metadata {
		if e.Hdr.End() > end {
			return 0, errResourceOrder
		}
	}
	for _, e := range w.Blobs {
		if e.Hdr.End() > end {
			return 0, errResourceOrder
		}
	}
	for _, s := range w.Solid {
		if s.Hdr.End() > end {
			return 0, errResourceOrder
		}
	}
	return end, nil
}
