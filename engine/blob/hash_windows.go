package blob

import (
	"os"

	"github.com/wimgo/wimgo/internal/fsutil"
)

// hashMapped hashes a large file; on Windows it is read through buf, with
// no mapping (a mapped file there cannot be truncated by its other users).
func (b *Blob) hashMapped(fd fsutil.FD, buf []byte) error {
	size, err := fsutil.Size(fd)
	if err != nil {
		return &os.PathError{Op: "stat", Path: b.Path, Err: err}
	}
	if size != b.Size {
		return errChangedSize(b, size)
	}
	return b.hashRead(fd, buf)
}
