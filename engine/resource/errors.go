package resource

import (
	"errors"
	"fmt"

	"github.com/wimgo/wimgo/engine/wimfmt"
)

// Sentinel errors. They wrap wimfmt's so callers may test either.
var (
	// ErrCorrupt: a resource's header, chunk table or chunk is inconsistent.
	ErrCorrupt = fmt.Errorf("resource: corrupt resource: %w", wimfmt.ErrCorrupt)
	// ErrUnsupported: a compression type or resource kind not handled.
	ErrUnsupported = fmt.Errorf("resource: %w", wimfmt.ErrUnsupported)
	// ErrChanged: a blob's source no longer matches the size (or, on a
	// re-read, the content) it had when it was queued. Errors saying which
	// of the two changed match it with errors.Is.
	ErrChanged = errors.New("file changed during capture")
	// ErrClosed: the Writer was used after Close.
	ErrClosed = errors.New("resource: writer closed")
)

// BlobError is an error concerning one blob's source.
type BlobError struct {
	Name string // the blob's Name, or its Path
	Op   string // "open", "read", "" for a data problem such as ErrChanged
	Err  error
}

func (e *BlobError) Error() string {
	if e.Op == "" {
		return e.Name + ": " + e.Err.Error()
	}
	return e.Name + ": " + e.Op + ": " + e.Err.Error()
}

func (e *BlobError) Unwrap() error { return e.Err }

func blobErr(b *Blob, op string, err error) error {
	name := b.Name
	if name == "" {
		name = b.Path
	}
	if name == "" {
		name = "(blob)"
	}
	return &BlobError{Name: name, Op: op, Err: err}
}

// changedError says how a source changed; it matches ErrChanged.
type changedError string

func (e changedError) Error() string        { return string(e) }
func (e changedError) Is(target error) bool { return target == ErrChanged }

func errSizeChanged(now, want int64) error {
	return changedError(fmt.Sprintf("file changed size during capture (%d bytes, expected %d)", now, want))
}

var errContentChanged = changedError("file changed during capture (content differs on re-read)")
