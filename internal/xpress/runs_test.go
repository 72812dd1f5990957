package xpress

import (
	"bytes"
	"testing"

	"github.com/wimgo/wimgo/internal/codectest"
)

// TestRunsSize: 4 MiB of zeros and of long runs of a few byte values code
// no larger than wimlib's (wimlib 1.13.5 through the raw oracle, 32 KiB
// chunks, levels 20, 50 and 100: 33,664 bytes for the zeros, 263 a chunk,
// its table and one match; 33,722 for the runs). The lazy parsers coded
// runs that open a chunk as length-3 matches: 207,872 and 193,400 bytes.
// Sparse data (zeros with islands) 58,426 bytes (wimlib at level 50; 20:
// 58,441): the lazy parser took a run after an island as a copy of an
// earlier run of its byte, as long as that run was and far back, where a
// literal and offset 1 cover it whole (58,435 bytes). At 32 MiB the runs
// met that case too: 269,814 bytes (wimlib at 50 and 100), ours 269,819.
func TestRunsSize(t *testing.T) {
	const chunk = 32768
	codectest.CheckRunsSize(t, 32<<20, chunk, []int{20, 50}, map[string]int{"runs": 269814}, codectest.New(NewCompressor))
	codectest.CheckRunsSize(t, 4<<20, chunk, []int{20, 50, 100}, map[string]int{"zeros": 33664, "runs": 33722, "sparse": 58426}, codectest.New(NewCompressor))
}

// TestMatchToEndNotInserted: the positions of a match that runs to the
// chunk's end are not entered into the hash chains (no search follows;
// on a 4 KiB page repeated they were 85% of the time at level 50), and
// the chunk still round-trips.
func TestMatchToEndNotInserted(t *testing.T) {
	const chunk = 32768
	src := bytes.Repeat(codectest.RandomBytes(4096, 5), chunk/4096)
	for _, level := range []int{20, 50} {
		c, err := NewCompressor(chunk, level)
		if err != nil {
			t.Fatal(err)
		}
		for i := range c.hc.next {
			c.hc.next[i] = 0xFFFF
		}
		out := make([]byte, chunk)
		n := c.Compress(out[:chunk-1], src)
		if n == 0 {
			t.Fatalf("level %d: did not compress", level)
		}
		written := 0
		for p := 4096 + 64; p < chunk; p++ {
			if c.hc.next[p] != 0xFFFF {
				written++
			}
		}
		if written > 0 {
			t.Errorf("level %d: %d positions of the final match inserted", level, written)
		}
		d, _ := NewDecompressor(chunk)
		got := make([]byte, chunk)
		if err := d.Decompress(got, out[:n]); err != nil || !bytes.Equal(got, src) {
			t.Fatalf("level %d: round trip failed: %v", level, err)
		}
	}
}

// BenchmarkRuns: bytes and time on the repetitive inputs, beside wimlib's
// bytes (see codectest.BenchRuns for the CODEC_RUNS_* settings).
func BenchmarkRuns(b *testing.B) {
	codectest.BenchRuns(b, "xpress", 32768, codectest.New(NewCompressor))
}

// BenchmarkFileSizes: bytes and CPU speed at levels 20/50/100 of the files
// $CODEC_SIZE_FILES names, beside wimlib's bytes (codectest.BenchFileSizes).
func BenchmarkFileSizes(b *testing.B) {
	codectest.BenchFileSizes(b, "xpress", 32768, codectest.New(NewCompressor))
}
