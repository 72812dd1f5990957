//go:build unix

package source

import (
	"os"

	"golang.org/x/sys/unix"
)

// FileIDOf identifies the file path names (symbolic links followed), for
// Options.Skip.
func FileIDOf(path string) (FileID, error) {
	var st unix.Stat_t
	if err := unix.Stat(path, &st); err != nil {
		return FileID{}, &os.PathError{Op: "stat", Path: path, Err: err}
	}
	return FileID{uint64(st.Dev), st.Ino}, nil
}
