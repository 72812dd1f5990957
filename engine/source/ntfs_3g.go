//go:build ntfs3g && cgo

package source

// NTFS volume capture through libntfs-3g. The volume is mounted read-only
// and walked from its root directory. The C part below only adapts
// libntfs-3g calls to flat buffers; the policy (names, hard links, streams,
// exclusion) is in Go.
//
// libntfs-3g is not thread-safe, so every call into it holds ntfsLock. The
// volume stays mounted after the scan, because the blobs read their streams
// from it; Result.Close unmounts it.

/*
#cgo pkg-config: libntfs-3g
// The headers expect the configure results of the program including them.
#cgo CFLAGS: -DHAVE_STDARG_H -DHAVE_STDINT_H -DHAVE_STDDEF_H -DHAVE_STDIO_H -DHAVE_SYS_TYPES_H -DHAVE_SYS_STAT_H -DHAVE_TIME_H -DHAVE_ENDIAN_H -DHAVE_BYTESWAP_H
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <ntfs-3g/types.h>
#include <ntfs-3g/layout.h>
#include <ntfs-3g/attrib.h>
#include <ntfs-3g/dir.h>
#include <ntfs-3g/inode.h>
#include <ntfs-3g/object_id.h>
#include <ntfs-3g/security.h>
#include <ntfs-3g/volume.h>

// wg_buf is a growing byte buffer that C fills and Go parses and frees.
typedef struct {
	unsigned char *p;
	size_t len, cap;
	int nomem;
} wg_buf;

static int wg_put(wg_buf *b, const void *src, size_t n) {
	if (b->len + n > b->cap) {
		size_t c = b->cap ? 2 * b->cap : 4096;
		while (c < b->len + n)
			c *= 2;
		unsigned char *q = realloc(b->p, c);
		if (!q) {
			b->nomem = 1;
			return -1;
		}
		b->p = q;
		b->cap = c;
	}
	memcpy(b->p + b->len, src, n);
	b->len += n;
	return 0;
}

enum { WG_MOUNT_OK, WG_MOUNT_FAILED, WG_SECURE_FAILED };

// wg_mount mounts read-only, opens $Secure (needed to read security
// descriptors on NTFS 3.x) and hides the metafiles ($MFT, $Bitmap, ...)
// from ntfs_readdir while keeping hidden files visible.
static ntfs_volume *wg_mount(const char *path, int *stage) {
	ntfs_volume *vol = ntfs_mount(path, NTFS_MNT_RDONLY);
	if (!vol) {
		*stage = WG_MOUNT_FAILED;
		return NULL;
	}
	if (ntfs_open_secure(vol) && vol->major_ver >= 3) {
		int e = errno;
		ntfs_umount(vol, FALSE);
		errno = e;
		*stage = WG_SECURE_FAILED;
		return NULL;
	}
	ntfs_set_shown_files(vol, FALSE, TRUE, FALSE);
	*stage = WG_MOUNT_OK;
	return vol;
}

static int wg_umount(ntfs_volume *vol) {
	ntfs_close_secure(vol);
	return ntfs_umount(vol, FALSE);
}

typedef struct {
	u64 mft_no;
	u64 creation, last_write, last_access;
	u32 attributes;
} wg_info;

static int wg_inode_info(ntfs_inode *ni, wg_info *out) {
	u32 a;
	if (ntfs_get_ntfs_attrib(ni, (char *)&a, sizeof(a)) != sizeof(a))
		return -1;
	out->attributes = a;
	out->mft_no = ni->mft_no;
	out->creation = sle64_to_cpu(ni->creation_time);
	out->last_write = sle64_to_cpu(ni->last_data_change_time);
	out->last_access = sle64_to_cpu(ni->last_access_time);
	return 0;
}

// Directory entries, each: u64 MFT reference, u32 name type, u32 name
// length in UTF-16 units, the name.
static int wg_filldir(void *ctx, const ntfschar *name, const int nlen,
		const int ntype, const s64 pos, const MFT_REF mref,
		const unsigned dt) {
	wg_buf *b = ctx;
	u64 m = mref;
	u32 t = ntype, n = nlen;
	if (wg_put(b, &m, 8) || wg_put(b, &t, 4) || wg_put(b, &n, 4) ||
	    wg_put(b, name, 2 * (size_t)n))
		return -1;
	return 0;
}

static int wg_readdir(ntfs_inode *ni, wg_buf *b) {
	s64 pos = 0;
	return ntfs_readdir(ni, &pos, b, wg_filldir);
}

// The $DATA attributes (streams), each: u64 value length, u32 name length
// in UTF-16 units, u32 zero, the name. Extents after the first of a
// non-resident attribute are not listed.
static int wg_list_streams(ntfs_inode *ni, wg_buf *b) {
	ntfs_attr_search_ctx *ctx = ntfs_attr_get_search_ctx(ni, NULL);
	if (!ctx)
		return -1;
	int ret = 0;
	while (!ntfs_attr_lookup(AT_DATA, NULL, 0, CASE_SENSITIVE, 0,
				 NULL, 0, ctx)) {
		const ATTR_RECORD *a = ctx->attr;
		if (a->non_resident && sle64_to_cpu(a->lowest_vcn) != 0)
			continue;
		u64 size = ntfs_get_attribute_value_length(a);
		u32 n = a->name_length, zero = 0;
		const ntfschar *name =
			(const ntfschar *)((const u8 *)a + le16_to_cpu(a->name_offset));
		if (wg_put(b, &size, 8) || wg_put(b, &n, 4) ||
		    wg_put(b, &zero, 4) || wg_put(b, name, 2 * (size_t)n)) {
			ret = -1;
			errno = ENOMEM;
			break;
		}
	}
	if (ret == 0 && errno != ENOENT)
		ret = -1;
	int e = errno;
	ntfs_attr_put_search_ctx(ctx);
	errno = e;
	return ret;
}

static ntfs_attr *wg_stream_open(ntfs_volume *vol, u64 mft_no,
		const ntfschar *name, u32 nlen) {
	ntfs_inode *ni = ntfs_inode_open(vol, mft_no);
	if (!ni)
		return NULL;
	ntfs_attr *na = ntfs_attr_open(ni, AT_DATA,
			nlen ? (ntfschar *)name : AT_UNNAMED, nlen);
	if (!na) {
		int e = errno;
		ntfs_inode_close(ni);
		errno = e;
	}
	return na;
}

static void wg_stream_close(ntfs_attr *na) {
	ntfs_inode *ni = na->ni;
	ntfs_attr_close(na);
	ntfs_inode_close(ni);
}

// wg_first_lcn returns the first cluster of a non-resident stream, or -1
// (resident, or starting with a hole): the key that orders reads.
static s64 wg_first_lcn(ntfs_volume *vol, u64 mft_no, const ntfschar *name,
		u32 nlen) {
	s64 lcn = -1;
	ntfs_attr *na = wg_stream_open(vol, mft_no, name, nlen);
	if (!na)
		return -1;
	if (NAttrNonResident(na)) {
		runlist_element *rl = ntfs_attr_find_vcn(na, 0);
		if (rl && rl->lcn >= 0)
			lcn = rl->lcn;
	}
	wg_stream_close(na);
	return lcn;
}

static void *wg_read_reparse(ntfs_inode *ni, s64 *size) {
	return ntfs_attr_readall(ni, AT_REPARSE_POINT, AT_UNNAMED, 0, size);
}

static int wg_get_sd(ntfs_volume *vol, ntfs_inode *ni, void *buf, size_t size) {
	struct SECURITY_CONTEXT scx;
	memset(&scx, 0, sizeof(scx));
	scx.vol = vol;
	return ntfs_get_ntfs_acl(&scx, ni, buf, size);
}

static int wg_get_object_id(ntfs_inode *ni, void *buf, size_t size) {
	return ntfs_get_ntfs_object_id(ni, buf, size);
}
*/
import "C"

import (
	"cmp"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"slices"
	"sync"
	"syscall"
	"unsafe"

	"github.com/wimgo/wimgo/engine/blob"
	"github.com/wimgo/wimgo/engine/image"
	"github.com/wimgo/wimgo/engine/wimfmt"
)

// Namespaces of an NTFS file name (the file_name_type of $FILE_NAME). A
// file's long name is Win32 or POSIX; a Win32 name has its 8.3 partner in
// the DOS namespace unless the long name is itself a valid 8.3 name, in
// which case one Win32+DOS name serves both.
const (
	ntfsNamePOSIX       = 0
	ntfsNameWin32       = 1
	ntfsNameDOS         = 2
	ntfsNameWin32AndDOS = 3
)

// ntfsLock serializes every call into libntfs-3g, across volumes too: the
// library keeps some process-wide state and is not thread-safe.
var ntfsLock sync.Mutex

const (
	ntfsRootMFT       = 5 // FILE_root
	ntfsReparseHeader = 8 // tag u32, data length u16, reserved u16
	ntfsMaxReadChunk  = 1 << 20
	ntfsObjectIDSize  = 64        // OBJECT_ID_ATTR: object, birth volume, birth object, domain IDs
	ntfsMFTMask       = 1<<48 - 1 // an MFT reference without its sequence number
)

// ntfsVolume is a mounted volume shared by the scan and the blob readers.
type ntfsVolume struct {
	path    string
	vol     *C.ntfs_volume // nil once unmounted
	readers map[*ntfsReader]struct{}
}

func mountNTFS(path string) (*ntfsVolume, error) {
	cpath := C.CString(path)
	defer C.free(unsafe.Pointer(cpath))
	var stage C.int
	ntfsLock.Lock()
	vol, err := C.wg_mount(cpath, &stage)
	ntfsLock.Unlock()
	if vol == nil {
		if stage == C.WG_SECURE_FAILED {
			return nil, fmt.Errorf("%s: cannot open the security descriptor index ($Secure) of the NTFS volume: %w", path, errnoOr(err))
		}
		if errors.Is(err, syscall.EBUSY) {
			return nil, fmt.Errorf("%s: cannot mount the NTFS volume read-only: %w (unmount it first)", path, err)
		}
		return nil, fmt.Errorf("%s: cannot mount the NTFS volume read-only: %w", path, errnoOr(err))
	}
	return &ntfsVolume{path: path, vol: vol, readers: make(map[*ntfsReader]struct{})}, nil
}

// close closes any blob reader left open, then unmounts. Later calls do
// nothing.
func (v *ntfsVolume) close() error {
	ntfsLock.Lock()
	defer ntfsLock.Unlock()
	if v.vol == nil {
		return nil
	}
	for r := range v.readers {
		C.wg_stream_close(r.na)
		r.na = nil
	}
	clear(v.readers)
	rc, err := C.wg_umount(v.vol)
	v.vol = nil
	if rc != 0 {
		return fmt.Errorf("%s: unmounting the NTFS volume: %w", v.path, errnoOr(err))
	}
	return nil
}

// errnoOr returns err, or EIO when libntfs-3g failed without setting errno.
func errnoOr(err error) error {
	if err == nil || err == syscall.Errno(0) {
		return syscall.EIO
	}
	return err
}

// ntfsLoc says where a data stream is: MFT record and stream name.
type ntfsLoc struct {
	mft  uint64
	name []byte // UTF-16LE, nil for the unnamed stream
}

// ntfsStream is a data stream blob and the key that orders the reads.
type ntfsStream struct {
	lcn int64
	mft uint64
	seq int
	b   *blob.Blob
}

type ntfsScan struct {
	v       *ntfsVolume
	opts    *Options
	config  *Config
	inodes  map[uint64]*image.Inode // by MFT record number
	sds     sdSet
	streams []ntfsStream
	buffers []*blob.Blob
}

// ScanNTFS captures the NTFS volume at path (a block device or an image
// file), from its root directory, as NTFS VOLUME CAPTURE (UNIX) describes:
// all names (Win32, DOS as short names, POSIX) and hard links, named and
// unnamed data streams, reparse points, times, attributes, security
// descriptors (unless NoACLs) and object IDs. Encrypted files are skipped
// with a warning. Dereference, UnixData and Skip do not apply to a volume.
// The volume stays mounted read-only for the blobs; the caller must call
// Result.Close once it has read them.
func ScanNTFS(path string, opts *Options) (*Result, error) {
	if opts == nil {
		opts = &Options{}
	}
	v, err := mountNTFS(path)
	if err != nil {
		return nil, err
	}
	s := &ntfsScan{v: v, opts: opts, config: opts.Config, inodes: make(map[uint64]*image.Inode)}
	if s.config == nil {
		s.config = DefaultConfig()
	}
	root, err := s.scan(ntfsRootMFT, "", "", nil)
	if err == nil && root == nil {
		err = fmt.Errorf("%s: the root directory of the NTFS volume is encrypted or unreadable", path)
	}
	if err != nil {
		v.close()
		return nil, err
	}
	// Read order: by first cluster (resident streams first), so that a
	// disk is read mostly sequentially.
	slices.SortStableFunc(s.streams, func(a, b ntfsStream) int {
		return cmp.Or(cmp.Compare(a.lcn, b.lcn), cmp.Compare(a.mft, b.mft), cmp.Compare(a.seq, b.seq))
	})
	blobs := make([]*blob.Blob, 0, len(s.streams)+len(s.buffers))
	for _, st := range s.streams {
		blobs = append(blobs, st.b)
	}
	blobs = append(blobs, s.buffers...)
	// Links are never rewritten here (readReparse), but as in wimlib the
	// WIM header's RP_FIX flag still follows the option.
	return &Result{Root: root, Blobs: blobs, Security: s.sds.list, RPFixed: opts.RPFix, Close: v.close}, nil
}

// displayPath is a volume path as progress and errors show it.
func (s *ntfsScan) displayPath(rel string) string {
	if rel == "" {
		return s.v.path + ":/"
	}
	return s.v.path + ":" + rel
}

func (s *ntfsScan) progress(rel string, size int64) {
	if s.opts.Progress != nil {
		if rel == "" {
			rel = "/"
		}
		s.opts.Progress(rel, size)
	}
}

// scan captures the file with MFT reference mref named name16 (UTF-16LE;
// name is its UTF-8 form) at rel, the path from the volume root ("" for
// the root). It returns nil for an encrypted file.
func (s *ntfsScan) scan(mref uint64, rel, name string, name16 []byte) (*image.Dentry, error) {
	if ino := s.inodes[mref&ntfsMFTMask]; ino != nil {
		// Another name of a file already captured.
		s.progress(rel, 0)
		return image.NewDentry(name, name16, ino), nil
	}
	disp := s.displayPath(rel)
	ntfsLock.Lock()
	ni, err := C.ntfs_inode_open(s.v.vol, C.MFT_REF(mref))
	ntfsLock.Unlock()
	if ni == nil {
		return nil, fmt.Errorf("%s: cannot open the NTFS file: %w", disp, errnoOr(err))
	}
	defer func() {
		ntfsLock.Lock()
		C.ntfs_inode_close(ni)
		ntfsLock.Unlock()
	}()
	var info C.wg_info
	ntfsLock.Lock()
	rc, err := C.wg_inode_info(ni, &info)
	ntfsLock.Unlock()
	if rc != 0 {
		return nil, fmt.Errorf("%s: cannot read the NTFS attributes: %w", disp, errnoOr(err))
	}
	attrs := uint32(info.attributes)
	if attrs&wimfmt.AttrEncrypted != 0 {
		s.opts.warn("%s: skipping encrypted file or directory (NTFS-3G capture cannot store encrypted data)", disp)
		return nil, nil
	}
	mft := uint64(info.mft_no)
	ino := &image.Inode{
		Attributes:     attrs,
		SecurityID:     wimfmt.NoSecurityID,
		CreationTime:   uint64(info.creation),
		LastWriteTime:  uint64(info.last_write),
		LastAccessTime: uint64(info.last_access),
	}
	s.inodes[mft] = ino
	d := image.NewDentry(name, name16, ino)
	if attrs&wimfmt.AttrReparsePoint != 0 {
		if err := s.readReparse(ni, ino, disp); err != nil {
			return nil, err
		}
	}
	if err := s.readObjectID(ni, ino, disp); err != nil {
		return nil, err
	}
	size, err := s.readStreams(ni, mft, ino, rel)
	if err != nil {
		return nil, err
	}
	if !s.opts.NoACLs {
		if err := s.readSecurity(ni, ino, disp); err != nil {
			return nil, err
		}
	}
	if ino.IsDir() && !(rel == "" && s.config.ExcludesRoot()) {
		if err := s.scanChildren(ni, rel, d); err != nil {
			return nil, err
		}
	}
	s.progress(rel, size)
	return d, nil
}

// readReparse stores the reparse tag, the reserved field and the reparse
// data after the 8-byte header. The data is copied verbatim: a whole
// volume is captured, so its absolute links already point inside the
// image. As wimlib 1.13.5 does, RPFix then marks every symbolic link and
// junction fixed (NOT_FIXED clear), so an apply re-roots absolute targets
// at the extraction directory; other reparse points, and all with
// --norpfix, stay NOT_FIXED. (wimlib 1.14.5 leaves NOT_FIXED set here.)
func (s *ntfsScan) readReparse(ni *C.ntfs_inode, ino *image.Inode, disp string) error {
	var n C.s64
	ntfsLock.Lock()
	p, err := C.wg_read_reparse(ni, &n)
	var buf []byte
	if p != nil {
		buf = C.GoBytes(p, C.int(n))
		C.free(p)
	}
	ntfsLock.Unlock()
	if p == nil {
		return fmt.Errorf("%s: cannot read the reparse point: %w", disp, errnoOr(err))
	}
	if len(buf) < ntfsReparseHeader {
		return fmt.Errorf("%s: reparse point is too short (%d bytes)", disp, len(buf))
	}
	ino.ReparseTag = binary.LittleEndian.Uint32(buf[0:])
	ino.ReparseReserved = binary.LittleEndian.Uint16(buf[6:])
	ino.RPFlags = wimfmt.RPNotFixed
	if s.opts.RPFix && (ino.ReparseTag == wimfmt.ReparseTagSymlink || ino.ReparseTag == wimfmt.ReparseTagMountPoint) {
		ino.RPFlags = 0
	}
	if data := buf[ntfsReparseHeader:]; len(data) > 0 {
		b := &blob.Blob{Size: int64(len(data)), Data: data, Name: disp + "::$REPARSE_POINT"}
		ino.Reparse = b
		s.buffers = append(s.buffers, b)
	}
	return nil
}

func (s *ntfsScan) readObjectID(ni *C.ntfs_inode, ino *image.Inode, disp string) error {
	var buf [ntfsObjectIDSize]byte
	ntfsLock.Lock()
	n := C.wg_get_object_id(ni, unsafe.Pointer(&buf[0]), C.size_t(len(buf)))
	ntfsLock.Unlock()
	switch {
	case n == 0 || n == -C.ENODATA:
		return nil
	case n < 0:
		return fmt.Errorf("%s: cannot read the object ID: %w", disp, syscall.Errno(-n))
	case int(n) > len(buf):
		return fmt.Errorf("%s: object ID of %d bytes is too long", disp, n)
	}
	ino.Extra().ObjectID = slices.Clone(buf[:n])
	return nil
}

// readSecurity adds the file's security descriptor to the image's set.
func (s *ntfsScan) readSecurity(ni *C.ntfs_inode, ino *image.Inode, disp string) error {
	buf := make([]byte, 4096)
	for {
		ntfsLock.Lock()
		n, err := C.wg_get_sd(s.v.vol, ni, unsafe.Pointer(&buf[0]), C.size_t(len(buf)))
		ntfsLock.Unlock()
		switch {
		case n < 0:
			if e := syscall.Errno(-n); e != 0 {
				err = e
			}
			return fmt.Errorf("%s: cannot read the security descriptor: %w", disp, errnoOr(err))
		case n == 0:
			return nil
		case int(n) > len(buf):
			buf = make([]byte, n)
			continue
		}
		ino.SecurityID = s.sds.add(slices.Clone(buf[:n]))
		return nil
	}
}

// ntfsAttr is one attribute listed by wg_list_attrs.
type ntfsAttr struct {
	size   int64
	name16 []byte
}

func (s *ntfsScan) listStreams(ni *C.ntfs_inode, disp string) ([]ntfsAttr, error) {
	var b C.wg_buf
	ntfsLock.Lock()
	rc, err := C.wg_list_streams(ni, &b)
	raw := C.GoBytes(unsafe.Pointer(b.p), C.int(b.len))
	C.free(unsafe.Pointer(b.p))
	ntfsLock.Unlock()
	if rc != 0 {
		return nil, fmt.Errorf("%s: cannot list the NTFS attributes: %w", disp, errnoOr(err))
	}
	var out []ntfsAttr
	for len(raw) >= 16 {
		size := binary.LittleEndian.Uint64(raw)
		n := 2 * int(binary.LittleEndian.Uint32(raw[8:]))
		if len(raw) < 16+n {
			break
		}
		a := ntfsAttr{size: int64(size)}
		if n > 0 {
			a.name16 = slices.Clone(raw[16 : 16+n])
		}
		out = append(out, a)
		raw = raw[16+n:]
	}
	return out, nil
}

// readStreams attaches the $DATA attributes: the unnamed one as the data
// stream (never for directories, as in the WIM format), named ones as
// alternate streams. Empty streams get no blob. When libntfs-3g lists a
// stream twice, the first non-empty one wins. It returns the size of the
// unnamed stream.
func (s *ntfsScan) readStreams(ni *C.ntfs_inode, mft uint64, ino *image.Inode, rel string) (int64, error) {
	disp := s.displayPath(rel)
	attrs, err := s.listStreams(ni, disp)
	if err != nil {
		return 0, err
	}
	isDir := ino.Attributes&wimfmt.AttrDirectory != 0
	var size int64
	seenUnnamed := false
	for i, a := range attrs {
		var b *blob.Blob
		if a.size > 0 {
			name := disp
			if a.name16 != nil {
				name += ":" + image.FromUTF16(a.name16)
			}
			loc := ntfsLoc{mft: mft, name: a.name16}
			b = &blob.Blob{Size: a.size, Name: name}
			v, size := s.v, a.size
			b.Open = func() (io.ReadCloser, error) { return v.open(loc, size, name) }
		}
		if a.name16 == nil {
			switch {
			case isDir:
				continue
			case !seenUnnamed:
				seenUnnamed = true
			case b == nil:
				continue
			case ino.Data != nil:
				s.opts.warn("%s: several non-empty unnamed data streams; only the first is stored", disp)
				continue
			}
			ino.Data = b
			size = a.size
		} else {
			x := ino.Extra()
			j := slices.IndexFunc(x.Named, func(ns image.NamedStream) bool { return string(ns.Name) == string(a.name16) })
			switch {
			case j < 0:
				x.Named = append(x.Named, image.NamedStream{Name: a.name16, Blob: b})
			case b == nil:
				continue
			case x.Named[j].Blob != nil:
				s.opts.warn("%s: several non-empty data streams named %q; only the first is stored", disp, image.FromUTF16(a.name16))
				continue
			default:
				x.Named[j].Blob = b
			}
		}
		if b != nil {
			s.streams = append(s.streams, ntfsStream{lcn: s.v.firstLCN(ntfsLoc{mft: mft, name: a.name16}), mft: mft, seq: i, b: b})
		}
	}
	return size, nil
}

// ntfsDirent is one entry of a directory index.
type ntfsDirent struct {
	mref     uint64
	nameType uint32
	name16   []byte
}

func (s *ntfsScan) readDir(ni *C.ntfs_inode, disp string) ([]ntfsDirent, error) {
	var b C.wg_buf
	ntfsLock.Lock()
	rc, err := C.wg_readdir(ni, &b)
	raw := C.GoBytes(unsafe.Pointer(b.p), C.int(b.len))
	C.free(unsafe.Pointer(b.p))
	nomem := b.nomem != 0
	ntfsLock.Unlock()
	if nomem {
		return nil, fmt.Errorf("%s: reading the directory: %w", disp, syscall.ENOMEM)
	}
	if rc != 0 {
		return nil, fmt.Errorf("%s: reading the directory: %w", disp, errnoOr(err))
	}
	var out []ntfsDirent
	for len(raw) >= 16 {
		e := ntfsDirent{mref: binary.LittleEndian.Uint64(raw), nameType: binary.LittleEndian.Uint32(raw[8:])}
		n := 2 * int(binary.LittleEndian.Uint32(raw[12:]))
		if len(raw) < 16+n {
			break
		}
		e.name16 = slices.Clone(raw[16 : 16+n])
		out = append(out, e)
		raw = raw[16+n:]
	}
	return out, nil
}

// scanChildren captures a directory's entries. DOS names are not entries
// of their own: each becomes the short name of the Win32 (or Win32+DOS)
// name of the same file in this directory.
func (s *ntfsScan) scanChildren(ni *C.ntfs_inode, rel string, d *image.Dentry) error {
	ents, err := s.readDir(ni, s.displayPath(rel))
	if err != nil {
		return err
	}
	dos := make(map[uint64][]byte)
	for _, e := range ents {
		if e.nameType&ntfsNameDOS != 0 {
			if _, dup := dos[e.mref&ntfsMFTMask]; dup {
				s.opts.warn("%s: NTFS file %d has several DOS names", s.displayPath(rel), e.mref&ntfsMFTMask)
				continue
			}
			dos[e.mref&ntfsMFTMask] = e.name16
		}
	}
	for _, e := range ents {
		if e.nameType == ntfsNameDOS || isDotName(e.name16) {
			continue
		}
		name := image.FromUTF16(e.name16)
		crel := rel + "/" + name
		if s.config.Excluded(crel) {
			continue
		}
		c, err := s.scan(e.mref, crel, name, e.name16)
		if err != nil {
			return err
		}
		if c == nil {
			continue
		}
		if e.nameType&ntfsNameWin32 != 0 {
			c.SetShortName(dos[e.mref&ntfsMFTMask])
		}
		if err := d.AddChild(c); err != nil {
			return err
		}
	}
	return nil
}

// firstLCN returns the sort key of a stream: its first cluster, -1 when
// resident.
func (v *ntfsVolume) firstLCN(loc ntfsLoc) int64 {
	ntfsLock.Lock()
	defer ntfsLock.Unlock()
	name, n := cName(loc.name)
	defer C.free(unsafe.Pointer(name))
	return int64(C.wg_first_lcn(v.vol, C.u64(loc.mft), name, n))
}

// cName copies a UTF-16LE name to C memory (never NULL, so it can be freed).
func cName(name16 []byte) (*C.ntfschar, C.u32) {
	p := C.malloc(C.size_t(len(name16) + 2))
	if len(name16) > 0 {
		copy(unsafe.Slice((*byte)(p), len(name16)), name16)
	}
	return (*C.ntfschar)(p), C.u32(len(name16) / 2)
}

// open opens a stream for reading size bytes.
func (v *ntfsVolume) open(loc ntfsLoc, size int64, name string) (io.ReadCloser, error) {
	ntfsLock.Lock()
	defer ntfsLock.Unlock()
	if v.vol == nil {
		return nil, fmt.Errorf("%s: %w", name, errNTFSClosed)
	}
	cname, n := cName(loc.name)
	defer C.free(unsafe.Pointer(cname))
	na, err := C.wg_stream_open(v.vol, C.u64(loc.mft), cname, n)
	if na == nil {
		return nil, fmt.Errorf("%s: cannot open the NTFS stream: %w", name, errnoOr(err))
	}
	r := &ntfsReader{v: v, na: na, size: size, name: name}
	v.readers[r] = struct{}{}
	return r, nil
}

var errNTFSClosed = errors.New("the NTFS volume is already unmounted")

// ntfsReader reads one stream through libntfs-3g (which decompresses
// compressed files and fills holes of sparse ones with zeros).
type ntfsReader struct {
	v         *ntfsVolume
	na        *C.ntfs_attr // nil once closed
	pos, size int64
	name      string
}

func (r *ntfsReader) Read(p []byte) (int, error) {
	if r.pos >= r.size {
		return 0, io.EOF
	}
	if len(p) == 0 {
		return 0, nil
	}
	n := int64(len(p))
	n = min(n, r.size-r.pos, ntfsMaxReadChunk)
	ntfsLock.Lock()
	if r.na == nil {
		ntfsLock.Unlock()
		return 0, fmt.Errorf("%s: %w", r.name, errNTFSClosed)
	}
	got, err := C.ntfs_attr_pread(r.na, C.s64(r.pos), C.s64(n), unsafe.Pointer(&p[0]))
	ntfsLock.Unlock()
	switch {
	case got < 0:
		return 0, fmt.Errorf("%s: reading at offset %d: %w", r.name, r.pos, errnoOr(err))
	case got == 0:
		return 0, fmt.Errorf("%s: stream ends at %d bytes, expected %d: %w", r.name, r.pos, r.size, io.ErrUnexpectedEOF)
	}
	r.pos += int64(got)
	return int(got), nil
}

func (r *ntfsReader) Close() error {
	ntfsLock.Lock()
	defer ntfsLock.Unlock()
	if r.na != nil {
		C.wg_stream_close(r.na)
		r.na = nil
		delete(r.v.readers, r)
	}
	return nil
}
