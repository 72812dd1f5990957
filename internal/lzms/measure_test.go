package lzms

import (
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/wimgo/wimgo/internal/codectest"
)

// TestMeasure is a tool, not a test: LZMS_MEASURE=file:chunk:level[:runs]
// compresses the file and prints the compressed bytes and the best CPU
// time of the runs (compression only), then checks the round trip.
func TestMeasure(t *testing.T) {
	f, data, nums := measureSpec(t, "LZMS_MEASURE", 3)
	chunk, level, runs := nums[0], nums[1], nums[2]
	var best time.Duration
	var recs []record
	for r := range runs {
		c, err := NewCompressor(chunk, level)
		if err != nil {
			t.Fatal(err)
		}
		dst := make([]byte, chunk)
		recs = recs[:0]
		t0 := codectest.CPUTime()
		for off := 0; off < len(data); off += chunk {
			src := data[off:min(len(data), off+chunk)]
			n := c.Compress(dst, src)
			if n == 0 {
				recs = append(recs, record{USize: len(src), Data: src})
			} else {
				recs = append(recs, record{USize: len(src), Data: append([]byte(nil), dst[:n]...)})
			}
		}
		if d := codectest.CPUTime() - t0; r == 0 || d < best {
			best = d
		}
	}
	fmt.Printf("ours   %s chunk=%d L%d bytes=%d cpu=%.2fs\n", f[0], chunk, level, compSize(recs), best.Seconds())
	got := decodeRecords(t, chunk, recs)
	if string(got) != string(data) {
		t.Fatalf("round trip mismatch at %d", firstDiff(got, data))
	}
}

// TestMeasureSA is a tool, not a test: LZMS_MEASURE_SA=file:chunk[:runs]
// builds the suffix array of every chunk of the file, then the whole
// matchfinder index (suffix array, lcps, intervals), and prints the best
// CPU time of the runs for each.
func TestMeasureSA(t *testing.T) {
	f, data, nums := measureSpec(t, "LZMS_MEASURE_SA", 2)
	chunk, runs := nums[0], nums[1]
	var lf lcpFinder
	lf.init(chunk, 64)
	lf.alloc(chunk)
	sa := make([]int32, chunk)
	work := make([]int32, chunk+256)
	lms := make([]uint64, saisBitmap(chunk))
	var bestSA, bestAll time.Duration
	for r := range runs {
		t0 := codectest.CPUTime()
		for off := 0; off < len(data); off += chunk {
			src := data[off:min(len(data), off+chunk)]
			suffixArray(src, sa[:len(src)], 256, work, lms)
		}
		t1 := codectest.CPUTime()
		for off := 0; off < len(data); off += chunk {
			lf.reset(data[off:min(len(data), off+chunk)])
		}
		t2 := codectest.CPUTime()
		if r == 0 || t1-t0 < bestSA {
			bestSA = t1 - t0
		}
		if r == 0 || t2-t1 < bestAll {
			bestAll = t2 - t1
		}
	}
	fmt.Printf("sa     %s chunk=%d sa=%.3fs reset=%.3fs\n", f[0], chunk, bestSA.Seconds(), bestAll.Seconds())
}

// measureSpec reads the tools' setting env=file:n1:n2..., skipping the test
// when it is unset: the file's fields and bytes, and want numbers, the last
// (the run count) 1 when left out.
func measureSpec(t *testing.T, env string, want int) ([]string, []byte, []int) {
	spec := os.Getenv(env)
	if spec == "" {
		t.Skip(env + " not set")
	}
	f := strings.Split(spec, ":")
	data, err := os.ReadFile(f[0])
	if err != nil {
		t.Fatal(err)
	}
	nums := make([]int, want)
	nums[want-1] = 1
	for i := range nums {
		if i+1 < len(f) {
			nums[i], _ = strconv.Atoi(f[i+1])
		}
	}
	return f, data, nums
}
