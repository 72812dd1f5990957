package resource

import (
	"errors"
	"fmt"

	"github.com/wimgo/wimgo/engine/blob"
	"github.com/wimgo/wimgo/engine/wimfmt"
)

// Sentinel errors. They wrap wimfmt's so callers may test either.
var (
	// ErrCorrupt: a resource's header, chunk table or chunk is inconsistent.
	ErrCorrupt = fmt.Errorf("resource: corrupt resource: %w", wimfmt.ErrCorrupt)
	// ErrUnsupported: a compression type or resource kind not handled.
	ErrUnsupported = fmt.Errorf("resource: %w", wimfmt.ErrUnsupported)
	// ErrChanged: a blob's source no longer matches the size (or, on a
	// re-read, the content) it had when it was queued (blob.ErrChanged).
	ErrChanged = blob.ErrChanged
	// ErrClosed: the Writer was used after Close.
	ErrClosed = errors.New("resource: writer closed")
)

// BlobError is an error concerning one blob's source.
type BlobError = blob.Error

func blobErr(b *Blob, op string, err error) error { return b.Err(op, err) }

var errContentChanged = blob.ErrContentChanged
