package engine

import (
	"errors"
	"fmt"
	"os"
	"sync"
	"weak"

	"golang.org/x/sys/windows"
)

// lockOffset is where the one locked byte lies: far beyond any WIM's end,
// since Windows byte-range locks are mandatory and would otherwise keep
// other processes from reading the WIM.
const lockOffset = 1<<63 - 2

// locked records the files this process has locked: LockFileEx fails on a
// range the same handle already holds, where flock succeeds. Weak
// pointers, so that a file opened later at a reclaimed address is new.
var locked struct {
	sync.Mutex
	files map[weak.Pointer[os.File]]struct{}
}

// LockWIM takes an exclusive lock on f (LockFileEx, without waiting), so
// that two writers never work on one WIM at once. The lock lasts until f
// is closed; taking it again on the same f succeeds.
func LockWIM(f *os.File) error {
	key := weak.Make(f)
	locked.Lock()
	defer locked.Unlock()
	if _, ok := locked.files[key]; ok {
		return nil
	}
	ov := windows.Overlapped{Offset: uint32(lockOffset & 0xffffffff), OffsetHigh: uint32(lockOffset >> 32)}
	err := windows.LockFileEx(windows.Handle(f.Fd()), windows.LOCKFILE_EXCLUSIVE_LOCK|windows.LOCKFILE_FAIL_IMMEDIATELY, 0, 1, 0, &ov)
	switch {
	case errors.Is(err, windows.ERROR_LOCK_VIOLATION):
		return lockedError(f)
	case errors.Is(err, windows.ERROR_NOT_SUPPORTED), errors.Is(err, windows.ERROR_INVALID_FUNCTION):
		// Like wimlib, go on where the filesystem has no locks.
		return nil
	case err != nil:
		return fmt.Errorf("%s: cannot lock the WIM: %w", f.Name(), err)
	}
	if locked.files == nil {
		locked.files = make(map[weak.Pointer[os.File]]struct{})
	}
	locked.files[key] = struct{}{}
	return nil
}
