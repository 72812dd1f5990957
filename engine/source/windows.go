//go:build windows

package source

import (
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"unsafe"

	"golang.org/x/sys/windows"

	"github.com/wimgo/wimgo/engine/blob"
	"github.com/wimgo/wimgo/engine/image"
	"github.com/wimgo/wimgo/engine/wimfmt"
)

// winScan is the state of one directory capture on Windows (DIRECTORY
// CAPTURE (WINDOWS) in the manual), with wimlib's Windows capture as the
// reference: every file is opened with backup semantics and without
// following reparse points; attributes, the three times, short names,
// security descriptors, object IDs, reparse data and all $DATA streams are
// stored; files with more than one link are one inode, keyed by volume
// serial number and file index. The byte-level parts are in winlogic.go.
//
// Encrypted files are stored raw (efs.go). With --snapshot the scan reads
// a shadow copy of the source's volume (snapshot.go) while messages,
// progress and blob names show the source's own paths.
//
// Not done yet: extended attributes are not read, the scan runs on one
// goroutine, and --dereference is ignored, as wimlib ignores it on
// Windows.
type winScan struct {
	opts     *Options
	config   *Config
	rootID   FileID
	volFlags uint32
	skip     map[FileID]bool
	inodes   map[FileID]*image.Inode
	sds      sdSet
	files    []*blob.Blob
	efs      []*blob.Blob
	buffers  []*blob.Blob
	// read and show: with --snapshot, the \\?\ path of the source in
	// the shadow copy and its own (snapshotShow); empty otherwise.
	read, show string
	// Files whose SACL, or whole security descriptor, could not be read
	// (not running as Administrator): wimlib's closing warnings.
	noSACL, noSD int
}

// ScanDir captures the tree at path. A non-directory root becomes a
// single file (used by source lists).
func ScanDir(path string, opts *Options) (*Result, error) {
	return scanDir(path, opts, make(map[FileID]*image.Inode))
}

// scanDir is ScanDir with the hard-link table given (shared by the
// entries of a source list).
func scanDir(path string, opts *Options, inodes map[FileID]*image.Inode) (*Result, error) {
	if opts == nil {
		opts = &Options{}
	}
	enablePrivileges()
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	ext, err := winExtendedPath(abs)
	if err != nil {
		return nil, err
	}
	s := &winScan{opts: opts, config: opts.Config, inodes: inodes, skip: make(map[FileID]bool)}
	var snap *snapshot
	if opts.Snapshot {
		if snap, err = snapshotWindows(path, abs); err != nil {
			return nil, err
		}
		s.read, s.show, ext = snap.path, ext, snap.path
	}
	res, err := s.run(path, ext)
	if snap != nil {
		if err != nil {
			snap.close()
		} else {
			// The blobs are read from the shadow copy: it stays until
			// they are written.
			res.Close = snap.close
		}
	}
	return res, err
}

// run captures the tree at ext (a \\?\ path); path is as the user gave it.
func (s *winScan) run(path, ext string) (*Result, error) {
	opts := s.opts
	if s.config == nil {
		s.config = DefaultConfig()
	}
	// Windows names ignore case, and so do wimlib's patterns there.
	c := *s.config
	c.foldCase = true
	s.config = &c
	for _, id := range opts.Skip {
		s.skip[id] = true
	}
	h, err := openFile(ext, windows.FILE_READ_ATTRIBUTES)
	if err != nil {
		return nil, fmt.Errorf("%s: cannot capture: %w", path, err)
	}
	var fi windows.ByHandleFileInformation
	err = windows.GetFileInformationByHandle(h, &fi)
	if err == nil {
		// Which of named streams, ACLs and object IDs the volume has.
		err = windows.GetVolumeInformationByHandle(h, nil, 0, nil, nil, &s.volFlags, nil, 0)
	}
	windows.CloseHandle(h)
	if err != nil {
		return nil, fmt.Errorf("%s: cannot capture: %w", path, err)
	}
	s.rootID = fileID(&fi)
	root, err := s.scan(ext, "", "", nil)
	if err != nil {
		return nil, err
	}
	if root == nil {
		return nil, fmt.Errorf("%s: the capture root is excluded or unsupported", path)
	}
	if s.noSACL+s.noSD > 0 {
		msg := fmt.Sprintf("scan of %q complete, but", path)
		if s.noSACL > 0 {
			msg += fmt.Sprintf(" the SACL (System Access Control List) could not be captured on %d files or directories;", s.noSACL)
		}
		if s.noSD > 0 {
			msg += fmt.Sprintf(" no security descriptor could be captured on %d files or directories;", s.noSD)
		}
		opts.warn("%s to capture all security descriptors, run the program with Administrator rights", msg)
	}
	slices.SortStableFunc(s.files, func(a, b *blob.Blob) int { return strings.Compare(a.Path, b.Path) })
	slices.SortStableFunc(s.efs, func(a, b *blob.Blob) int { return strings.Compare(a.Name, b.Name) })
	slices.SortStableFunc(s.buffers, func(a, b *blob.Blob) int { return strings.Compare(a.Name, b.Name) })
	blobs := append(append(s.files, s.efs...), s.buffers...)
	return &Result{Root: root, Blobs: blobs, Security: s.sds.list, RPFixed: opts.RPFix}, nil
}

var privilegesOnce sync.Once

// enablePrivileges enables, when the process holds them, the privileges
// to read any file (backup) and SACLs (security), as wimlib does. Without
// them the capture goes on with what the user may read.
func enablePrivileges() {
	privilegesOnce.Do(func() {
		var tok windows.Token
		if windows.OpenProcessToken(windows.CurrentProcess(), windows.TOKEN_ADJUST_PRIVILEGES|windows.TOKEN_QUERY, &tok) != nil {
			return
		}
		defer tok.Close()
		for _, name := range []string{"SeBackupPrivilege", "SeSecurityPrivilege"} {
			var tp windows.Tokenprivileges
			if windows.LookupPrivilegeValue(nil, windows.StringToUTF16Ptr(name), &tp.Privileges[0].Luid) != nil {
				continue
			}
			tp.PrivilegeCount = 1
			tp.Privileges[0].Attributes = windows.SE_PRIVILEGE_ENABLED
			windows.AdjustTokenPrivileges(tok, false, &tp, 0, nil, nil)
		}
	})
}

// openFile opens a \\?\ path with backup semantics, the reparse point
// itself rather than its target, and asking for access, less
// ACCESS_SYSTEM_SECURITY and then READ_CONTROL when refused (as wimlib).
func openFile(path string, access uint32) (windows.Handle, error) {
	p, err := windows.UTF16PtrFromString(path)
	if err != nil {
		return windows.InvalidHandle, err
	}
	for {
		h, err := windows.CreateFile(p, access,
			windows.FILE_SHARE_READ|windows.FILE_SHARE_WRITE|windows.FILE_SHARE_DELETE, nil,
			windows.OPEN_EXISTING, windows.FILE_FLAG_BACKUP_SEMANTICS|windows.FILE_FLAG_OPEN_REPARSE_POINT, 0)
		if err == nil {
			return h, nil
		}
		if err != windows.ERROR_ACCESS_DENIED && err != windows.ERROR_PRIVILEGE_NOT_HELD {
			return windows.InvalidHandle, err
		}
		switch {
		case access&windows.ACCESS_SYSTEM_SECURITY != 0:
			access &^= windows.ACCESS_SYSTEM_SECURITY
		case access&windows.READ_CONTROL != 0:
			access &^= windows.READ_CONTROL
		default:
			return windows.InvalidHandle, err
		}
	}
}

func fileID(fi *windows.ByHandleFileInformation) FileID {
	return FileID{uint64(fi.VolumeSerialNumber), uint64(fi.FileIndexHigh)<<32 | uint64(fi.FileIndexLow)}
}

// display is a \\?\ path read by the scan as messages show it: the
// source's own path also when a shadow copy is read.
func (s *winScan) display(path string) string {
	return winDisplayPath(snapshotShow(s.read, s.show, path))
}

func (s *winScan) progress(path string, size int64) {
	if s.opts.Progress != nil {
		s.opts.Progress(s.display(path), size)
	}
}

// scan captures one file: path is its \\?\ path, rel its path from the
// capture root with a leading "/" ("" for the root). It returns nil for a
// file left out (skipped, encrypted).
func (s *winScan) scan(path, rel, name string, name16 []byte) (*image.Dentry, error) {
	disp := s.display(path)
	h, err := openFile(path, windows.FILE_READ_ATTRIBUTES|windows.READ_CONTROL|windows.ACCESS_SYSTEM_SECURITY)
	if err != nil {
		return nil, fmt.Errorf("%s: cannot open: %w", disp, err)
	}
	// Closed early for an encrypted file: its raw export fails while the
	// file has another handle open.
	closeH := func() {
		if h != windows.InvalidHandle {
			windows.CloseHandle(h)
			h = windows.InvalidHandle
		}
	}
	defer closeH()
	var fi windows.ByHandleFileInformation
	if err := windows.GetFileInformationByHandle(h, &fi); err != nil {
		return nil, fmt.Errorf("%s: cannot read the file information: %w", disp, err)
	}
	id := fileID(&fi)
	if s.skip[id] {
		return nil, nil
	}
	attrs := fi.FileAttributes
	isDir := attrs&wimfmt.AttrDirectory != 0
	// Only files with several links are looked up: FAT volumes can give
	// two files the same index (wimlib does the same).
	if !isDir && fi.NumberOfLinks > 1 {
		if ino := s.inodes[id]; ino != nil {
			d := image.NewDentry(name, name16, ino)
			d.SetShortName(shortName(h))
			s.progress(path, 0)
			return d, nil
		}
	}
	ino := &image.Inode{
		Attributes:     attrs,
		SecurityID:     wimfmt.NoSecurityID,
		CreationTime:   filetime(fi.CreationTime),
		LastAccessTime: filetime(fi.LastAccessTime),
		LastWriteTime:  filetime(fi.LastWriteTime),
	}
	if !isDir && fi.NumberOfLinks > 1 {
		s.inodes[id] = ino
	}
	d := image.NewDentry(name, name16, ino)
	if rel != "" {
		d.SetShortName(shortName(h))
	}
	if !s.opts.NoACLs && s.volFlags&windows.FILE_PERSISTENT_ACLS != 0 {
		if err := s.readSecurity(h, ino, disp); err != nil {
			return nil, err
		}
	}
	if err := s.readObjectID(h, ino, disp); err != nil {
		return nil, err
	}
	size := int64(fi.FileSizeHigh)<<32 | int64(fi.FileSizeLow)
	if attrs&wimfmt.AttrEncrypted != 0 {
		// The raw export holds every stream; like wimlib, the
		// reparse data is left out (it cannot be read or restored
		// without the file's key).
		if attrs&wimfmt.AttrReparsePoint != 0 {
			s.opts.warn("%s: ignoring the reparse data of an encrypted file", disp)
		}
		closeH()
		if size, err = s.readEncrypted(path, ino); err != nil {
			return nil, err
		}
	} else {
		if attrs&wimfmt.AttrReparsePoint != 0 {
			if err := s.readReparse(h, ino, disp); err != nil {
				return nil, err
			}
		}
		if err := s.readStreams(h, path, ino, size); err != nil {
			return nil, err
		}
	}
	if ino.IsDir() && !(rel == "" && s.config.ExcludesRoot()) {
		if err := s.scanChildren(path, rel, d); err != nil {
			return nil, err
		}
		size = 0
	}
	s.progress(path, size)
	return d, nil
}

// readEncrypted makes the file's raw EFS export its data (efs.go) and
// returns its size. As in wimlib, a file whose raw export cannot be read
// fails the capture.
func (s *winScan) readEncrypted(path string, ino *image.Inode) (int64, error) {
	disp := s.display(path)
	dir := ino.Attributes&wimfmt.AttrDirectory != 0
	size, err := efsRawSize(winEFS{}, path, disp, dir)
	if err != nil {
		return 0, err
	}
	if size > 0 {
		b := &blob.Blob{Size: size, Name: disp}
		b.Open = func() (io.ReadCloser, error) { return efsReader(winEFS{}, path, disp, dir, size), nil }
		ino.Data = b
		s.efs = append(s.efs, b)
	}
	return size, nil
}

func filetime(ft windows.Filetime) uint64 {
	return uint64(ft.HighDateTime)<<32 | uint64(ft.LowDateTime)
}

// Information classes of NtQueryInformationFile.
const (
	fileAlternateNameInformation = 21
	fileStreamInformation        = 22
)

// shortName returns the file's short (DOS) name, nil when it has none or
// it cannot be read (short names are obsolete; wimlib ignores errors too).
func shortName(h windows.Handle) []byte {
	var buf [128]byte
	var iosb windows.IO_STATUS_BLOCK
	if windows.NtQueryInformationFile(h, &iosb, &buf[0], uint32(len(buf)), fileAlternateNameInformation) != nil {
		return nil
	}
	name, err := parseFileNameInfo(buf[:min(int(iosb.Information), len(buf))])
	if err != nil {
		return nil
	}
	return name
}

var procNtQuerySecurityObject = windows.NewLazySystemDLL("ntdll.dll").NewProc("NtQuerySecurityObject")

// readSecurity stores the file's self-relative security descriptor, read
// with NtQuerySecurityObject as wimlib reads it (the descriptor as the
// file system keeps it, not rebuilt from parts). When refused, sdDenied
// decides.
func (s *winScan) readSecurity(h windows.Handle, ino *image.Inode, disp string) error {
	buf := make([]byte, 4096)
	asked := uint32(secAll)
	for {
		var needed uint32
		r, _, _ := procNtQuerySecurityObject.Call(uintptr(h), uintptr(asked),
			uintptr(unsafe.Pointer(&buf[0])), uintptr(len(buf)), uintptr(unsafe.Pointer(&needed)))
		switch st := windows.NTStatus(r); st {
		case 0:
			if needed == 0 {
				return nil // no descriptor (Samba can say so)
			}
			sd := buf[:min(int(needed), len(buf))]
			if err := checkSelfRelativeSD(sd); err != nil {
				return fmt.Errorf("%s: %w", disp, err)
			}
			ino.SecurityID = s.sds.add(slices.Clone(sd))
			return nil
		case windows.STATUS_BUFFER_TOO_SMALL:
			if int(needed) <= len(buf) {
				return fmt.Errorf("%s: cannot read the security descriptor: %w", disp, st)
			}
			buf = make([]byte, needed)
		case windows.STATUS_ACCESS_DENIED, windows.STATUS_PRIVILEGE_NOT_HELD:
			retry, none, fail := sdDenied(asked, s.opts.StrictACLs)
			switch {
			case fail:
				return fmt.Errorf("%s: cannot read the security descriptor: %w", disp, st)
			case none:
				s.noSD++
				return nil
			}
			s.noSACL++
			asked = retry
		default:
			return fmt.Errorf("%s: cannot read the security descriptor: %w", disp, st)
		}
	}
}

// objectIDSize is FILE_OBJECTID_BUFFER: object ID and extended info.
const objectIDSize = 64

func (s *winScan) readObjectID(h windows.Handle, ino *image.Inode, disp string) error {
	if s.volFlags&windows.FILE_SUPPORTS_OBJECT_IDS == 0 {
		return nil
	}
	var buf [objectIDSize]byte
	var n uint32
	err := windows.DeviceIoControl(h, windows.FSCTL_GET_OBJECT_ID, nil, 0, &buf[0], uint32(len(buf)), &n, nil)
	switch {
	case err == windows.ERROR_FILE_NOT_FOUND || errors.Is(err, windows.ERROR_OBJECT_NOT_FOUND):
		return nil // none
	case err == windows.ERROR_INVALID_FUNCTION || err == windows.ERROR_NOT_SUPPORTED:
		// The volume claimed object IDs but cannot read them (Samba).
		s.volFlags &^= windows.FILE_SUPPORTS_OBJECT_IDS
		return nil
	case err != nil:
		return fmt.Errorf("%s: cannot read the object ID: %w", disp, err)
	case n == 0:
		return nil
	}
	ino.Extra().ObjectID = slices.Clone(buf[:n])
	return nil
}

// reparseTagDedup is Data Deduplication: reads already return the file's
// data, so wimlib stores such files as plain files.
const reparseTagDedup = 0x80000013

func (s *winScan) readReparse(h windows.Handle, ino *image.Inode, disp string) error {
	buf := make([]byte, reparseHeader+wimfmt.MaxReparseData)
	var n uint32
	if err := windows.DeviceIoControl(h, windows.FSCTL_GET_REPARSE_POINT, nil, 0, &buf[0], uint32(len(buf)), &n, nil); err != nil {
		return fmt.Errorf("%s: cannot read the reparse point: %w", disp, err)
	}
	tag, reserved, data, err := splitReparseBuffer(buf[:n])
	if err != nil {
		return fmt.Errorf("%s: %w", disp, err)
	}
	if tag == reparseTagDedup {
		ino.Attributes &^= wimfmt.AttrReparsePoint
		return nil
	}
	ino.ReparseTag, ino.ReparseReserved, ino.RPFlags = tag, reserved, wimfmt.RPNotFixed
	if s.opts.RPFix {
		if l, err := parseLinkReparse(tag, data); err == nil {
			if f := rpfixLink(l, s.isRoot); f != nil {
				data, ino.RPFlags = f.data(), 0
			}
		}
	}
	if len(data) > 0 {
		b := &blob.Blob{Size: int64(len(data)), Data: slices.Clone(data), Name: disp}
		ino.Reparse = b
		s.buffers = append(s.buffers, b)
	}
	return nil
}

// isRoot reports whether an NT path names the capture root.
func (s *winScan) isRoot(nt string) bool {
	h, err := openFile(ntToWin32Path(nt), windows.FILE_READ_ATTRIBUTES)
	if err != nil {
		return false
	}
	defer windows.CloseHandle(h)
	var fi windows.ByHandleFileInformation
	return windows.GetFileInformationByHandle(h, &fi) == nil && fileID(&fi) == s.rootID
}

// readStreams attaches the $DATA streams: the unnamed one as the data,
// named ones (empty ones too, as in wimlib) as alternate streams. A volume
// without named streams has only the unnamed one, of size size.
func (s *winScan) readStreams(h windows.Handle, path string, ino *image.Inode, size int64) error {
	streams, err := listStreams(h, s.volFlags)
	if err != nil {
		return fmt.Errorf("%s: cannot list the data streams: %w", s.display(path), err)
	}
	if streams == nil && ino.Attributes&(wimfmt.AttrDirectory|wimfmt.AttrReparsePoint) == 0 {
		streams = []winStream{{size: size}}
	}
	for _, st := range streams {
		var b *blob.Blob
		if st.size > 0 {
			p := path
			if st.name16 != nil {
				p += ":" + image.FromUTF16(st.name16)
			}
			b = &blob.Blob{Size: st.size, Path: p, Name: s.display(p)}
			s.files = append(s.files, b)
		}
		if st.name16 == nil {
			if ino.Data == nil {
				ino.Data = b
			}
			continue
		}
		x := ino.Extra()
		x.Named = append(x.Named, image.NamedStream{Name: st.name16, Blob: b})
	}
	return nil
}

// listStreams lists a file's $DATA streams with
// NtQueryInformationFile(FileStreamInformation), as wimlib does
// (FindFirstStreamW opens its own handle, without backup semantics). It
// returns nil when the volume has no named streams or cannot list them.
func listStreams(h windows.Handle, volFlags uint32) ([]winStream, error) {
	if volFlags&windows.FILE_NAMED_STREAMS == 0 {
		return nil, nil
	}
	buf := make([]byte, 4096)
	for {
		var iosb windows.IO_STATUS_BLOCK
		err := windows.NtQueryInformationFile(h, &iosb, &buf[0], uint32(len(buf)), fileStreamInformation)
		switch err {
		case nil:
			st, err := parseStreamInfo(buf[:min(int(iosb.Information), len(buf))])
			if st == nil && err == nil {
				st = []winStream{} // a directory: no streams at all
			}
			return st, err
		case windows.STATUS_BUFFER_OVERFLOW, windows.STATUS_BUFFER_TOO_SMALL:
			if len(buf) >= 64<<20 {
				return nil, err
			}
			buf = make([]byte, 2*len(buf))
		case windows.STATUS_NOT_IMPLEMENTED, windows.STATUS_NOT_SUPPORTED, windows.STATUS_INVALID_INFO_CLASS:
			return nil, nil
		default:
			return nil, err
		}
	}
}

// scanChildren captures a directory's entries, in name order.
func (s *winScan) scanChildren(path, rel string, d *image.Dentry) error {
	names, err := readDirNames(path)
	if err != nil {
		return fmt.Errorf("%s: reading directory: %w", s.display(path), err)
	}
	slices.SortFunc(names, func(a, b []byte) int { return strings.Compare(string(a), string(b)) })
	for _, name16 := range names {
		name := image.FromUTF16(name16)
		crel := rel + "/" + name
		if s.config.ExcludedEntry(crel) {
			continue
		}
		c, err := s.scan(winJoin(path, name), crel, name, name16)
		if err != nil {
			return err
		}
		if c != nil {
			d.AppendChild(c) // names from one listing are distinct
		}
	}
	return nil
}

// readDirNames lists a directory (UTF-16LE names, without "." and "..").
func readDirNames(path string) ([][]byte, error) {
	p, err := windows.UTF16PtrFromString(winJoin(path, "*"))
	if err != nil {
		return nil, err
	}
	var fd windows.Win32finddata
	h, err := windows.FindFirstFile(p, &fd)
	if err == windows.ERROR_FILE_NOT_FOUND {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	defer windows.FindClose(h)
	var names [][]byte
	for {
		n := slices.Index(fd.FileName[:], 0)
		if n < 0 {
			n = len(fd.FileName)
		}
		u := fd.FileName[:n]
		if !(n == 1 && u[0] == '.') && !(n == 2 && u[0] == '.' && u[1] == '.') {
			b := make([]byte, 2*n)
			for i, c := range u {
				le.PutUint16(b[2*i:], c)
			}
			names = append(names, b)
		}
		if err := windows.FindNextFile(h, &fd); err != nil {
			if err == windows.ERROR_NO_MORE_FILES {
				return names, nil
			}
			return nil, err
		}
	}
}
