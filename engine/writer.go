// Package engine writes WIM archives: it captures images from sources and
// lays out resources, the blob table, the XML document, the integrity table
// and the header.
//
// The API is shaped like archive/zip: Create (or Append) on a file gives a
// Writer, AddImage adds an image, Close finishes the WIM. Close writes the
// header last, so a WIM interrupted before Close is never taken for a
// complete one. ResolveOutput does the same for a WIM file named by a user
// (output.go): its Create or Append writes a temporary file or in place,
// with wimlib's locking, and its Close renames the WIM into place.
// Existing WIMs are read by package wimread.
//
// A Writer's layout (layout.go: plain, solid or pipable resources) and
// mode (mode.go: a new file, or an append in place, by rebuilding or by
// compacting) are small types picked once by Create or Append.
package engine

import (
	"cmp"
	"crypto/rand"
	"crypto/sha1"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"sync"
	"time"

	"github.com/wimgo/wimgo/engine/blob"
	"github.com/wimgo/wimgo/engine/image"
	"github.com/wimgo/wimgo/engine/resource"
	"github.com/wimgo/wimgo/engine/source"
	"github.com/wimgo/wimgo/engine/wimfmt"
)

// File is what a Writer writes to: *os.File satisfies it.
type File interface {
	io.ReaderAt
	io.WriterAt
}

// ErrClosed is returned by a Writer used after Close.
var ErrClosed = errors.New("engine: writer closed")

// Writer adds images to a WIM and finishes it on Close. It holds what
// every WIM shares; how its resources lie (plain, solid, pipable: the
// layout) and what it starts from (a new file, or a WIM appended to in
// place, rebuilt or compacted: the mode) are chosen once, when it is made,
// so that no step has to ask which kind it writes.
type Writer struct {
	f      File
	opts   Options
	set    resource.Settings // of the ordinary resources
	hdr    wimfmt.Header
	rw     *resource.Writer
	table  *blob.Table
	images []imageRec
	xml    *wimfmt.WIMXML
	layout layout
	mode   mode
	now    uint64 // the XML times of new images
	rpfix  bool   // some image had its links fixed: the header says so
	// deriveGUID: a new WIM with a fixed time takes a content-derived GUID.
	deriveGUID bool
	err        error // sticky
	closed     bool
	progress   dataProgress
	stats      Stats // of the last image added, and the WIM's size after Close
}

// imageRec is one image's metadata resource.
type imageRec struct {
	meta wimfmt.ResHdr
	hash [20]byte
}

// dataProgress counts the file data being stored, for "write" Progress
// reports.
type dataProgress struct {
	done, total int64
	typ         resource.Type
}

// newWriter starts a Writer of the plain layout; Create and Append then
// set its header and mode, and change the layout if asked.
func newWriter(f File, opts Options, set resource.Settings, xml *wimfmt.WIMXML) *Writer {
	w := &Writer{f: f, opts: opts, set: set, table: blob.NewTable(), xml: xml}
	w.layout = &plain{w}
	w.stats = Stats{Compression: set.Type.String(), Level: set.Level, ChunkSize: set.ChunkSize, Threads: opts.Threads}
	w.setNow()
	return w
}

// Create starts a new WIM in f (which should be empty) with opts.
func Create(f File, opts Options) (*Writer, error) {
	set, err := codecParams(&opts)
	if err != nil {
		return nil, err
	}
	w := newWriter(f, opts, set, wimfmt.NewWIMXML())
	w.mode = newWIM{w}
	w.hdr = wimfmt.Header{
		Version:    wimfmt.VersionDefault,
		Flags:      wimfmt.CompressionFlag(uint8(set.Type)) | wimfmt.HdrFlagWriteInProgress,
		ChunkSize:  uint32(set.ChunkSize),
		PartNumber: 1,
		TotalParts: 1,
	}
	if set.Type == resource.LZMS {
		w.hdr.Version = wimfmt.VersionSolid
	}
	if opts.Solid {
		if opts.Pipable {
			return nil, errors.New("a pipable WIM cannot have solid resources")
		}
		if w.layout, err = newSolid(w); err != nil {
			return nil, err
		}
	}
	// A new WIM's GUID is random, or with a fixed Time derived from the
	// content at Close; appends keep the WIM's own.
	w.deriveGUID = opts.Time != nil
	if !w.deriveGUID {
		if _, err := rand.Read(w.hdr.GUID[:]); err != nil {
			return nil, err
		}
	}
	if err := w.referenceBases(opts.DeltaFrom); err != nil {
		return nil, err
	}
	if opts.Pipable {
		w.layout = newPipable(w, nil)
	}
	if err := w.layout.begin(); err != nil {
		return nil, err
	}
	return w, nil
}

// timeNow is the clock, apart for tests.
var timeNow = time.Now

func (w *Writer) setNow() {
	t := timeNow()
	if w.opts.Time != nil {
		t = *w.opts.Time
	}
	w.now = image.FileTime(t.Unix(), int64(t.Nanosecond()))
}

// startResources starts the resource writer at offset at, in the pipable
// format if the header says the WIM is pipable.
func (w *Writer) startResources(at int64) error {
	rw, err := resource.NewWriter(w.f, at, resource.Options{
		Type:      w.set.Type,
		ChunkSize: w.set.ChunkSize,
		Level:     w.set.Level,
		Threads:   w.opts.Threads,
		Progress:  w.writeProgress,
		Pipable:   w.hdr.Pipable,
	})
	if err != nil {
		return err
	}
	w.rw = rw
	return nil
}

// countData starts the progress count of storing todo with type t and
// returns its size.
func (w *Writer) countData(todo []*blob.Blob, t resource.Type) int64 {
	var n int64
	for _, b := range todo {
		n += b.Size
	}
	w.progress = dataProgress{total: n, typ: t}
	return n
}

func (w *Writer) writeProgress(n int64) {
	p := &w.progress
	if w.opts.Progress != nil && p.total > 0 {
		p.done += n
		w.opts.Progress(Progress{Phase: "write", Done: p.done, Total: p.total,
			Compression: p.typ.String(), Threads: w.opts.Threads})
	}
}

// ImageCount is the number of images in the WIM so far.
func (w *Writer) ImageCount() int { return len(w.images) }

// ImageName returns the name of image index (1-based).
func (w *Writer) ImageName(index int) string { return w.xml.ImageName(index) }

// HasImageName reports whether some image is named name.
func (w *Writer) HasImageName(name string) bool {
	for i := 1; i <= len(w.images); i++ {
		if w.xml.ImageName(i) == name {
			return true
		}
	}
	return false
}

// RPFixDefault is what --rpfix defaults to for the next image: on for the
// first image of a WIM, else on only if the WIM's header says fixups were
// done before.
func (w *Writer) RPFixDefault() bool {
	return len(w.images) == 0 || w.hdr.Flags&wimfmt.HdrFlagRPFix != 0
}

// AddImage captures src (a directory, or a source list file with
// SourceList) as a new image.
func (w *Writer) AddImage(src string, io ImageOptions) error {
	if w.closed {
		return ErrClosed
	}
	if w.err != nil {
		return w.err
	}
	if err := w.addImage(src, &io); err != nil {
		w.err = err
		return err
	}
	return nil
}

func (w *Writer) addImage(src string, io *ImageOptions) (err error) {
	if io.Name != "" && w.HasImageName(io.Name) {
		return fmt.Errorf("there is already an image named %q in the WIM", io.Name)
	}
	if len(w.images) >= wimfmt.MaxImages {
		return fmt.Errorf("the WIM already has %d images", len(w.images))
	}
	var files, dirs, bytes int64
	// Directories are reported after their children: one that is some
	// reported path's parent is a directory (an empty one passes for a
	// file until the exact count at the end).
	parents := make(map[string]bool)
	sopts := &source.Options{
		Config:      io.Config,
		Dereference: io.Dereference,
		UnixData:    io.UnixData,
		NoACLs:      io.NoACLs,
		StrictACLs:  io.StrictACLs,
		Snapshot:    io.Snapshot,
		RPFix:       io.RPFix,
		Skip:        io.Skip,
		Threads:     w.opts.Threads,
		Warn:        w.opts.Warn,
		Progress: func(path string, size int64) {
			files++
			bytes += size
			if w.opts.Progress == nil {
				return
			}
			if parents[path] {
				dirs++
				delete(parents, path)
			}
			parents[filepath.Dir(path)] = true
			if files%256 == 0 {
				w.opts.Progress(Progress{Phase: "scan", Files: files, Dirs: dirs, Bytes: bytes})
			}
		},
	}
	if p := w.opts.Progress; p != nil {
		var mu sync.Mutex
		sopts.Excluded = func(path string) {
			mu.Lock()
			defer mu.Unlock()
			p(Progress{Phase: "excluded", Path: path})
		}
		sopts.Fixed = func(path string) { p(Progress{Phase: "fixed-symlink", Path: path}) }
	}
	var res *source.Result
	if io.SourceList {
		res, err = source.ScanSourceList(src, io.SourceListData, sopts)
	} else {
		res, err = source.Scan(src, sopts)
	}
	if err != nil {
		return err
	}
	// An NTFS volume stays mounted until its blobs are written: a
	// pipable WIM writes them at Close, so its layout takes the Close over
	// (and clears it here).
	defer func() {
		if res.Close != nil {
			res.Close()
		}
	}()
	if w.opts.Progress != nil {
		files, dirs = 0, 0
		res.Root.Walk(func(d *image.Dentry) error {
			files++
			if d.Inode.IsDir() {
				dirs++
			}
			return nil
		})
		w.opts.Progress(Progress{Phase: "scan", Files: files, Dirs: dirs, Bytes: bytes})
	}
	if io.WIMBootConfigFile != "" {
		if err := storeWIMBootConfig(res, io.WIMBootConfigFile, io); err != nil {
			return fmt.Errorf("--config: %w", err)
		}
	}
	detected := w.windowsInfo(res.Root)
	img := &image.Image{Root: res.Root, Security: res.Security}
	if io.UpdateOf != nil {
		tmpl, index, err := w.template(io.UpdateOf)
		if err != nil {
			return err
		}
		if w.opts.Progress != nil {
			w.opts.Progress(Progress{Phase: "template", Image: index})
		}
		applyTemplate(img, tmpl)
	}
	return w.writeImage(img, res, io, detected)
}

// writeImage stores the blobs and metadata of a scanned image, as the
// layout does, and describes it in the XML document (detected: the
// properties its contents give).
func (w *Writer) writeImage(img *image.Image, res *source.Result, io *ImageOptions, detected []wimfmt.ImageProperty) error {
	todo, err := w.table.Dedup(res.Blobs, w.opts.Threads)
	if err != nil {
		return err
	}
	w.stats.Unique, w.stats.Stored = 0, 0
	if err := w.layout.store(todo, res); err != nil {
		return err
	}
	// Reference counts: one per link name of each inode using the blob.
	image.Blobs(img, func(b *blob.Blob, links int) {
		b.Resolve().RefCount += uint32(links)
	})
	img.Root.SortChildren()
	rec, err := w.layout.metadata(img)
	if err != nil {
		return err
	}
	w.images = append(w.images, rec)
	return w.describeImage(img, res, io, detected)
}

// describeImage adds the XML entry of the image just stored.
func (w *Writer) describeImage(img *image.Image, res *source.Result, io *ImageOptions, detected []wimfmt.ImageProperty) error {
	index := len(w.images)

	st := image.ComputeStats(img)
	w.stats.Stats = st
	info := wimfmt.ImageInfo{
		Name:                 io.Name,
		Flags:                io.Flags,
		DirCount:             st.DirCount,
		FileCount:            st.FileCount,
		TotalBytes:           st.TotalBytes,
		HardLinkBytes:        st.HardLinkBytes,
		CreationTime:         w.now,
		LastModificationTime: w.now,
		WIMBoot:              io.WIMBoot,
		Detected:             detected,
	}
	w.xml.AddImage(info)
	for _, p := range io.Properties {
		if err := w.xml.SetImageProperty(index, p.Name, p.Value); err != nil {
			return fmt.Errorf("--image-property %s=%s: %w", p.Name, p.Value, err)
		}
	}
	if io.Description != "" {
		if err := w.xml.SetImageProperty(index, "DESCRIPTION", io.Description); err != nil {
			return err
		}
	}
	// wimlib recomputes these when writing, whatever properties said.
	w.xml.SetImageCounters(index, info)
	if io.Boot {
		w.hdr.BootIndex = uint32(index)
	}
	if res.RPFixed {
		w.rpfix = true
	}
	return nil
}

// Close writes the blob table, the XML document, the integrity table if
// asked, and finally the header. It does not close the file.
func (w *Writer) Close() error {
	if w.closed {
		return w.err
	}
	w.closed = true
	if w.err == nil {
		w.err = w.finish()
	}
	w.layout.release()
	if w.err != nil {
		if w.rw != nil {
			w.rw.Close()
		}
		w.mode.restore()
	}
	return w.err
}

func (w *Writer) finish() error {
	if len(w.images) == 0 {
		return errors.New("a WIM needs at least one image")
	}
	// What the header says of the images is final now: a pipable WIM
	// writes its first header before its data.
	w.hdr.ImageCount = uint32(len(w.images))
	if w.rpfix {
		w.hdr.Flags |= wimfmt.HdrFlagRPFix
	}
	if w.deriveGUID {
		w.hdr.GUID = w.derivedGUID()
	}
	off, err := w.layout.flush()
	if err != nil {
		return err
	}

	// Blob table: metadata entries in image order, then every other blob
	// by file offset, then what the layout adds (the solid run).
	var tbl []byte
	for _, im := range w.images {
		tbl = wimfmt.AppendBlobEntry(tbl, &wimfmt.BlobEntry{Hdr: im.meta, PartNumber: 1, RefCount: 1, Hash: im.hash})
	}
	blobs := w.table.All()
	slices.SortFunc(blobs, func(a, b *blob.Blob) int { return cmp.Compare(a.Hdr.Offset, b.Hdr.Offset) })
	for _, b := range blobs {
		if b.External || b.Size == 0 || b.Hdr.Flags&wimfmt.ResFlagSolid != 0 {
			continue
		}
		tbl = wimfmt.AppendBlobEntry(tbl, &wimfmt.BlobEntry{Hdr: b.Hdr, PartNumber: 1, RefCount: b.RefCount, Hash: b.Hash})
	}
	tbl = w.layout.entries(tbl)
	if w.hdr.BlobTable, off, err = w.layout.putRaw("blob table", tbl, off); err != nil {
		return err
	}
	// TOTALBYTES is where the XML resource starts (before its stream
	// header in a pipable WIM).
	if w.hdr.XML, off, err = w.layout.putRaw("XML data", w.xml.Encode(off), off); err != nil {
		return err
	}

	w.hdr.Integrity = wimfmt.ResHdr{}
	if w.opts.Integrity {
		// The chunks an in-place append left as they were keep their
		// checksums.
		old, oldEnd := w.mode.reusable()
		it, err := wimfmt.ComputeIntegrity(w.f, wimfmt.HeaderSize, w.hdr.BlobTable.End(), wimfmt.IntegrityChunkSize, old, oldEnd)
		if err != nil {
			return err
		}
		b := it.Bytes()
		if _, err := w.f.WriteAt(b, off); err != nil {
			return fmt.Errorf("writing integrity table: %w", err)
		}
		w.hdr.Integrity = wimfmt.ResHdr{StoredSize: int64(len(b)), Offset: off, OriginalSize: int64(len(b))}
		off += int64(len(b))
	}

	w.hdr.BootMetadata = wimfmt.ResHdr{}
	if w.hdr.BootIndex > 0 && int(w.hdr.BootIndex) <= len(w.images) {
		w.hdr.BootMetadata = w.images[w.hdr.BootIndex-1].meta
	}
	w.hdr.Flags &^= wimfmt.HdrFlagWriteInProgress
	// Data before header: with Sync the header, the commit point, reaches
	// the disk only after everything it points at.
	if s, ok := w.f.(interface{ Sync() error }); ok && w.opts.Sync {
		if err := s.Sync(); err != nil {
			return err
		}
	}
	end, err := w.layout.putHeader(off)
	if err != nil {
		return err
	}
	w.stats.Size = end
	if t, ok := w.f.(interface{ Truncate(int64) error }); ok {
		if err := t.Truncate(end); err != nil {
			return err
		}
	}
	return nil
}

// derivedGUID makes a reproducible GUID from what the WIM holds: the
// metadata hashes (which cover every name, time and stream hash) and the
// XML document without its TOTALBYTES.
func (w *Writer) derivedGUID() [16]byte {
	h := sha1.New()
	for _, im := range w.images {
		h.Write(im.hash[:])
	}
	h.Write(w.xml.Encode(0))
	var g [16]byte
	copy(g[:], h.Sum(nil))
	g[6] = g[6]&0x0F | 0x50 // a name-based (version 5) UUID
	g[8] = g[8]&0x3F | 0x80
	return g
}

// Stats describes the last image added and, after Close, the WIM's size.
type Stats struct {
	image.Stats
	Size int64
	// Unique is the file data the last image added to the WIM (its blobs
	// not already stored), Stored what it took there (0 and 0 for a
	// pipable WIM, whose data is written at Close).
	Unique, Stored int64
	// The file data's compression ("LZX", "None"...), level and chunk
	// size (the solid ones with Options.Solid), and the thread count.
	Compression      string
	Level, ChunkSize int
	Threads          int
}

// Stats returns the counters of the last image added and the WIM size.
func (w *Writer) Stats() Stats { return w.stats }
