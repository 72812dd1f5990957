//go:build unix

package oracle

import (
	"io/fs"
	"os"

	"golang.org/x/sys/unix"
)

// fileStat is what Snapshot needs of lstat(2).
type fileStat struct {
	mtime int64       // ns since 1970
	mode  uint32      // permission bits, with setuid, setgid and sticky
	kind  fs.FileMode // fs.ModeDir, fs.ModeSymlink, 0 for a regular file, else other bits
	size  int64
	id    [2]uint64 // device and inode: hard links share it
}

func lstat(p string) (fileStat, error) {
	var st unix.Stat_t
	if err := unix.Lstat(p, &st); err != nil {
		return fileStat{}, &os.PathError{Op: "lstat", Path: p, Err: err}
	}
	sec, nsec := st.Mtim.Unix()
	fst := fileStat{mtime: sec*1e9 + nsec, mode: uint32(st.Mode), size: st.Size, id: [2]uint64{uint64(st.Dev), uint64(st.Ino)}}
	switch st.Mode & unix.S_IFMT {
	case unix.S_IFDIR:
		fst.kind = fs.ModeDir
	case unix.S_IFREG:
	case unix.S_IFLNK:
		fst.kind = fs.ModeSymlink
	default:
		fst.kind = fs.ModeIrregular
	}
	return fst, nil
}
