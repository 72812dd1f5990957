package lzx

import (
	"os"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestCPUTime compresses the file named by LZX_CPU_FILE at 32K chunks and
// prints the compressed size and the best user CPU time of LZX_CPU_RUNS
// runs (default 3) per level in LZX_CPU_LEVELS (default 20,50,100). CPU
// time, unlike wall time, is stable on a loaded machine.
func TestCPUTime(t *testing.T) {
	f := os.Getenv("LZX_CPU_FILE")
	if f == "" {
		t.Skip("LZX_CPU_FILE not set")
	}
	data, err := os.ReadFile(f)
	if err != nil {
		t.Fatal(err)
	}
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
			start := userTime()
			total = 0
			for p := 0; p < len(data); p += chunk {
				src := data[p:min(p+chunk, len(data))]
				n := c.Compress(dst[:len(src)-1], src)
				if n == 0 {
					n = len(src)
				}
				total += n
			}
			best = min(best, userTime()-start)
		}
		t.Logf("L%d %s bytes=%d cpu=%.3fs %.1f MB/s", level, f, total, best.Seconds(), float64(len(data))/best.Seconds()/1e6)
	}
}

func userTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano())
}
