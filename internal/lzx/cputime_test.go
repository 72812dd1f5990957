package lzx

import (
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/wimgo/wimgo/internal/codectest"
)

// TestCPUTime compresses the file named by LZX_CPU_FILE at 32K chunks and
// prints the compressed size and the best CPU time of LZX_CPU_RUNS
// runs (default 3) per level in LZX_CPU_LEVELS (default 20,50,100). CPU
// time, unlike wall time, is stable on a loaded machine.
func TestCPUTime(t *testing.T) {
	f := os.Getenv("LZX_CPU_FILE")
	data := codectest.EnvFile(t, "LZX_CPU_FILE")
	runs := 3
	if v, err := strconv.Atoi(os.Getenv("LZX_CPU_RUNS")); err == nil && v > 0 {
		runs = v
	}
	levels := "20,50,100"
	if v := os.Getenv("LZX_CPU_LEVELS"); v != "" {
		levels = v
	}
	const chunk = 1 << 15
	dst := make([]byte, chunk)
	for _, ls := range strings.Split(levels, ",") {
		level, err := strconv.Atoi(ls)
		if err != nil {
			t.Fatal(err)
		}
		c, _ := NewCompressor(chunk, level)
		overrideParams(c, chunk)
		best := time.Duration(1 << 62)
		total := 0
		for range runs {
			start := codectest.CPUTime()
			total = 0
			for p := 0; p < len(data); p += chunk {
				src := data[p:min(p+chunk, len(data))]
				n := c.Compress(dst[:len(src)-1], src)
				if n == 0 {
					n = len(src)
				}
				total += n
			}
			best = min(best, codectest.CPUTime()-start)
		}
		t.Logf("L%d %s bytes=%d cpu=%.3fs %.1f MB/s", level, f, total, best.Seconds(), float64(len(data))/best.Seconds()/1e6)
	}
}
