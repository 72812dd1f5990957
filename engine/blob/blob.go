// Package blob holds blob identity for single-instance storage: where a
// blob's bytes live, its SHA-1 once known, and the table that merges blobs
// with equal content.
//
// During a scan nothing is read: a blob is a location and a size. Only blobs
// whose size collides with another's are hashed before writing (equal content
// implies equal size); the rest are hashed while they are written.
package blob

import (
	"bytes"
	"crypto/sha1"
	"io"
	"sync/atomic"

	"github.com/wimgo/wimgo/engine/wimfmt"
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

// Reader opens the blob's bytes (see Source).
func (b *Blob) Reader() (io.ReadCloser, error) {
	s, err := OpenSource(b)
	if err != nil {
		return nil, err
	}
	return &s, nil
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
	return b.computeHash(buf, nil, nil)
}

// keepMax is the largest file whose bytes hashing keeps (see Kept): on a
// tree of tiny files, opening each file a second time to store it was
// about a third of a capture's system calls. The saving is per file and
// the memory per byte, so only small files qualify: with 4 KiB the Go
// tree's capture peaked 10 MB higher, with 1 KiB 3 MB.
const keepMax = 1 << 10

// computeHash is ComputeHash that, given a budget, keeps the bytes of a
// file of at most keepMax bytes in Data while the budget lasts (see Kept).
// The bytes are read through buf, a piece at a time (see OpenSource).
func (b *Blob) computeHash(buf []byte, budget *atomic.Int64, dirs *DirCache) error {
	if b.Data != nil {
		b.Hash = sha1.Sum(b.Data)
		b.Hashed = true
		return nil
	}
	if len(buf) == 0 {
		buf = make([]byte, 64<<10)
	}
	s, err := dirs.OpenSource(b)
	if err != nil {
		return err
	}
	defer s.Close()
	h := sha1.New()
	for rem := b.Size; rem > 0; {
		p, err := s.Next(buf, int(min(rem, int64(len(buf)))))
		if err != nil {
			return err
		}
		h.Write(p)
		rem -= int64(len(p))
	}
	if err := s.Finish(); err != nil {
		return err
	}
	h.Sum(b.Hash[:0])
	b.Hashed = true
	if budget != nil && b.Path != "" && b.Size <= keepMax && b.Size <= int64(len(buf)) && budget.Add(-b.Size) >= 0 {
		b.Data = bytes.Clone(buf[:b.Size])
	}
	return nil
}
