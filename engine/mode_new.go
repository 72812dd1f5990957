package engine

import (
	"fmt"

	"github.com/wimgo/wimgo/engine/wimfmt"
	"github.com/wimgo/wimgo/engine/wimread"
)

// newWIM writes a WIM into an empty file: the header first, marked as
// being written, and rewritten by Close.
type newWIM struct{ w *Writer }

func (n newWIM) start() error {
	if _, err := n.w.f.WriteAt(n.w.hdr.Bytes(), 0); err != nil {
		return fmt.Errorf("writing header: %w", err)
	}
	return n.w.startResources(wimfmt.HeaderSize)
}

// restore leaves the half-written file to its caller, which removes it
// (OutputWriter writes a temporary file).
func (newWIM) restore() {}

func (newWIM) appended() *wimread.WIM                    { return nil }
func (newWIM) reusable() (*wimfmt.IntegrityTable, int64) { return nil, 0 }
