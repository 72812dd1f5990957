//go:build unix

package source

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"

	"golang.org/x/sys/unix"

	"github.com/wimgo/wimgo/engine/blob"
	"github.com/wimgo/wimgo/engine/image"
	"github.com/wimgo/wimgo/engine/wimfmt"
	"github.com/wimgo/wimgo/internal/fsutil"
)

// unixScan is the state of one directory capture (DIRECTORY CAPTURE (UNIX)
// in the manual): directories, regular files, hard links, symlinks as
// reparse points, mtime/atime, sparse flags, and with --unix-data owner,
// mode, special files and xattrs.
//
// Directories are scanned by up to Options.Threads goroutines (stat calls
// dominate on large volumes); the result does not depend on the order in
// which they finish: children are placed in name order, blobs sorted by
// path, and a hard-linked file's blob names its smallest path.
type unixScan struct {
	opts   *Options
	config *Config
	rootID FileID
	rpfix  bool
	skip   map[FileID]bool
	// spare holds a token per goroutine that may still be started.
	spare chan struct{}

	mu      sync.Mutex // guards what follows, and calls to opts.Progress
	inodes  map[FileID]*image.Inode
	files   []*blob.Blob
	buffers []*blob.Blob
}

// ancestor links the directories on the current path, to catch loops that
// --dereference can make.
type ancestor struct {
	id     FileID
	parent *ancestor
}

func (a *ancestor) has(id FileID) bool {
	for ; a != nil; a = a.parent {
		if a.id == id {
			return true
		}
	}
	return false
}

// ScanDir captures the tree at path. The root is followed if it is a
// symbolic link. A non-directory root becomes a single file (used by
// source lists).
func ScanDir(path string, opts *Options) (*Result, error) {
	return scanDir(path, opts, make(map[FileID]*image.Inode))
}

// scanDir is ScanDir with the hard-link table given: the sources of a
// source list share one, so a file reached through two of them is one inode
// with two names, as in wimlib.
func scanDir(path string, opts *Options, inodes map[FileID]*image.Inode) (*Result, error) {
	if opts == nil {
		opts = &Options{}
	}
	s := &unixScan{
		opts:   opts,
		config: opts.Config,
		rpfix:  opts.RPFix,
		inodes: inodes,
		skip:   make(map[FileID]bool),
	}
	threads := opts.Threads
	if threads <= 0 {
		threads = runtime.NumCPU()
	}
	s.spare = make(chan struct{}, threads-1)
	for range threads - 1 {
		s.spare <- struct{}{}
	}
	if s.config == nil {
		s.config = DefaultConfig()
	}
	for _, id := range opts.Skip {
		s.skip[id] = true
	}
	var st unix.Stat_t
	if err := unix.Stat(path, &st); err != nil {
		return nil, &os.PathError{Op: "stat", Path: path, Err: err}
	}
	s.rootID = FileID{uint64(st.Dev), st.Ino}
	root, err := s.scan(path, "", "", &st, nil)
	if err != nil {
		return nil, err
	}
	if root == nil {
		return nil, fmt.Errorf("%s: the capture root is excluded or unsupported", path)
	}
	slices.SortStableFunc(s.files, func(a, b *blob.Blob) int { return strings.Compare(a.Path, b.Path) })
	slices.SortStableFunc(s.buffers, func(a, b *blob.Blob) int { return strings.Compare(a.Name, b.Name) })
	return &Result{Root: root, Blobs: append(s.files, s.buffers...), RPFixed: s.rpfix}, nil
}

// scan captures one file. rel is the path relative to the capture root
// with a leading "/" ("" for the root); st is its lstat (or stat).
func (s *unixScan) scan(path, rel, name string, st *unix.Stat_t, anc *ancestor) (*image.Dentry, error) {
	id := FileID{uint64(st.Dev), st.Ino}
	if s.skip[id] {
		return nil, nil
	}
	if rel != "" {
		if err := image.CheckName(name); err != nil {
			return nil, fmt.Errorf("%q: file name is %w; mount the file system so that it presents names as UTF-8", path, err)
		}
	}
	mode := st.Mode & unix.S_IFMT
	special := mode != unix.S_IFREG && mode != unix.S_IFDIR && mode != unix.S_IFLNK
	if special && !s.opts.UnixData {
		s.opts.warn("%s: skipping unsupported file type (use --unix-data to store special files)", path)
		return nil, nil
	}
	// Hard links: files with the same (dev, ino) share an inode;
	// directories never. Hard-linked symlinks share one too, as in wimlib:
	// the format has no hard-link group for a reparse point, so the WIM
	// stores separate links, but the XML's HARDLINKBYTES counts them.
	if mode != unix.S_IFDIR {
		s.mu.Lock()
		if ino := s.inodes[id]; ino != nil {
			d := image.NewDentry(name, nil, ino)
			linkBlobName(ino, path)
			s.mu.Unlock()
			s.progress(path, 0)
			return d, nil
		}
		s.mu.Unlock()
	}
	ino := &image.Inode{
		SecurityID:     wimfmt.NoSecurityID,
		CreationTime:   fileTime(st.Mtim),
		LastWriteTime:  fileTime(st.Mtim),
		LastAccessTime: fileTime(st.Atim),
	}
	if s.opts.UnixData {
		ino.Unix = &wimfmt.UnixData{UID: st.Uid, GID: st.Gid, Mode: uint32(st.Mode), Rdev: uint32(st.Rdev)}
		xs, err := readXattrs(path, s.opts.Dereference || rel == "")
		if err != nil {
			return nil, err
		}
		if len(xs) > 0 {
			ino.Extra().Xattrs = xs
		}
	}
	d := image.NewDentry(name, nil, ino)
	switch mode {
	case unix.S_IFREG:
		ino.Attributes = wimfmt.AttrNormal
		if st.Blocks < (st.Size+511)/512 {
			ino.Attributes = wimfmt.AttrSparseFile
		}
		s.mu.Lock()
		if old := s.inodes[id]; old != nil {
			// Another goroutine registered this file meanwhile.
			d = image.NewDentry(name, nil, old)
			linkBlobName(old, path)
			s.mu.Unlock()
			s.progress(path, 0)
			return d, nil
		}
		s.inodes[id] = ino
		if st.Size > 0 {
			b := &blob.Blob{Size: st.Size, Path: path, Name: path}
			ino.Data = b
			s.files = append(s.files, b)
		}
		s.mu.Unlock()
		s.progress(path, st.Size)
	case unix.S_IFDIR:
		ino.Attributes = wimfmt.AttrDirectory
		if anc.has(id) {
			return nil, fmt.Errorf("%s: directory loop (a symbolic link leads back to an enclosing directory)", path)
		}
		if err := s.scanChildren(path, rel, d, &ancestor{id, anc}); err != nil {
			return nil, err
		}
		s.progress(path, 0)
	case unix.S_IFLNK:
		if err := s.scanSymlink(path, ino, st); err != nil {
			return nil, err
		}
		s.mu.Lock()
		if st.Nlink > 1 {
			if old := s.inodes[id]; old != nil {
				d = image.NewDentry(name, nil, old)
				linkBlobName(old, path)
				s.mu.Unlock()
				s.progress(path, 0)
				return d, nil
			}
			s.inodes[id] = ino
		}
		s.buffers = append(s.buffers, ino.Reparse)
		s.mu.Unlock()
		s.progress(path, 0)
	default:
		s.mu.Lock()
		if old := s.inodes[id]; old != nil {
			d = image.NewDentry(name, nil, old)
		} else {
			s.inodes[id] = ino
		}
		s.mu.Unlock()
		ino.Attributes = 0
		s.progress(path, 0)
	}
	return d, nil
}

func (s *unixScan) progress(path string, size int64) {
	if s.opts.Progress != nil {
		s.mu.Lock()
		s.opts.Progress(path, size)
		s.mu.Unlock()
	}
}

func (s *unixScan) scanChildren(path, rel string, d *image.Dentry, anc *ancestor) error {
	if s.config.ExcludesRoot() {
		// A pattern matching the root itself leaves an empty root, as in
		// wimlib.
		return nil
	}
	f, err := fsutil.OpenNoATime(path)
	if err != nil {
		return err
	}
	names, err := f.Readdirnames(-1)
	defer f.Close()
	if err != nil {
		return fmt.Errorf("%s: reading directory: %w", path, err)
	}
	slices.Sort(names)
	children := make([]*image.Dentry, len(names))
	var (
		wg       sync.WaitGroup
		errMu    sync.Mutex
		firstErr error
	)
	fail := func(err error) {
		errMu.Lock()
		if firstErr == nil {
			firstErr = err
		}
		errMu.Unlock()
	}
	for i, name := range names {
		crel := rel + "/" + name
		if s.config.ExcludedEntry(crel) {
			continue
		}
		cpath := filepath.Join(path, name)
		if path == "/" {
			cpath = "/" + name
		}
		var st unix.Stat_t
		// Relative to the open directory: no path walk per entry.
		flags := unix.AT_SYMLINK_NOFOLLOW
		if s.opts.Dereference {
			flags = 0
		}
		err = unix.Fstatat(int(f.Fd()), name, &st, flags)
		if err != nil {
			fail(&os.PathError{Op: "stat", Path: cpath, Err: err})
			break
		}
		if st.Mode&unix.S_IFMT == unix.S_IFDIR {
			select {
			case <-s.spare:
				// A whole subtree on another goroutine.
				wg.Add(1)
				go func() {
					defer wg.Done()
					defer func() { s.spare <- struct{}{} }()
					c, err := s.scan(cpath, crel, name, &st, anc)
					if err != nil {
						fail(err)
					}
					children[i] = c
				}()
				continue
			default:
			}
		}
		c, err := s.scan(cpath, crel, name, &st, anc)
		if err != nil {
			fail(err)
			break
		}
		children[i] = c
	}
	wg.Wait()
	if firstErr != nil {
		return firstErr
	}
	for _, c := range children {
		if c != nil {
			d.AppendChild(c) // names from one listing are distinct
		}
	}
	return nil
}

// scanSymlink stores a symbolic link as a symlink reparse point.
func (s *unixScan) scanSymlink(path string, ino *image.Inode, st *unix.Stat_t) error {
	target, err := os.Readlink(path)
	if err != nil {
		return err
	}
	// Reading the link and following it below touch its access time.
	defer restoreATime(path, st)
	fixed := false
	if s.rpfix && strings.HasPrefix(target, "/") {
		if t, ok := s.relativize(target); ok {
			target, fixed = t, true
		}
	}
	t16, err := image.ToUTF16(target)
	if err != nil {
		return fmt.Errorf("%q: symbolic link target is %w", path, err)
	}
	// Swap separators both ways so that backslashes in UNIX targets
	// survive the round trip.
	for i := 0; i+1 < len(t16); i += 2 {
		if t16[i+1] == 0 {
			switch t16[i] {
			case '/':
				t16[i] = '\\'
			case '\\':
				t16[i] = '/'
			}
		}
	}
	var data []byte
	if len(t16) > 0 && !(t16[0] == '\\' && t16[1] == 0) {
		data = wimfmt.SymlinkReparseData(t16, t16, wimfmt.SymlinkRelative)
	} else {
		// Absolute: a fake drive letter lets Windows tools apply their
		// own fixups on extraction.
		print, _ := image.ToUTF16("C:")
		print = append(print, t16...)
		subst, _ := image.ToUTF16(`\??\`)
		subst = append(subst, print...)
		data = wimfmt.SymlinkReparseData(subst, print, 0)
	}
	if len(data) > wimfmt.MaxReparseData {
		return fmt.Errorf("%s: symbolic link target is too long", path)
	}
	ino.Attributes = wimfmt.AttrReparsePoint
	ino.ReparseTag = wimfmt.ReparseTagSymlink
	if !fixed {
		ino.RPFlags = wimfmt.RPNotFixed
	}
	var tst unix.Stat_t
	if unix.Stat(path, &tst) == nil && tst.Mode&unix.S_IFMT == unix.S_IFDIR {
		ino.Attributes |= wimfmt.AttrDirectory
	}
	ino.Reparse = &blob.Blob{Size: int64(len(data)), Data: data, Name: path}
	return nil
}

// linkBlobName names the blob of a hard-linked inode by the link's
// smallest path, whichever goroutine found the file first: blobs are
// written in name order.
func linkBlobName(ino *image.Inode, path string) {
	if ino.Data != nil && path < ino.Data.Path {
		ino.Data.Path, ino.Data.Name = path, path
	}
	if ino.Reparse != nil && path < ino.Reparse.Name {
		ino.Reparse.Name = path
	}
}

// relativize rewrites an absolute target that leads into the capture root
// as a path from that root: each prefix of the target is stat'ed and
// compared with the root's (dev, ino). Targets outside are kept.
func (s *unixScan) relativize(target string) (string, bool) {
	for i := 1; i <= len(target); i++ {
		if i < len(target) && target[i] != '/' {
			continue
		}
		if i < len(target) && target[i-1] == '/' {
			continue
		}
		var st unix.Stat_t
		if unix.Stat(target[:i], &st) != nil {
			return target, false
		}
		if (FileID{uint64(st.Dev), st.Ino}) == s.rootID {
			return target[i:], true
		}
	}
	return target, false
}

// readXattrs lists a file's extended attributes for --unix-data.
func readXattrs(path string, follow bool) ([]wimfmt.Xattr, error) {
	get := unix.Lgetxattr
	if follow {
		get = unix.Getxattr
	}
	names, err := listXattrs(path, follow)
	if err != nil {
		if errors.Is(err, unix.ENOTSUP) || errors.Is(err, unix.EOPNOTSUPP) {
			return nil, nil
		}
		return nil, &os.PathError{Op: "listxattr", Path: path, Err: err}
	}
	var out []wimfmt.Xattr
	for _, name := range names {
		if len(name) > 255 {
			return nil, fmt.Errorf("%s: extended attribute name %q too long", path, name)
		}
		vsz, err := get(path, name, nil)
		if err != nil {
			return nil, &os.PathError{Op: "getxattr " + name, Path: path, Err: err}
		}
		val := make([]byte, vsz)
		if vsz > 0 {
			if vsz, err = get(path, name, val); err != nil {
				return nil, &os.PathError{Op: "getxattr " + name, Path: path, Err: err}
			}
		}
		if vsz > 65535 {
			return nil, fmt.Errorf("%s: extended attribute %q too large", path, name)
		}
		out = append(out, wimfmt.Xattr{Name: name, Value: val[:vsz]})
	}
	return out, nil
}

// restoreATime puts back the access time that reading a symlink may have
// updated (readlink has no O_NOATIME), so that a capture leaves the source
// as it found it and capturing the same tree twice gives the same WIM.
// Failure (not the owner) is harmless and ignored.
func restoreATime(path string, st *unix.Stat_t) {
	ts := []unix.Timespec{st.Atim, {Nsec: utimeOmit}}
	unix.UtimesNanoAt(unix.AT_FDCWD, path, ts, unix.AT_SYMLINK_NOFOLLOW)
}

// fileTime converts a stat time to a Windows FILETIME; Timespec.Unix
// widens the 32-bit fields of 32-bit systems.
func fileTime(ts unix.Timespec) uint64 {
	return image.FileTime(ts.Unix())
}

// splitXattrNames splits a listxattr(2) result, NUL-terminated names as
// Linux and macOS return them.
func splitXattrNames(buf []byte) []string {
	var names []string
	for _, name := range strings.Split(string(buf), "\x00") {
		if name != "" {
			names = append(names, name)
		}
	}
	return names
}
