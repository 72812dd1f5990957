package fsutil

import (
	"errors"
	"os"

	"golang.org/x/sys/windows"
)

// FD is a raw open file handle.
type FD = windows.Handle

// NoFD is no open file.
const NoFD FD = windows.InvalidHandle

// maxIO bounds one ReadFile call, whose length is 32 bits.
const maxIO = 1 << 30

// OpenNoATime opens path for reading. Windows has no per-open way to leave
// the access time alone short of SetFileTime; most volumes do not update
// it anyway.
func OpenNoATime(path string) (*os.File, error) {
	return os.Open(path)
}

// OpenFD is OpenNoATime returning a raw handle. Other processes may keep
// reading, writing and renaming the file meanwhile, as on UNIX. Backup
// semantics let a capture holding the backup privilege read files their
// ACLs would refuse (it changes nothing for other processes).
func OpenFD(path string) (FD, error) {
	p, err := windows.UTF16PtrFromString(path)
	if err != nil {
		return NoFD, &os.PathError{Op: "open", Path: path, Err: err}
	}
	h, err := windows.CreateFile(p, windows.GENERIC_READ,
		windows.FILE_SHARE_READ|windows.FILE_SHARE_WRITE|windows.FILE_SHARE_DELETE,
		nil, windows.OPEN_EXISTING, windows.FILE_ATTRIBUTE_NORMAL|windows.FILE_FLAG_BACKUP_SEMANTICS, 0)
	if err != nil {
		return NoFD, &os.PathError{Op: "open", Path: path, Err: err}
	}
	return h, nil
}

// OpenDirFD is not supported here: files are opened by their whole paths
// (engine/blob's DirCache falls back to OpenFD).
func OpenDirFD(path string) (FD, error) {
	return NoFD, &os.PathError{Op: "open", Path: path, Err: errors.ErrUnsupported}
}

// OpenFDAt opens path; dir and name are unused (see OpenDirFD).
func OpenFDAt(dir FD, name, path string) (FD, error) { return OpenFD(path) }

// CloseFD closes fd.
func CloseFD(fd FD) error { return windows.CloseHandle(fd) }

// Read reads from fd's current position; 0 bytes and no error is the end.
func Read(fd FD, p []byte) (int, error) {
	var done uint32
	err := windows.ReadFile(fd, p[:min(len(p), maxIO)], &done, nil)
	return int(done), err
}

// ReadAt reads from offset off; 0 bytes and no error is the end.
func ReadAt(fd FD, p []byte, off int64) (int, error) {
	var done uint32
	ov := windows.Overlapped{Offset: uint32(off), OffsetHigh: uint32(off >> 32)}
	err := windows.ReadFile(fd, p[:min(len(p), maxIO)], &done, &ov)
	if err == windows.ERROR_HANDLE_EOF {
		err = nil
	}
	return int(done), err
}

// Size is the size of the open file fd.
func Size(fd FD) (int64, error) {
	var fi windows.ByHandleFileInformation
	if err := windows.GetFileInformationByHandle(fd, &fi); err != nil {
		return 0, err
	}
	return int64(fi.FileSizeHigh)<<32 | int64(fi.FileSizeLow), nil
}
