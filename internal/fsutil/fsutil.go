// Package fsutil holds the file-opening policy every reader of source files
// shares.
package fsutil

import (
	"os"

	"golang.org/x/sys/unix"
)

// OpenNoATime opens path for reading without updating its access time
// (O_NOATIME), so that capturing leaves the source as it was: the WIM
// records access times, and reproducible captures depend on them. O_NOATIME
// needs ownership or CAP_FOWNER; without it the file is opened normally.
func OpenNoATime(path string) (*os.File, error) {
	fd, err := OpenFD(path)
	if err != nil {
		return nil, err
	}
	return os.NewFile(uintptr(fd), path), nil
}

// OpenFD is OpenNoATime returning a raw descriptor, for the many small
// files a capture reads, where an *os.File costs more than the read.
func OpenFD(path string) (int, error) {
	for flags := unix.O_RDONLY | unix.O_CLOEXEC | unix.O_NOATIME; ; {
		fd, err := unix.Open(path, flags, 0)
		switch {
		case err == unix.EINTR:
			continue
		case err == unix.EPERM && flags&unix.O_NOATIME != 0:
			flags &^= unix.O_NOATIME
			continue
		case err != nil:
			return -1, &os.PathError{Op: "open", Path: path, Err: err}
		}
		return fd, nil
	}
}
