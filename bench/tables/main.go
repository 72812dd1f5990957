// Command tables turns the output of the bench package's benchmarks into
// the markdown tables of the README, so that those are regenerated, never
// edited by hand:
//
//	go test ./bench -run '^$' -bench . -benchtime 1x | tee bench.txt | go run ./bench/tables
//
// Repeated runs of a benchmark (-count, or several outputs concatenated)
// become ranges, min–max. Lines that are not benchmark results are ignored.
package main

import (
	"bufio"
	"fmt"
	"io"
	"math"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

func main() {
	benches, err := parse(os.Stdin)
	if err != nil {
		fmt.Fprintln(os.Stderr, "tables:", err)
		os.Exit(1)
	}
	if len(benches) == 0 {
		fmt.Fprintln(os.Stderr, "tables: no benchmark results on standard input")
		os.Exit(1)
	}
	render(os.Stdout, benches)
}

// bench is one top-level benchmark with its sub-benchmarks in the order
// they first appeared.
type bench struct {
	name string
	subs []*sub
}

// sub is one sub-benchmark (or the benchmark itself, name ""): every value
// each metric took, over all runs.
type sub struct {
	name    string
	metrics map[string][]float64
}

// A result line: name, GOMAXPROCS suffix, iterations, then value-unit pairs.
var resultLine = regexp.MustCompile(`^(Benchmark[^\s/]+?)(?:/(\S+?))?(?:-\d+)?\s+\d+\s+(.*)$`)

func parse(r io.Reader) ([]*bench, error) {
	var out []*bench
	byName := map[string]*bench{}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		m := resultLine.FindStringSubmatch(strings.TrimSpace(sc.Text()))
		if m == nil {
			continue
		}
		f := strings.Fields(m[3])
		if len(f)%2 != 0 {
			return nil, fmt.Errorf("odd value/unit list in %q", sc.Text())
		}
		b := byName[m[1]]
		if b == nil {
			b = &bench{name: m[1]}
			byName[m[1]] = b
			out = append(out, b)
		}
		i := slices.IndexFunc(b.subs, func(s *sub) bool { return s.name == m[2] })
		if i < 0 {
			b.subs = append(b.subs, &sub{name: m[2], metrics: map[string][]float64{}})
			i = len(b.subs) - 1
		}
		s := b.subs[i]
		for j := 0; j < len(f); j += 2 {
			v, err := strconv.ParseFloat(f[j], 64)
			if err != nil {
				return nil, fmt.Errorf("value %q in %q: %v", f[j], sc.Text(), err)
			}
			s.metrics[f[j+1]] = append(s.metrics[f[j+1]], v)
		}
	}
	return out, sc.Err()
}

func render(w io.Writer, benches []*bench) {
	for _, b := range benches {
		switch {
		case b.name == "BenchmarkScaling":
			renderScaling(w, b)
		case b.has("ours-bytes"):
			renderCapture(w, b)
		default:
			fmt.Fprintf(w, "%s: no table for its metrics\n\n", b.name)
		}
	}
}

func (b *bench) has(metric string) bool {
	return slices.ContainsFunc(b.subs, func(s *sub) bool { return len(s.metrics[metric]) > 0 })
}

// label is the first column: the setting, or the benchmark's name.
func (s *sub) label(b *bench) string {
	if s.name == "" {
		return strings.TrimPrefix(b.name, "Benchmark")
	}
	if s.name == "solid" {
		return "`--solid`"
	}
	return s.name
}

// renderCapture is the table of a side-by-side benchmark (report in
// bench_test.go), with per-file columns when it has them.
func renderCapture(w io.Writer, b *bench) {
	perFile, cpu := b.has("ours-us/file"), b.has("ours-cpu-s")
	fmt.Fprintf(w, "%s:\n\n", b.name)
	head := "| setting | bytes, ours / wimlib | wall, ours / wimlib |"
	rule := "| --- | --- | --- |"
	if cpu {
		head += " CPU, ours / wimlib |"
		rule += " --- |"
	}
	head += " peak RSS, ours / wimlib |"
	rule += " --- |"
	if perFile {
		head += " per file: wall, RSS, ours / wimlib |"
		rule += " --- |"
	}
	fmt.Fprintln(w, head)
	fmt.Fprintln(w, rule)
	for _, s := range b.subs {
		m := s.metrics
		row := fmt.Sprintf("| %s | %s / %s | %s / %s s (%s) |", s.label(b),
			rng(m["ours-bytes"], count), rng(m["wimlib-bytes"], count),
			rng(m["ours-s"], secs), rng(m["wimlib-s"], secs), ratios(m["wall-ratio"], "skipped"))
		if cpu {
			row += fmt.Sprintf(" %s / %s s (%s) |",
				rngOr(m["ours-cpu-s"], secs, "–"), rngOr(m["wimlib-cpu-s"], secs, "–"), ratios(m["cpu-ratio"], "–"))
		}
		row += fmt.Sprintf(" %s / %s MiB |", rng(kib2mib(m["ours-rss-KB"]), count), rng(kib2mib(m["wimlib-rss-KB"]), count))
		if perFile {
			row += fmt.Sprintf(" %s / %s µs, %s / %s B |",
				rng(m["ours-us/file"], micros), rng(m["wimlib-us/file"], micros),
				rng(m["ours-rss-B/file"], count), rng(m["wimlib-rss-B/file"], count))
		}
		fmt.Fprintln(w, row)
	}
	fmt.Fprintln(w)
}

// renderScaling is BenchmarkScaling's two tables: CPU seconds per stage,
// and projected wall time and measured peak memory at many threads.
func renderScaling(w io.Writer, b *bench) {
	fmt.Fprintf(w, "%s, CPU seconds per stage, --threads=1 / --threads=2:\n\n", b.name)
	fmt.Fprintln(w, "| setting | tool | scan | read + SHA-1 | write | compress | wall measured |")
	fmt.Fprintln(w, "| --- | --- | --- | --- | --- | --- | --- |")
	for _, s := range b.subs {
		for _, tool := range []string{"ours", "wimlib"} {
			cells := []string{s.label(b), tool}
			for _, stage := range []string{"scan-cpu-s", "read-cpu-s", "write-cpu-s", "compress-cpu-s", "wall-s"} {
				cells = append(cells, rng(s.metrics[tool+"-t1-"+stage], secs)+" / "+rng(s.metrics[tool+"-t2-"+stage], secs))
			}
			fmt.Fprintf(w, "| %s |\n", strings.Join(cells, " | "))
		}
	}
	fmt.Fprintln(w)
	fmt.Fprintf(w, "%s, projected wall on idle cores and measured peak RSS, ours / wimlib:\n\n", b.name)
	fmt.Fprintln(w, "| setting | 8 cores | 16 cores | 64 cores | saturates at (cores) | RSS --threads=16 | RSS --threads=64 |")
	fmt.Fprintln(w, "| --- | --- | --- | --- | --- | --- | --- |")
	for _, s := range b.subs {
		m := s.metrics
		cells := []string{s.label(b)}
		for _, n := range []string{"8c", "16c", "64c"} {
			cells = append(cells, fmt.Sprintf("%s / %s s (%sx)",
				rng(m["ours-"+n+"-wall-s"], secs), rng(m["wimlib-"+n+"-wall-s"], secs), rng(m[n+"-wall-ratio"], ratio)))
		}
		cells = append(cells, rngOr(m["ours-sat-cores"], sat, "unbounded")+" / "+rngOr(m["wimlib-sat-cores"], sat, "unbounded"))
		for _, t := range []string{"t16", "t64"} {
			cells = append(cells, rng(kib2mib(m["ours-"+t+"-rss-KB"]), count)+" / "+rng(kib2mib(m["wimlib-"+t+"-rss-KB"]), count)+" MiB")
		}
		fmt.Fprintf(w, "| %s |\n", strings.Join(cells, " | "))
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, "(skipped: not measured, it would not have fit in memory; unbounded: no serial stage limits it)")
	fmt.Fprintln(w)
}

func kib2mib(v []float64) []float64 {
	out := make([]float64, len(v))
	for i, x := range v {
		out[i] = math.Round(x / 1024)
	}
	return out
}

// rng formats the values as one number or a min–max range; none at all is
// "skipped" (a measurement the benchmark left out).
func rng(v []float64, f func(float64) string) string { return rngOr(v, f, "skipped") }

// rngOr is rng with missing for no values.
func rngOr(v []float64, f func(float64) string, missing string) string {
	if len(v) == 0 {
		return missing
	}
	lo, hi := slices.Min(v), slices.Max(v)
	a, b := f(lo), f(hi)
	if a == b {
		return a
	}
	return a + "–" + b
}

// ratios formats the ratios of repeated side-by-side runs: one or a
// min–max range, and from three runs on their median first (each run's
// pair is measured together, so the median pair says more than the times'
// ranges on a machine whose load drifts).
func ratios(v []float64, missing string) string {
	if len(v) < 3 {
		return rngOr(v, ratio, missing) + "x"
	}
	sorted := slices.Sorted(slices.Values(v))
	med := sorted[len(sorted)/2]
	if len(sorted)%2 == 0 {
		med = (sorted[len(sorted)/2-1] + sorted[len(sorted)/2]) / 2
	}
	return fmt.Sprintf("%sx median, %s", ratio(med), rngOr(v, ratio, missing))
}

// count is an integer with thousands separators.
func count(x float64) string {
	s := strconv.FormatInt(int64(math.Round(x)), 10)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	if neg {
		s = "-" + s
	}
	return s
}

// secs has two decimals, one from 10 up, three under 0.1.
func secs(x float64) string {
	if math.Abs(x) < 0.0005 {
		x = 0 // differences of CPU times: no "-0.00"
	}
	switch a := math.Abs(x); {
	case a >= 10:
		return strconv.FormatFloat(x, 'f', 1, 64)
	case a >= 0.1 || a == 0:
		return strconv.FormatFloat(x, 'f', 2, 64)
	}
	return strconv.FormatFloat(x, 'f', 3, 64)
}

// micros is a count from 100 up, one decimal under.
func micros(x float64) string {
	if math.Abs(x) >= 100 {
		return count(x)
	}
	return strconv.FormatFloat(x, 'f', 1, 64)
}

func ratio(x float64) string { return strconv.FormatFloat(x, 'f', 2, 64) }

func sat(x float64) string { return strconv.FormatFloat(x, 'f', 1, 64) }
