package lzms

import (
	"bytes"
	"os"
	"testing"

	"github.com/wimgo/wimgo/internal/codectest"
)

// BenchmarkDecompress decodes wimlib's 128K level-50 chunks of the corpus
// (or of $LZMS_BENCH_FILE); MB/s are of uncompressed output.
func BenchmarkDecompress(b *testing.B) {
	codectest.OraclePath(b)
	data := benchData(b)
	const chunk = 1 << 17
	recs := codectest.OracleCompress(b, "lzms", chunk, 50, data)
	d, err := NewDecompressor(chunk)
	if err != nil {
		b.Fatal(err)
	}
	buf := make([]byte, chunk)
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		for _, r := range recs {
			if len(r.Data) == r.USize {
				continue
			}
			if err := d.Decompress(buf[:r.USize], r.Data); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// BenchmarkCompress compresses the corpus (or $LZMS_BENCH_FILE) in 128K
// chunks at level 50 and reports the ratio (compressed/uncompressed, raw
// chunks counted at full size); MB/s are of uncompressed input, cpu-MB/s
// the best of the runs in CPU time (codectest.LoopCPU).
func BenchmarkCompress(b *testing.B) {
	data := benchData(b)
	const chunk = 1 << 17
	c, err := NewCompressor(chunk, 50)
	if err != nil {
		b.Fatal(err)
	}
	total := 0
	codectest.LoopCPU(b, len(data), func() { total, _ = codectest.CompressAll(b, c, chunk, data) })
	b.ReportMetric(float64(total)/float64(len(data)), "ratio")
}

// benchData is $LZMS_BENCH_FILE, or 2 MiB of Go source and 2 MiB of the go
// binary.
func benchData(b *testing.B) []byte {
	if p := os.Getenv("LZMS_BENCH_FILE"); p != "" {
		data, err := os.ReadFile(p)
		if err != nil {
			b.Fatal(err)
		}
		return data
	}
	text, bin := codectest.Corpus(b)
	return append(bytes.Clone(text[:min(len(text), 2<<20)]), bin[:min(len(bin), 2<<20)]...)
}

// BenchmarkSuffixArray builds the suffix array of every chunk of the
// corpus (or $LZMS_BENCH_FILE), then the whole matchfinder index (suffix
// array, lcps, intervals), in chunks of $CODEC_RUNS_CHUNK bytes (default
// 128K); cpu-MB/s is the best of the runs in CPU time.
func BenchmarkSuffixArray(b *testing.B) {
	data := benchData(b)
	chunk := codectest.RunsChunk(1 << 17)
	b.Run("sa", func(b *testing.B) {
		sa := make([]int32, chunk)
		work := make([]int32, chunk+256)
		lms := make([]uint64, saisBitmap(chunk))
		codectest.LoopCPU(b, len(data), func() {
			for off := 0; off < len(data); off += chunk {
				src := data[off:min(len(data), off+chunk)]
				suffixArray(src, sa[:len(src)], 256, work, lms)
			}
		})
	})
	b.Run("index", func(b *testing.B) {
		var lf lcpFinder
		lf.init(chunk, 64)
		lf.alloc(chunk)
		codectest.LoopCPU(b, len(data), func() {
			for off := 0; off < len(data); off += chunk {
				lf.reset(data[off:min(len(data), off+chunk)], nil)
			}
		})
	})
}
