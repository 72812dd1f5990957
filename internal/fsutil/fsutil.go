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
	fd, err := unix.Open(path, unix.O_RDONLY|unix.O_CLOEXEC|unix.O_NOATIME, 0)
	if err == unix.EPERM {
		fd, err = unix.Open(path, unix.O_RDONLY|unix.O_CLOEXEC, 0)
	}
	if err != nil {
		return nil, &os.PathError{Op: "open", Path: path, Err: err}
	}
	return os.NewFile(uintptr(fd), path), nil
}
