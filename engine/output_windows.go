package engine

import (
	"errors"
	"os"

	"golang.org/x/sys/windows"
)

// createNew creates name, which must not exist, for reading and writing,
// sharing it for deletion too: the temporary WIM is renamed over the
// output while still open (its lock marks a live writer), which Windows
// refuses, with a sharing violation, for a file os.OpenFile opened.
func createNew(name string) (*os.File, error) {
	p, err := windows.UTF16PtrFromString(name)
	if err != nil {
		return nil, &os.PathError{Op: "open", Path: name, Err: err}
	}
	h, err := windows.CreateFile(p, windows.GENERIC_READ|windows.GENERIC_WRITE,
		windows.FILE_SHARE_READ|windows.FILE_SHARE_WRITE|windows.FILE_SHARE_DELETE,
		nil, windows.CREATE_NEW, windows.FILE_ATTRIBUTE_NORMAL, 0)
	if err != nil {
		return nil, &os.PathError{Op: "open", Path: name, Err: err}
	}
	return os.NewFile(uintptr(h), name), nil
}

// tryLock takes f's exclusive lock (LockFileEx, on LockWIM's byte)
// without waiting.
func tryLock(f *os.File) error {
	ov := windows.Overlapped{Offset: uint32(lockOffset & 0xffffffff), OffsetHigh: uint32(lockOffset >> 32)}
	return windows.LockFileEx(windows.Handle(f.Fd()), windows.LOCKFILE_EXCLUSIVE_LOCK|windows.LOCKFILE_FAIL_IMMEDIATELY, 0, 1, 0, &ov)
}

// lockUnsupported reports a tryLock error saying the filesystem has no
// locks (then writers go on unlocked, as wimlib does).
func lockUnsupported(err error) bool {
	return errors.Is(err, windows.ERROR_NOT_SUPPORTED) || errors.Is(err, windows.ERROR_INVALID_FUNCTION)
}

// stillActive is the exit code of a process that has not exited.
const stillActive = 259

// processRuns reports whether a process pid exists (or might: one we may
// not open exists).
func processRuns(pid int) bool {
	h, err := windows.OpenProcess(windows.PROCESS_QUERY_LIMITED_INFORMATION, false, uint32(pid))
	if err != nil {
		return errors.Is(err, windows.ERROR_ACCESS_DENIED)
	}
	defer windows.CloseHandle(h)
	var code uint32
	return windows.GetExitCodeProcess(h, &code) != nil || code == stillActive
}

// umask is 0: Windows has none, and Chmod there only sets or clears the
// read-only attribute.
func umask() os.FileMode { return 0 }
