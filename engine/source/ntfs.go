package source

import (
	"fmt"

	"github.com/wimgo/wimgo/engine/wimfmt"
)

// ScanNTFS captures the NTFS volume at path (NTFS VOLUME CAPTURE (UNIX)).
func ScanNTFS(path string, opts *Options) (*Result, error) {
	return nil, fmt.Errorf("%s: NTFS volume capture is %w yet", path, errNotYet)
}

var errNotYet = fmt.Errorf("%w: not supported", wimfmt.ErrUnsupported)
