package engine

import (
	"github.com/wimgo/wimgo/engine/wimfmt"
	"github.com/wimgo/wimgo/engine/wimread"
)

// A mode is what a Writer starts from, and what a failure leaves: a new
// file, or an existing WIM appended to in place, rebuilt into another file
// or compacted. Create or Append picks one when the Writer is made:
//
//	newWIM    an empty file (mode_new.go)
//	inPlace   new resources after the old WIM's end, undone on failure (mode_inplace.go)
//	rebuild   the old resources copied into a new file (mode_rebuild.go)
//	compact   the old resources moved down over the holes, then in place (mode_compact.go)
type mode interface {
	// start readies the file for the first new resource (the header
	// marked as being written) and starts the resource writer. The
	// layout calls it from begin: a pipable WIM starts its own way.
	start() error
	// restore undoes what a failed write did to an existing WIM, where it
	// can (a new or rebuilt file is removed by its caller instead).
	restore()
	// appended is the WIM appended to (--update-of's default WIM), nil
	// for a new one.
	appended() *wimread.WIM
	// reusable is the integrity table of the bytes the write left as they
	// were, and where those end: only an in-place append has them.
	reusable() (*wimfmt.IntegrityTable, int64)
}

// appendBase is what the append modes share: the WIM as it was. Its
// restore and reusable are those of a mode that can undo nothing and
// moves or copies every old byte.
type appendBase struct{ old *wimread.WIM }

func (a appendBase) appended() *wimread.WIM                  { return a.old }
func (appendBase) restore()                                  {}
func (appendBase) reusable() (*wimfmt.IntegrityTable, int64) { return nil, 0 }
