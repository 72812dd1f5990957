package xpress

import (
	"bytes"
	"os"
	"testing"

	"github.com/wimgo/wimgo/internal/codectest"
)

// TestRunsMeasure prints bytes and CPU time on the repetitive inputs, ours
// beside wimlib's bytes (raw oracle), with CODEC_RUNS_MEASURE=1
// (CODEC_RUNS_MB sets the size).
func TestRunsMeasure(t *testing.T) {
	if os.Getenv("CODEC_RUNS_MEASURE") == "" {
		t.Skip("CODEC_RUNS_MEASURE not set")
	}
	const chunk = 32768
	for _, in := range codectest.RunInputs(codectest.RunsMeasureSize()) {
		if !codectest.RunsWanted(in.Name) {
			continue
		}
		for _, level := range codectest.RunsLevels([]int{20, 50, 100}) {
			c, err := NewCompressor(chunk, level)
			if err != nil {
				t.Fatal(err)
			}
			n, cpu := codectest.CompressAll(t, c, chunk, in.Data)
			w := 0
			for _, r := range codectest.OracleCompress(t, "xpress", chunk, level, in.Data) {
				w += len(r.Data)
			}
			t.Logf("%-6s L%-3d ours %9d bytes %7.3f s  wimlib %9d", in.Name, level, n, cpu.Seconds(), w)
		}
	}
}

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
	for _, level := range []int{20, 50} {
		c, err := NewCompressor(chunk, level)
		if err != nil {
			t.Fatal(err)
		}
		if n, _ := codectest.CompressAll(t, c, chunk, codectest.RunInputs(32 << 20)[1].Data); n > 269814 {
			t.Errorf("32 MiB of runs at level %d: %d bytes, wimlib 269,814", level, n)
		}
	}
	bound := map[string]int{"zeros": 33664, "runs": 33722, "sparse": 58426}
	for _, in := range codectest.RunInputs(4 << 20) {
		want, ok := bound[in.Name]
		if !ok {
			continue
		}
		for _, level := range []int{20, 50, 100} {
			c, err := NewCompressor(chunk, level)
			if err != nil {
				t.Fatal(err)
			}
			if n, _ := codectest.CompressAll(t, c, chunk, in.Data); n > want {
				t.Errorf("%s at level %d: %d bytes, wimlib %d", in.Name, level, n, want)
			}
		}
	}
}

// TestFileSizes prints bytes at levels 20/50/100 for $CODEC_SIZE_FILES.
func TestFileSizes(t *testing.T) {
	for name, data := range codectest.SizeFiles(t) {
		for _, level := range codectest.RunsLevels([]int{20, 50, 100}) {
			c, _ := NewCompressor(32768, level)
			n, cpu := codectest.CompressAll(t, c, 32768, data)
			t.Logf("%s L%d %d bytes %.3f s", name, level, n, cpu.Seconds())
		}
	}
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
