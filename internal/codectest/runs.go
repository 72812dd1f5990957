package codectest

import (
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// RunInputs are highly repetitive inputs as disk images hold them: zeros,
// long runs of a few byte values, one 4 KiB page repeated, and sparse data
// (zeros with small islands of random bytes and text). Each is n bytes.
func RunInputs(n int) []struct {
	Name string
	Data []byte
} {
	r := rand.New(rand.NewPCG(1, 2))
	runs := make([]byte, 0, n)
	vals := []byte{0, 0xff, 0x20, 0xaa, 0x55}
	for len(runs) < n {
		b := vals[r.IntN(len(vals))]
		for range 1000 + r.IntN(300000) {
			runs = append(runs, b)
		}
	}
	page := RandomBytes(4096, 3)
	pages := make([]byte, 0, n+4096)
	for len(pages) < n {
		pages = append(pages, page...)
	}
	sparse := make([]byte, n)
	text := []byte("some text in a disk image block, ")
	for i := 0; i+(1<<20) <= n || i == 0; i += 1 << 20 {
		for range r.IntN(4) {
			off := i + r.IntN(min(n, 1<<20)-8192)
			k := 100 + r.IntN(8092)
			if r.IntN(2) == 0 {
				copy(sparse[off:off+k], RandomBytes(k, uint64(off)))
			} else {
				for j := range k {
					sparse[off+j] = text[j%len(text)]
				}
			}
		}
	}
	return []struct {
		Name string
		Data []byte
	}{
		{"zeros", make([]byte, n)},
		{"runs", runs[:n]},
		{"page", pages[:n]},
		{"sparse", sparse},
	}
}

// CompressAll compresses data in chunks of chunk bytes (a raw chunk counts
// its full size) and returns the total and the CPU time taken.
func CompressAll(t testing.TB, c Compressor, chunk int, data []byte) (int, time.Duration) {
	t.Helper()
	dst := make([]byte, chunk)
	total := 0
	start := CPUTime()
	for off := 0; off < len(data); off += chunk {
		src := data[off:min(off+chunk, len(data))]
		n := c.Compress(dst[:len(src)-1], src)
		if n == 0 {
			n = len(src)
		}
		total += n
	}
	return total, CPUTime() - start
}

// RunsMeasureSize is the input size of the runs measurement tests:
// $CODEC_RUNS_MB MiB when set (to time against wimlib), else 4 MiB.
func RunsMeasureSize() int {
	if v, err := strconv.Atoi(os.Getenv("CODEC_RUNS_MB")); err == nil && v > 0 {
		return v << 20
	}
	return 4 << 20
}

// SizeFiles are the files named by $CODEC_SIZE_FILES (colon-separated),
// for checking that a change leaves ordinary data's sizes alone.
func SizeFiles(t testing.TB) map[string][]byte {
	m := map[string][]byte{}
	for _, f := range filepath.SplitList(os.Getenv("CODEC_SIZE_FILES")) {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		m[filepath.Base(f)] = b
	}
	return m
}

// RunsChunk is $CODEC_RUNS_CHUNK if set, else def.
func RunsChunk(def int) int {
	if v, err := strconv.Atoi(os.Getenv("CODEC_RUNS_CHUNK")); err == nil && v > 0 {
		return v
	}
	return def
}

// RunsLevels is $CODEC_RUNS_LEVELS (comma-separated) if set, else def;
// RunsNames filters the inputs by $CODEC_RUNS_INPUTS the same way.
func RunsLevels(def []int) []int {
	v := os.Getenv("CODEC_RUNS_LEVELS")
	if v == "" {
		return def
	}
	var l []int
	for _, f := range strings.Split(v, ",") {
		if n, err := strconv.Atoi(f); err == nil {
			l = append(l, n)
		}
	}
	return l
}

// RunsWanted reports whether input name is selected by $CODEC_RUNS_INPUTS.
func RunsWanted(name string) bool {
	v := os.Getenv("CODEC_RUNS_INPUTS")
	return v == "" || slices.Contains(strings.Split(v, ","), name)
}

// NewFunc makes a codec's compressor for a chunk size and a level.
type NewFunc func(chunk, level int) (Compressor, error)

// New adapts a codec's NewCompressor to a NewFunc.
func New[C Compressor](f func(chunk, level int) (C, error)) NewFunc {
	return func(chunk, level int) (Compressor, error) {
		c, err := f(chunk, level)
		if err != nil {
			return nil, err
		}
		return c, nil
	}
}

// CheckRunsSize compresses each input of RunInputs(size) that bounds names,
// in chunks of chunk bytes at each level, and fails where the output is
// larger than its bound (wimlib's size, found through the raw oracle and
// written down by the caller).
func CheckRunsSize(t *testing.T, size, chunk int, levels []int, bounds map[string]int, newComp NewFunc) {
	t.Helper()
	for _, in := range RunInputs(size) {
		want, ok := bounds[in.Name]
		if !ok {
			continue
		}
		for _, level := range levels {
			c, err := newComp(chunk, level)
			if err != nil {
				t.Fatal(err)
			}
			if n, _ := CompressAll(t, c, chunk, in.Data); n > want {
				t.Errorf("%d bytes of %s at level %d: %d bytes, wimlib %d", size, in.Name, level, n, want)
			}
		}
	}
}

// BenchRuns is a codec's runs benchmark: each repetitive input of
// RunsMeasureSize() bytes at each level, reporting the compressed bytes
// and, unless CODEC_RUNS_MEASURE=ours, wimlib's bytes for the same chunks
// (raw oracle). CODEC_RUNS_CHUNK, CODEC_RUNS_LEVELS and CODEC_RUNS_INPUTS
// narrow it.
func BenchRuns(b *testing.B, codec string, defChunk int, newComp NewFunc) {
	chunk := RunsChunk(defChunk)
	for _, in := range RunInputs(RunsMeasureSize()) {
		if !RunsWanted(in.Name) {
			continue
		}
		for _, level := range RunsLevels([]int{20, 50, 100}) {
			b.Run(in.Name+"/L"+strconv.Itoa(level), func(b *testing.B) {
				benchCompress(b, codec, chunk, level, in.Data, newComp)
			})
		}
	}
}

// BenchFileSizes compresses the files $CODEC_SIZE_FILES names (colon-
// separated) at each level, reporting their compressed bytes and wimlib's
// as BenchRuns does: a change that must leave ordinary data's sizes alone
// is checked with it, and a file is measured against wimlib with it
// (CODEC_RUNS_CHUNK and CODEC_RUNS_LEVELS set the chunk size and levels,
// -benchtime Nx the runs that cpu-MB/s takes the best of).
func BenchFileSizes(b *testing.B, codec string, defChunk int, newComp NewFunc) {
	files := SizeFiles(b)
	if len(files) == 0 {
		b.Skip("CODEC_SIZE_FILES names no files")
	}
	chunk := RunsChunk(defChunk)
	for name, data := range files {
		for _, level := range RunsLevels([]int{20, 50, 100}) {
			b.Run(name+"/L"+strconv.Itoa(level), func(b *testing.B) {
				benchCompress(b, codec, chunk, level, data, newComp)
			})
		}
	}
}

// benchCompress reports the compressed bytes, the speed in CPU time
// (LoopCPU) and, unless CODEC_RUNS_MEASURE=ours, wimlib's bytes.
func benchCompress(b *testing.B, codec string, chunk, level int, data []byte, newComp NewFunc) {
	c, err := newComp(chunk, level)
	if err != nil {
		b.Fatal(err)
	}
	n := 0
	LoopCPU(b, len(data), func() { n, _ = CompressAll(b, c, chunk, data) })
	b.ReportMetric(float64(n), "bytes")
	if os.Getenv("CODEC_RUNS_MEASURE") != "ours" {
		w := 0
		for _, r := range OracleCompress(b, codec, chunk, level, data) {
			w += len(r.Data)
		}
		b.ReportMetric(float64(w), "wimlib-bytes")
	}
}

// LoopCPU runs fn once per benchmark iteration and reports, beside ns/op
// and MB/s (wall time), cpu-MB/s: n bytes over the least CPU time an
// iteration took. CPU time stays meaningful on a machine shared with other
// jobs, where wall time swings by half; -benchtime Nx makes it the best of
// N runs.
func LoopCPU(b *testing.B, n int, fn func()) {
	b.SetBytes(int64(n))
	best := time.Duration(math.MaxInt64)
	for b.Loop() {
		start := CPUTime()
		fn()
		best = min(best, CPUTime()-start)
	}
	b.ReportMetric(float64(n)/max(best.Seconds(), 1e-9)/1e6, "cpu-MB/s")
}
