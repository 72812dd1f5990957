package source

import (
	"fmt"

	"github.com/wimgo/wimgo/engine/image"
	"github.com/wimgo/wimgo/engine/wimfmt"
)

// ScanDir would capture the directory tree at path; directory capture on
// Windows (backup semantics, named streams, security descriptors) is not
// written yet. The error wraps wimfmt.ErrUnsupported.
func ScanDir(path string, opts *Options) (*Result, error) {
	return nil, fmt.Errorf("%s: directory capture on Windows is not implemented yet (%w)", path, wimfmt.ErrUnsupported)
}

// scanDir is ScanDir for the entries of a source list.
func scanDir(path string, opts *Options, inodes map[FileID]*image.Inode) (*Result, error) {
	return ScanDir(path, opts)
}
