package resource

import (
	"crypto/sha1"

	"github.com/wimgo/wimgo/engine/blob"
)

// segment is one blob's run of consecutive chunks in a batch, which the
// batch's worker reads from the blob's source and hashes (see chunkPipe).
type segment struct {
	bj    *blobJob
	start int   // in batch.in
	n     int   // bytes
	off   int64 // the blob offset of its first byte
	index int   // the blob's segments before it
}

// whole reports whether the segment is its blob, hashed without waiting.
func (sg *segment) whole() bool { return sg.off == 0 && int64(sg.n) == sg.bj.b.Size }

// deferred reports whether a blob's bytes may be read by the workers, a
// range at a time: a file or bytes in memory, not an Open stream.
func deferred(b *Blob) bool { return b.Data != nil || b.Path != "" }

// filler is one worker's reading state.
type filler struct{ dirs blob.DirCache }

// fill reads the segments of bt and hashes them: a blob within the batch
// at once, a blob spread over batches in turn, segment after segment,
// whichever workers hold them. It reports false when the Writer failed.
func (f *filler) fill(p *chunkPipe, bt *batch) bool {
	// A batch is consecutive blobs, mostly of a few directories.
	defer f.dirs.Close()
	w := p.w
	for i := range bt.segs {
		sg := &bt.segs[i]
		dst := bt.in[sg.start : sg.start+sg.n]
		if err := readSegment(f, sg, dst); err != nil {
			w.fail(err)
			return false
		}
		b := sg.bj.b
		if sg.whole() {
			w.checkHash(b, sha1.Sum(dst))
		} else if !p.hashInTurn(sg, dst) {
			return false
		}
		// Reported per chunk, as wimlib reports.
		for rem := sg.n; rem > 0; rem -= p.chunk {
			w.progress(int64(min(rem, p.chunk)))
		}
	}
	return !w.failed()
}

// readSegment is filler.read, replaced by tests to fail a segment.
var readSegment = (*filler).read

// read fills dst with the segment's bytes.
func (f *filler) read(sg *segment, dst []byte) error {
	s, err := f.dirs.OpenSource(sg.bj.b)
	if err != nil {
		return err
	}
	defer s.Close()
	if err := s.SkipTo(sg.off); err != nil {
		return err
	}
	return s.ReadFull(dst)
}

// hashInTurn adds a segment of a blob spread over batches to its running
// SHA-1 once the segments before it are in, and checks or sets the hash
// at its last. Batches reach the workers in order, so the worker of an
// earlier segment is never waiting for a later one; a failure wakes every
// waiter (Writer.fail).
func (p *chunkPipe) hashInTurn(sg *segment, data []byte) bool {
	w, bj := p.w, sg.bj
	w.turnMu.Lock()
	for bj.turn != sg.index {
		if w.failed() {
			w.turnMu.Unlock()
			return false
		}
		w.turnCond().Wait()
	}
	w.turnMu.Unlock()
	// Only this segment's worker touches bj.h now.
	if sg.index == 0 {
		bj.h = sha1.New()
	}
	bj.h.Write(data)
	if sg.off+int64(sg.n) == bj.b.Size {
		var sum [20]byte
		bj.h.Sum(sum[:0])
		bj.h = nil
		w.checkHash(bj.b, sum)
	}
	w.turnMu.Lock()
	bj.turn++
	w.turnCond().Broadcast()
	w.turnMu.Unlock()
	return true
}
