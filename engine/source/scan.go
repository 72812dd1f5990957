package source

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
)

// Scan captures SOURCE as the manual describes: a directory (or a symbolic
// link to one) by directory capture; a block device or a regular file
// holding an NTFS file system by NTFS volume capture; anything else is an
// error naming the path.
func Scan(path string, opts *Options) (*Result, error) {
	fi, err := os.Stat(path)
	if err != nil {
		var pe *fs.PathError
		if errors.As(err, &pe) {
			err = pe.Err // named below
		}
		return nil, fmt.Errorf("%s: cannot capture: %w", path, err)
	}
	m := fi.Mode()
	switch {
	case m.IsDir():
		return ScanDir(path, opts)
	case m.IsRegular(), m&(fs.ModeDevice|fs.ModeCharDevice) == fs.ModeDevice:
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
