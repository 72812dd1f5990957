package blob

import (
	"errors"
	"fmt"
)

// ErrChanged: a blob's source no longer matches the size (or, on a
// re-read, the content) it had when it was scanned. Errors saying which of
// the two changed match it with errors.Is.
var ErrChanged = errors.New("file changed during capture")

// Error is an error concerning one blob's source.
type Error struct {
	Name string // the blob's Name, or its Path
	Op   string // "open", "read", "" for a data problem such as ErrChanged
	Err  error
}

func (e *Error) Error() string {
	if e.Op == "" {
		return e.Name + ": " + e.Err.Error()
	}
	return e.Name + ": " + e.Op + ": " + e.Err.Error()
}

func (e *Error) Unwrap() error { return e.Err }

// Err wraps err as an Error naming b.
func (b *Blob) Err(op string, err error) error {
	name := b.Name
	if name == "" {
		name = b.Path
	}
	if name == "" {
		name = "(blob)"
	}
	return &Error{Name: name, Op: op, Err: err}
}

// changedError says how a source changed; it matches ErrChanged.
type changedError string

func (e changedError) Error() string        { return string(e) }
func (e changedError) Is(target error) bool { return target == ErrChanged }

func errSizeChanged(now, want int64) error {
	return changedError(fmt.Sprintf("file changed size during capture (%d bytes, expected %d)", now, want))
}

// errLonger: a source has bytes past its Size.
var errLonger error = changedError("file changed size during capture (longer than expected)")

// ErrContentChanged: a source read twice gave different bytes.
var ErrContentChanged error = changedError("file changed during capture (content differs on re-read)")
