package xpress

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
)

// The oracle is tools/wimlib_raw_oracle.py: the system libwim.so.15 driven
// through ctypes, compressing or decompressing chunk by chunk. Records are
// u32 usize, u32 csize, data; csize == usize means stored raw.

func oraclePath(t testing.TB) string {
	t.Helper()
	p, err := filepath.Abs("../../tools/wimlib_raw_oracle.py")
	if err == nil {
		if _, err = os.Stat(p); err == nil {
			if _, err = exec.LookPath("python3"); err == nil {
				err = exec.Command("python3", "-c", "import ctypes; ctypes.CDLL('libwim.so.15')").Run()
			}
		}
	}
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("wimlib oracle unavailable: %v", err)
		}
		t.Skipf("wimlib oracle unavailable: %v", err)
	}
	return p
}

type record struct {
	usize int
	data  []byte
}

func parseRecords(t testing.TB, b []byte) []record {
	t.Helper()
	var recs []record
	for len(b) > 0 {
		if len(b) < 8 {
			t.Fatalf("truncated oracle record")
		}
		u := int(binary.LittleEndian.Uint32(b))
		n := int(binary.LittleEndian.Uint32(b[4:]))
		if len(b) < 8+n {
			t.Fatalf("truncated oracle record")
		}
		recs = append(recs, record{u, b[8 : 8+n]})
		b = b[8+n:]
	}
	return recs
}

func formatRecords(recs []record) []byte {
	var out []byte
	for _, r := range recs {
		out = binary.LittleEndian.AppendUint32(out, uint32(r.usize))
		out = binary.LittleEndian.AppendUint32(out, uint32(len(r.data)))
		out = append(out, r.data...)
	}
	return out
}

func runOracle(t testing.TB, in []byte, args ...string) []byte {
	t.Helper()
	py := oraclePath(t)
	dir := t.TempDir()
	inPath, outPath := filepath.Join(dir, "in"), filepath.Join(dir, "out")
	if err := os.WriteFile(inPath, in, 0o644); err != nil {
		t.Fatal(err)
	}
	args = append(append([]string{py}, args...), inPath, outPath)
	if msg, err := exec.Command("python3", args...).CombinedOutput(); err != nil {
		t.Fatalf("oracle %v: %v\n%s", args[1], err, msg)
	}
	b, err := os.ReadFile(outPath)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// oracleCompress compresses data with wimlib in chunks of chunk bytes.
func oracleCompress(t testing.TB, chunk, level int, data []byte) []record {
	return parseRecords(t, runOracle(t, data, "compress", "xpress", strconv.Itoa(chunk), strconv.Itoa(level)))
}

// oracleDecompress decodes records with wimlib, failing the test on error.
func oracleDecompress(t testing.TB, chunk int, recs []record) []byte {
	return runOracle(t, formatRecords(recs), "decompress", "xpress", strconv.Itoa(chunk))
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
			recs = append(recs, record{len(u), u})
		} else {
			recs = append(recs, record{len(u), bytes.Clone(buf[:n])})
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
		if len(r.data) == r.usize {
			out = append(out, r.data...)
			continue
		}
		buf := make([]byte, r.usize)
		if err := d.Decompress(buf, r.data); err != nil {
			t.Fatalf("chunk %d: %v", i, err)
		}
		out = append(out, buf...)
	}
	return out
}

func recordsSize(recs []record) int {
	n := 0
	for _, r := range recs {
		n += len(r.data)
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
		if len(r.data) != r.usize {
			kept = append(kept, r)
		}
	}
	recs = kept
	var want []byte
	d, _ := NewDecompressor(4096)
	for _, r := range recs {
		out := make([]byte, r.usize)
		if err := d.Decompress(out, r.data); err != nil {
			t.Fatal(err)
		}
		want = append(want, out...)
	}
	if got := oracleDecompress(t, 4096, recs); !bytes.Equal(got, want) {
		t.Fatal("wimlib decoded tiny chunks differently")
	}
}
