//go:build unix

package fsutil

import (
	"os"

	"golang.org/x/sys/unix"
)

// FD is a raw open file: os.File's poller registration and finalizer cost
// more than the read itself for the small files that dominate a capture.
type FD = int

// NoFD is no open file.
const NoFD FD = -1

// OpenNoATime opens path for reading without updating its access time
// (O_NOATIME on Linux), so that capturing leaves the source as it was: the
// WIM records access times, and reproducible captures depend on them.
// O_NOATIME needs ownership or CAP_FOWNER; without it the file is opened
// normally.
func OpenNoATime(path string) (*os.File, error) {
	fd, err := OpenFD(path)
	if err != nil {
		return nil, err
	}
	return os.NewFile(uintptr(fd), path), nil
}

// OpenFD is OpenNoATime returning a raw descriptor, for the many small
// files a capture reads, where an *os.File costs more than the read.
func OpenFD(path string) (FD, error) { return OpenFDAt(unix.AT_FDCWD, path, path) }

// OpenDirFD opens the directory path to open files in it with OpenFDAt.
// Opening a directory does not read it, so its access time stays.
func OpenDirFD(path string) (FD, error) {
	for {
		fd, err := unix.Open(path, unix.O_RDONLY|unix.O_DIRECTORY|unix.O_CLOEXEC, 0)
		switch {
		case err == unix.EINTR:
			continue
		case err != nil:
			return NoFD, &os.PathError{Op: "open", Path: path, Err: err}
		}
		return fd, nil
	}
}

// OpenFDAt is OpenFD of name in the directory open as dir (unix.AT_FDCWD:
// the working directory); path names the file in errors. A name inside a
// deep tree resolves one component instead of every one of its path.
func OpenFDAt(dir FD, name, path string) (FD, error) {
	for flags := unix.O_RDONLY | unix.O_CLOEXEC | noATime; ; {
		fd, err := unix.Openat(dir, name, flags, 0)
		switch {
		case err == unix.EINTR:
			continue
		case err == unix.EPERM && flags&noATime != 0:
			flags &^= noATime
			continue
		case err != nil:
			return NoFD, &os.PathError{Op: "open", Path: path, Err: err}
		}
		return fd, nil
	}
}

// CloseFD closes fd.
func CloseFD(fd FD) error { return unix.Close(fd) }

// Read reads from fd's current position; 0 bytes and no error is the end.
func Read(fd FD, p []byte) (int, error) {
	for {
		n, err := unix.Read(fd, p)
		if err != unix.EINTR {
			return n, err
		}
	}
}

// ReadAt reads from offset off (pread); 0 bytes and no error is the end.
func ReadAt(fd FD, p []byte, off int64) (int, error) {
	for {
		n, err := unix.Pread(fd, p, off)
		if err != unix.EINTR {
			return n, err
		}
	}
}

// Size is the size of the open file fd.
func Size(fd FD) (int64, error) {
	var st unix.Stat_t
	if err := unix.Fstat(fd, &st); err != nil {
		return 0, err
	}
	return st.Size, nil
}
