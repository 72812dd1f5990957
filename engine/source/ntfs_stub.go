//go:build !(ntfs3g && cgo)

package source

import (
	"fmt"

	"github.com/wimgo/wimgo/engine/wimfmt"
)

// ScanNTFS would capture the NTFS volume at path, but this build has no
// libntfs-3g. The error wraps wimfmt.ErrUnsupported.
func ScanNTFS(path string, opts *Options) (*Result, error) {
	return nil, fmt.Errorf("%s: NTFS volume capture is not supported (%w): this program was built without NTFS support; "+
		"build it with cgo, -tags ntfs3g and the libntfs-3g development files (Debian: ntfs-3g-dev)",
		path, wimfmt.ErrUnsupported)
}
