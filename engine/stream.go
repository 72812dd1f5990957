package engine

import (
	"fmt"
	"io"
	"sync"
)

// seqWriter turns the engine's positioned writes into a stream (a pipable
// WIM written to standard output or a pipe). Writes may arrive a little
// out of order (uncompressed blobs are written by several workers); those
// ahead of the stream's end wait in memory, and a writer more than window
// bytes ahead waits for the others, which bounds that memory.
type seqWriter struct {
	mu      sync.Mutex
	cond    *sync.Cond
	w       io.Writer
	off     int64            // bytes written to w so far
	pending map[int64][]byte // writes ahead of off
	window  int64
	err     error
	name    string // in error messages
}

func newSeqWriter(w io.Writer) *seqWriter {
	s := &seqWriter{w: w, pending: make(map[int64][]byte), window: 64 << 20, name: "standard output"}
	s.cond = sync.NewCond(&s.mu)
	return s
}

func (s *seqWriter) WriteAt(p []byte, off int64) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for s.err == nil && off > s.off+s.window {
		s.cond.Wait()
	}
	if s.err != nil {
		return 0, s.err
	}
	if off < s.off {
		s.err = fmt.Errorf("%s: cannot go back to offset %d (at %d)", s.name, off, s.off)
		return 0, s.err
	}
	if off > s.off {
		s.pending[off] = append([]byte(nil), p...)
		return len(p), nil
	}
	n := len(p) // p moves on to the pending writes this one releases
	for {
		if _, err := s.w.Write(p); err != nil {
			s.err = fmt.Errorf("writing to %s: %w", s.name, err)
			s.cond.Broadcast()
			return 0, s.err
		}
		s.off += int64(len(p))
		next, ok := s.pending[s.off]
		if !ok {
			break
		}
		delete(s.pending, s.off)
		p = next
	}
	s.cond.Broadcast()
	return n, nil
}

// ReadAt is not possible on a stream; the engine reads back only for an
// integrity table, which a pipe cannot have.
func (s *seqWriter) ReadAt([]byte, int64) (int, error) {
	return 0, fmt.Errorf("%s cannot be read back", s.name)
}

// written is the number of bytes streamed so far.
func (s *seqWriter) written() int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.off
}

// finish reports an error if some write never joined the stream.
func (s *seqWriter) finish() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.err == nil && len(s.pending) > 0 {
		s.err = fmt.Errorf("%s: %d writes left unwritten", s.name, len(s.pending))
	}
	return s.err
}
