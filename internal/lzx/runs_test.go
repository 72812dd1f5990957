package lzx

import (
	"os"
	"testing"

	"github.com/wimgo/wimgo/internal/codectest"
)

// TestRunsMeasure prints bytes and CPU time on the repetitive inputs, ours
// beside wimlib's bytes (raw oracle), with CODEC_RUNS_MEASURE=1
// (CODEC_RUNS_MB sets the size, CODEC_RUNS_CHUNK the chunk size).
func TestRunsMeasure(t *testing.T) {
	if os.Getenv("CODEC_RUNS_MEASURE") == "" {
		t.Skip("CODEC_RUNS_MEASURE not set")
	}
	chunk := codectest.RunsChunk(32768)
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
			if os.Getenv("CODEC_RUNS_MEASURE") != "ours" {
				for _, r := range codectest.OracleCompress(t, "lzx", chunk, level, in.Data) {
					w += len(r.Data)
				}
			}
			t.Logf("%-6s L%-3d ours %9d bytes %7.3f s  wimlib %9d", in.Name, level, n, cpu.Seconds(), w)
		}
	}
}

// TestFileSizes prints bytes at levels 20/50/100 for $CODEC_SIZE_FILES.
func TestFileSizes(t *testing.T) {
	chunk := codectest.RunsChunk(32768)
	for name, data := range codectest.SizeFiles(t) {
		for _, level := range codectest.RunsLevels([]int{20, 50, 100}) {
			c, _ := NewCompressor(chunk, level)
			n, cpu := codectest.CompressAll(t, c, chunk, data)
			t.Logf("%s L%d %d bytes %.3f s", name, level, n, cpu.Seconds())
		}
	}
}

// TestRunsSize: 4 MiB of zeros and of long runs of a few byte values code
// no larger than wimlib's (wimlib 1.13.5 through the raw oracle, 32 KiB
// chunks, levels 20, 50 and 100: 9,984 bytes for the zeros, 78 a chunk;
// 10,024 for the runs).
func TestRunsSize(t *testing.T) {
	const chunk = 32768
	bound := map[string]int{"zeros": 9984, "runs": 10024}
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

// TestRunsSkipTree: inside long runs the near-optimal parser gives the
// binary trees only the positions it searches and a run's last ones, not
// every position (every position took a tree walk: 4 MiB of zeros cost
// 4 Mi visits, and long runs were 1.7x wimlib's time).
func TestRunsSkipTree(t *testing.T) {
	const chunk = 32768
	zeros := make([]byte, 4<<20)
	for _, level := range []int{50, 100} {
		c, err := NewCompressor(chunk, level)
		if err != nil {
			t.Fatal(err)
		}
		codectest.CompressAll(t, c, chunk, zeros)
		// A search every maxMatchLen bytes, the position before it, and
		// each chunk's last maxMatchLen+1 positions.
		limit := len(zeros)/maxMatchLen*2 + len(zeros)/chunk*(maxMatchLen+4)
		if v := c.no.treeVisits; v > limit {
			t.Errorf("level %d: %d tree visits for %d zeros, want at most %d", level, v, len(zeros), limit)
		}
	}
}
