package wimfmt

import "errors"

// Sentinel errors; callers test them with errors.Is.
var (
	// ErrNotWIM: the file does not start with a WIM header.
	ErrNotWIM = errors.New("wimfmt: not a WIM file")
	// ErrCorrupt: a structure is inconsistent with itself or the file.
	ErrCorrupt = errors.New("wimfmt: corrupt WIM")
	// ErrUnsupported: a valid WIM feature this program does not handle.
	ErrUnsupported = errors.New("wimfmt: unsupported WIM feature")
)
