package blob

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/wimgo/wimgo/internal/fsutil"
)

// Source reads one blob's bytes sequentially, from whichever of Data, Path
// or Open supplies them, and checks that exactly Size bytes are there. It
// is the one way blob bytes are read: for hashing (ComputeHash, HashAll),
// for storing (engine/resource) and through Reader.
// Paths go through raw file descriptors (fsutil.FD): os.File's poller
// registration and finalizer cost more than the read itself for the small
// files that dominate a capture.
type Source struct {
	b    *Blob
	data []byte        // Data
	fd   fsutil.FD     // Path read with pread, or fsutil.NoFD
	rc   io.ReadCloser // Open
	pos  int64
}

// OpenSource opens b for reading from its first byte.
//
// Files are read with pread into the caller's buffer, never mapped, at any
// size. Measured on this project's build machine (2 shared cores, a VM;
// BenchmarkReadVsMap in readmap_bench_test.go: SHA-1 of files through a
// reused 1 MiB buffer or a MADV_SEQUENTIAL mapping), reading won at every
// size, warm and cold-ish (evicted with POSIX_FADV_DONTNEED):
//
//	size     warm read  warm mmap  cold read  cold mmap   (MB/s)
//	4 KiB    141-150    32-52      19-24      10
//	64 KiB   408-804    56-59      141-153    21-32
//	256 KiB  343-369    87-182     78-252     130-139
//	1 MiB    312-470    188-249    273-285    126-175
//	64 MiB   287-421    197-235    304-442    161-177
//
// Page faults cost more than the copy they save; earlier, on the Go tree,
// mapping each file over 1 MiB cost 15% more CPU too. A mapped file
// truncated under us also faults, where a read just comes up short.
func OpenSource(b *Blob) (Source, error) { return openSource(b, nil) }

// OpenSource is the package function, opening a file in the directory
// the cache holds open when it is the file's (see DirCache).
func (c *DirCache) OpenSource(b *Blob) (Source, error) { return openSource(b, c) }

func openSource(b *Blob, c *DirCache) (Source, error) {
	s := Source{b: b, fd: fsutil.NoFD}
	switch {
	case b.Data != nil:
		if int64(len(b.Data)) != b.Size {
			return Source{}, b.Err("", errSizeChanged(int64(len(b.Data)), b.Size))
		}
		s.data = b.Data
	case b.Path != "":
		fd, err := c.open(b.Path)
		if err != nil {
			var pe *os.PathError
			if errors.As(err, &pe) {
				err = pe.Err // the blob error names the file
			}
			return Source{}, b.Err("open", err)
		}
		// The size is checked by the reads (ReadFull): short, or a byte
		// after the last, is ErrChanged. Only an empty file, never read,
		// needs a stat of its own.
		if b.Size == 0 {
			size, err := fsutil.Size(fd)
			if err != nil {
				fsutil.CloseFD(fd)
				return Source{}, b.Err("stat", err)
			}
			if size != 0 {
				fsutil.CloseFD(fd)
				return Source{}, b.Err("", errSizeChanged(size, b.Size))
			}
		}
		s.fd = fd
	case b.Open != nil:
		rc, err := b.Open()
		if err != nil {
			return Source{}, b.Err("open", err)
		}
		s.rc = rc
	default:
		if b.Size != 0 {
			return Source{}, b.Err("", errors.New("blob has no Data, Path or Open"))
		}
	}
	return s, nil
}

// Next returns the blob's next n bytes: a view of Data when the blob is in
// memory, else buf[:n] filled from the source. A short
// source is ErrChanged.
func (s *Source) Next(buf []byte, n int) ([]byte, error) {
	if s.data != nil {
		p := s.data[s.pos : s.pos+int64(n)]
		s.pos += int64(n)
		return p, nil
	}
	p := buf[:n]
	return p, s.ReadFull(p)
}

// SkipTo moves to byte off of the blob, which must be in memory or a file:
// an Open stream reads only in order. Pipeline workers read a big blob's
// chunks this way, each its own range.
func (s *Source) SkipTo(off int64) error {
	if s.rc != nil {
		return s.b.Err("", errors.New("cannot seek in a stream"))
	}
	if off < 0 || off > s.b.Size {
		return s.b.Err("", fmt.Errorf("seek to %d outside the blob's %d bytes", off, s.b.Size))
	}
	s.pos = off
	return nil
}

// ReadFull fills p with the blob's next len(p) bytes. A file is checked
// to be Size bytes long by its reads: one that ends early, or, on the read
// that ends at Size, has a byte more, is ErrChanged.
func (s *Source) ReadFull(p []byte) error {
	if s.data != nil {
		copy(p, s.data[s.pos:])
		s.pos += int64(len(p))
		return nil
	}
	if s.fd != fsutil.NoFD {
		last := s.pos+int64(len(p)) == s.b.Size
		for len(p) > 0 {
			var (
				n    int
				past bool
				err  error
			)
			if last {
				n, past, err = fsutil.ReadAtEnd(s.fd, p, s.pos)
			} else {
				n, err = fsutil.ReadAt(s.fd, p, s.pos)
			}
			if err != nil {
				return s.b.Err("read", err)
			}
			if past {
				return s.b.Err("", errLonger)
			}
			if n == 0 {
				return s.b.Err("", errSizeChanged(s.pos, s.b.Size))
			}
			p = p[n:]
			s.pos += int64(n)
		}
		return nil
	}
	n, err := io.ReadFull(s.rc, p)
	s.pos += int64(n)
	if err == io.EOF || err == io.ErrUnexpectedEOF {
		return s.b.Err("", errSizeChanged(s.pos, s.b.Size))
	}
	if err != nil {
		return s.b.Err("read", err)
	}
	return nil
}

// Finish checks, once Size bytes were read, that the source has no more
// (Open streams only: a Path's last read checked it and Data is fixed),
// then closes it.
func (s *Source) Finish() error {
	if s.rc != nil {
		var one [1]byte
		n, _ := io.ReadFull(s.rc, one[:])
		if n > 0 {
			s.Close()
			return s.b.Err("", errLonger)
		}
	}
	return s.Close()
}

// Close releases the source; it is safe to call more than once.
func (s *Source) Close() error {
	var err error
	s.data = nil
	if s.fd != fsutil.NoFD {
		fsutil.CloseFD(s.fd)
		s.fd = fsutil.NoFD
	}
	if s.rc != nil {
		if cerr := s.rc.Close(); cerr != nil && err == nil {
			err = s.b.Err("close", cerr)
		}
		s.rc = nil
	}
	return err
}

// Read reads the blob's next bytes, io.EOF after Size of them (Reader).
func (s *Source) Read(p []byte) (int, error) {
	rem := s.b.Size - s.pos
	if rem <= 0 {
		if err := s.Finish(); err != nil {
			return 0, err
		}
		return 0, io.EOF
	}
	p = p[:min(int64(len(p)), rem)]
	if err := s.ReadFull(p); err != nil {
		return 0, err
	}
	return len(p), nil
}

// DirCache keeps the directory of the last file it opened open, so the
// next file of that directory opens relative to it: a capture reads blobs
// in the order of the scan, directory by directory, and a file opened by
// its whole path has the kernel resolve every component again. On an
// uncompressed capture of 20,000 small files ten levels deep the lookups
// under the hashing workers' opens went from 5.9% to 3.7% of the CPU
// samples (the last component, a dentry cache miss, is most of a
// lookup). One goroutine uses a cache; Close releases it. The zero value
// is ready, and a nil cache opens every file by its path.
type DirCache struct {
	dir string
	fd  fsutil.FD
	ok  bool // fd is open on dir; if not, dir did not open
}

func (c *DirCache) open(path string) (fsutil.FD, error) {
	if c == nil {
		return fsutil.OpenFD(path)
	}
	dir, name := filepath.Split(path)
	if name == "" || dir == "" {
		return fsutil.OpenFD(path)
	}
	if dir != c.dir {
		c.Close()
		c.dir = dir
		if fd, err := openDirFD(dir); err == nil {
			c.fd, c.ok = fd, true
		}
	}
	if !c.ok {
		// Searchable but not readable, or not supported here: the file
		// may still open by its path, which reports its own error if not.
		return fsutil.OpenFD(path)
	}
	return fsutil.OpenFDAt(c.fd, name, path)
}

// openDirFD is fsutil.OpenDirFD, counted by tests.
var openDirFD = fsutil.OpenDirFD

// Close closes the directory the cache holds, if any.
func (c *DirCache) Close() {
	if c.ok {
		fsutil.CloseFD(c.fd)
	}
	*c = DirCache{}
}
