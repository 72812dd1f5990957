//go:build unix

package engine

import (
	"errors"
	"fmt"
	"os"

	"golang.org/x/sys/unix"
)

// LockWIM takes the exclusive advisory lock that wimlib's writers take on
// a WIM they modify (flock, without waiting), so that two writers never
// work on one WIM at once. The lock lasts until f is closed; taking it
// again on the same f succeeds.
func LockWIM(f *os.File) error {
	err := unix.Flock(int(f.Fd()), unix.LOCK_EX|unix.LOCK_NB)
	if errors.Is(err, unix.EWOULDBLOCK) {
		return lockedError(f)
	}
	if err != nil && !errors.Is(err, unix.ENOLCK) && !errors.Is(err, unix.EOPNOTSUPP) && !errors.Is(err, unix.EINVAL) {
		return fmt.Errorf("%s: cannot lock the WIM: %w", f.Name(), err)
	}
	// Like wimlib, go on where the filesystem has no locks.
	return nil
}
