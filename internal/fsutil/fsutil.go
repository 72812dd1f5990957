// Package fsutil holds the file-opening policy every reader of source files
// shares, and the raw file handles those readers use: a descriptor on
// UNIX, a handle on Windows (FD).
package fsutil

// ReadAtEnd is ReadAt for a read that should end at the end of the file:
// past also reports whether the file has a byte after p (it grew). n never
// exceeds len(p). On Linux one preadv does both, so a
// reader can check a file's size by reading it instead of by a stat of its
// own: on a capture of many small files that stat was a fifth of the
// system calls.
func ReadAtEnd(fd FD, p []byte, off int64) (n int, past bool, err error) {
	return readAtEnd(fd, p, off)
}

// readAtEndTwice is ReadAtEnd as two reads, as on systems other than
// Linux: as many calls as a stat and a read.
func readAtEndTwice(fd FD, p []byte, off int64) (int, bool, error) {
	n, err := ReadAt(fd, p, off)
	if err != nil || n < len(p) {
		return n, false, err
	}
	var one [1]byte
	m, err := ReadAt(fd, one[:], off+int64(n))
	return n, m > 0, err
}
