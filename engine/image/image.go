// Package image is the in-memory tree of one WIM image: dentries (names)
// pointing at inodes (the files themselves: attributes, times, streams).
// Capture sources build it; the metadata writer encodes it.
package image

import (
	"fmt"

	"github.com/wimgo/wimgo/engine/blob"
	"github.com/wimgo/wimgo/engine/wimfmt"
)

// NamedStream is an alternate data stream.
type NamedStream struct {
	Name []byte // UTF-16LE
	Blob *blob.Blob
}

// Inode is one file; several dentries share it when it has hard links.
type Inode struct {
	Attributes      uint32
	SecurityID      uint32
	CreationTime    uint64
	LastAccessTime  uint64
	LastWriteTime   uint64
	ReparseTag      uint32
	ReparseReserved uint16
	RPFlags         uint16
	Unknown54       uint32
	// Filler marks a directory the capture made rather than scanned: the
	// root of a source list no line fills, the parents of a deeper target.
	// wimlib leaves such directories out of the image's XML counters.
	Filler bool

	Data    *blob.Blob // unnamed data stream; nil when empty
	Reparse *blob.Blob // reparse data (REPARSE_POINT); nil when empty
	Unix    *wimfmt.UnixData

	// Named streams, extended attributes and the object ID: few files
	// have any, so they sit behind one pointer (on a tree of tiny files
	// their three slice headers were 64 of an inode's 160 bytes).
	extra *InodeExtra

	// Links counts the dentries naming this inode.
	Links int
	// group is the hard-link group ID given at write time.
	group uint64
}

// InodeExtra holds the parts of an inode few files have.
type InodeExtra struct {
	Named    []NamedStream
	Xattrs   []wimfmt.Xattr // tagged metadata items (--unix-data)
	ObjectID []byte
}

// Extra returns the inode's rare parts for setting them, creating them on
// first use.
func (ino *Inode) Extra() *InodeExtra {
	if ino.extra == nil {
		ino.extra = new(InodeExtra)
	}
	return ino.extra
}

// NamedStreams returns the inode's named data streams.
func (ino *Inode) NamedStreams() []NamedStream {
	if ino.extra == nil {
		return nil
	}
	return ino.extra.Named
}

// ObjectID returns the inode's object ID, or nil.
func (ino *Inode) ObjectID() []byte {
	if ino.extra == nil {
		return nil
	}
	return ino.extra.ObjectID
}

// IsDir reports whether the inode is a real directory (not a reparse point).
func (ino *Inode) IsDir() bool {
	return ino.Attributes&wimfmt.AttrDirectory != 0 && ino.Attributes&wimfmt.AttrReparsePoint == 0
}

// Dentry is one name in the tree. The name as stored (UTF-16LE) is
// normally the UTF-16 form of Name and made when needed (AppendName16):
// keeping it beside Name, with the short name and the children's name
// index in the dentry itself, made a dentry 112 bytes plus the UTF-16 copy;
// now it is 64, and those rare parts hang off x.
type Dentry struct {
	Name     string // UTF-8 (surrogates allowed, as ToUTF16), for paths and messages
	Inode    *Inode
	Parent   *Dentry
	Children []*Dentry
	x        *dentryExtra
}

// dentryExtra holds the parts of a dentry few have.
type dentryExtra struct {
	name16    []byte // the stored name, when it is not ToUTF16(Name)
	shortName []byte // UTF-16LE 8.3 name, if any
	byName    map[string]*Dentry
}

func (d *Dentry) extra() *dentryExtra {
	if d.x == nil {
		d.x = new(dentryExtra)
	}
	return d.x
}

// AppendName16 appends the stored name, UTF-16LE, to b.
func (d *Dentry) AppendName16(b []byte) []byte {
	if d.x != nil && d.x.name16 != nil {
		return append(b, d.x.name16...)
	}
	out, err := appendUTF16(b, d.Name)
	if err != nil {
		// SetName keeps name16 whenever Name does not convert.
		panic("image: dentry name " + d.Name + " lost its UTF-16 form")
	}
	return out
}

// SetName names d: name (UTF-8) and name16, the name as stored (nil: the
// UTF-16 form of name, which must then be valid). name16 is kept only when
// it is not that form.
func (d *Dentry) SetName(name string, name16 []byte) {
	d.Name = name
	if d.x != nil {
		d.x.name16 = nil
	}
	if name16 == nil {
		return
	}
	var buf [256]byte
	if u, err := appendUTF16(buf[:0], name); err != nil || string(u) != string(name16) {
		d.extra().name16 = append([]byte(nil), name16...)
	}
}

// ShortName is d's 8.3 name (UTF-16LE), or nil.
func (d *Dentry) ShortName() []byte {
	if d.x == nil {
		return nil
	}
	return d.x.shortName
}

// SetShortName sets d's 8.3 name (UTF-16LE).
func (d *Dentry) SetShortName(s []byte) {
	if s != nil || d.x != nil {
		d.extra().shortName = s
	}
}

// Image is one image's tree and its security descriptors.
type Image struct {
	Root *Dentry
	// Security holds the image's self-relative security descriptors;
	// Inode.SecurityID indexes it.
	Security [][]byte
}

// NewDentry makes a dentry for ino named name (UTF-8), stored as name16
// (see SetName).
func NewDentry(name string, name16 []byte, ino *Inode) *Dentry {
	ino.Links++
	d := &Dentry{Inode: ino}
	d.SetName(name, name16)
	return d
}

// AddChild links c under d, as wimlib lays one source-list entry over
// what is there: a child with the same exact name is replaced when neither
// is a directory (the last source wins); when both are, c's children merge
// into the existing one, which keeps its own metadata (the first source
// wins). A directory and a non-directory cannot replace each other: that
// is an *OverlayError, after which the tree may be partly merged (the
// capture stops).
func (d *Dentry) AddChild(c *Dentry) error {
	d.index()
	if old := d.x.byName[c.Name]; old != nil {
		oldDir, newDir := old.Inode.IsDir(), c.Inode.IsDir()
		if oldDir != newDir {
			return &OverlayError{Path: old.Path(), IsDir: oldDir}
		}
		if oldDir {
			c.Inode.Links--
			for _, gc := range c.Children {
				if err := old.AddChild(gc); err != nil {
					return err
				}
			}
			return nil
		}
		old.Inode.Links--
		for i, x := range d.Children {
			if x == old {
				d.Children[i] = c
			}
		}
	} else {
		d.Children = append(d.Children, c)
	}
	c.Parent = d
	d.x.byName[c.Name] = c
	return nil
}

// OverlayError is a directory and a non-directory meeting at one path.
type OverlayError struct {
	Path  string // in the image, with a leading "/"
	IsDir bool   // what is there already is the directory
}

func (e *OverlayError) Error() string {
	if e.IsDir {
		return fmt.Sprintf("%q is a directory in the image; a file cannot replace it (name a path inside it)", e.Path)
	}
	return fmt.Sprintf("%q is a file in the image; a directory cannot replace it", e.Path)
}

// AppendChild links c under d when no other child can have its name, as
// in one directory listing: no name index is built (on a tree of tiny
// files the per-directory maps were about 8% of the scan's memory). A
// later AddChild or Child builds it.
func (d *Dentry) AppendChild(c *Dentry) {
	d.Children = append(d.Children, c)
	c.Parent = d
	if d.x != nil && d.x.byName != nil {
		d.x.byName[c.Name] = c
	}
}

// Child returns the child named name, or nil.
func (d *Dentry) Child(name string) *Dentry {
	d.index()
	return d.x.byName[name]
}

// index builds the name index of d's children if it is missing.
func (d *Dentry) index() {
	if x := d.extra(); x.byName == nil {
		x.byName = make(map[string]*Dentry, len(d.Children))
		for _, c := range d.Children {
			x.byName[c.Name] = c
		}
	}
}

// Path returns the dentry's path from the root, "/"-separated, with a
// leading "/" ("" for the root).
func (d *Dentry) Path() string {
	if d.Parent == nil {
		return ""
	}
	return d.Parent.Path() + "/" + d.Name
}

// Walk calls fn for d and every dentry below it, parents first.
func (d *Dentry) Walk(fn func(*Dentry) error) error {
	if err := fn(d); err != nil {
		return err
	}
	for _, c := range d.Children {
		if err := c.Walk(fn); err != nil {
			return err
		}
	}
	return nil
}
