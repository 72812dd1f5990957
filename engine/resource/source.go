package resource

import (
	"bytes"
	"fmt"
	"io"

	"github.com/wimgo/wimgo/engine/wimfmt"
	"github.com/wimgo/wimgo/internal/fsutil"
)

// Blob is one resource to write. Exactly one of Data, Path, Open supplies
// the bytes.
type Blob struct {
	Size int64
	Data []byte                        // in memory
	Path string                        // a regular file
	Open func() (io.ReadCloser, error) // any other source
	Name string                        // for error messages (default Path)
	// Set once the blob is written (valid after Flush):
	Hdr  wimfmt.ResHdr
	Hash [20]byte // SHA-1 of the uncompressed bytes
	// Hashed says Hash is already known (the caller hashed the blob); the
	// writer then does not hash it again.
	Hashed bool
}

func (b *Blob) name() string {
	if b.Name != "" {
		return b.Name
	}
	if b.Path != "" {
		return b.Path
	}
	return "in-memory data"
}

// open returns a reader over the blob's bytes.
func (b *Blob) open() (io.ReadCloser, error) {
	switch {
	case b.Data != nil:
		return io.NopCloser(bytes.NewReader(b.Data)), nil
	case b.Path != "":
		return fsutil.OpenNoATime(b.Path)
	case b.Open != nil:
		r, err := b.Open()
		if err != nil {
			return nil, fmt.Errorf("%s: %w", b.name(), err)
		}
		return r, nil
	}
	return nil, fmt.Errorf("%s: blob has no source", b.name())
}
