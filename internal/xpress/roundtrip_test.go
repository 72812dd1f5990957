package xpress

import (
	"bytes"
	"errors"
	"fmt"
	"testing"
)

var (
	chunkSizes = []int{4096, 8192, 16384, 32768, 65536}
	testLevels = []int{1, 20, 50, 100}
)

// roundTripInputs returns named inputs for a chunk size: real text and
// machine code, random bytes, zeros, and the sizes at the edges.
func roundTripInputs(t *testing.T, chunk int) map[string][]byte {
	text, bin := loadCorpus(t)
	in := map[string][]byte{
		"text":      text[:chunk],
		"binary":    bin[len(bin)/3:][:chunk],
		"random":    randomBytes(chunk, 1),
		"zeros":     make([]byte, chunk),
		"1":         {'a'},
		"2":         {'a', 'b'},
		"24":        text[1000:1024],
		"25":        bytes.Repeat([]byte{'x'}, 25),
		"chunk-1":   text[5:][:chunk-1],
		"textshort": text[:chunk/2+13],
		"mixed":     append(append([]byte{}, text[:chunk/2]...), randomBytes(chunk/2, 2)...),
		"periodic":  bytes.Repeat([]byte("abcdefghijklmnopq"), chunk/17+1)[:chunk],
	}
	return in
}

// checkChunk64 compresses src with c (without the must-shrink rule so tiny
// inputs are exercised too), decodes it strictly and compares.
func roundTrip(t *testing.T, c *Compressor, d *Decompressor, src []byte) int {
	t.Helper()
	dst := make([]byte, len(src)+len(src)/8+minOutput+16)
	n := c.compress(dst, src)
	if n == 0 {
		t.Fatalf("compress of %d bytes returned 0 with a generous buffer", len(src))
	}
	got := make([]byte, len(src))
	d.strict = true
	if err := d.Decompress(got, dst[:n]); err != nil {
		t.Fatalf("decompress of %d bytes: %v", len(src), err)
	}
	if !bytes.Equal(got, src) {
		t.Fatalf("round trip of %d bytes differs", len(src))
	}
	// The public entry point obeys its size contract.
	small := make([]byte, len(src))
	for i := range small {
		small[i] = 0xAA
	}
	if m := c.Compress(small, src); m != 0 {
		if m >= len(src) {
			t.Fatalf("Compress returned %d for %d bytes", m, len(src))
		}
		if !bytes.Equal(small[:m], dst[:n]) {
			t.Fatalf("Compress output differs from compress")
		}
	}
	if len(src) > 0 && small[len(small)-1] != 0xAA {
		t.Fatalf("Compress wrote the last byte of dst")
	}
	return n
}

func TestRoundTrip(t *testing.T) {
	for _, chunk := range chunkSizes {
		inputs := roundTripInputs(t, chunk)
		d, err := NewDecompressor(chunk)
		if err != nil {
			t.Fatal(err)
		}
		for _, level := range testLevels {
			c, err := NewCompressor(chunk, level)
			if err != nil {
				t.Fatal(err)
			}
			for name, src := range inputs {
				t.Run(fmt.Sprintf("%d/L%d/%s", chunk, level, name), func(t *testing.T) {
					roundTrip(t, c, d, src)
				})
			}
		}
	}
}

func TestBadParameters(t *testing.T) {
	for _, chunk := range []int{0, 2048, 4095, 12288, 131072} {
		if _, err := NewCompressor(chunk, 50); err == nil {
			t.Errorf("NewCompressor(%d) accepted", chunk)
		}
		if _, err := NewDecompressor(chunk); err == nil {
			t.Errorf("NewDecompressor(%d) accepted", chunk)
		}
	}
	for _, level := range []int{0, -1} {
		if _, err := NewCompressor(32768, level); err == nil {
			t.Errorf("level %d accepted", level)
		}
	}
	if _, err := NewCompressor(32768, 1000); err != nil {
		t.Errorf("level 1000: %v", err)
	}
}

// TestCorruptInput truncates and flips bits in valid chunks: the decoder
// must return ErrCorrupt or (rarely) succeed, never panic.
func TestCorruptInput(t *testing.T) {
	text, _ := loadCorpus(t)
	src := text[:32768]
	c, _ := NewCompressor(32768, 50)
	d, _ := NewDecompressor(32768)
	dst := make([]byte, len(src))
	n := c.Compress(dst, src)
	if n == 0 {
		t.Fatal("text did not compress")
	}
	comp := dst[:n]
	out := make([]byte, len(src))
	// Dropping the last unit or two may only lose padding and the EOD
	// symbol, which WIM readers never look at; anything shorter loses data.
	for cut := 0; cut <= n-5; cut += 1 + cut/64 {
		if err := d.Decompress(out, comp[:cut]); !errors.Is(err, ErrCorrupt) {
			t.Fatalf("truncated to %d: err = %v", cut, err)
		}
	}
	d.strict = true
	for cut := n - 8; cut < n; cut++ {
		if err := d.Decompress(out, comp[:cut]); !errors.Is(err, ErrCorrupt) {
			t.Fatalf("strict, truncated to %d: err = %v", cut, err)
		}
	}
	if err := d.Decompress(out, append(comp[:n:n], 0, 0)); !errors.Is(err, ErrCorrupt) {
		t.Fatalf("strict, trailing unit: err = %v", err)
	}
	d.strict = false
	bad := make([]byte, n)
	steps := 3000
	if testing.Short() {
		steps = 300
	}
	for i := range steps {
		copy(bad, comp)
		bad[(i*7919)%n] ^= byte(1 << (i % 8))
		if err := d.Decompress(out, bad); err != nil && !errors.Is(err, ErrCorrupt) {
			t.Fatalf("error does not wrap ErrCorrupt: %v", err)
		}
	}
	// Garbage of every length.
	for l := 0; l < 600; l += 7 {
		if err := d.Decompress(out, randomBytes(l, uint64(l))); err == nil {
			t.Fatalf("random %d bytes decoded", l)
		}
	}
}
