package source

import (
	"fmt"
	"io"
	"os"

	"golang.org/x/sys/unix"
)

// Scan captures SOURCE as the manual describes: a directory (or a symbolic
// link to one) by directory capture; a block device or a regular file
// holding an NTFS file system by NTFS volume capture; anything else is an
// error naming the path.
func Scan(path string, opts *Options) (*Result, error) {
	var st unix.Stat_t
	if err := unix.Stat(path, &st); err != nil {
		return nil, fmt.Errorf("%s: cannot capture: %w", path, err)
	}
	switch st.Mode & unix.S_IFMT {
	case unix.S_IFDIR:
		return ScanDir(path, opts)
	case unix.S_IFBLK, unix.S_IFREG:
		ok, err := isNTFS(path)
		if err != nil {
			return nil, err
		}
		if !ok {
			return nil, fmt.Errorf("%s: not a directory, and no NTFS file system was found in it", path)
		}
		return ScanNTFS(path, opts)
	}
	return nil, fmt.Errorf("%s: not a directory, a block device or an NTFS image file", path)
}

// isNTFS looks for the NTFS boot sector signature ("NTFS    " at offset 3).
func isNTFS(path string) (bool, error) {
	f, err := os.Open(path)
	if err != nil {
		return false, err
	}
	defer f.Close()
	var b [11]byte
	if _, err := io.ReadFull(f, b[:]); err != nil {
		return false, nil
	}
	return string(b[3:11]) == "NTFS    ", nil
}
