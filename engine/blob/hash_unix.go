//go:build unix

package blob

import (
	"crypto/sha1"
	"fmt"
	"math"
	"os"
	"runtime/debug"

	"golang.org/x/sys/unix"

	"github.com/wimgo/wimgo/internal/fsutil"
)

// maxMap is the largest file hashed through one mapping: all of it on 64-bit
// systems; on 32-bit ones, whose address space a large file would not fit
// (nor its size in an int), bigger files are read through buf instead. A
// variable so that tests can take that path.
var maxMap int64 = math.MaxInt >> 2

// hashMapped hashes a regular file through a read-only mapping. A file
// truncated meanwhile faults; the fault becomes an error, not a crash.
func (b *Blob) hashMapped(fd fsutil.FD, buf []byte) (err error) {
	size, err := fsutil.Size(fd)
	if err != nil {
		return &os.PathError{Op: "stat", Path: b.Path, Err: err}
	}
	if size != b.Size {
		return errChangedSize(b, size)
	}
	if b.Size > maxMap {
		return b.hashRead(fd, buf)
	}
	m, err := unix.Mmap(fd, 0, int(b.Size), unix.PROT_READ, unix.MAP_SHARED)
	if err != nil {
		return &os.PathError{Op: "mmap", Path: b.Path, Err: err}
	}
	defer unix.Munmap(m)
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	defer func() {
		if recover() != nil {
			err = fmt.Errorf("%s: file changed during capture", b.Name)
		}
	}()
	unix.Madvise(m, unix.MADV_SEQUENTIAL)
	b.Hash = sha1.Sum(m)
	b.Hashed = true
	return nil
}
