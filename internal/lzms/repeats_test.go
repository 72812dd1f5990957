package lzms

import (
	"bytes"
	"math/rand/v2"
	"testing"

	"github.com/wimgo/wimgo/internal/codectest"
)

// repeatInputs are chunks of 2-4 MiB where long repeats at short
// distances make up most of the data, mixed with text and random bytes,
// with periods from 1 to 60,000 and stretches that start and end at odd
// places (near the chunk's ends too).
func repeatInputs(t *testing.T) map[string][]byte {
	text, _ := codectest.Corpus(t)
	r := rand.New(rand.NewPCG(5, 9))
	rnd := func(n int) []byte {
		b := make([]byte, n)
		for i := range b {
			b[i] = byte(r.Uint32())
		}
		return b
	}
	periodic := func(pat []byte, n int) []byte {
		out := make([]byte, n)
		for i := range out {
			out[i] = pat[i%len(pat)]
		}
		return out
	}
	mixed := func(n int) []byte {
		var b []byte
		for len(b) < n {
			switch r.IntN(4) {
			case 0:
				off := r.IntN(len(text) - 20000)
				b = append(b, text[off:off+100+r.IntN(20000)]...)
			case 1:
				b = append(b, rnd(1+r.IntN(5000))...)
			default:
				period := []int{1, 2, 3, 7, 512, 4096, 4097, 33, 60000}[r.IntN(9)]
				pat := rnd(period)
				if r.IntN(3) == 0 && len(b) > period {
					pat = b[len(b)-period:] // continues what came before
				}
				b = append(b, periodic(pat, 20000+r.IntN(400000))...)
			}
		}
		return b[:n]
	}
	runs := codectest.RunInputs(3 << 20)
	in := map[string][]byte{
		"mixed":       mixed(4 << 20),
		"mixed-2":     mixed(2<<20 + 12345),
		"page-at-end": append(text[:100000:100000], periodic(rnd(4096), 3<<20)...),
		"tail-random": append(periodic([]byte{0}, 3<<20), rnd(3000)...),
		"two-periods": append(periodic(rnd(512), 1<<20), periodic(rnd(4096), 2<<20)...),
	}
	for _, x := range runs {
		in[x.Name] = x.Data
	}
	return in
}

// TestRepeatsLeftOut: chunks whose long repeats are left out of the suffix
// array round-trip, are cut as planned, and come out no more than 0.5%
// (plus 16 bytes) larger than with the whole chunk sorted.
func TestRepeatsLeftOut(t *testing.T) {
	inputs := repeatInputs(t)
	for _, level := range []int{20, 50, 100} {
		for name, src := range inputs {
			c, err := NewCompressor(4<<20, level)
			if err != nil {
				t.Fatal(err)
			}
			dst := make([]byte, len(src))
			k := c.Compress(dst, src)
			if k == 0 {
				t.Fatalf("%s L%d: not compressed", name, level)
			}
			cut := 0
			for _, x := range c.lf.cuts {
				cut += x.n
			}
			if name != "zeros" && len(src)-cut > len(src)/2 {
				t.Errorf("%s L%d: only %d of %d bytes left out", name, level, cut, len(src))
			}
			d, _ := NewDecompressor(4 << 20)
			out := make([]byte, len(src))
			if err := d.Decompress(out, dst[:k]); err != nil || !bytes.Equal(out, src) {
				t.Fatalf("%s L%d: round trip failed: %v", name, level, err)
			}
			noCuts = true
			whole := c.Compress(dst, src)
			noCuts = false
			if k > whole+whole/200+16 {
				t.Errorf("%s L%d: %d bytes with repeats left out, %d without", name, level, k, whole)
			}
			t.Logf("%s L%d: %d bytes (%d left out), whole %d", name, level, k, cut, whole)
		}
	}
}

// TestFindRepeats: the stretches found have the period claimed, keep
// their ends and leave out what the plan says, on hand-made chunks.
func TestFindRepeats(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 1))
	rnd := func(n int) []byte {
		b := make([]byte, n)
		for i := range b {
			b[i] = byte(r.Uint32())
		}
		return b
	}
	page := rnd(4096)
	var in []byte
	in = append(in, rnd(300000)...)
	start := len(in)
	for range 100 {
		in = append(in, page...)
	}
	end := len(in)
	in = append(in, rnd(800000)...)
	zs := len(in)
	in = append(in, make([]byte, 15000)...) // too short to cut
	in = append(in, rnd(10)...)
	cuts := findRepeats(in, 100, make([]uint32, 1<<repeatHashBits), nil)
	if len(cuts) != 1 {
		t.Fatalf("cuts %+v, want one (zeros at %d too short)", cuts, zs)
	}
	c := cuts[0]
	k := 4096 + 2*100 + 64
	if c.period != 4096 || c.at != start+k || c.n != (end-start-2*k)/4096*4096 {
		t.Errorf("cut %+v, want period 4096 at %d", c, start+k)
	}
	for i := c.at; i < c.at+c.n+k; i++ {
		if in[i] != in[i-c.period] {
			t.Fatalf("position %d does not repeat %d back", i, c.period)
		}
	}
}
