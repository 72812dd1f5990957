package lzms

import (
	"runtime"
	"testing"

	"github.com/wimgo/wimgo/internal/codectest"
)

// TestMemoryNeeded checks MemoryNeeded against what NewCompressor and
// compressing a full chunk actually allocate (the engine sizes its worker
// pool with it): never less, and not wildly more. It must not run in
// parallel with other tests: TotalAlloc counts every goroutine.
func TestMemoryNeeded(t *testing.T) {
	text, bin := codectest.Corpus(t)
	data := append(append([]byte(nil), text...), bin...)
	for _, tc := range []struct{ chunk, level int }{
		{1 << 15, 50}, {1 << 20, 50}, {8 << 20, 1},
	} {
		if tc.chunk > 1<<20 && testing.Short() {
			continue // compressing 12 MiB: the full run checks it
		}
		src := make([]byte, tc.chunk)
		for i := 0; i < len(src); i += len(data) {
			copy(src[i:], data)
		}
		dst := make([]byte, tc.chunk)
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		c, err := NewCompressor(tc.chunk, tc.level)
		if err != nil {
			t.Fatal(err)
		}
		c.Compress(dst, src)
		c.Compress(dst, src[:tc.chunk/2])
		runtime.ReadMemStats(&after)
		runtime.KeepAlive(c)
		got := int64(after.TotalAlloc - before.TotalAlloc)
		need := MemoryNeeded(tc.chunk, tc.level)
		t.Logf("chunk %d level %d: allocated %d, MemoryNeeded %d", tc.chunk, tc.level, got, need)
		if got > need {
			t.Errorf("chunk %d level %d: allocated %d > MemoryNeeded %d", tc.chunk, tc.level, got, need)
		}
		if need > got+got/4+1<<20 {
			t.Errorf("chunk %d level %d: MemoryNeeded %d far above the %d allocated", tc.chunk, tc.level, need, got)
		}
	}
}
