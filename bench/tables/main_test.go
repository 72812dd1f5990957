package main

import (
	"strconv"
	"strings"
	"testing"
)

// Two runs of a side-by-side benchmark (the second differing), a
// benchmark without sub-benchmarks, log lines, and a scaling result
// with one memory measurement skipped and one tool without a saturation.
const sample = `goos: linux
BenchmarkCaptureDeepTree/LZX:50-2   	       1	 913741950 ns/op	 0.8000 wall-ratio	 1.0 size-ratio	 1.6 ours-s	 2.0 wimlib-s	 1.5 ours-cpu-s	 2.5 wimlib-cpu-s	 0.6 cpu-ratio	 1234567 ours-bytes	 1234567 wimlib-bytes	 20480 ours-rss-KB	 10240 wimlib-rss-KB	 80 ours-us/file	 1100 wimlib-us/file	 1048 ours-rss-B/file	 524 wimlib-rss-B/file
--- BENCH: BenchmarkCaptureDeepTree/LZX:50-2
    bench_test.go:1: BenchmarkFake/x-2 1 2 ns/op is a log line, not a result
BenchmarkCaptureDeepTree/solid-2    	       1	 913741950 ns/op	 0.5000 wall-ratio	 1.0 size-ratio	 12.34 ours-s	 24.68 wimlib-s	 1000 ours-bytes	 999 wimlib-bytes	 20480 ours-rss-KB	 10240 wimlib-rss-KB	 80 ours-us/file	 100 wimlib-us/file	 1048 ours-rss-B/file	 524 wimlib-rss-B/file
BenchmarkCaptureDeepTree/LZX:50-2   	       1	 913741950 ns/op	 0.9000 wall-ratio	 1.0 size-ratio	 1.8 ours-s	 2.0 wimlib-s	 1234567 ours-bytes	 1234567 wimlib-bytes	 21504 ours-rss-KB	 10240 wimlib-rss-KB	 90 ours-us/file	 100 wimlib-us/file	 1100 ours-rss-B/file	 524 wimlib-rss-B/file
BenchmarkAppendSmallToLarge-2 	       1	  11000000 ns/op	 1.25 wall-ratio	 1.0 size-ratio	 0.01 ours-s	 0.008 wimlib-s	 5 ours-bytes	 5 wimlib-bytes	 6144 ours-rss-KB	 6144 wimlib-rss-KB
BenchmarkScaling/none-2 	       1	 913741950 ns/op	 1.1 16c-wall-ratio	 1.0 64c-wall-ratio	 1.2 8c-wall-ratio	 0.03 ours-16c-wall-s	 0.03 ours-64c-wall-s	 0.036 ours-8c-wall-s	 0 ours-t1-compress-cpu-s	 0 ours-t1-read-cpu-s	 0.04 ours-t1-scan-cpu-s	 0.18 ours-t1-wall-s	 0.01 ours-t1-write-cpu-s	 11872 ours-t16-rss-KB	 0 ours-t2-compress-cpu-s	 0.03 ours-t2-read-cpu-s	 0.03 ours-t2-scan-cpu-s	 0.12 ours-t2-wall-s	 0.02 ours-t2-write-cpu-s	 0.03 wimlib-16c-wall-s	 0.03 wimlib-64c-wall-s	 0.03 wimlib-8c-wall-s	 1.000 wimlib-sat-cores	 0 wimlib-t1-compress-cpu-s	 0.02 wimlib-t1-read-cpu-s	 0.01 wimlib-t1-scan-cpu-s	 0.15 wimlib-t1-wall-s	 0.01 wimlib-t1-write-cpu-s	 6412 wimlib-t16-rss-KB	 0 wimlib-t2-compress-cpu-s	 0.02 wimlib-t2-read-cpu-s	 0.01 wimlib-t2-scan-cpu-s	 0.11 wimlib-t2-wall-s	 -0.0000000001 wimlib-t2-write-cpu-s	 6304 wimlib-t64-rss-KB
PASS
`

func TestTables(t *testing.T) {
	benches, err := parse(strings.NewReader(sample))
	if err != nil {
		t.Fatal(err)
	}
	var out strings.Builder
	render(&out, benches)
	got := out.String()
	for _, want := range []string{
		"| LZX:50 | 1,234,567 / 1,234,567 | 1.60–1.80 / 2.00 s (0.80–0.90x) | 1.50 / 2.50 s (0.60x) | 20–21 / 10 MiB | 80.0–90.0 / 100–1,100 µs, 1,048–1,100 / 524 B |\n",
		"| `--solid` | 1,000 / 999 | 12.3 / 24.7 s (0.50x) | – / – s (–x) | 20 / 10 MiB | 80.0 / 100 µs, 1,048 / 524 B |\n",
		"| AppendSmallToLarge | 5 / 5 | 0.010 / 0.008 s (1.25x) | 6 / 6 MiB |\n",
		"| none | ours | 0.040 / 0.030 | 0.00 / 0.030 | 0.010 / 0.020 | 0.00 / 0.00 | 0.18 / 0.12 |\n",
		"| none | wimlib | 0.010 / 0.010 | 0.020 / 0.020 | 0.010 / 0.00 | 0.00 / 0.00 | 0.15 / 0.11 |\n",
		"| none | 0.036 / 0.030 s (1.20x) | 0.030 / 0.030 s (1.10x) | 0.030 / 0.030 s (1.00x) | unbounded / 1.0 | 12 / 6 MiB | skipped / 6 MiB |\n",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("output lacks %q; got\n%s", want, got)
		}
	}
	if strings.Contains(got, "BenchmarkFake") {
		t.Errorf("a log line was read as a result:\n%s", got)
	}
	for v, want := range map[string]string{
		"0.9":              "0.90x",
		"0.9 0.8":          "0.80–0.90x",
		"0.9 0.7 0.8":      "0.80x median, 0.70–0.90",
		"0.9 0.7 0.8 0.75": "0.78x median, 0.70–0.90",
	} {
		var vals []float64
		for _, f := range strings.Fields(v) {
			x, _ := strconv.ParseFloat(f, 64)
			vals = append(vals, x)
		}
		if got := ratios(vals, "–"); got != want {
			t.Errorf("ratios(%s) = %q, want %q", v, got, want)
		}
	}
	// The LZX:50 runs are one row, before solid's: first-appearance order.
	if i, j := strings.Index(got, "| LZX:50 |"), strings.Index(got, "| `--solid` |"); i < 0 || j < i || strings.Count(got, "| LZX:50 |") != 1 {
		t.Errorf("rows out of order or repeated:\n%s", got)
	}
}
