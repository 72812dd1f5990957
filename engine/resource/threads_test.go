package resource

import (
	"crypto/sha1"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/wimgo/wimgo/internal/lzms"
)

// TestPoolsFitMemory gives every worker pool (plain, chunk pipeline, solid)
// a memory budget with room for three workers and asks for 64: each must
// start three, and still write correct resources.
func TestPoolsFitMemory(t *testing.T) {
	defer func(f func() int64) { memBudget = f }(memBudget)
	const want, chunk = 3, 32768
	budget := func(perThread int64) { memBudget = func() int64 { return want*perThread + perThread/2 } }
	lzx, err := codecFor(LZX)
	if err != nil {
		t.Fatal(err)
	}
	data := testData(10*chunk, 1)
	check := func(pool string, w *Writer, b *Blob) {
		t.Helper()
		if w.workers != want {
			t.Errorf("%s pool: %d workers for a budget of %d, want %d", pool, w.workers, want, want)
		}
		if b.Hash != sha1.Sum(data) {
			t.Errorf("%s pool: wrong hash", pool)
		}
	}

	budget(int64(plainBufFor(64)))
	w, err := NewWriter(&memFile{}, 0, Options{Threads: 64})
	if err != nil {
		t.Fatal(err)
	}
	b := &Blob{Size: int64(len(data)), Data: data}
	if err := w.Write(b); err != nil {
		t.Fatal(err)
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	check("plain", w, b)

	// The solid pool, here on the plain Writer's file.
	budget(lzx.memoryNeeded(chunk, 50) + 2*chunk)
	w.workers = -1
	b = &Blob{Size: int64(len(data)), Data: data}
	if _, err := w.WriteSolid([]*Blob{b}, LZX, chunk, 50); err != nil {
		t.Fatal(err)
	}
	check("solid", w, b)
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}

	bb := batchBytes(chunk, 64)
	budget(lzx.memoryNeeded(chunk, 50) + int64(batchCount(1, bb)*2*bb))
	w, err = NewWriter(&memFile{}, 0, Options{Type: LZX, ChunkSize: chunk, Threads: 64})
	if err != nil {
		t.Fatal(err)
	}
	b = &Blob{Size: int64(len(data)), Data: data}
	if err := w.Write(b); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	check("pipeline", w, b)
}

// TestSolidThreadsPerChunk: a solid resource of two chunks needs no more
// than two compressors, whatever the thread count and memory.
func TestSolidThreadsPerChunk(t *testing.T) {
	defer func(f func() int64) { memBudget = f }(memBudget)
	memBudget = func() int64 { return 1 << 40 }
	w, err := NewWriter(&memFile{}, 0, Options{Threads: 64})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	data := testData(40000, 2)
	if _, err := w.WriteSolid([]*Blob{{Size: int64(len(data)), Data: data}}, XPRESS, 32768, 50); err != nil {
		t.Fatal(err)
	}
	if w.workers != 2 {
		t.Errorf("%d workers for 2 chunks", w.workers)
	}
}

func TestThreadsCap(t *testing.T) {
	for _, c := range []struct{ in, want int }{{1, 1}, {7, 7}, {MaxThreads, MaxThreads}, {100000, MaxThreads}} {
		if got := Threads(c.in); got != c.want {
			t.Errorf("Threads(%d) = %d, want %d", c.in, got, c.want)
		}
	}
	if got := Threads(0); got < 1 || got > MaxThreads {
		t.Errorf("Threads(0) = %d", got)
	}
	w, err := NewWriter(&memFile{}, 0, Options{Threads: 100000})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	if w.workers > MaxThreads {
		t.Errorf("%d workers for --threads=100000", w.workers)
	}
}

// bufferSpy is a compressor that records the input buffers it is given.
type bufferSpy struct {
	mu   *sync.Mutex
	seen map[*byte]bool
}

func (s bufferSpy) Compress(dst, src []byte) int {
	s.mu.Lock()
	s.seen[&src[0]] = true
	s.mu.Unlock()
	return 0 // stored raw
}

// TestSolidBuffersPerWorker: the solid pool circulates one chunk's buffers
// per worker, as wimlib does for big chunks (a 64 MiB chunk more would
// cost as much memory, for the time to read a chunk), so the compressors
// see no more distinct input buffers than there are workers.
func TestSolidBuffersPerWorker(t *testing.T) {
	defer func(f func() int64) { memBudget = f }(memBudget)
	memBudget = func() int64 { return 1 << 40 }
	defer func(c *codec) { codecs[XPRESS] = c }(codecs[XPRESS])
	spy := bufferSpy{mu: new(sync.Mutex), seen: map[*byte]bool{}}
	codecs[XPRESS] = &codec{
		newCompressor: func(int, int) (compressor, error) { return spy, nil },
		memoryNeeded:  func(int, int) int64 { return 1 << 20 },
	}
	w, err := NewWriter(&memFile{}, 0, Options{Threads: 2})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	data := testData(32768*12, 3)
	if _, err := w.WriteSolid([]*Blob{{Size: int64(len(data)), Data: data}}, XPRESS, 32768, 50); err != nil {
		t.Fatal(err)
	}
	if w.workers != 2 || len(spy.seen) > w.workers {
		t.Errorf("%d workers saw %d input buffers", w.workers, len(spy.seen))
	}
}

// TestSpareThreads: a thread is lent only while fewer than threads are
// busy, and a lent one is wanted back once a worker starts (busy over
// threads).
func TestSpareThreads(t *testing.T) {
	s := &spareThreads{threads: 2}
	s.busy.Add(1) // one worker compressing, the other idle
	if !s.Take() {
		t.Fatal("no thread lent with one of two busy")
	}
	if s.Take() {
		t.Error("a second thread lent with two of two busy")
	}
	if s.Crowded() {
		t.Error("crowded at two of two")
	}
	s.busy.Add(1) // the idle worker starts a chunk
	if !s.Crowded() {
		t.Error("not crowded at three of two")
	}
	s.Give()
	if s.Crowded() || s.busy.Load() != 2 {
		t.Errorf("busy %d after the lent thread came back", s.busy.Load())
	}
}

// TestPeakGate: the solid pool's gate admits one worker in eight (at least
// one) at a time, and the LZMS compressor takes it.
func TestPeakGate(t *testing.T) {
	for workers, want := range map[int]int{1: 1, 2: 1, 8: 1, 9: 2, 16: 2, 64: 8} {
		if got := peakSlots(workers); got != want {
			t.Errorf("peakSlots(%d) = %d, want %d", workers, got, want)
		}
	}
	g := &peakGate{slots: make(chan struct{}, 2)}
	var in, most atomic.Int64
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 20 {
				g.Lock()
				now := in.Add(1)
				for m := most.Load(); now > m && !most.CompareAndSwap(m, now); m = most.Load() {
				}
				time.Sleep(100 * time.Microsecond) // long enough for the others to try
				in.Add(-1)
				g.Unlock()
			}
		})
	}
	wg.Wait()
	if most.Load() != 2 {
		t.Errorf("at most %d workers inside at once, want the gate's 2", most.Load())
	}
	c, err := lzms.NewCompressor(64<<20, 50)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := any(c).(gateUser); !ok {
		t.Error("the LZMS compressor takes no gate")
	}
}
