//go:build !linux

package fsutil

func readAtEnd(fd FD, p []byte, off int64) (int, bool, error) {
	return readAtEndTwice(fd, p, off)
}
