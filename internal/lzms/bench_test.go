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
	var data []byte
	if p := os.Getenv("LZMS_BENCH_FILE"); p != "" {
		var err error
		if data, err = os.ReadFile(p); err != nil {
			b.Fatal(err)
		}
	} else {
		text, bin := codectest.Corpus(b)
		data = append(bytes.Clone(text[:min(len(text), 2<<20)]), bin[:min(len(bin), 2<<20)]...)
	}
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
