package xpress

import (
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"testing"

	"github.com/wimgo/wimgo/internal/codectest"
)

// Benchmarks run over files of $(go env GOROOT)/src concatenated at run
// time (16 MiB by default; XPRESS_BENCH_MB changes the cap), or over the file
// named by XPRESS_BENCH_FILE, so the numbers can be compared with
// tools/wimlib_raw_oracle.py bench on the same bytes. Ratio is reported as
// compressed/original with chunks that do not shrink counted raw, like the
// oracle does.

var (
	benchOnce   sync.Once
	benchCorpus []byte
)

func loadBenchCorpus(b *testing.B) []byte {
	benchOnce.Do(func() {
		if f := os.Getenv("XPRESS_BENCH_FILE"); f != "" {
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

func BenchmarkCompress(b *testing.B) {
	data := loadBenchCorpus(b)
	for _, level := range []int{20, 50, 100} {
		b.Run("L"+strconv.Itoa(level), func(b *testing.B) {
			c, err := NewCompressor(benchChunk, level)
			if err != nil {
				b.Fatal(err)
			}
			dst := make([]byte, benchChunk)
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			total := 0
			for b.Loop() {
				total = 0
				for i := 0; i < len(data); i += benchChunk {
					src := data[i:min(i+benchChunk, len(data))]
					n := c.Compress(dst, src)
					if n == 0 {
						n = len(src)
					}
					total += n
				}
			}
			b.ReportMetric(float64(total)/float64(len(data)), "ratio")
		})
	}
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
	b.SetBytes(int64(total))
	b.ReportAllocs()
	for b.Loop() {
		for _, ch := range chunks {
			if err := d.Decompress(out[:ch.size], ch.comp); err != nil {
				b.Fatal(err)
			}
		}
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
