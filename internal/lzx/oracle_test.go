package lzx

import (
	"bytes"
	"fmt"
	"testing"

	"github.com/wimgo/wimgo/internal/codectest"
)

// The oracle and its records come from internal/codectest.
type record = codectest.Record

func oraclePath(t testing.TB) string { return codectest.OraclePath(t) }

// oracleCompress compresses data with wimlib in chunks of chunk bytes.
func oracleCompress(t testing.TB, chunk, level int, data []byte) []record {
	t.Helper()
	return codectest.OracleCompress(t, "lzx", chunk, level, data)
}

// oracleDecompress decodes records with wimlib, failing the test on error.
func oracleDecompress(t testing.TB, chunk int, recs []record) []byte {
	t.Helper()
	return codectest.OracleDecompress(t, "lzx", chunk, recs)
}

// decodeRecords decodes wimlib's records with our decompressor.
func decodeRecords(t testing.TB, chunk int, recs []record, strict bool) []byte {
	t.Helper()
	d, err := NewDecompressor(chunk)
	if err != nil {
		t.Fatal(err)
	}
	d.strict = strict
	var out []byte
	for i, r := range recs {
		if len(r.Data) == r.USize {
			out = append(out, r.Data...)
			continue
		}
		buf := make([]byte, r.USize)
		if err := d.Decompress(buf, r.Data); err != nil {
			t.Fatalf("chunk %d: %v", i, err)
		}
		out = append(out, buf...)
	}
	return out
}

func TestOracleFileDecode(t *testing.T) {
	data := codectest.EnvFile(t, "LZX_ORACLE_FILE")
	for _, chunk := range []int{32768, 2097152} {
		recs := oracleCompress(t, chunk, 50, data)
		if got := decodeRecords(t, chunk, recs, true); !bytes.Equal(got, data) {
			t.Fatalf("chunk %d: mismatch", chunk)
		}
	}
}

// TestOracle checks both directions at every chunk size: our chunks decode
// with wimlib, and wimlib's chunks decode (strictly) with ours.
func TestOracle(t *testing.T) {
	oraclePath(t)
	text, bin := loadCorpus(t)
	for _, chunk := range chunkSizes {
		size := max(2*chunk+777, 300<<10)
		if chunk >= 1<<20 {
			size = chunk + 777
		}
		if testing.Short() {
			size = chunk + 777
		}
		data := append(append([]byte{}, bin[len(bin)/2:][:size/2]...), text[:size-size/2]...)
		data = append(data, e8Stress(3000, 1000)...)
		for _, level := range []int{20, 50} {
			t.Run(fmt.Sprintf("%d/L%d", chunk, level), func(t *testing.T) {
				c, err := NewCompressor(chunk, level)
				if err != nil {
					t.Fatal(err)
				}
				ours := compressChunks(t, c, chunk, data)
				if got := oracleDecompress(t, chunk, ours); !bytes.Equal(got, data) {
					t.Fatal("wimlib decoded our chunks wrongly")
				}
				theirs := oracleCompress(t, chunk, level, data)
				if got := decodeRecords(t, chunk, theirs, true); !bytes.Equal(got, data) {
					t.Fatal("we decoded wimlib's chunks wrongly")
				}
				t.Logf("ours %d bytes, wimlib %d bytes", recordsSize(ours), recordsSize(theirs))
			})
		}
	}
}

func recordsSize(recs []record) int {
	n := 0
	for _, r := range recs {
		n += len(r.Data)
	}
	return n
}
