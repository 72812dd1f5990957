package lzx

import (
	"fmt"
	"os"
	"testing"

	"github.com/wimgo/wimgo/internal/codectest"
)

// Benchmarks run over a corpus built from the Go toolchain (source text and
// the go binary), or over the file named by LZX_BENCH_FILE. They report the
// compressed size as a ratio, to compare with
// tools/wimlib_raw_oracle.py bench lzx 32768 LEVEL FILE, and the speed in
// CPU time as cpu-MB/s (codectest.LoopCPU; -benchtime 3x: best of 3 runs).

func benchData(b *testing.B) []byte {
	if f := os.Getenv("LZX_BENCH_FILE"); f != "" {
		data, err := os.ReadFile(f)
		if err != nil {
			b.Fatal(err)
		}
		return data
	}
	text, bin := loadCorpus(b)
	data := append([]byte{}, text[:min(len(text), 4<<20)]...)
	return append(data, bin[:min(len(bin), 4<<20)]...)
}

func benchCompress(b *testing.B, chunk, level int) {
	data := benchData(b)
	c, err := NewCompressor(chunk, level)
	if err != nil {
		b.Fatal(err)
	}
	overrideParams(c, chunk)
	b.ReportAllocs()
	total := 0
	codectest.LoopCPU(b, len(data), func() { total, _ = codectest.CompressAll(b, c, chunk, data) })
	b.ReportMetric(float64(total)/float64(len(data)), "ratio")
	b.ReportMetric(float64(total), "bytes")
}

func BenchmarkCompressL20(b *testing.B)  { benchCompress(b, 1<<15, 20) }
func BenchmarkCompressL50(b *testing.B)  { benchCompress(b, 1<<15, 50) }
func BenchmarkCompressL100(b *testing.B) { benchCompress(b, 1<<15, 100) }

func BenchmarkDecompress(b *testing.B) {
	data := benchData(b)
	const chunk = 1 << 15
	c, _ := NewCompressor(chunk, 50)
	d, _ := NewDecompressor(chunk)
	var recs []record
	dst := make([]byte, chunk)
	for p := 0; p < len(data); p += chunk {
		src := data[p:min(p+chunk, len(data))]
		if n := c.Compress(dst[:len(src)-1], src); n > 0 {
			recs = append(recs, record{USize: len(src), Data: append([]byte{}, dst[:n]...)})
		} else {
			recs = append(recs, record{USize: len(src), Data: append([]byte{}, src...)})
		}
	}
	out := make([]byte, chunk)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		for _, r := range recs {
			if len(r.Data) == r.USize {
				copy(out, r.Data)
				continue
			}
			if err := d.Decompress(out[:r.USize], r.Data); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// overrideParams applies $LZX_PARAMS (depth,nice,passes) to c, for tuning
// experiments in the benchmarks.
func overrideParams(c *Compressor, chunk int) {
	v := os.Getenv("LZX_PARAMS")
	if v == "" {
		return
	}
	var p levelParams
	fmt.Sscanf(v, "%d,%d,%d", &p.maxSearchDepth, &p.niceLen, &p.optimPasses)
	p.nearOptimal = c.p.nearOptimal
	c.p = p
	if c.no != nil {
		c.no.p = p
		c.no.cache = make([]uint32, 0, cacheLen(chunk, p))
	}
}
