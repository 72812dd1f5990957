package xpress

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
	return codectest.OracleCompress(t, "xpress", chunk, level, data)
}

// oracleDecompress decodes records with wimlib, failing the test on error.
func oracleDecompress(t testing.TB, chunk int, recs []record) []byte {
	t.Helper()
	return codectest.OracleDecompress(t, "xpress", chunk, recs)
}

// compressChunks compresses data chunk by chunk with c, as a WIM writer
// would (raw when not smaller). With force, every chunk is compressed
// without the must-shrink rule so tiny and incompressible chunks reach the
// oracle too.
func compressChunks(t testing.TB, c *Compressor, chunk int, data []byte, force bool) []record {
	var recs []record
	buf := make([]byte, chunk+chunk/8+minOutput+16)
	for i := 0; i < len(data); i += chunk {
		u := data[i:min(i+chunk, len(data))]
		var n int
		if force {
			n = c.compress(buf, u)
		} else {
			n = c.Compress(buf, u)
		}
		if n == 0 {
			recs = append(recs, record{USize: len(u), Data: u})
		} else {
			recs = append(recs, record{USize: len(u), Data: bytes.Clone(buf[:n])})
		}
	}
	return recs
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

func recordsSize(recs []record) int {
	n := 0
	for _, r := range recs {
		n += len(r.Data)
	}
	return n
}

// TestOracle checks both directions at every chunk size: our chunks decode
// with wimlib, and wimlib's chunks decode (strictly: wimlib also writes the
// end-of-data symbol and trailing unit) with ours.
func TestOracle(t *testing.T) {
	oraclePath(t)
	text, bin := loadCorpus(t)
	levels := []int{20, 50, 100}
	for _, chunk := range chunkSizes {
		size := 2*chunk + 777
		if !testing.Short() {
			size = max(size, 200<<10)
		}
		data := append(append([]byte{}, bin[len(bin)/2:][:size/2]...), text[:size-size/2]...)
		data = append(data, randomBytes(chunk/2, 3)...)
		data = append(data, make([]byte, chunk+5)...)
		for _, level := range levels {
			t.Run(fmt.Sprintf("%d/L%d", chunk, level), func(t *testing.T) {
				c, err := NewCompressor(chunk, level)
				if err != nil {
					t.Fatal(err)
				}
				ours := compressChunks(t, c, chunk, data, false)
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

// TestOracleTiny sends forced encodings of tiny and odd-sized inputs (which
// Compress would store raw) through wimlib's decoder.
func TestOracleTiny(t *testing.T) {
	oraclePath(t)
	text, _ := loadCorpus(t)
	var recs []record
	c, _ := NewCompressor(4096, 50)
	for _, n := range []int{1, 2, 3, 4, 5, 24, 25, 26, 100, 259, 260, 261, 4095, 4096} {
		recs = append(recs, compressChunks(t, c, 4096, text[n:2*n], true)...)
		recs = append(recs, compressChunks(t, c, 4096, bytes.Repeat([]byte{byte(n)}, n), true)...)
	}
	// A record whose compressed size happens to equal its size would read
	// as stored; leave those out.
	kept := recs[:0]
	for _, r := range recs {
		if len(r.Data) != r.USize {
			kept = append(kept, r)
		}
	}
	recs = kept
	var want []byte
	d, _ := NewDecompressor(4096)
	for _, r := range recs {
		out := make([]byte, r.USize)
		if err := d.Decompress(out, r.Data); err != nil {
			t.Fatal(err)
		}
		want = append(want, out...)
	}
	if got := oracleDecompress(t, 4096, recs); !bytes.Equal(got, want) {
		t.Fatal("wimlib decoded tiny chunks differently")
	}
}
