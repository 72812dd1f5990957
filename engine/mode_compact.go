package engine

import (
	"cmp"
	"fmt"
	"os"
	"slices"

	"github.com/wimgo/wimgo/engine/wimfmt"
)

// compact moves every resource of the old WIM down over the holes left by
// earlier appends, in place, then appends at the new end (wimappend
// --unsafe-compact). Not interruptible: a failure part way corrupts the
// WIM, and there is nothing to restore.
type compact struct {
	appendBase
	w *Writer
	f *os.File
}

// start moves the resources in file order, each to the lowest free
// offset, so that a move never overwrites data not yet moved.
func (m *compact) start() error {
	w := m.w
	var hdrs []*wimfmt.ResHdr
	for _, b := range w.table.All() {
		if !b.External && b.Hdr.Flags&wimfmt.ResFlagSolid == 0 {
			hdrs = append(hdrs, &b.Hdr)
		}
	}
	hdrs = append(hdrs, w.layout.held()...)
	for i := range w.images {
		hdrs = append(hdrs, &w.images[i].meta)
	}
	slices.SortFunc(hdrs, func(a, b *wimfmt.ResHdr) int { return cmp.Compare(a.Offset, b.Offset) })
	pos := int64(wimfmt.HeaderSize)
	buf := make([]byte, 1<<20)
	for _, h := range hdrs {
		if h.Offset < pos {
			return fmt.Errorf("%s: resources overlap at %d; compaction is not possible", m.f.Name(), h.Offset)
		}
		if h.Offset != pos {
			for done := int64(0); done < h.StoredSize; {
				n := min(int64(len(buf)), h.StoredSize-done)
				if _, err := m.f.ReadAt(buf[:n], h.Offset+done); err != nil {
					return err
				}
				if _, err := m.f.WriteAt(buf[:n], pos+done); err != nil {
					return err
				}
				done += n
			}
			h.Offset = pos
		}
		pos += h.StoredSize
	}
	for _, b := range w.table.All() {
		if !b.External {
			b.InWIM = false
		}
	}
	w.hdr.Flags |= wimfmt.HdrFlagWriteInProgress
	if _, err := m.f.WriteAt(w.hdr.Bytes(), 0); err != nil {
		return err
	}
	return w.startResources(pos)
}
