package image

import (
	"io"

	"github.com/wimgo/wimgo/engine/blob"
	"github.com/wimgo/wimgo/engine/wimfmt"
)

// FileTime converts UNIX seconds and nanoseconds to a Windows FILETIME
// (100 ns ticks since 1601); the sub-100 ns part is dropped.
func FileTime(sec, nsec int64) uint64 {
	return uint64((sec+11644473600)*10_000_000 + nsec/100)
}

func hashOf(b *blob.Blob) [20]byte {
	if b == nil {
		return [20]byte{}
	}
	return b.Resolve().Hash
}

// toDisk fills out with the on-disk dentry for d, reusing out's stream and
// tagged-item buffers, with the stream layout that Microsoft's tools accept
// (wimlib 1.14.2 and later): the unnamed streams are the reparse stream
// (reparse points) then the data stream (non-directories only); with at most
// one unnamed stream and no named ones its hash is the main hash, otherwise
// every stream becomes an extra entry.
func toDisk(d *Dentry, out *wimfmt.Dentry) {
	ino := d.Inode
	*out = wimfmt.Dentry{
		Attributes:      ino.Attributes,
		SecurityID:      ino.SecurityID,
		CreationTime:    ino.CreationTime,
		LastAccessTime:  ino.LastAccessTime,
		LastWriteTime:   ino.LastWriteTime,
		Unknown54:       ino.Unknown54,
		ReparseTag:      ino.ReparseTag,
		ReparseReserved: ino.ReparseReserved,
		RPFlags:         ino.RPFlags,
		Name:            d.AppendName16(out.Name[:0]),
		ShortName:       d.ShortName(),
		Tagged:          out.Tagged[:0],
		Streams:         out.Streams[:0],
	}
	if ino.Links > 1 {
		out.HardLinkGroup = ino.group
	}
	if ino.Attributes&wimfmt.AttrEncrypted != 0 {
		// An encrypted file or directory (Windows capture) has one
		// stream, its raw EFS export (which holds all its data
		// streams), as the main hash, whatever else its attributes
		// say: wimlib's layout, restored with WriteEncryptedFileRaw.
		out.Hash = hashOf(ino.Data)
	} else {
		streamsToDisk(ino, out)
	}
	if id := ino.ObjectID(); id != nil {
		out.Tagged = wimfmt.AppendTaggedItem(out.Tagged, wimfmt.TagObjectID, id)
	}
	if ino.Unix != nil {
		out.Tagged = wimfmt.AppendUnixData(out.Tagged, *ino.Unix)
	}
	if x := ino.extra; x != nil && len(x.Xattrs) > 0 {
		out.Tagged = wimfmt.AppendXattrs(out.Tagged, x.Xattrs)
	}
}

// streamsToDisk sets out's main hash or stream entries (see toDisk).
func streamsToDisk(ino *Inode, out *wimfmt.Dentry) {
	var unnamed [2][20]byte
	n := 0
	if ino.Attributes&wimfmt.AttrReparsePoint != 0 {
		unnamed[n] = hashOf(ino.Reparse)
		n++
	}
	if ino.Attributes&wimfmt.AttrDirectory == 0 {
		unnamed[n] = hashOf(ino.Data)
		n++
	}
	if n <= 1 && len(ino.NamedStreams()) == 0 {
		if n == 1 {
			out.Hash = unnamed[0]
		}
	} else {
		for _, h := range unnamed[:n] {
			out.Streams = append(out.Streams, wimfmt.StreamEntry{Hash: h})
		}
		for _, ns := range ino.NamedStreams() {
			out.Streams = append(out.Streams, wimfmt.StreamEntry{Hash: hashOf(ns.Blob), Name: ns.Name})
		}
	}
}

// EncodeMetadata returns the uncompressed metadata resource of img: the
// security data, the root dentry and a terminator, then each directory's
// child list followed by a terminator, lists placed depth-first with a
// directory's own list before those of its children. Children must be sorted
// (SortChildren) and blobs written (their hashes known).
func EncodeMetadata(img *Image) []byte {
	p := planMetadata(img)
	buf := make([]byte, 0, p.size)
	// One flush, at the end: the unit is never reached before.
	p.emit(buf, func(b []byte) error { buf = b; return nil }, int(p.size)+1)
	return buf
}

// MetadataReader is EncodeMetadata as a stream: it returns the resource's
// size and a function opening a reader of its bytes, made as they are read
// (each open walks the tree again; the tree must not change meanwhile).
// Holding the whole resource had been the largest single allocation of a
// capture of many small files (about 140 bytes per file).
func MetadataReader(img *Image) (int64, func() (io.ReadCloser, error)) {
	p := planMetadata(img)
	return int64(p.size), func() (io.ReadCloser, error) {
		pr, pw := io.Pipe()
		go func() {
			const unit = 256 << 10
			err := p.emit(make([]byte, 0, unit+4096), func(b []byte) error {
				_, err := pw.Write(b)
				return err
			}, unit)
			pw.CloseWithError(err)
		}()
		return pr, nil
	}
}

// metadataPlan is where each directory's child list goes and the size of
// the whole resource.
type metadataPlan struct {
	img   *Image
	lists map[*Dentry]uint64 // each directory's SubdirOffset
	size  uint64
}

// planMetadata numbers the hard-link groups and places the child lists. It
// builds each on-disk dentry in one scratch value to learn its length:
// keeping them all had cost about 230 bytes per file at the peak of a
// capture (the tree is alive then too).
func planMetadata(img *Image) *metadataPlan {
	// Hard-link group IDs: consecutive over the inodes in tree order.
	var next uint64 = 1
	forEachInode(img, func(ino *Inode) {
		ino.group = next
		next++
	})
	var scratch wimfmt.Dentry
	length := func(d *Dentry) uint64 {
		toDisk(d, &scratch)
		return uint64(scratch.TotalLength())
	}
	p := &metadataPlan{img: img, lists: make(map[*Dentry]uint64)}
	off := uint64(len(wimfmt.AppendSecurityData(nil, img.Security))) + length(img.Root) + 8
	var place func(d *Dentry)
	place = func(d *Dentry) {
		if !d.Inode.IsDir() {
			return
		}
		p.lists[d] = off
		for _, c := range d.Children {
			off += length(c)
		}
		off += 8
		for _, c := range d.Children {
			place(c)
		}
	}
	place(img.Root)
	p.size = off
	return p
}

// emit encodes the resource into buf, handing buf to flush whenever it
// holds unit bytes or more, and at the end; flush's error stops it.
func (p *metadataPlan) emit(buf []byte, flush func([]byte) error, unit int) error {
	var scratch wimfmt.Dentry
	var err error
	total := uint64(0)
	put := func() {
		if len(buf) >= unit {
			if err == nil {
				total += uint64(len(buf))
				err = flush(buf)
			}
			buf = buf[:0] // after an error, dropped as the walk ends
		}
	}
	terminator := func() {
		buf = append(buf, 0, 0, 0, 0, 0, 0, 0, 0)
		put()
	}
	one := func(d *Dentry) {
		toDisk(d, &scratch)
		scratch.SubdirOffset = p.lists[d]
		buf = wimfmt.AppendDentry(buf, &scratch)
		put()
	}
	buf = wimfmt.AppendSecurityData(buf, p.img.Security)
	one(p.img.Root)
	terminator()
	var walk func(d *Dentry)
	walk = func(d *Dentry) {
		if !d.Inode.IsDir() || err != nil {
			return
		}
		for _, c := range d.Children {
			one(c)
		}
		terminator()
		for _, c := range d.Children {
			walk(c)
		}
	}
	walk(p.img.Root)
	if err != nil {
		return err
	}
	total += uint64(len(buf))
	if total != p.size {
		panic("image: metadata length differs from its plan")
	}
	return flush(buf)
}

// Stats are the counters of an image's XML entry.
type Stats struct {
	DirCount, FileCount, TotalBytes, HardLinkBytes uint64
}

// ComputeStats counts as wimlib does: per inode, directories (not reparse
// points) add their link count to DIRCOUNT, everything else to FILECOUNT;
// the sizes of all streams times the link count go to TOTALBYTES, times
// (links-1) to HARDLINKBYTES. Filler directories count nowhere: wimlib
// does not list them among the image's inodes.
func ComputeStats(img *Image) Stats {
	var s Stats
	forEachInode(img, func(ino *Inode) {
		if ino.Filler {
			return
		}
		n := uint64(ino.Links)
		if ino.IsDir() {
			s.DirCount += n
		} else {
			s.FileCount += n
		}
		var sz uint64
		for _, b := range []*blob.Blob{ino.Data, ino.Reparse} {
			if b != nil {
				sz += uint64(b.Size)
			}
		}
		for _, ns := range ino.NamedStreams() {
			if ns.Blob != nil {
				sz += uint64(ns.Blob.Size)
			}
		}
		s.TotalBytes += sz * n
		s.HardLinkBytes += sz * (n - 1)
	})
	return s
}

// forEachInode calls fn once for every inode of the image, in tree order.
// Only inodes with several links can come up twice, so only they are
// remembered (a set of every inode was 32 bytes per file at the capture's
// peak of memory).
func forEachInode(img *Image, fn func(*Inode)) {
	seen := make(map[*Inode]bool)
	img.Root.Walk(func(d *Dentry) error {
		if d.Inode.Links <= 1 {
			fn(d.Inode)
		} else if !seen[d.Inode] {
			seen[d.Inode] = true
			fn(d.Inode)
		}
		return nil
	})
}

// Blobs lists every stream blob of the image once per link (for reference
// counts); callers dedup with Resolve.
func Blobs(img *Image, fn func(b *blob.Blob, links int)) {
	forEachInode(img, func(ino *Inode) {
		if ino.Data != nil {
			fn(ino.Data, ino.Links)
		}
		if ino.Reparse != nil {
			fn(ino.Reparse, ino.Links)
		}
		for _, ns := range ino.NamedStreams() {
			if ns.Blob != nil {
				fn(ns.Blob, ino.Links)
			}
		}
	})
}
