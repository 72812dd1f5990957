package incompressible

import (
	"bytes"
	"testing"

	"github.com/wimgo/wimgo/internal/codectest"
)

var random = codectest.RandomBytes

// The parameters the codecs pass: XPRESS (a 256-byte table, one code a
// chunk) and LZX (at least 48 bytes a block, blocks of 6500 and up).
var codecs = []struct {
	name                           string
	overhead, split, blockOverhead int
}{{"xpress", 256, 0, 0}, {"lzx", 48, 6500, 48}}

func TestRandomIsHopeless(t *testing.T) {
	c := NewChecker(MaxLen)
	for _, cd := range codecs {
		for _, n := range []int{4096, 32768, 65536, 1 << 20, MaxLen} {
			overhead := cd.overhead
			if cd.name == "xpress" && n > smallLen {
				continue // XPRESS chunks stop at 64 KiB
			}
			if cd.name == "lzx" {
				overhead *= (n + 99999) / 100000 // a block per 100,000 bytes
			}
			hits := 0
			for seed := range 20 {
				if c.Hopeless(random(n, uint64(seed)), overhead, cd.split, cd.blockOverhead) {
					hits++
				}
			}
			if hits < 18 {
				t.Errorf("%s: %d of 20 random %d-byte chunks judged hopeless", cd.name, hits, n)
			}
		}
	}
}

func TestCompressibleIsNot(t *testing.T) {
	c := NewChecker(MaxLen)
	r := random(65536, 9)
	text := bytes.Repeat([]byte("package main\n\nfunc main() { println(\"hi\") }\n"), 1500)[:32768]
	twice := append(bytes.Clone(r[:16384]), r[:16384]...)
	sevenBit := bytes.Clone(r[:32768])
	for i := range sevenBit {
		sevenBit[i] &= 0x7f
	}
	// Flat as a whole, 7 bits a byte in each half.
	halves := append(bytes.Clone(sevenBit[:16384]), sevenBit[16384:]...)
	for i := 16384; i < len(halves); i++ {
		halves[i] |= 0x80
	}
	cases := map[string][]byte{
		"zeros": make([]byte, 32768), "text": text, "twice": twice,
		"7-bit": sevenBit, "tiny": r[:minLen-1], "too big": random(MaxLen+1, 10),
	}
	for name, p := range cases {
		for _, cd := range codecs {
			if c.Hopeless(p, cd.overhead, cd.split, cd.blockOverhead) {
				t.Errorf("%s: %s judged hopeless", cd.name, name)
			}
		}
	}
	// Only a codec that splits blocks can use the halves' statistics.
	if !c.Hopeless(halves, 256, 0, 0) {
		t.Errorf("halves: not hopeless for one code per chunk")
	}
	if c.Hopeless(halves, 48, 6500, 48) {
		t.Errorf("halves: hopeless for a codec with its own code per block")
	}
}

// TestHuffmanBits checks the code size against hand-built optimal codes.
func TestHuffmanBits(t *testing.T) {
	cases := []struct {
		freqs map[byte]uint32
		want  uint64
	}{
		{map[byte]uint32{'a': 5}, 0},
		{map[byte]uint32{'a': 1, 'b': 1}, 2},
		{map[byte]uint32{'a': 2, 'b': 1, 'c': 1}, 2*1 + 1*2 + 1*2},
		{map[byte]uint32{'a': 8, 'b': 4, 'c': 2, 'd': 1, 'e': 1}, 8*1 + 4*2 + 2*3 + 1*4 + 1*4},
		{map[byte]uint32{'a': 3, 'b': 3, 'c': 3, 'd': 3}, 12 * 2},
	}
	for _, c := range cases {
		var h [256]uint32
		for b, f := range c.freqs {
			h[b] = f
		}
		if got := huffmanBits(&h); got != c.want {
			t.Errorf("%v: %d bits, want %d", c.freqs, got, c.want)
		}
	}
	var flat [256]uint32
	for i := range flat {
		flat[i] = 100 + uint32(i%2)*50 // within a factor of two: all 8 bits
	}
	if got, want := huffmanBits(&flat), uint64(8*(128*100+128*150)); got != want {
		t.Errorf("flat: %d bits, want %d", got, want)
	}
}

// TestRepeatsCounted: a chunk of random bytes with one repeated stretch is
// hopeless only while the stretch is too short to pay for the table.
func TestRepeatsCounted(t *testing.T) {
	c := NewChecker(MaxLen)
	p := random(32768, 5)
	if !c.Hopeless(p, 256, 0, 0) {
		t.Fatal("random chunk not hopeless")
	}
	copy(p[20000:], p[1000:1200]) // a 200-byte match
	if c.Hopeless(p, 256, 0, 0) {
		t.Error("a 200-byte repeat went unseen")
	}
}

func BenchmarkHopeless(b *testing.B) {
	c := NewChecker(MaxLen)
	for _, name := range []string{"random", "text"} {
		p := random(32768, 1)
		if name == "text" {
			p = bytes.Repeat([]byte("the quick brown fox "), 2000)[:32768]
		}
		b.Run(name, func(b *testing.B) {
			b.SetBytes(int64(len(p)))
			for b.Loop() {
				c.Hopeless(p, 256, 0, 0)
			}
		})
	}
}
