//go:build amd64 && !purego

package lzms

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// TestKasaiAsm compares kasaiAsm's lcps with kasaiGo's on saisInputs'
// shapes and small random texts, with one code per lcp (17-bit positions)
// and shared codes (26-bit), short and long nice lengths, and with and
// without the prefetches.
func TestKasaiAsm(t *testing.T) {
	if lcpAhead != 8 {
		t.Fatal("kasai_amd64.s assumes lcpAhead 8")
	}
	rng := rand.New(rand.NewPCG(9, 10))
	inputs := saisInputs([]int{1, 2, 9, 17, 100, 5000, 131072})
	for iter := range 60 {
		inputs["random/"+string(rune('a'+iter%26))+string(rune('0'+iter/26))] = randomText(rng, iter)
	}
	for name, in := range inputs {
		n := len(in)
		if n == 0 {
			continue
		}
		sa0 := buildSA(in)
		for _, c := range []struct{ chunk, nice int }{{1 << 17, 8}, {1 << 17, 255}, {1 << 26, 100}} {
			for _, pf := range []bool{false, true} {
				var f lcpFinder
				f.init(c.chunk, c.nice)
				f.prefetching = pf
				want, got := make([]uint32, n), make([]uint32, n)
				for r, p := range sa0 {
					want[r], got[r] = uint32(p), uint32(p)
				}
				isa := make([]uint32, n)
				for r, p := range sa0 {
					isa[p] = uint32(r)
				}
				f.kasaiGo(in, want, isa)
				f.kasai(in, got, isa)
				if !slices.Equal(got, want) {
					r := 0
					for got[r] == want[r] {
						r++
					}
					t.Fatalf("%s %+v prefetching %v: rank %d: asm %#x, Go %#x", name, c, pf, r, got[r], want[r])
				}
			}
		}
	}
}
