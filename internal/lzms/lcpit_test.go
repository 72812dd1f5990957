package lzms

import (
	"bytes"
	"math/rand/v2"
	"slices"
	"testing"
)

// randomText is a small random input over a small alphabet, with long
// repeats in some of them (the deep-recursion and deep-tree cases).
func randomText(rng *rand.Rand, iter int) []byte {
	n := 1 + rng.IntN(2000)
	alpha := 1 + rng.IntN(6)
	in := make([]byte, n)
	for i := range in {
		in[i] = byte(rng.IntN(alpha))
	}
	if iter%3 == 0 {
		d := 1 + rng.IntN(100)
		for i := d; i < n; i++ {
			if rng.IntN(50) != 0 {
				in[i] = in[i-d]
			}
		}
	}
	return in
}

func TestSuffixArray(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for iter := range 501 {
		in := randomText(rng, iter)
		if iter%50 == 1 {
			in = bytes.Repeat([]byte{byte(iter)}, len(in))
		}
		if iter == 500 {
			// Big enough that the recursion's first level is
			// past cachedChunk: the induction passes branch there.
			in = make([]byte, 600<<10)
			for i := range in {
				in[i] = byte(rng.IntN(4))
			}
		}
		n := len(in)
		sa := make([]int32, n)
		suffixArray(in, sa, 256, make([]int32, n+256), make([]uint64, saisBitmap(n)))
		want := make([]int32, n)
		for i := range want {
			want[i] = int32(i)
		}
		slices.SortFunc(want, func(a, b int32) int { return bytes.Compare(in[a:], in[b:]) })
		if !slices.Equal(sa, want) {
			t.Fatalf("iter %d (n %d): suffix array differs", iter, n)
		}
	}
}

// TestLCPFinderBruteForce checks that the lcp-interval matchfinder reports,
// at every position, exactly the matches that are nearest for their length:
// for each length l up to the longest match (capped at nice), the nearest
// earlier source of at least l bytes, reported once at the longest length
// it serves. Where lcps share codes, the same holds over the shortest
// lengths of the codes, and the matches are measured. Position 0 is never
// a source.
func TestLCPFinderBruteForce(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for iter := range 300 {
		in := randomText(rng, iter)
		n := len(in)
		var f lcpFinder
		chunk := 1 << 15
		if iter%4 == 0 {
			chunk = 1 << 26 // 6-bit lcps: capped below nice
		}
		f.init(chunk, 3+rng.IntN(250))
		f.alloc(n)
		f.reset(in, nil)
		eachRecordedFind(rng, n, f.find, func(p int, buf []match) {
			maxLen := min(f.nice, n-p)
			// near[l]: the nearest source sharing at least l bytes.
			near := make([]int, maxLen+2)
			for q := p - 1; q >= 1; q-- {
				l := extend(in, q, p, 0, maxLen)
				for ; l >= lcpMinLen && near[l] == 0; l-- {
					near[l] = q
				}
			}
			// The lengths the codes stand for, and past the last
			// one, a length no match reaches.
			var floors []int
			for _, l := range f.length {
				if l >= lcpMinLen && int(l) <= maxLen {
					floors = append(floors, int(l))
				}
			}
			floors = append(floors, maxLen+1)
			var want []match
			for k, l := range floors[:len(floors)-1] {
				if q := near[l]; q != 0 && q != near[floors[k+1]] {
					want = append(want, match{uint32(extend(in, q, p, 0, min(floors[k+1]-1, maxLen))), uint32(p - q)})
				}
			}
			if !slices.Equal(buf, want) {
				t.Fatalf("iter %d pos %d (n %d nice %d exact %d): got %v, want %v", iter, p, n, f.nice, f.exact, buf, want)
			}
		})
	}
}

// eachRecordedFind runs find over every position of an n-byte input,
// asking for the matches at a random three positions in four (the others
// are only inserted), and hands those matches to check.
func eachRecordedFind(rng *rand.Rand, n int, find func(p int, out []match, record bool) []match, check func(p int, buf []match)) {
	var buf []match
	for p := range n {
		record := rng.IntN(4) != 0
		buf = find(p, buf[:0], record)
		if record {
			check(p, buf)
		}
	}
}

// TestNearUniformChunks checks the switch to the binary trees for chunks of
// evenly spread bytes (random data with repeats, so there is something to
// find) and the round trip through them, and that text stays on the
// suffix array.
func TestNearUniformChunks(t *testing.T) {
	const chunk = 1 << 16
	rng := rand.New(rand.NewPCG(7, 8))
	data := make([]byte, 4*chunk)
	for i := range data {
		data[i] = byte(rng.Uint32())
		if i >= 1000 && rng.IntN(3) == 0 {
			data[i] = data[i-1000]
		}
	}
	c, err := NewCompressor(chunk, 50)
	if err != nil {
		t.Fatal(err)
	}
	recs := compressAll(t, c, chunk, data)
	if c.onLCP {
		t.Error("random bytes went to the suffix array")
	}
	if got := decodeRecords(t, chunk, recs); !bytes.Equal(got, data) {
		t.Fatalf("round trip mismatch at %d", firstDiff(got, data))
	}
	if compSize(recs) >= len(data) {
		t.Errorf("repeats not found: %d bytes from %d", compSize(recs), len(data))
	}
	compressAll(t, c, chunk, bytes.Repeat([]byte("text is not uniform. "), chunk/16))
	if !c.onLCP {
		t.Error("text went to the trees")
	}
}
