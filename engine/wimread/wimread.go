// Package wimread reads an existing WIM: its header, blob table, XML
// document, solid resources and image metadata, checked against the file
// before anything trusts them, and verifies its integrity table. The
// engine reads what it appends to, --delta-from bases and --update-of
// templates through it.
package wimread

import (
	"crypto/sha1"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/wimgo/wimgo/engine/resource"
	"github.com/wimgo/wimgo/engine/wimfmt"
)

// Limits on what is read from an existing WIM before trusting it.
const (
	maxBlobTable = 1 << 30 // bytes
	maxXML       = 64 << 20
	maxMetadata  = 1 << 30
)

// WIM is an existing WIM file opened for reading: header, blob table and XML
// parsed and checked against the file size.
type WIM struct {
	f         io.ReaderAt
	Size      int64
	Header    *wimfmt.Header
	Blobs     []wimfmt.BlobEntry // non-metadata entries
	Metadata  []wimfmt.BlobEntry // one per image, in image order
	XML       *wimfmt.WIMXML
	Integrity *wimfmt.IntegrityTable
	CType     resource.Type
	// Solid are the solid resources (version 0xE00 WIMs), in blob table
	// order, and SolidBlobs the blobs stored in them.
	Solid      []SolidResource
	SolidBlobs []SolidBlob
}

// SolidResource is one solid resource of an existing WIM.
type SolidResource struct {
	Hdr   wimfmt.ResHdr // its blob table entry (original size SolidResourceMagic)
	USize int64         // uncompressed size, from the resource's own header
	CType resource.Type
	Chunk int
}

// SolidBlob is a blob stored in a solid resource: Entry as in the blob
// table except that Hdr.Offset is relative to resource Res's uncompressed
// data (the table counts through every resource of the solid run).
// Hdr.StoredSize is the blob's size.
type SolidBlob struct {
	Entry wimfmt.BlobEntry
	Res   int
}

// Read parses an existing WIM for appending or verification. It refuses,
// with an error saying why, what cannot be appended to: split WIMs, and
// truncated or inconsistent files.
func Read(f io.ReaderAt, size int64, name string) (*WIM, error) {
	fail := func(err error) (*WIM, error) { return nil, fmt.Errorf("%s: %w", name, err) }
	hb := make([]byte, wimfmt.HeaderSize)
	if n, err := f.ReadAt(hb, 0); n < len(hb) {
		if err == nil || errors.Is(err, io.EOF) {
			return fail(fmt.Errorf("%w: file is only %d bytes", wimfmt.ErrNotWIM, size))
		}
		return fail(err)
	}
	h, err := wimfmt.ParseHeader(hb)
	if err != nil {
		return fail(err)
	}
	if h.Pipable {
		// The header at offset 0 of a pipable WIM was written before
		// anything else; the complete one is the copy at the end.
		if size < 2*wimfmt.HeaderSize {
			return fail(fmt.Errorf("%w: pipable WIM too short for its trailing header", wimfmt.ErrCorrupt))
		}
		tb := make([]byte, wimfmt.HeaderSize)
		if _, err := f.ReadAt(tb, size-wimfmt.HeaderSize); err != nil {
			return fail(err)
		}
		th, err := wimfmt.ParseHeader(tb)
		if err != nil || !th.Pipable || th.GUID != h.GUID {
			return fail(fmt.Errorf("%w: pipable WIM without its trailing header (incomplete?)", wimfmt.ErrCorrupt))
		}
		h = th
	}
	w := &WIM{f: f, Size: size, Header: h, CType: resource.Type(wimfmt.CompressionType(h.Flags))}
	switch {
	case h.TotalParts != 1 || h.Flags&wimfmt.HdrFlagSpanned != 0:
		return fail(fmt.Errorf("%w: part %d of a split WIM; appending to split WIMs is not supported", wimfmt.ErrUnsupported, h.PartNumber))
	}
	if w.CType == resource.None {
		if h.ChunkSize != 0 {
			return fail(fmt.Errorf("%w: chunk size %d in an uncompressed WIM", wimfmt.ErrCorrupt, h.ChunkSize))
		}
	} else if err := resource.CheckChunkSize(w.CType, int(h.ChunkSize)); err != nil {
		return fail(fmt.Errorf("%w: %v", wimfmt.ErrCorrupt, err))
	}
	check := func(what string, r wimfmt.ResHdr, limit int64) error {
		if r.Offset < wimfmt.HeaderSize || r.StoredSize < 0 || r.End() > size || r.End() < r.Offset {
			return fmt.Errorf("%w: %s at %d (%d bytes) lies outside the file (%d bytes): truncated?", wimfmt.ErrCorrupt, what, r.Offset, r.StoredSize, size)
		}
		if r.OriginalSize < 0 {
			return fmt.Errorf("%w: %s has a negative size", wimfmt.ErrCorrupt, what)
		}
		if r.OriginalSize > limit {
			return fmt.Errorf("%w: %s of %d bytes exceeds the limit of %d", wimfmt.ErrCorrupt, what, r.OriginalSize, limit)
		}
		if r.Flags&(wimfmt.ResFlagCompressed|wimfmt.ResFlagSolid) == 0 && r.StoredSize != r.OriginalSize {
			return fmt.Errorf("%w: uncompressed %s has stored size %d but size %d", wimfmt.ErrCorrupt, what, r.StoredSize, r.OriginalSize)
		}
		return nil
	}
	// The blob table, XML and integrity table are plain bytes: neither
	// compressed (MS software cannot read that) nor flagged solid.
	for _, r := range []wimfmt.ResHdr{h.BlobTable, h.XML, h.Integrity} {
		if r.Flags&(wimfmt.ResFlagCompressed|wimfmt.ResFlagSolid) != 0 {
			return fail(fmt.Errorf("%w: compressed or solid blob table, XML data or integrity table", wimfmt.ErrUnsupported))
		}
	}
	if h.BlobTable.IsZero() || h.XML.IsZero() {
		return fail(fmt.Errorf("%w: the WIM is incomplete (no blob table or XML data; an interrupted write?)", wimfmt.ErrCorrupt))
	}
	if err := check("blob table", h.BlobTable, maxBlobTable); err != nil {
		return fail(err)
	}
	if err := check("XML data", h.XML, maxXML); err != nil {
		return fail(err)
	}
	tb := make([]byte, h.BlobTable.OriginalSize)
	if _, err := f.ReadAt(tb, h.BlobTable.Offset); err != nil {
		return fail(fmt.Errorf("reading blob table: %w", err))
	}
	entries, err := wimfmt.ParseBlobTable(tb)
	if err != nil {
		return fail(err)
	}
	runStart := -1 // first of the current solid run's resources in w.Solid
	for i := range entries {
		e := &entries[i]
		if e.Hdr.Flags&wimfmt.ResFlagSolid != 0 && h.Version >= wimfmt.VersionSolid {
			if e.Hdr.Flags&wimfmt.ResFlagMetadata != 0 {
				return fail(fmt.Errorf("%w: image metadata in a solid resource", wimfmt.ErrUnsupported))
			}
			if runStart < 0 {
				runStart = len(w.Solid)
				if err := w.readSolidRun(entries[i:], check); err != nil {
					return fail(err)
				}
			}
			if e.Hdr.OriginalSize == wimfmt.SolidResourceMagic {
				continue
			}
			if e.Hash == ([20]byte{}) || e.Hdr.StoredSize == 0 || e.PartNumber != h.PartNumber {
				continue
			}
			if err := w.placeSolidBlob(*e, runStart); err != nil {
				return fail(err)
			}
			continue
		}
		// Any other entry ends a solid run. (Before version 0xE00 the
		// flag means nothing, as in wimlib.)
		runStart = -1
		e.Hdr.Flags &^= wimfmt.ResFlagSolid
		if e.PartNumber != h.PartNumber {
			continue
		}
		if e.Hdr.Flags&wimfmt.ResFlagMetadata != 0 {
			// Unreferenced ones are leftovers (WAIK's WinPE WIMs have
			// them); a shared one is not supported, as in wimlib.
			if e.RefCount == 0 {
				continue
			}
			if e.RefCount != 1 {
				return fail(fmt.Errorf("%w: metadata resource %d has reference count %d, not 1", wimfmt.ErrCorrupt, len(w.Metadata)+1, e.RefCount))
			}
			if err := check(fmt.Sprintf("metadata resource %d", len(w.Metadata)+1), e.Hdr, maxMetadata); err != nil {
				return fail(err)
			}
			w.Metadata = append(w.Metadata, *e)
			continue
		}
		if e.Hash == ([20]byte{}) || e.Hdr.OriginalSize == 0 {
			continue
		}
		if err := check(fmt.Sprintf("blob %x", e.Hash[:]), e.Hdr, 1<<62); err != nil {
			return fail(err)
		}
		w.Blobs = append(w.Blobs, *e)
	}
	// One metadata resource per image. wimlib only warns about extra
	// ones and drops them, and with them any file data wrongly flagged as
	// metadata: the WIM it writes then lacks blobs its images use.
	if len(w.Metadata) != int(h.ImageCount) {
		return fail(fmt.Errorf("%w: header says %d images, blob table has %d metadata resources", wimfmt.ErrCorrupt, h.ImageCount, len(w.Metadata)))
	}
	xb := make([]byte, h.XML.OriginalSize)
	if _, err := f.ReadAt(xb, h.XML.Offset); err != nil {
		return fail(fmt.Errorf("reading XML data: %w", err))
	}
	if w.XML, err = wimfmt.ParseWIMXML(xb); err != nil {
		return fail(err)
	}
	if w.XML.ImageCount() != int(h.ImageCount) {
		return fail(fmt.Errorf("%w: XML data describes %d images, header says %d", wimfmt.ErrCorrupt, w.XML.ImageCount(), h.ImageCount))
	}
	if !h.Integrity.IsZero() {
		if err := check("integrity table", h.Integrity, 1<<30); err != nil {
			return fail(err)
		}
		ib := make([]byte, h.Integrity.OriginalSize)
		if _, err := f.ReadAt(ib, h.Integrity.Offset); err != nil {
			return fail(fmt.Errorf("reading integrity table: %w", err))
		}
		if w.Integrity, err = wimfmt.ParseIntegrityTable(ib); err != nil {
			return fail(err)
		}
	}
	return w, nil
}

// readSolidRun records the solid resources of the run that starts at
// entries[0]: every entry up to the first one without the SOLID flag that
// has the magic original size, each with the sizes its own header gives.
func (w *WIM) readSolidRun(entries []wimfmt.BlobEntry, check func(string, wimfmt.ResHdr, int64) error) error {
	for _, e := range entries {
		if e.Hdr.Flags&wimfmt.ResFlagSolid == 0 {
			break
		}
		if e.Hdr.OriginalSize != wimfmt.SolidResourceMagic {
			continue
		}
		r := e.Hdr
		r.OriginalSize = 0 // not a size; check only the stored extent
		what := fmt.Sprintf("solid resource at %d", r.Offset)
		if err := check(what, r, 0); err != nil {
			return err
		}
		var hb [resource.SolidHeaderSize]byte
		if r.StoredSize < int64(len(hb)) {
			return fmt.Errorf("%w: %s is only %d bytes", wimfmt.ErrCorrupt, what, r.StoredSize)
		}
		if _, err := w.f.ReadAt(hb[:], r.Offset); err != nil {
			return fmt.Errorf("reading %s: %w", what, err)
		}
		s := SolidResource{
			Hdr:   e.Hdr,
			USize: int64(binary.LittleEndian.Uint64(hb[0:])),
			Chunk: int(binary.LittleEndian.Uint32(hb[8:])),
			CType: resource.Type(binary.LittleEndian.Uint32(hb[12:])),
		}
		if s.USize < 0 || s.USize > 1<<56 {
			return fmt.Errorf("%w: %s claims %d bytes", wimfmt.ErrCorrupt, what, s.USize)
		}
		if s.CType != resource.None {
			if err := resource.CheckChunkSize(s.CType, s.Chunk); err != nil {
				return fmt.Errorf("%w: %s: %v", wimfmt.ErrCorrupt, what, err)
			}
		}
		w.Solid = append(w.Solid, s)
	}
	return nil
}

// placeSolidBlob finds which resource of the run starting at w.Solid[run]
// holds the blob of e (its offset counts through the run's resources as if
// they were one) and records it.
func (w *WIM) placeSolidBlob(e wimfmt.BlobEntry, run int) error {
	off, size := e.Hdr.Offset, e.Hdr.StoredSize
	for i := run; i < len(w.Solid); i++ {
		if off >= 0 && size > 0 && off+size <= w.Solid[i].USize {
			e.Hdr.Offset = off
			w.SolidBlobs = append(w.SolidBlobs, SolidBlob{Entry: e, Res: i})
			return nil
		}
		off -= w.Solid[i].USize
	}
	return fmt.Errorf("%w: blob %x (%d bytes at %d) lies outside its solid resources", wimfmt.ErrCorrupt, e.Hash[:], size, e.Hdr.Offset)
}

// BlobRef names a stored blob by hash and size, wherever it is.
type BlobRef struct {
	Hash [20]byte
	Size int64
}

// AllBlobs lists every file-data blob, in ordinary and solid resources.
func (w *WIM) AllBlobs() []BlobRef {
	out := make([]BlobRef, 0, len(w.Blobs)+len(w.SolidBlobs))
	for _, e := range w.Blobs {
		out = append(out, BlobRef{e.Hash, e.Hdr.OriginalSize})
	}
	for _, s := range w.SolidBlobs {
		out = append(out, BlobRef{s.Entry.Hash, s.Entry.Hdr.StoredSize})
	}
	return out
}

// ReadMetadata returns image index's (1-based) metadata resource, checked
// against its SHA-1.
func (w *WIM) ReadMetadata(index int) ([]byte, error) {
	e := w.Metadata[index-1]
	read := resource.Read
	if w.Header.Pipable {
		read = resource.ReadPipable
	}
	b, err := read(w.f, e.Hdr, w.CType, int(w.Header.ChunkSize), maxMetadata)
	if err != nil {
		return nil, fmt.Errorf("image %d metadata: %w", index, err)
	}
	if sha1.Sum(b) != e.Hash {
		return nil, fmt.Errorf("%w: image %d metadata does not match its SHA-1", wimfmt.ErrCorrupt, index)
	}
	return b, nil
}

// VerifyMetadata checks image index's (1-based) metadata resource against
// its SHA-1, streaming it: memory stays within a chunk whatever its size.
func (w *WIM) VerifyMetadata(index int) error {
	e := w.Metadata[index-1]
	open := resource.NewReader
	if w.Header.Pipable {
		open = resource.NewPipableReader
	}
	r, err := open(w.f, e.Hdr, w.CType, int(w.Header.ChunkSize))
	if err == nil {
		h := sha1.New()
		var n int64
		if n, err = io.Copy(h, r); err == nil && n != e.Hdr.OriginalSize {
			err = fmt.Errorf("%w: resource at offset %d ends early", wimfmt.ErrCorrupt, e.Hdr.Offset)
		} else if err == nil && [20]byte(h.Sum(nil)) != e.Hash {
			err = fmt.Errorf("%w: image %d metadata does not match its SHA-1", wimfmt.ErrCorrupt, index)
		}
	}
	if err != nil {
		return fmt.Errorf("image %d metadata: %w", index, err)
	}
	return nil
}

// VerifyIntegrity checks the integrity table against the file; it returns
// an error wrapping wimfmt.ErrCorrupt on a mismatch.
func (w *WIM) VerifyIntegrity() error {
	t := w.Integrity
	if t == nil {
		return nil
	}
	end := w.Header.BlobTable.End()
	got, err := wimfmt.ComputeIntegrity(w.f, wimfmt.HeaderSize, end, t.ChunkSize, nil, 0)
	if err != nil {
		return err
	}
	if len(got.Hashes) != len(t.Hashes) {
		return fmt.Errorf("%w: integrity table has %d entries, the file needs %d", wimfmt.ErrCorrupt, len(t.Hashes), len(got.Hashes))
	}
	for i := range t.Hashes {
		if got.Hashes[i] != t.Hashes[i] {
			start := wimfmt.HeaderSize + int64(i)*int64(t.ChunkSize)
			return fmt.Errorf("%w: integrity check failed: bytes %d..%d do not match the integrity table", wimfmt.ErrCorrupt, start, min(start+int64(t.ChunkSize), end))
		}
	}
	return nil
}

// Open opens path read-only and parses it.
func Open(path string) (*WIM, *os.File, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, err
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, nil, err
	}
	w, err := Read(f, st.Size(), path)
	if err != nil {
		f.Close()
		return nil, nil, err
	}
	return w, f, nil
}
