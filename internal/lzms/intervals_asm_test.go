//go:build amd64 && !purego

package lzms

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// TestIntervalsAsm compares intervalsAsm's interval tree and links with
// buildIntervalsGo's, over the suffix arrays and lcps of saisInputs'
// shapes and small random texts, with one code per lcp (17-bit positions)
// and shared codes (26-bit), short and long nice lengths.
func TestIntervalsAsm(t *testing.T) {
	rng := rand.New(rand.NewPCG(13, 14))
	inputs := saisInputs([]int{1, 2, 9, 100, 5000, 131072})
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
			var f lcpFinder
			f.init(c.chunk, c.nice)
			sa := make([]uint32, n)
			for r, p := range sa0 {
				sa[r] = uint32(p)
			}
			f.storeLCPKasai(in, sa, make([]uint32, n))
			want, got := slices.Clone(sa), slices.Clone(sa)
			wantLinks, gotLinks := make([]uint32, n), make([]uint32, n)
			f.buildIntervalsGo(want, wantLinks)
			f.buildIntervals(got, gotLinks)
			if !slices.Equal(got, want) || !slices.Equal(gotLinks, wantLinks) {
				t.Fatalf("%s %+v: intervals or links differ", name, c)
			}
		}
	}
}
