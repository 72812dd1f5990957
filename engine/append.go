package engine

import (
	"errors"
	"fmt"
	"os"

	"github.com/wimgo/wimgo/engine/blob"
	"github.com/wimgo/wimgo/engine/resource"
	"github.com/wimgo/wimgo/engine/wimfmt"
	"github.com/wimgo/wimgo/engine/wimread"
)

// AppendMode says how Append writes; Append makes it the mode its Writer
// keeps (mode.go).
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
	w := newWriter(f, opts, set, old.XML)
	w.hdr = *old.Header
	w.hdr.ChunkSize = uint32(set.ChunkSize)
	w.hdr.Integrity = wimfmt.ResHdr{}
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
	// pipable: the new WIM would be pipable, which only a rebuild can
	// write.
	pipable := (old.Header.Pipable && !opts.NotPipable) || opts.Pipable
	// New data goes into solid resources with --solid, and by default
	// when the WIM already has some (as wimlib does).
	if opts.Solid || len(old.Solid) > 0 {
		if pipable {
			return nil, fmt.Errorf("%s: a pipable WIM cannot have solid resources (--not-pipable with --rebuild converts it)", f.Name())
		}
		s, err := newSolid(w)
		if err != nil {
			return nil, err
		}
		s.keep(old, refs, keep)
		w.layout = s
	}
	if err := w.referenceBases(opts.DeltaFrom); err != nil {
		return nil, err
	}
	base := appendBase{old}
	switch {
	case mode == Rebuild:
		if dst == nil {
			return nil, errors.New("rebuild needs a destination file")
		}
		rb := &rebuild{appendBase: base, w: w, src: f, srcPipable: old.Header.Pipable, srcChunk: oldChunk}
		w.f, w.mode = dst, rb
		if pipable {
			w.layout = newPipable(w, rb)
		}
	case old.Header.Pipable || opts.Pipable:
		// Compacting too: it would leave the pipable header without its
		// trailing copy, and an unreadable WIM.
		return nil, fmt.Errorf("%s: a pipable WIM can only be written by rebuilding it", f.Name())
	case mode == Compact:
		w.mode = &compact{appendBase: base, w: w, f: f}
	default:
		ip, err := newInPlace(w, f, old, st.Size())
		if err != nil {
			return nil, fmt.Errorf("%s: %w (use --rebuild)", f.Name(), err)
		}
		w.mode = ip
	}
	if err := w.layout.begin(); err != nil {
		return nil, err
	}
	return w, nil
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
