package source

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/wimgo/wimgo/engine/image"
	"github.com/wimgo/wimgo/engine/wimfmt"
)

// Scan captures SOURCE as the manual describes: a directory (or a symbolic
// link to one) by directory capture; a block device or a regular file
// holding an NTFS file system by NTFS volume capture; anything else is an
// error naming the path.
func Scan(path string, opts *Options) (*Result, error) {
	if opts != nil && opts.Snapshot && !SnapshotSupported {
		return nil, ErrSnapshotUnsupported
	}
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
		return scanReported(path, opts, func(o *Options) (*Result, error) { return ScanDir(path, o) })
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

// scanReported runs scan (a directory capture of root) with opts'
// configuration reporting exclusions to opts.Excluded as paths under root,
// and reports the symbolic links fixed to opts.Fixed.
func scanReported(root string, opts *Options, scan func(*Options) (*Result, error)) (*Result, error) {
	if opts == nil || (opts.Excluded == nil && opts.Fixed == nil) {
		return scan(opts)
	}
	o := *opts
	if opts.Excluded != nil {
		c := DefaultConfig()
		if opts.Config != nil {
			c2 := *opts.Config
			c = &c2
		}
		c.onExclude = func(rel string) { opts.Excluded(filepath.Join(root, rel)) }
		o.Config = c
	}
	res, err := scan(&o)
	if err == nil && opts.Fixed != nil && o.RPFix {
		res.Root.Walk(func(d *image.Dentry) error {
			ino := d.Inode
			if ino.ReparseTag == wimfmt.ReparseTagSymlink && ino.RPFlags&wimfmt.RPNotFixed == 0 && ino.Reparse != nil {
				opts.Fixed(ino.Reparse.Name)
			}
			return nil
		})
	}
	return res, err
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
