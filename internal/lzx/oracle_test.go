package lzx

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
	"time"
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

// oracleCompress compresses data with wimlib in chunks of chunk bytes.
func oracleCompress(t testing.TB, chunk, level int, data []byte) []record {
	t.Helper()
	py := oraclePath(t)
	dir := t.TempDir()
	in, out := filepath.Join(dir, "in"), filepath.Join(dir, "out")
	if err := os.WriteFile(in, data, 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("python3", py, "compress", "lzx", strconv.Itoa(chunk), strconv.Itoa(level), in, out)
	if msg, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("oracle compress: %v\n%s", err, msg)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	return parseRecords(t, b)
}

// oracleDecompress decodes records with wimlib, failing the test on error.
func oracleDecompress(t testing.TB, chunk int, recs []record) []byte {
	t.Helper()
	py := oraclePath(t)
	dir := t.TempDir()
	in, out := filepath.Join(dir, "in"), filepath.Join(dir, "out")
	if err := os.WriteFile(in, formatRecords(recs), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("python3", py, "decompress", "lzx", strconv.Itoa(chunk), in, out)
	if msg, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("oracle decompress: %v\n%s", err, msg)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	return b
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

func TestOracleFileDecode(t *testing.T) {
	f := os.Getenv("LZX_ORACLE_FILE")
	if f == "" {
		t.Skip("LZX_ORACLE_FILE not set")
	}
	data, err := os.ReadFile(f)
	if err != nil {
		t.Fatal(err)
	}
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
		n += len(r.data)
	}
	return n
}

// TestCompareFile prints our compressed size and time next to wimlib's for
// the file named by LZX_COMPARE_FILE, at 32K chunks and levels 20, 50, 100.
func TestCompareFile(t *testing.T) {
	f := os.Getenv("LZX_COMPARE_FILE")
	if f == "" {
		t.Skip("LZX_COMPARE_FILE not set")
	}
	data, err := os.ReadFile(f)
	if err != nil {
		t.Fatal(err)
	}
	const chunk = 1 << 15
	for _, level := range []int{20, 50, 100} {
		c, _ := NewCompressor(chunk, level)
		start := time.Now()
		ours := compressChunks(t, c, chunk, data)
		el := time.Since(start)
		start = time.Now()
		theirs := oracleCompress(t, chunk, level, data)
		wel := time.Since(start)
		t.Logf("L%d: ours %d bytes %.1f MB/s; wimlib %d bytes %.1f MB/s (incl. python); ours-wimlib %+d",
			level, recordsSize(ours), float64(len(data))/el.Seconds()/1e6,
			recordsSize(theirs), float64(len(data))/wel.Seconds()/1e6, recordsSize(ours)-recordsSize(theirs))
	}
}
