package resource

import (
	"testing"
	"unsafe"
)

// spanRecorder is a compressor that records where in the batch's out each
// chunk was given room, and writes its whole room (as a codec writing from
// both ends may), returning a quarter of the chunk, or 0 for chunks of
// odd length.
type spanRecorder struct {
	base  *byte
	spans [][2]int // offset in out, length
}

func (s *spanRecorder) Compress(dst, src []byte) int {
	off := int(uintptr(unsafe.Pointer(unsafe.SliceData(dst))) - uintptr(unsafe.Pointer(s.base)))
	s.spans = append(s.spans, [2]int{off, len(dst)})
	for i := range dst {
		dst[i] = 0xAA
	}
	if len(src)%2 == 1 {
		return 0
	}
	return len(src) / 4
}

// TestBatchOutputPacked: compressBatch gives each chunk room in out right
// after the compressed bytes before it, so the part of out a batch ever
// touches is its compressed bytes plus one chunk, not its whole input.
func TestBatchOutputPacked(t *testing.T) {
	const chunk = 32 << 10
	b := newBatch(batchBytes(chunk, 1))
	ns := []int{chunk, chunk, 777, chunk - 1, chunk, 5000, chunk}
	for _, n := range ns {
		b.chunks = append(b.chunks, chunkRef{start: b.used, n: n})
		b.used += n
	}
	rec := &spanRecorder{base: unsafe.SliceData(b.out)}
	compressBatch(rec, b)
	o, touched := 0, 0
	for i, r := range b.chunks {
		sp := rec.spans[i]
		if sp[0] != o || sp[1] != r.n || r.ostart != o {
			t.Fatalf("chunk %d: room at %d (%d bytes), ostart %d; want at %d (%d bytes)", i, sp[0], sp[1], r.ostart, o, r.n)
		}
		touched = max(touched, sp[0]+sp[1])
		o += r.csize
	}
	if limit := o + chunk; touched > limit {
		t.Fatalf("out touched up to %d, want at most %d (compressed %d + one chunk)", touched, limit, o)
	}
}

// TestBatchBytes: batches are whole chunks, at most 16 chunks or 1 MiB as
// before with few threads, and with many threads all batches together hold
// at most batchBudget bytes of input (or one chunk a batch).
func TestBatchBytes(t *testing.T) {
	for _, chunk := range []int{4 << 10, 32 << 10, 128 << 10, 1 << 20, 4 << 20} {
		for _, threads := range []int{1, 2, 4, 8, 16, 64, 1024} {
			bb := batchBytes(chunk, threads)
			few := max(chunk, min(batchChunks*chunk, batchMaxBytes))
			if bb%chunk != 0 || bb < chunk || bb > few {
				t.Errorf("chunk %d, %d threads: batch of %d bytes, want whole chunks, %d to %d", chunk, threads, bb, chunk, few)
			}
			if threads <= 8 && bb != few {
				t.Errorf("chunk %d, %d threads: batch of %d bytes, want %d as with few threads", chunk, threads, bb, few)
			}
			total := batchCount(threads, bb) * bb
			if bb > chunk && total > batchBudget {
				t.Errorf("chunk %d, %d threads: %d batches of %d bytes hold %d, over %d", chunk, threads, batchCount(threads, bb), bb, total, batchBudget)
			}
		}
	}
}
