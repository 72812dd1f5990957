package lzms

import (
	"math/rand/v2"
	"testing"
)

// TestBTFinderBruteForce checks the binary-tree matchfinder against a
// brute-force search on small random inputs over small alphabets: with an
// unlimited depth it must find the longest match (capped at nice), and
// every match it reports must be real (at least as long as reported).
func TestBTFinderBruteForce(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for iter := range 300 {
		n := 1 + rng.IntN(2000)
		alpha := 1 + rng.IntN(6)
		in := make([]byte, n)
		for i := range in {
			in[i] = byte(rng.IntN(alpha))
		}
		if iter%3 == 0 { // long repeats
			for i := 100; i < n; i++ {
				if rng.IntN(50) != 0 {
					in[i] = in[i-100]
				}
			}
		}
		var f btFinder
		f.init(1<<15, 12)
		f.depth = 1 << 30
		f.nice = 3 + rng.IntN(80)
		f.reset(in)
		eachRecordedFind(rng, n, f.find, func(p int, buf []match) {
			maxLen := min(f.nice, n-p)
			want, near2 := 0, 0
			for q := p - 1; q >= 0; q-- {
				l := extend(in, q, p, 0, maxLen)
				want = max(want, l)
				if l >= 2 && near2 == 0 {
					near2 = p - q
				}
			}
			got := 0
			for i, m := range buf {
				if i > 0 && m.length <= buf[i-1].length {
					t.Fatalf("iter %d pos %d: lengths not increasing: %v", iter, p, buf)
				}
				q := p - int(m.offset)
				if q < 0 || m.offset == 0 || extend(in, q, p, 0, maxLen) < int(m.length) {
					t.Fatalf("iter %d pos %d: bad match %v", iter, p, m)
				}
				got = int(m.length)
			}
			if want < 2 {
				want = 0
			}
			if got != want {
				t.Fatalf("iter %d pos %d (n %d nice %d): longest %d, want %d (%v)", iter, p, n, f.nice, got, want, buf)
			}
			if near2 != 0 && (len(buf) == 0 || buf[0].length == 2 && int(buf[0].offset) != near2) {
				t.Fatalf("iter %d pos %d: length-2 match %v, want offset %d", iter, p, buf, near2)
			}
		})
	}
}

func TestByteDiffs(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for range 100000 {
		a, b := rng.Uint32(), rng.Uint32()
		if rng.IntN(4) == 0 {
			b = a ^ uint32(rng.IntN(256))<<(8*rng.IntN(4))
		}
		d := byteDiffs(a, b)
		for i := range 4 {
			if want := byte(a>>(8*i)) - byte(b>>(8*i)); byte(d>>(8*i)) != want {
				t.Fatalf("byteDiffs(%08x, %08x) = %08x", a, b, d)
			}
		}
	}
}
