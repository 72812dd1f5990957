package oracle

import (
	"io/fs"
	"os"
)

// fileStat is what Snapshot needs of a file's metadata.
type fileStat struct {
	mtime int64       // ns since 1970
	mode  uint32      // permission bits
	kind  fs.FileMode // fs.ModeDir, fs.ModeSymlink, 0 for a regular file, else other bits
	size  int64
	id    [2]uint64 // hard links would share it; unique per file here
}

var nextID uint64

// lstat reads what os.Lstat gives; hard links are not told apart yet.
func lstat(p string) (fileStat, error) {
	fi, err := os.Lstat(p)
	if err != nil {
		return fileStat{}, err
	}
	nextID++
	kind := fi.Mode().Type()
	if kind&^(fs.ModeDir|fs.ModeSymlink) != 0 {
		kind = fs.ModeIrregular
	}
	return fileStat{mtime: fi.ModTime().UnixNano(), mode: uint32(fi.Mode().Perm()), kind: kind, size: fi.Size(), id: [2]uint64{0, nextID}}, nil
}
