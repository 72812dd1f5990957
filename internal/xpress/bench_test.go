package xpress

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/wimgo/wimgo/internal/codectest"
)

// Benchmarks run over files of $(go env GOROOT)/src concatenated at run
// time (16 MiB by default; XPRESS_BENCH_MB changes the cap), or over the file
// named by XPRESS_BENCH_FILE (or XPRESS_TUNE_FILE), so the numbers can be compared with
// tools/wimlib_raw_oracle.py bench on the same bytes. Ratio is reported as
// compressed/original with chunks that do not shrink counted raw, like the
// oracle does.

var (
	benchOnce   sync.Once
	benchCorpus []byte
)

func loadBenchCorpus(b *testing.B) []byte {
	benchOnce.Do(func() {
		f := os.Getenv("XPRESS_BENCH_FILE")
		if f == "" {
			f = os.Getenv("XPRESS_TUNE_FILE") // the former TestTune's name
		}
		if f != "" {
			benchCorpus, _ = os.ReadFile(f)
			return
		}
		limit := 16 << 20
		if mb, err := strconv.Atoi(os.Getenv("XPRESS_BENCH_MB")); err == nil && mb > 0 {
			limit = mb << 20
		}
		filepath.WalkDir(filepath.Join(codectest.GoRoot(b), "src"), func(p string, d os.DirEntry, err error) error {
			if err == nil && !d.IsDir() && len(benchCorpus) < limit {
				if data, err := os.ReadFile(p); err == nil {
					benchCorpus = append(benchCorpus, data...)
				}
			}
			return nil
		})
		benchCorpus = benchCorpus[:min(len(benchCorpus), limit)]
	})
	if len(benchCorpus) == 0 {
		b.Skip("no benchmark corpus")
	}
	return benchCorpus
}

const benchChunk = 32768

// BenchmarkCompress compresses the corpus in 32 KiB chunks at levels 20,
// 50 and 100, or with the settings $XPRESS_TUNE lists, one sub-benchmark
// per ";"-separated entry of comma-separated overrides, for example
// "level=50;level=50,depth=8;level=100,passes=3,nice=64" (keys: chunk,
// level, depth, nice, passes, parser). $XPRESS_TUNE_DIR compresses every
// regular file under a directory on its own instead, as a WIM stores them
// (a partial last chunk per file). It reports the ratio, the bytes, and
// cpu-MB/s, the best of the runs in CPU time (codectest.LoopCPU; -benchtime
// 3x for the best of 3).
func BenchmarkCompress(b *testing.B) {
	files := [][]byte{nil}
	if dir := os.Getenv("XPRESS_TUNE_DIR"); dir != "" {
		files = files[:0]
		filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
			if err == nil && d.Type().IsRegular() {
				if data, err := os.ReadFile(p); err == nil && len(data) > 0 {
					files = append(files, data)
				}
			}
			return nil
		})
	} else {
		files[0] = loadBenchCorpus(b)
	}
	size := 0
	for _, f := range files {
		size += len(f)
	}
	settings := []string{"level=20", "level=50", "level=100"}
	if spec := os.Getenv("XPRESS_TUNE"); spec != "" {
		settings = strings.Split(spec, ";")
	}
	for _, setting := range settings {
		name := setting
		if l, ok := strings.CutPrefix(setting, "level="); ok && !strings.Contains(l, ",") {
			name = "L" + l
		}
		b.Run(name, func(b *testing.B) {
			c, chunk := tunedCompressor(b, setting)
			dst := make([]byte, chunk)
			b.ReportAllocs()
			total := 0
			codectest.LoopCPU(b, size, func() {
				total = 0
				for _, data := range files {
					for i := 0; i < len(data); i += chunk {
						src := data[i:min(i+chunk, len(data))]
						n := c.Compress(dst, src)
						if n == 0 {
							n = len(src)
						}
						total += n
					}
				}
			})
			b.ReportMetric(float64(total)/float64(size), "ratio")
			b.ReportMetric(float64(total), "bytes")
		})
	}
}

// tunedCompressor makes the compressor one $XPRESS_TUNE entry describes,
// and returns its chunk size.
func tunedCompressor(b *testing.B, setting string) (*Compressor, int) {
	kv := map[string]int{}
	for _, f := range strings.Split(setting, ",") {
		k, v, _ := strings.Cut(f, "=")
		n, err := strconv.Atoi(v)
		if err != nil {
			b.Fatalf("XPRESS_TUNE entry %q: %v", setting, err)
		}
		kv[k] = n
	}
	chunk := benchChunk
	if v, ok := kv["chunk"]; ok {
		chunk = v
	}
	c, err := NewCompressor(chunk, kv["level"])
	if err != nil {
		b.Fatal(err)
	}
	if v, ok := kv["depth"]; ok {
		c.p.maxSearchDepth = v
	}
	if v, ok := kv["nice"]; ok {
		c.p.niceLen = v
	}
	if v, ok := kv["passes"]; ok {
		c.p.optimPasses = v
	}
	if v, ok := kv["parser"]; ok {
		c.p.parser = parser(v)
		if c.p.parser == parseNear && c.near == nil {
			c.near = newNearState(chunk)
		}
		if c.p.parser != parseNear && c.hc == nil {
			c.hc = new(hcMatchfinder)
		}
	}
	return c, chunk
}

func BenchmarkDecompress(b *testing.B) {
	data := loadBenchCorpus(b)
	c, err := NewCompressor(benchChunk, 50)
	if err != nil {
		b.Fatal(err)
	}
	type chunk struct {
		comp []byte
		size int
	}
	var chunks []chunk
	dst := make([]byte, benchChunk)
	for i := 0; i < len(data); i += benchChunk {
		src := data[i:min(i+benchChunk, len(data))]
		if n := c.Compress(dst, src); n > 0 {
			chunks = append(chunks, chunk{append([]byte(nil), dst[:n]...), len(src)})
		}
	}
	d, err := NewDecompressor(benchChunk)
	if err != nil {
		b.Fatal(err)
	}
	out := make([]byte, benchChunk)
	total := 0
	for _, ch := range chunks {
		total += ch.size
	}
	b.ReportAllocs()
	codectest.LoopCPU(b, total, func() {
		for _, ch := range chunks {
			if err := d.Decompress(out[:ch.size], ch.comp); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkFindAllMatches runs only the near-optimal parser's matchfinder
// (level 100's settings) over the corpus in 32 KiB chunks, in Go and in
// assembly where there is one; cpu-MB/s is the best of the runs in CPU
// time.
func BenchmarkFindAllMatches(b *testing.B) {
	data := loadBenchCorpus(b)
	defer func() { useAsm = haveAsm }()
	for _, asm := range []bool{false, true} {
		if asm && !haveAsm {
			continue
		}
		name := "go"
		if asm {
			name = "asm"
		}
		b.Run(name, func(b *testing.B) {
			useAsm = asm
			c, _ := NewCompressor(benchChunk, 100)
			codectest.LoopCPU(b, len(data), func() {
				for p := 0; p < len(data); p += benchChunk {
					n := copy(c.win[:], data[p:min(p+benchChunk, len(data))])
					clear(c.win[n:min(n+16, len(c.win))])
					c.findAllMatches(n)
					c.near.bt.release(c.win, n)
				}
			})
		})
	}
}

// BenchmarkCompressSmall compresses the corpus in 1 KiB pieces, like the
// small files that make up most of a WIM's resources: per-chunk overhead
// (table resets, code construction) dominates here.
func BenchmarkCompressSmall(b *testing.B) {
	data := loadBenchCorpus(b)[:4<<20]
	for _, level := range []int{20, 50, 100} {
		b.Run("L"+strconv.Itoa(level), func(b *testing.B) {
			c, err := NewCompressor(benchChunk, level)
			if err != nil {
				b.Fatal(err)
			}
			dst := make([]byte, 1024)
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			for b.Loop() {
				for i := 0; i < len(data); i += 1024 {
					c.Compress(dst, data[i:min(i+1024, len(data))])
				}
			}
		})
	}
}
