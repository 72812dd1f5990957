// Package blob holds blob identity for single-instance storage: where a
// blob's bytes live, its SHA-1 once known, and the table that merges blobs
// with equal content.
//
// During a scan nothing is read: a blob is a location and a size. Only blobs
// whose size collides with another's are hashed before writing (equal content
// implies equal size); the rest are hashed while they are written.
package blob

import (
	"os"
	"sync/atomic"

	"bytes"
	"crypto/sha1"
	"fmt"
	"io"

	"github.com/wimgo/wimgo/engine/wimfmt"
	"github.com/wimgo/wimgo/internal/fsutil"
)

// Blob is one stream of bytes to store once.
type Blob struct {
	Size int64

	// Where the bytes are: exactly one of Path, Data, Open (or InWIM);
	// or both Path and Data when hashing kept a small file's bytes (see
	// Kept), Data then winning.
	Path string
	Data []byte
	Open func() (io.ReadCloser, error)
	// Name names the blob in error messages (a path in the source).
	Name string

	// Hdr: where the blob sits in the WIM (see InWIM).
	Hdr wimfmt.ResHdr

	Hash   [20]byte
	Hashed bool
	// InWIM: the blob already sits in the WIM being appended to (or a
	// --delta-from base, then External is set), at Hdr.
	InWIM    bool
	External bool
	// Assumed: Hash was taken from an --update-of template, not computed;
	// if the blob is read after all, what it really hashes to wins.
	Assumed bool

	// RefCount counts the stream references to this blob across all images,
	// one per hard-link name.
	RefCount uint32

	// merged points at the blob this one turned out to duplicate.
	merged *Blob
}

// Resolve follows merges to the blob that is stored.
func (b *Blob) Resolve() *Blob {
	for b.merged != nil {
		b = b.merged
	}
	return b
}

// Reader opens the blob's bytes.
func (b *Blob) Reader() (io.ReadCloser, error) {
	switch {
	case b.Data != nil:
		return io.NopCloser(bytes.NewReader(b.Data)), nil
	case b.Path != "":
		return fsutil.OpenNoATime(b.Path)
	case b.Open != nil:
		return b.Open()
	}
	return nil, fmt.Errorf("%s: blob has no source", b.Name)
}

// Kept reports whether Data holds a file's bytes that hashing kept, so
// that storing the file needs no second open. Whoever stores the blob
// drops them (Drop).
func (b *Blob) Kept() bool { return b.Data != nil && b.Path != "" }

// Drop releases bytes hashing kept; the file is read again if needed.
func (b *Blob) Drop() {
	if b.Kept() {
		b.Data = nil
	}
}

// ComputeHash reads the blob and sets its SHA-1, checking the size.
func (b *Blob) ComputeHash(buf []byte) error {
	return b.computeHash(buf, nil)
}

// computeHash is ComputeHash that, given a budget, keeps the bytes of a
// file of at most keepMax bytes in Data while the budget lasts (see Kept).
func (b *Blob) computeHash(buf []byte, budget *atomic.Int64) error {
	if b.Data != nil {
		b.Hash = sha1.Sum(b.Data)
		b.Hashed = true
		return nil
	}
	if b.Path != "" {
		return b.hashPath(buf, budget)
	}
	r, err := b.Reader()
	if err != nil {
		return err
	}
	defer r.Close()
	h := sha1.New()
	n, err := io.CopyBuffer(h, io.LimitReader(r, b.Size+1), buf)
	if err != nil {
		return fmt.Errorf("%s: %w", b.Name, err)
	}
	if n != b.Size {
		return errChangedSize(b, n)
	}
	h.Sum(b.Hash[:0])
	b.Hashed = true
	return nil
}

func errChangedSize(b *Blob, n int64) error {
	return fmt.Errorf("%s: file changed size during capture (%d bytes, expected %d)", b.Name, n, b.Size)
}

// mmapMin is the size from which hashing maps the file instead of copying
// it through read(2): one copy less, for more page-table work than a small
// file is worth.
const mmapMin = 256 << 10

// keepMax is the largest file whose bytes hashing keeps (see Kept): on a
// tree of tiny files, opening each file a second time to store it was
// about a third of a capture's system calls. The saving is per file and
// the memory per byte, so only small files qualify: with 4 KiB the Go
// tree's capture peaked 10 MB higher, with 1 KiB 3 MB.
const keepMax = 1 << 10

// hashPath hashes a file through a raw descriptor: small files with one
// read into buf (asking one byte more, to see a file that grew), large ones
// through a read-only mapping.
func (b *Blob) hashPath(buf []byte, budget *atomic.Int64) error {
	fd, err := fsutil.OpenFD(b.Path)
	if err != nil {
		return err
	}
	defer fsutil.CloseFD(fd)
	if b.Size >= mmapMin || b.Size >= int64(len(buf)) {
		return b.hashMapped(fd, buf)
	}
	want := buf[:b.Size+1]
	got := 0
	for got < len(want) {
		n, err := fsutil.Read(fd, want[got:])
		if err != nil {
			return &os.PathError{Op: "read", Path: b.Path, Err: err}
		}
		if n == 0 {
			break
		}
		got += n
		if int64(got) == b.Size && got < len(want) {
			// A short read of a regular file is its end: no second read
			// to hear it again (a tree of tiny files makes that count).
			break
		}
	}
	if int64(got) != b.Size {
		return errChangedSize(b, int64(got))
	}
	b.Hash = sha1.Sum(buf[:got])
	b.Hashed = true
	if budget != nil && got <= keepMax && budget.Add(-int64(got)) >= 0 {
		b.Data = bytes.Clone(buf[:got])
	}
	return nil
}
