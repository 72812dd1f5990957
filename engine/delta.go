package engine

import (
	"fmt"

	"github.com/wimgo/wimgo/engine/blob"
	"github.com/wimgo/wimgo/engine/wimread"
)

// referenceBases attaches the blob tables of the --delta-from WIMs: a new
// blob equal to one of theirs is neither written nor listed, so the delta
// WIM holds only what the bases lack (applying it needs them, as --ref).
func (w *Writer) referenceBases(paths []string) error {
	for _, p := range paths {
		base, f, err := wimread.Open(p)
		if err != nil {
			return fmt.Errorf("--delta-from: %w", err)
		}
		f.Close()
		for _, e := range base.AllBlobs() {
			if w.table.Lookup(e.Hash) != nil {
				continue
			}
			w.table.AddStored(&blob.Blob{Size: e.Size, External: true, Hash: e.Hash, Hashed: true})
		}
	}
	return nil
}
