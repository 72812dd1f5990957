package lzms

import (
	"fmt"
	"os"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// TestMeasure is a tool, not a test: LZMS_MEASURE=file:chunk:level[:runs]
// compresses the file and prints the compressed bytes and the best CPU
// time of the runs (compression only), then checks the round trip.
func TestMeasure(t *testing.T) {
	spec := os.Getenv("LZMS_MEASURE")
	if spec == "" {
		t.Skip("LZMS_MEASURE not set")
	}
	f := strings.Split(spec, ":")
	data, err := os.ReadFile(f[0])
	if err != nil {
		t.Fatal(err)
	}
	chunk, _ := strconv.Atoi(f[1])
	level, _ := strconv.Atoi(f[2])
	runs := 1
	if len(f) > 3 {
		runs, _ = strconv.Atoi(f[3])
	}
	var best time.Duration
	var recs []record
	for r := range runs {
		c, err := NewCompressor(chunk, level)
		if err != nil {
			t.Fatal(err)
		}
		dst := make([]byte, chunk)
		recs = recs[:0]
		t0 := cpuTime()
		for off := 0; off < len(data); off += chunk {
			src := data[off:min(len(data), off+chunk)]
			n := c.Compress(dst, src)
			if n == 0 {
				recs = append(recs, record{USize: len(src), Data: src})
			} else {
				recs = append(recs, record{USize: len(src), Data: append([]byte(nil), dst[:n]...)})
			}
		}
		if d := cpuTime() - t0; r == 0 || d < best {
			best = d
		}
	}
	fmt.Printf("ours   %s chunk=%d L%d bytes=%d cpu=%.2fs\n", f[0], chunk, level, compSize(recs), best.Seconds())
	got := decodeRecords(t, chunk, recs)
	if string(got) != string(data) {
		t.Fatalf("round trip mismatch at %d", firstDiff(got, data))
	}
}
