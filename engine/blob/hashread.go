package blob

import (
	"crypto/sha1"
	"os"

	"github.com/wimgo/wimgo/internal/fsutil"
)

// hashRead hashes the file open at fd through buf, reading from offset 0
// and checking that it holds exactly Size bytes: where a mapping does not
// fit (32-bit systems) or is not used (Windows).
func (b *Blob) hashRead(fd fsutil.FD, buf []byte) error {
	if len(buf) == 0 {
		buf = make([]byte, 64<<10)
	}
	h := sha1.New()
	var off int64
	for {
		n, err := fsutil.ReadAt(fd, buf, off)
		if err != nil {
			return &os.PathError{Op: "read", Path: b.Path, Err: err}
		}
		if n == 0 {
			break
		}
		h.Write(buf[:n])
		off += int64(n)
		if off > b.Size {
			break
		}
	}
	if off != b.Size {
		return errChangedSize(b, off)
	}
	h.Sum(b.Hash[:0])
	b.Hashed = true
	return nil
}
