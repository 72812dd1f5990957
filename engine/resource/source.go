package resource

import (
	"errors"
	"io"
	"os"

	"github.com/wimgo/wimgo/internal/fsutil"
)

// source reads one blob's bytes sequentially, from whichever of Data, Path
// or Open supplies them, and checks that exactly Size bytes are there.
// Paths go through raw file descriptors (fsutil.FD): os.File's poller
// registration and finalizer cost more than the read itself for the small
// files that dominate a capture.
type source struct {
	b    *Blob
	data []byte        // Data
	fd   fsutil.FD     // Path read with pread, or fsutil.NoFD
	rc   io.ReadCloser // Open
	pos  int64
}

// openSource opens b for reading from its first byte.
//
// Files are read with pread, never mapped: on the Go tree a mapping of each
// file over 1 MiB cost 15% more CPU than reading it into a reused buffer
// (page faults outweigh the saved copy), and a mapped file truncated under
// us faults.
func openSource(b *Blob) (source, error) {
	s := source{b: b, fd: fsutil.NoFD}
	switch {
	case b.Data != nil:
		if int64(len(b.Data)) != b.Size {
			return source{}, blobErr(b, "", errSizeChanged(int64(len(b.Data)), b.Size))
		}
		s.data = b.Data
	case b.Path != "":
		fd, err := fsutil.OpenFD(b.Path)
		if err != nil {
			var pe *os.PathError
			if errors.As(err, &pe) {
				err = pe.Err // the blob error names the file
			}
			return source{}, blobErr(b, "open", err)
		}
		size, err := fsutil.Size(fd)
		if err != nil {
			fsutil.CloseFD(fd)
			return source{}, blobErr(b, "stat", err)
		}
		if size != b.Size {
			fsutil.CloseFD(fd)
			return source{}, blobErr(b, "", errSizeChanged(size, b.Size))
		}
		s.fd = fd
	case b.Open != nil:
		rc, err := b.Open()
		if err != nil {
			return source{}, blobErr(b, "open", err)
		}
		s.rc = rc
	default:
		if b.Size != 0 {
			return source{}, blobErr(b, "", errors.New("blob has no Data, Path or Open"))
		}
	}
	return s, nil
}

// next returns the blob's next n bytes: a view of Data when the blob is in
// memory, else buf[:n] filled from the source. A short
// source is ErrChanged.
func (s *source) next(buf []byte, n int) ([]byte, error) {
	if s.data != nil {
		p := s.data[s.pos : s.pos+int64(n)]
		s.pos += int64(n)
		return p, nil
	}
	p := buf[:n]
	return p, s.readFull(p)
}

// readFull fills p with the blob's next len(p) bytes.
func (s *source) readFull(p []byte) error {
	if s.data != nil {
		copy(p, s.data[s.pos:])
		s.pos += int64(len(p))
		return nil
	}
	if s.fd != fsutil.NoFD {
		for len(p) > 0 {
			n, err := fsutil.ReadAt(s.fd, p, s.pos)
			if err != nil {
				return blobErr(s.b, "read", err)
			}
			if n == 0 {
				return blobErr(s.b, "", errSizeChanged(s.pos, s.b.Size))
			}
			p = p[n:]
			s.pos += int64(n)
		}
		return nil
	}
	n, err := io.ReadFull(s.rc, p)
	s.pos += int64(n)
	if err == io.EOF || err == io.ErrUnexpectedEOF {
		return blobErr(s.b, "", errSizeChanged(s.pos, s.b.Size))
	}
	if err != nil {
		return blobErr(s.b, "read", err)
	}
	return nil
}

// finish checks, once Size bytes were read, that the source has no more
// (Open streams only: a Path's size was checked at open and Data is fixed),
// then closes it.
func (s *source) finish() error {
	if s.rc != nil {
		var one [1]byte
		n, _ := io.ReadFull(s.rc, one[:])
		if n > 0 {
			s.close()
			return blobErr(s.b, "", changedError("file changed size during capture (longer than expected)"))
		}
	}
	return s.close()
}

// close releases the source; it is safe to call more than once.
func (s *source) close() error {
	var err error
	s.data = nil
	if s.fd != fsutil.NoFD {
		fsutil.CloseFD(s.fd)
		s.fd = fsutil.NoFD
	}
	if s.rc != nil {
		if cerr := s.rc.Close(); cerr != nil && err == nil {
			err = blobErr(s.b, "close", cerr)
		}
		s.rc = nil
	}
	return err
}
