package bench

import (
	"fmt"
	"syscall"
)

// checkRoom fails unless the file system holding dir has inodes free for
// twice as many files as asked for and twice the bytes (other helpers and
// the WIMs need room too).
func checkRoom(dir string, inodes, bytes int64) error {
	var st syscall.Statfs_t
	if err := syscall.Statfs(dir, &st); err != nil {
		return err
	}
	freeInodes, freeBytes := int64(st.Ffree), int64(st.Bavail)*int64(st.Bsize)
	if st.Files > 0 && freeInodes < 2*inodes {
		return fmt.Errorf("%s: %d inodes free, the deep tree needs %d (and as many again to spare)", dir, freeInodes, inodes)
	}
	if freeBytes < 2*bytes {
		return fmt.Errorf("%s: %s free, the deep tree needs %s (and as much again to spare)", dir, mib(freeBytes), mib(bytes))
	}
	return nil
}
