// Package source turns what the user names on the command line (a
// directory, a source list, an NTFS volume) into an in-memory image tree.
// Scanning reads no file data: blobs are locations and sizes.
//
// Shared policy lives here: exclusion by the capture configuration,
// progress, the hard-link table keyed by (device, inode).
package source

import (
	"fmt"

	"github.com/wimgo/wimgo/engine/blob"
	"github.com/wimgo/wimgo/engine/image"
)

// FileID identifies a file on this machine.
type FileID struct{ Dev, Ino uint64 }

// Options control a scan.
type Options struct {
	Config      *Config // nil: DefaultConfig()
	Dereference bool    // follow symbolic links
	UnixData    bool    // store uid/gid/mode, special files and xattrs
	RPFix       bool    // make absolute links inside the tree root-relative
	// NoACLs leaves security descriptors out (--no-acls); NTFS volume
	// capture is the only source that reads them.
	NoACLs bool
	// StrictACLs makes a security descriptor that cannot be read an
	// error (--strict-acls) rather than a warning and a file stored with
	// less of it (Windows directory capture).
	StrictACLs bool
	// Snapshot reads a directory capture from a Volume Shadow Copy of
	// the source's volume (--snapshot; Windows only), released by
	// Result.Close.
	Snapshot bool
	// Skip lists files never captured: the WIM being written and its
	// temporary file.
	Skip []FileID
	// Threads bounds the goroutines scanning directories; 0 means one per
	// CPU.
	Threads int
	// Progress is called after each file or directory is scanned, never
	// concurrently.
	Progress func(path string, size int64)
	// Warn reports something skipped.
	Warn func(msg string)
	// Excluded and Fixed, when set, receive the path of each file left out
	// by the capture configuration, and of each symbolic link whose
	// absolute target RPFix made relative: wimlib prints both. They are
	// called for directory captures (and source lists), Excluded as the
	// scan goes, maybe concurrently, and Fixed once the scan is done.
	Excluded func(path string)
	Fixed    func(path string)
}

// Result is a scanned tree and its blobs in the order they should be
// written (files by full path, then in-memory buffers such as reparse data).
type Result struct {
	Root  *image.Dentry
	Blobs []*blob.Blob
	// Security holds the security descriptors that inodes' SecurityID
	// index (none for UNIX captures).
	Security [][]byte
	// RPFixed reports whether reparse-point fixups were in effect.
	RPFixed bool
	// Close, when not nil, releases what the blobs read from (the mounted
	// NTFS volume, the shadow copies of --snapshot). Call it once every
	// blob has been read; blobs cannot be read afterwards.
	Close func() error
}

func (o *Options) warn(format string, args ...any) {
	if o.Warn != nil {
		o.Warn(fmt.Sprintf(format, args...))
	}
}
