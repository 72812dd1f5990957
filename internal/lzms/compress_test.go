package lzms

import (
	"bytes"
	"fmt"
	"testing"

	"github.com/wimgo/wimgo/internal/codectest"
)

// compressAll splits data into chunks and compresses each, storing raw
// chunks that do not shrink, as the oracle's records do.
func compressAll(t testing.TB, c *Compressor, chunk int, data []byte) []record {
	t.Helper()
	var recs []record
	dst := make([]byte, chunk)
	for off := 0; off < len(data); off += chunk {
		src := data[off:min(len(data), off+chunk)]
		orig := bytes.Clone(src)
		n := c.Compress(dst, src)
		if !bytes.Equal(src, orig) {
			t.Fatal("Compress modified src")
		}
		if n < 0 || n >= len(src) || n%2 != 0 {
			if n != 0 {
				t.Fatalf("bad compressed size %d for %d bytes", n, len(src))
			}
		}
		if n == 0 {
			recs = append(recs, record{USize: len(src), Data: bytes.Clone(src)})
		} else {
			recs = append(recs, record{USize: len(src), Data: bytes.Clone(dst[:n])})
		}
	}
	return recs
}

func compSize(recs []record) int {
	s := 0
	for _, r := range recs {
		s += len(r.Data)
	}
	return s
}

func compressDatasets(t testing.TB) []dataset {
	text, bin := codectest.Corpus(t)
	big := 1 << 20
	if testing.Short() {
		big = 300 << 10 // a part of a 1 MiB chunk; the full run fills one
	}
	return []dataset{
		{"text", text[:min(len(text), big)]},
		{"bin", bin[min(len(bin), 64<<10):min(len(bin), 64<<10+big)]},
		{"random", codectest.RandomBytes(200<<10, 7)},
		{"zeros", make([]byte, 300<<10)},
		{"ramp", ramp(256 << 10)},
	}
}

func TestCompressRoundTrip(t *testing.T) {
	for _, ds := range compressDatasets(t) {
		for _, chunk := range []int{1 << 15, 1 << 17, 1 << 20} {
			for _, level := range []int{1, 20, 50, 100} {
				t.Run(fmt.Sprintf("%s/%dK/L%d", ds.name, chunk>>10, level), func(t *testing.T) {
					t.Parallel()
					c, err := NewCompressor(chunk, level)
					if err != nil {
						t.Fatal(err)
					}
					recs := compressAll(t, c, chunk, ds.data)
					got := decodeRecords(t, chunk, recs)
					if !bytes.Equal(got, ds.data) {
						t.Fatalf("mismatch at byte %d of %d", firstDiff(got, ds.data), len(ds.data))
					}
					if ds.name == "text" || ds.name == "zeros" {
						if compSize(recs) >= len(ds.data)/2 {
							t.Errorf("poor ratio: %d -> %d", len(ds.data), compSize(recs))
						}
					}
				})
			}
		}
	}
}

func TestCompressOddSizes(t *testing.T) {
	text, bin := codectest.Corpus(t)
	c, err := NewCompressor(1<<15, 50)
	if err != nil {
		t.Fatal(err)
	}
	d, _ := NewDecompressor(1 << 15)
	dst := make([]byte, 1<<15)
	for _, src := range [][]byte{text, bin[100000:], make([]byte, 40000)} {
		for _, n := range []int{1, 2, 3, 4, 5, 6, 7, 8, 9, 16, 17, 18, 19, 33, 100, 1000, 4097, 32767, 32768} {
			data := src[:n]
			k := c.Compress(dst, data)
			if k == 0 {
				continue
			}
			if k >= n || k%2 != 0 || k < 4 {
				t.Fatalf("n=%d: bad size %d", n, k)
			}
			out := make([]byte, n)
			if err := d.Decompress(out, dst[:k]); err != nil {
				t.Fatalf("n=%d: %v", n, err)
			}
			if !bytes.Equal(out, data) {
				t.Fatalf("n=%d: mismatch at %d", n, firstDiff(out, data))
			}
		}
	}
	// A destination too small for the result gives 0 without writing past it.
	small := make([]byte, 64)
	if k := c.Compress(small[:10], text[:30000]); k != 0 {
		t.Fatalf("tiny dst: got %d", k)
	}
}

// TestCompressOracle has wimlib decode our chunks.
func TestCompressOracle(t *testing.T) {
	codectest.OraclePath(t)
	for _, ds := range compressDatasets(t) {
		for _, chunk := range []int{1 << 15, 1 << 17, 1 << 20} {
			t.Run(fmt.Sprintf("%s/%dK", ds.name, chunk>>10), func(t *testing.T) {
				t.Parallel()
				c, err := NewCompressor(chunk, 50)
				if err != nil {
					t.Fatal(err)
				}
				recs := compressAll(t, c, chunk, ds.data)
				got := codectest.OracleDecompress(t, "lzms", chunk, recs)
				if !bytes.Equal(got, ds.data) {
					t.Fatalf("wimlib: mismatch at byte %d of %d", firstDiff(got, ds.data), len(ds.data))
				}
			})
		}
	}
	// Odd sizes through wimlib too.
	text, _ := codectest.Corpus(t)
	c, _ := NewCompressor(1<<15, 50)
	for _, n := range []int{5, 18, 19, 100, 1000, 4097, 32767} {
		data := text[1000 : 1000+n]
		recs := compressAll(t, c, 1<<15, data)
		got := codectest.OracleDecompress(t, "lzms", 1<<15, recs)
		if !bytes.Equal(got, data) {
			t.Fatalf("n=%d: wimlib mismatch at %d", n, firstDiff(got, data))
		}
	}
}

func TestNewCompressorSizes(t *testing.T) {
	for _, n := range []int{1 << 15, 1 << 20, 1 << 30} {
		if _, err := NewCompressor(n, 50); err != nil {
			t.Errorf("%d: %v", n, err)
		}
		if MemoryNeeded(n, 50) <= int64(n) {
			t.Errorf("%d: MemoryNeeded too small", n)
		}
	}
	// A 1 GiB compressor allocates per actual chunk.
	c, _ := NewCompressor(1<<30, 20)
	text, _ := codectest.Corpus(t)
	src := text[:100000]
	dst := make([]byte, len(src))
	k := c.Compress(dst, src)
	if k == 0 {
		t.Fatal("1 GiB compressor did not compress text")
	}
	d, _ := NewDecompressor(1 << 30)
	out := make([]byte, len(src))
	if err := d.Decompress(out, dst[:k]); err != nil || !bytes.Equal(out, src) {
		t.Fatalf("1 GiB round trip failed: %v", err)
	}
	for _, n := range []int{0, 1 << 14, 3 << 15, 1<<31 - 1} {
		if _, err := NewCompressor(n, 50); err == nil {
			t.Errorf("%d accepted", n)
		}
	}
}

// TestCompressInPlace checks that CompressInPlace, and CompressInPlaceParts
// once its parts are joined, give Compress's bytes, and that a chunk they
// do not shrink (random data, or a destination too small) is left as it
// was, x86 filter undone, since it is then stored raw from that buffer. The
// binary has E8/E9 bytes for the filter to change.
func TestCompressInPlace(t *testing.T) {
	_, bin := codectest.Corpus(t)
	chunk := 1 << 17
	for _, ds := range compressDatasets(t) {
		t.Run(ds.name, func(t *testing.T) {
			ref, _ := NewCompressor(chunk, 50)
			ip, _ := NewCompressor(chunk, 50)
			pp, _ := NewCompressor(chunk, 50)
			want, got, split := make([]byte, chunk), make([]byte, chunk), make([]byte, chunk)
			for p := 0; p < len(ds.data); p += chunk {
				src := ds.data[p:min(p+chunk, len(ds.data))]
				n := ref.Compress(want, src)
				buf := append([]byte(nil), src...)
				m := ip.CompressInPlace(got, buf)
				if n != m || !bytes.Equal(want[:n], got[:m]) {
					t.Fatalf("chunk at %d: in place %d bytes, Compress %d (or the bytes differ)", p, m, n)
				}
				if m == 0 && !bytes.Equal(buf, src) {
					t.Fatalf("chunk at %d: stored raw but its buffer changed", p)
				}
				buf = append(buf[:0], src...)
				head, tail := pp.CompressInPlaceParts(split, buf)
				if joined := append(append([]byte(nil), head...), tail...); !bytes.Equal(joined, want[:n]) {
					t.Fatalf("chunk at %d: parts of %d+%d bytes, Compress %d (or the bytes differ)", p, len(head), len(tail), n)
				}
				if n == 0 && !bytes.Equal(buf, src) {
					t.Fatalf("chunk at %d: parts stored raw but the buffer changed", p)
				}
			}
		})
	}
	// A destination too small for the output: 0, and the buffer restored
	// although the filter ran and the encoder got that far.
	src := bin[:min(len(bin), chunk)]
	buf := append([]byte(nil), src...)
	c, _ := NewCompressor(chunk, 50)
	if n := c.CompressInPlace(make([]byte, 64), buf); n != 0 || !bytes.Equal(buf, src) {
		t.Fatalf("small destination: %d bytes, buffer restored %v", n, bytes.Equal(buf, src))
	}
	c2, _ := NewCompressor(chunk, 50)
	probe := append([]byte(nil), src...)
	x86Filter(probe, c2.lastTgt, false)
	if bytes.Equal(probe, src) {
		t.Fatal("the x86 filter changes nothing in the binary: the test above proves nothing")
	}
}
