package lzms

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
	chunk := codectest.RunsChunk(131072)
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
				for _, r := range codectest.OracleCompress(t, "lzms", chunk, level, in.Data) {
					w += len(r.Data)
				}
			}
			t.Logf("%-6s L%-3d ours %9d bytes %7.3f s  wimlib %9d", in.Name, level, n, cpu.Seconds(), w)
		}
	}
}

// TestFileSizes prints bytes at levels 20/50/100 for $CODEC_SIZE_FILES.
func TestFileSizes(t *testing.T) {
	chunk := codectest.RunsChunk(131072)
	for name, data := range codectest.SizeFiles(t) {
		for _, level := range []int{20, 50, 100} {
			c, _ := NewCompressor(chunk, level)
			n, cpu := codectest.CompressAll(t, c, chunk, data)
			t.Logf("%s L%d %d bytes %.3f s", name, level, n, cpu.Seconds())
		}
	}
}
