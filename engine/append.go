package engine

import (
	"crypto/sha1"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"

	"github.com/wimgo/wimgo/engine/blob"
	"github.com/wimgo/wimgo/engine/resource"
	"github.com/wimgo/wimgo/engine/wimfmt"
	"github.com/wimgo/wimgo/engine/wimread"
)

// AppendMode says how Append writes.
type AppendMode int

const (
	// InPlace writes new data after the old end, then a new blob table,
	// XML and integrity table, and rewrites the header last: until that
	// single write the old WIM stays valid, whatever interrupts.
	InPlace AppendMode = iota
	// Rebuild writes a whole new WIM into another file (the caller renames
	// it into place), copying existing resources without recompressing.
	Rebuild
	// Compact moves existing resources down over the holes left by earlier
	// appends, in place, then appends. Not interruptible: a failure part
	// way corrupts the WIM (--unsafe-compact).
	Compact
)

// ErrIntegrity is returned by Append when --check finds the existing
// integrity table does not match the file.
var ErrIntegrity = errors.New("integrity check failed")

// ErrLocked is returned when another process holds the WIM's lock.
var ErrLocked = errors.New("the WIM is already locked for writing")

// lockedError is LockWIM's refusal: another writer holds f's lock.
func lockedError(f *os.File) error {
	return fmt.Errorf("%s: %w (another wimappend, wimlib or wimgo process is writing it); nothing was changed", f.Name(), ErrLocked)
}

// Append opens the existing WIM in f for adding images. The compression
// type comes from the WIM; so does the chunk size, unless opts.ChunkSize
// asks for another one, which only mode Rebuild can give (every resource
// is then recompressed, as wimlib does). opts.Level applies only when
// opts.Compression names the WIM's own type (wimlib sets the default level
// of the type given). f is locked (LockWIM) before anything is read. With
// CheckIntegrity the existing integrity table is verified first and a
// mismatch refuses the append, changing nothing. With mode Rebuild the WIM
// is written anew into dst (f is only read); otherwise dst must be nil and
// f is written in place.
func Append(f *os.File, dst *os.File, mode AppendMode, checkIntegrity bool, opts Options) (*Writer, error) {
	// Locked before reading: a writer that read the WIM before another
	// one finished would write back a WIM without the other's image.
	if err := LockWIM(f); err != nil {
		return nil, err
	}
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	old, err := wimread.Read(f, st.Size(), f.Name())
	if err != nil {
		return nil, err
	}
	if old.Header.Flags&wimfmt.HdrFlagReadOnly != 0 {
		return nil, fmt.Errorf("%s: %w: the WIM is marked read-only", f.Name(), wimfmt.ErrUnsupported)
	}
	// The old images' metadata is neither needed nor rewritten here (the
	// blob table says what is stored; the XML holds their names): it is
	// read only when checking, streamed. Reading each whole had cost its
	// size in memory, up to 1 GiB per image.
	if checkIntegrity {
		if old.Integrity != nil {
			if err := old.VerifyIntegrity(); err != nil {
				return nil, fmt.Errorf("%s: %w: %v", f.Name(), ErrIntegrity, err)
			}
		}
		for i := range old.Metadata {
			if err := old.VerifyMetadata(i + 1); err != nil {
				return nil, fmt.Errorf("%s: %w", f.Name(), err)
			}
		}
	}
	// An in-place append keeps the blob table's reference counts (the
	// old images are not rewritten, so their metadata is not read). A
	// rebuild or a compaction writes every blob anew: it counts the
	// references from the images, as wimlib does when it writes a blob
	// table, one image's metadata in memory at a time.
	var refs map[[20]byte]uint32
	if mode != InPlace {
		refs = make(map[[20]byte]uint32)
		for i := range old.Metadata {
			meta, err := old.ReadMetadata(i + 1)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", f.Name(), err)
			}
			if err := countRefs(meta, refs); err != nil {
				return nil, fmt.Errorf("%s: image %d: %w", f.Name(), i+1, err)
			}
		}
	}
	// An existing integrity table is kept up to date, as wimlib does,
	// unless asked not to.
	if old.Integrity != nil && !opts.NoIntegrity {
		opts.Integrity = true
	}
	if opts.Compression != "" {
		if t, err := resource.ParseType(opts.Compression); err != nil || t != old.CType {
			opts.Level = 0
		}
	}
	opts.Compression = old.CType.String()
	oldChunk := int(old.Header.ChunkSize)
	if opts.ChunkSize == 0 {
		opts.ChunkSize = oldChunk
	} else if opts.ChunkSize != oldChunk && mode != Rebuild {
		if mode == Compact {
			return nil, fmt.Errorf("%s: the WIM cannot be compacted in place when the chunk size changes (--chunk-size=%d, the WIM's is %d)", f.Name(), opts.ChunkSize, oldChunk)
		}
		return nil, fmt.Errorf("%s: the chunk size can change only by rebuilding the WIM", f.Name())
	}
	set, err := codecParams(&opts)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", f.Name(), err)
	}
	chunk := set.ChunkSize
	w := &Writer{f: f, opts: opts, set: set, table: blob.NewTable(), xml: old.XML}
	w.hdr = *old.Header
	w.hdr.ChunkSize = uint32(chunk)
	w.oldChunk = oldChunk
	w.hdr.Integrity = wimfmt.ResHdr{}
	w.old = old
	w.setNow()
	for _, m := range old.Metadata {
		w.images = append(w.images, imageRec{meta: m.Hdr, hash: m.Hash})
	}
	// A blob no image references (left by a soft delete) stays in an
	// in-place append, where its bytes stay anyway; a rebuild or a
	// compaction leaves it out, as wimlib does.
	keep := func(hash [20]byte) bool { return mode == InPlace || refs[hash] > 0 }
	for i := range old.Blobs {
		e := &old.Blobs[i]
		if !keep(e.Hash) {
			continue
		}
		n := e.RefCount
		if refs != nil {
			n = refs[e.Hash]
		}
		b := &blob.Blob{Size: e.Hdr.OriginalSize, InWIM: true, Hdr: e.Hdr, Hash: e.Hash, Hashed: true, RefCount: n}
		w.table.AddStored(b)
	}
	w.keepSolid(old, refs, keep)
	// New data goes into solid resources with --solid, and by default
	// when the WIM already has some (as wimlib does).
	if opts.Solid || len(old.Solid) > 0 {
		if (old.Header.Pipable && !opts.NotPipable) || opts.Pipable {
			return nil, fmt.Errorf("%s: a pipable WIM cannot have solid resources (--not-pipable with --rebuild converts it)", f.Name())
		}
		if w.solidSet, err = solidParams(&opts); err != nil {
			return nil, err
		}
		w.solid = true
	}
	if w.solid || len(w.solids) > 0 {
		w.hdr.Version = wimfmt.VersionSolid
	}
	if err := w.referenceBases(opts.DeltaFrom); err != nil {
		return nil, err
	}
	if mode == Rebuild {
		return w.startRebuild(f, old, dst)
	}
	// Compacting too: it would leave the pipable header without its
	// trailing copy, and an unreadable WIM.
	if old.Header.Pipable || opts.Pipable {
		return nil, fmt.Errorf("%s: a pipable WIM can only be written by rebuilding it", f.Name())
	}
	if mode == Compact {
		return w.startCompact(old)
	}
	end, err := usedEnd(old)
	if err != nil {
		return nil, fmt.Errorf("%s: %w (use --rebuild)", f.Name(), err)
	}
	w.origFlags, w.origSize, w.appendFile = old.Header.Flags, st.Size(), f
	w.oldEnd = end
	w.oldIntegrity = old.Integrity
	w.integrityReuseEnd = old.Header.BlobTable.End()
	// Mark the write in progress by rewriting only the flags word; readers
	// merely warn about it, and the final header clears it.
	var fl [4]byte
	binary.LittleEndian.PutUint32(fl[:], old.Header.Flags|wimfmt.HdrFlagWriteInProgress)
	if _, err := f.WriteAt(fl[:], 0x10); err != nil {
		return nil, err
	}
	w.hdr.Flags |= wimfmt.HdrFlagWriteInProgress
	if err := w.startResources(end); err != nil {
		w.restore()
		return nil, err
	}
	return w, nil
}

// usedEnd is the end of the region the header references: the integrity
// table if any, else the XML. In-place append writes after it, and refuses
// (errResourceOrder) when a resource lies beyond it.
func usedEnd(w *wimread.WIM) (int64, error) {
	h := w.Header
	end := h.XML.End()
	if !h.Integrity.IsZero() {
		if h.Integrity.Offset < h.XML.End() {
			return 0, errResourceOrder
		}
		end = h.Integrity.End()
	}
	if h.BlobTable.End() > h.XML.Offset {
		return 0, errResourceOrder
	}
	for _, e := range w.Metadata {
		if e.Hdr.End() > end {
			return 0, errResourceOrder
		}
	}
	for _, e := range w.Blobs {
		if e.Hdr.End() > end {
			return 0, errResourceOrder
		}
	}
	for _, s := range w.Solid {
		if s.Hdr.End() > end {
			return 0, errResourceOrder
		}
	}
	return end, nil
}

var errResourceOrder = errors.New("resources lie after the XML data; the WIM must be rebuilt")

// errAborted is the error an aborted Writer keeps.
var errAborted = errors.New("engine: writer aborted")

// abort gives up an unfinished Writer: as after a failure, Close writes
// nothing more and undoes an in-place append.
func (w *Writer) abort() {
	if !w.closed && w.err == nil {
		w.err = errAborted
	}
	w.Close()
}

// restore undoes a failed in-place append: the file is cut back to its old
// length and the flags word put back, leaving the old WIM as it was.
func (w *Writer) restore() {
	f := w.appendFile
	if f == nil {
		return
	}
	f.Truncate(max(w.origSize, w.oldEnd))
	var fl [4]byte
	binary.LittleEndian.PutUint32(fl[:], w.origFlags)
	f.WriteAt(fl[:], 0x10)
}

// startRebuild copies the old WIM's resources into dst without
// recompressing, keeping the GUID.
func (w *Writer) startRebuild(src *os.File, old *wimread.WIM, dst *os.File) (*Writer, error) {
	if dst == nil {
		return nil, errors.New("rebuild needs a destination file")
	}
	w.f = dst
	w.rebuildSrc, w.rebuildSrcPipable = src, old.Header.Pipable
	if (old.Header.Pipable && !w.opts.NotPipable) || w.opts.Pipable {
		// A pipable WIM: its resources are copied when Close lays
		// everything out in pipable order.
		w.pipable = true
		w.hdr.Pipable = true
		w.hdr.Flags &^= wimfmt.HdrFlagWriteInProgress
		return w, nil
	}
	w.hdr.Pipable = false
	w.hdr.Flags |= wimfmt.HdrFlagWriteInProgress
	if _, err := dst.WriteAt(w.hdr.Bytes(), 0); err != nil {
		return nil, err
	}
	if err := w.startResources(wimfmt.HeaderSize); err != nil {
		return nil, err
	}
	// Blobs in their old file order, then the solid resources whole, then
	// the metadata resources.
	blobs := w.table.All()
	slices.SortFunc(blobs, func(a, b *blob.Blob) int { return cmpInt64(a.Hdr.Offset, b.Hdr.Offset) })
	for _, b := range blobs {
		if b.External || b.Hdr.Flags&wimfmt.ResFlagSolid != 0 {
			continue
		}
		h, err := w.copyOld(b.Hdr, b.Hash)
		if err != nil {
			return nil, fmt.Errorf("%s: copying blob at %d: %w", src.Name(), b.Hdr.Offset, err)
		}
		b.Hdr = h
		b.InWIM = false
	}
	for i := range w.solids {
		s := &w.solids[i]
		h, err := w.rw.CopyRaw(src, s.hdr)
		if err != nil {
			return nil, fmt.Errorf("%s: copying solid resource at %d: %w", src.Name(), s.hdr.Offset, err)
		}
		s.hdr = h
	}
	for i := range w.images {
		h, err := w.copyOld(w.images[i].meta, w.images[i].hash)
		if err != nil {
			return nil, fmt.Errorf("%s: copying image %d metadata: %w", src.Name(), i+1, err)
		}
		w.images[i].meta = h
	}
	return w, nil
}

// startCompact moves every resource of the old WIM down to close the holes
// left by earlier appends, then continues as an in-place append at the new
// end. Resources are moved in file order, each to the lowest free offset,
// so a move never overwrites data not yet moved.
func (w *Writer) startCompact(old *wimread.WIM) (*Writer, error) {
	f := w.f.(*os.File)
	type item struct {
		hdr *wimfmt.ResHdr
	}
	var items []item
	for _, b := range w.table.All() {
		if !b.External && b.Hdr.Flags&wimfmt.ResFlagSolid == 0 {
			items = append(items, item{&b.Hdr})
		}
	}
	for i := range w.solids {
		items = append(items, item{&w.solids[i].hdr})
	}
	for i := range w.images {
		items = append(items, item{&w.images[i].meta})
	}
	slices.SortFunc(items, func(a, b item) int { return cmpInt64(a.hdr.Offset, b.hdr.Offset) })
	pos := int64(wimfmt.HeaderSize)
	buf := make([]byte, 1<<20)
	for _, it := range items {
		h := it.hdr
		if h.Offset < pos {
			return nil, fmt.Errorf("%s: resources overlap at %d; compaction is not possible", f.Name(), h.Offset)
		}
		if h.Offset != pos {
			for done := int64(0); done < h.StoredSize; {
				n := min(int64(len(buf)), h.StoredSize-done)
				if _, err := f.ReadAt(buf[:n], h.Offset+done); err != nil {
					return nil, err
				}
				if _, err := f.WriteAt(buf[:n], pos+done); err != nil {
					return nil, err
				}
				done += n
			}
			h.Offset = pos
		}
		pos += h.StoredSize
	}
	for _, b := range w.table.All() {
		if !b.External {
			b.InWIM = false
		}
	}
	w.hdr.Flags |= wimfmt.HdrFlagWriteInProgress
	if _, err := f.WriteAt(w.hdr.Bytes(), 0); err != nil {
		return nil, err
	}
	w.oldEnd = pos
	if err := w.startResources(pos); err != nil {
		return nil, err
	}
	return w, nil
}

func cmpInt64(a, b int64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// copyOld copies a resource of the WIM being rebuilt into the new one: byte
// for byte when both have the same layout (a pipable one with its stream
// header), chunk by chunk into the other layout otherwise.
func (w *Writer) copyOld(h wimfmt.ResHdr, hash [20]byte) (wimfmt.ResHdr, error) {
	switch {
	case w.set.ChunkSize != w.oldChunk:
		return w.recompress(h, hash)
	case w.rebuildSrcPipable != w.pipable:
		return w.rw.CopyConverted(w.rebuildSrc, h, w.rebuildSrcPipable, hash)
	case w.pipable:
		return w.copyPipable(h)
	}
	return w.rw.CopyRaw(w.rebuildSrc, h)
}

// countRefs adds to refs one reference per stream of every dentry of a
// metadata resource: a file with n names counts n times, as WIM reference
// counts do. Every dentry is reached from the root through the child
// lists; a list reached twice is read once.
func countRefs(meta []byte, refs map[[20]byte]uint32) error {
	_, off, err := wimfmt.ParseSecurityData(meta)
	if err != nil {
		return err
	}
	count := func(d *wimfmt.Dentry) {
		for _, h := range append([][20]byte{d.Hash}, streamHashes(d)...) {
			if h != ([20]byte{}) {
				refs[h]++
			}
		}
	}
	root, _, end, err := wimfmt.ParseDentry(meta, off)
	if err != nil {
		return err
	}
	if end {
		return nil // an image without a root
	}
	count(root)
	queue := []uint64{root.SubdirOffset}
	seen := make(map[uint64]bool)
	for len(queue) > 0 {
		at := queue[len(queue)-1]
		queue = queue[:len(queue)-1]
		if at == 0 || seen[at] {
			continue
		}
		seen[at] = true
		for p := int(at); ; {
			d, next, end, err := wimfmt.ParseDentry(meta, p)
			if err != nil {
				return err
			}
			if end {
				break
			}
			p = next
			count(d)
			if d.Attributes&wimfmt.AttrDirectory != 0 {
				queue = append(queue, d.SubdirOffset)
			}
		}
	}
	return nil
}

func streamHashes(d *wimfmt.Dentry) [][20]byte {
	out := make([][20]byte, len(d.Streams))
	for i, s := range d.Streams {
		out[i] = s.Hash
	}
	return out
}

// recompress stores a resource of the WIM being rebuilt anew, decompressed
// and compressed again, for a rebuild at another chunk size (wimappend
// --chunk-size). The bytes are checked against hash.
func (w *Writer) recompress(h wimfmt.ResHdr, hash [20]byte) (wimfmt.ResHdr, error) {
	open := func() (io.ReadCloser, error) {
		newReader := resource.NewReader
		if w.rebuildSrcPipable {
			newReader = resource.NewPipableReader
		}
		r, err := newReader(w.rebuildSrc, h, w.set.Type, w.oldChunk)
		return io.NopCloser(r), err
	}
	if h.Flags&wimfmt.ResFlagMetadata != 0 {
		r, err := open()
		if err != nil {
			return h, err
		}
		data := make([]byte, h.OriginalSize)
		if _, err := io.ReadFull(r, data); err != nil {
			return h, fmt.Errorf("%w: metadata resource at %d: %v", wimfmt.ErrCorrupt, h.Offset, err)
		}
		if sha1.Sum(data) != hash {
			return h, fmt.Errorf("%w: metadata resource at %d does not match its SHA-1", wimfmt.ErrCorrupt, h.Offset)
		}
		nh, _, err := w.rw.WriteBuffer(data, wimfmt.ResFlagMetadata)
		return nh, err
	}
	if h.OriginalSize == 0 {
		return wimfmt.ResHdr{Offset: w.rw.Offset()}, nil
	}
	b := &blob.Blob{Size: h.OriginalSize, Open: open, Name: fmt.Sprintf("blob at offset %d", h.Offset), Hashed: true, Hash: hash}
	if err := w.rw.Write(b); err != nil {
		return h, err
	}
	if err := w.rw.Flush(); err != nil {
		return h, err
	}
	return b.Hdr, nil
}
