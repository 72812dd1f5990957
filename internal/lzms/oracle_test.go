package lzms

import (
	"bytes"
	"errors"
	"fmt"
	"testing"

	"github.com/wimgo/wimgo/internal/codectest"
)

type record = codectest.Record

// decodeRecords decodes wimlib's records with our decompressor.
func decodeRecords(t testing.TB, chunk int, recs []record) []byte {
	t.Helper()
	d, err := NewDecompressor(chunk)
	if err != nil {
		t.Fatal(err)
	}
	var out []byte
	for i, r := range recs {
		if len(r.Data) == r.USize {
			out = append(out, r.Data...)
			continue
		}
		buf := make([]byte, r.USize)
		if err := d.Decompress(buf, r.Data); err != nil {
			t.Fatalf("chunk %d (%d -> %d bytes): %v", i, r.USize, len(r.Data), err)
		}
		out = append(out, buf...)
	}
	return out
}

func firstDiff(a, b []byte) int {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return i
		}
	}
	return min(len(a), len(b))
}

type dataset struct {
	name string
	data []byte
}

func datasets(t testing.TB) []dataset {
	text, bin := codectest.Corpus(t)
	return []dataset{
		{"text", text[:min(len(text), 1<<20)]},
		// Skip the ELF header area; the code follows it.
		{"bin", bin[min(len(bin), 64<<10):min(len(bin), 64<<10+2<<20)]},
		{"random", codectest.RandomBytes(300<<10, 7)},
		{"zeros", make([]byte, 300<<10)},
		// Delta-friendly: a slowly changing 16-bit ramp, with noise.
		{"ramp", ramp(512 << 10)},
	}
}

func ramp(n int) []byte {
	b := make([]byte, n)
	noise := codectest.RandomBytes(n, 3)
	for i := 0; i+1 < n; i += 2 {
		v := uint16(i/2*3) + uint16(noise[i]&3)
		b[i], b[i+1] = byte(v), byte(v>>8)
	}
	return b
}

// TestDecodeOracle decodes wimlib-compressed chunks of every dataset at
// several chunk sizes and levels.
func TestDecodeOracle(t *testing.T) {
	codectest.OraclePath(t)
	chunks, levels := []int{1 << 15, 1 << 17, 1 << 20}, []int{20, 50, 100}
	if testing.Short() {
		// wimlib's compressing is most of the time: the smallest and
		// largest chunks at the default level (the full run: all nine).
		chunks, levels = []int{1 << 15, 1 << 20}, []int{50}
	}
	for _, ds := range datasets(t) {
		for _, chunk := range chunks {
			for _, level := range levels {
				t.Run(fmt.Sprintf("%s/%dK/L%d", ds.name, chunk>>10, level), func(t *testing.T) {
					t.Parallel()
					recs := codectest.OracleCompress(t, "lzms", chunk, level, ds.data)
					got := decodeRecords(t, chunk, recs)
					if !bytes.Equal(got, ds.data) {
						t.Fatalf("mismatch at byte %d of %d", firstDiff(got, ds.data), len(ds.data))
					}
				})
			}
		}
	}
}

// TestDecodeOracleLarge decodes one 8 MiB chunk of text and code, where
// offsets use the larger slots.
func TestDecodeOracleLarge(t *testing.T) {
	codectest.OraclePath(t)
	if testing.Short() {
		t.Skip("short")
	}
	text, bin := codectest.Corpus(t)
	data := append(bytes.Clone(text[:min(len(text), 3<<20)]), bin[:min(len(bin), 5<<20)]...)
	const chunk = 8 << 20
	recs := codectest.OracleCompress(t, "lzms", chunk, 50, data)
	got := decodeRecords(t, chunk, recs)
	if !bytes.Equal(got, data) {
		t.Fatalf("mismatch at byte %d of %d", firstDiff(got, data), len(data))
	}
}

// TestDecodeOddSizes decodes chunks whose lengths are not powers of two
// (the offset alphabets depend on the actual length), down to tiny ones.
func TestDecodeOddSizes(t *testing.T) {
	codectest.OraclePath(t)
	text, _ := codectest.Corpus(t)
	const chunk = 1 << 15
	for _, n := range []int{4, 5, 17, 18, 19, 100, 1000, 4097, 32767} {
		data := text[1000 : 1000+n]
		recs := codectest.OracleCompress(t, "lzms", chunk, 50, data)
		got := decodeRecords(t, chunk, recs)
		if !bytes.Equal(got, data) {
			t.Fatalf("n=%d: mismatch at byte %d", n, firstDiff(got, data))
		}
	}
}

// TestDecodeCorrupt truncates and flips bits in valid chunks: the decoder
// must return an error wrapping ErrCorrupt or some output, never panic.
func TestDecodeCorrupt(t *testing.T) {
	codectest.OraclePath(t)
	text, bin := codectest.Corpus(t)
	const chunk = 1 << 15
	data := append(bytes.Clone(text[:64<<10]), bin[100<<10:164<<10]...)
	recs := codectest.OracleCompress(t, "lzms", chunk, 50, data)
	d, err := NewDecompressor(chunk)
	if err != nil {
		t.Fatal(err)
	}
	check := func(err error) {
		if err != nil && !errors.Is(err, ErrCorrupt) {
			t.Fatalf("error does not wrap ErrCorrupt: %v", err)
		}
	}
	errs := 0
	flipStep := 37
	if testing.Short() {
		flipStep = 37 * 7 // a seventh of the flips
	}
	for _, r := range recs {
		if len(r.Data) == r.USize {
			continue
		}
		out := make([]byte, r.USize)
		for _, n := range []int{0, 1, 2, 3, 4, 6, len(r.Data) / 2, len(r.Data) - 2} {
			err := d.Decompress(out, r.Data[:n])
			check(err)
			if err != nil {
				errs++
			}
		}
		for i := 0; i < len(r.Data)*8; i += flipStep {
			c := bytes.Clone(r.Data)
			c[i/8] ^= 1 << (i % 8)
			err := d.Decompress(out, c)
			check(err)
			if err != nil {
				errs++
			}
		}
		// A different output size changes the offset alphabets.
		check(d.Decompress(make([]byte, r.USize/2), r.Data))
	}
	if errs == 0 {
		t.Fatal("no corruption detected at all")
	}
	if err := d.Decompress(make([]byte, chunk+1), make([]byte, 8)); err == nil {
		t.Fatal("oversized output accepted")
	}
}

func TestNewDecompressorSizes(t *testing.T) {
	for _, n := range []int{1 << 15, 1 << 16, 1 << 20, 1 << 26, 1 << 30} {
		if _, err := NewDecompressor(n); err != nil {
			t.Errorf("%d: %v", n, err)
		}
	}
	for _, n := range []int{0, 1 << 14, 1<<15 + 1, 3 << 15, 1<<31 - 1} {
		if _, err := NewDecompressor(n); err == nil {
			t.Errorf("%d accepted", n)
		}
	}
}
