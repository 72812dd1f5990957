//go:build amd64 && !purego

package lzms

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// lcpScanCase is one text for the index-building scans' assembly tests:
// its suffix array, and a finder set up for one position width and nice.
type lcpScanCase struct {
	name string
	in   []byte
	sa   []uint32 // the suffix array, entries without lcps
	f    *lcpFinder
	cfg  struct{ chunk, nice int }
}

// forLCPScanCases runs fn on saisInputs' shapes of the given sizes and 60
// small random texts (rng seeded with seed), each with one code per lcp
// (17-bit positions) and shared codes (26-bit), short and long nice lengths.
func forLCPScanCases(sizes []int, seed uint64, fn func(c lcpScanCase)) {
	rng := rand.New(rand.NewPCG(seed, seed+1))
	inputs := saisInputs(sizes)
	for iter := range 60 {
		inputs["random/"+string(rune('a'+iter%26))+string(rune('0'+iter/26))] = randomText(rng, iter)
	}
	for name, in := range inputs {
		if len(in) == 0 {
			continue
		}
		sa0 := buildSA(in)
		sa := make([]uint32, len(in))
		for r, p := range sa0 {
			sa[r] = uint32(p)
		}
		for _, cfg := range []struct{ chunk, nice int }{{1 << 17, 8}, {1 << 17, 255}, {1 << 26, 100}} {
			f := new(lcpFinder)
			f.init(cfg.chunk, cfg.nice)
			fn(lcpScanCase{name, in, sa, f, cfg})
		}
	}
}

// sameRanks fails t at the first rank where got and want differ.
func sameRanks(t *testing.T, what string, got, want []uint32) {
	t.Helper()
	if slices.Equal(got, want) {
		return
	}
	r := 0
	for got[r] == want[r] {
		r++
	}
	t.Fatalf("%s: rank %d: asm %#x, Go %#x", what, r, got[r], want[r])
}

// TestDirectAsm compares directAsm's lcps with directGo's.
func TestDirectAsm(t *testing.T) {
	if lcpDirectAhead != 16 {
		t.Fatal("direct_amd64.s assumes lcpDirectAhead 16")
	}
	forLCPScanCases([]int{1, 2, 9, 17, 100, 5000, 131072}, 15, func(c lcpScanCase) {
		want, got := slices.Clone(c.sa), slices.Clone(c.sa)
		c.f.directGo(c.in, want)
		c.f.direct(c.in, got)
		sameRanks(t, c.name, got, want)
	})
}

// phiLinks is Φ for c's suffix array, as storeLCPPhi fills links.
func phiLinks(c lcpScanCase) []uint32 {
	links := make([]uint32, len(c.in))
	for r := 1; r < len(c.sa); r++ {
		links[c.sa[r]] = c.sa[r-1]
	}
	return links
}

// TestPhiAsm compares phiAsm's lcps with phiScanGo's.
func TestPhiAsm(t *testing.T) {
	if lcpAhead != 8 {
		t.Fatal("phi_amd64.s assumes lcpAhead 8")
	}
	forLCPScanCases([]int{1, 2, 9, 17, 100, 5000, 131072}, 9, func(c lcpScanCase) {
		want, got := phiLinks(c), phiLinks(c)
		c.f.phiScanGo(c.in, want, int(c.sa[0]))
		c.f.phiScan(c.in, got, int(c.sa[0]))
		sameRanks(t, c.name, got, want)
	})
}

// TestIntervalsAsm compares intervalsAsm's interval tree and links with
// buildIntervalsGo's, over the suffix arrays and their lcps.
func TestIntervalsAsm(t *testing.T) {
	forLCPScanCases([]int{1, 2, 9, 100, 5000, 131072}, 13, func(c lcpScanCase) {
		n := len(c.in)
		sa := slices.Clone(c.sa)
		c.f.directGo(c.in, sa)
		want, got := slices.Clone(sa), slices.Clone(sa)
		wantLinks, gotLinks := make([]uint32, n), make([]uint32, n)
		wantCount := c.f.buildIntervalsGo(want, wantLinks)
		gotCount := c.f.buildIntervals(got, gotLinks)
		sameRanks(t, c.name+" intervals", got, want)
		sameRanks(t, c.name+" links", gotLinks, wantLinks)
		checkIntervalCount(t, c.name, c.f, wantLinks, wantCount, gotCount)
	})
}

// TestIntervalsPhiAsm compares intervalsPhiAsm's interval tree and links
// with intervalsPhiGo's, over the suffix arrays and their lcps in links.
func TestIntervalsPhiAsm(t *testing.T) {
	if intervalsAhead != 16 {
		t.Fatal("phi_amd64.s assumes intervalsAhead 16")
	}
	forLCPScanCases([]int{1, 2, 9, 100, 5000, 131072}, 14, func(c lcpScanCase) {
		lcps := phiLinks(c)
		c.f.phiScanGo(c.in, lcps, int(c.sa[0]))
		want, got := slices.Clone(c.sa), slices.Clone(c.sa)
		wantLinks, gotLinks := slices.Clone(lcps), slices.Clone(lcps)
		wantCount := c.f.intervalsPhiGo(want, wantLinks)
		gotCount := c.f.buildIntervalsPhi(got, gotLinks)
		sameRanks(t, c.name+" intervals", got, want)
		sameRanks(t, c.name+" links", gotLinks, wantLinks)
		checkIntervalCount(t, c.name, c.f, wantLinks, wantCount, gotCount)
	})
}

// checkIntervalCount: the scans count the same intervals, and the count
// is the tree's (the last interval opened is the deepest of some position,
// so the highest index among the links is the count's last).
func checkIntervalCount(t *testing.T, name string, f *lcpFinder, links []uint32, want, got int) {
	t.Helper()
	mask := uint32(1)<<f.posBits - 1
	top := 0
	for _, l := range links {
		top = max(top, int(l&mask))
	}
	if got != want || want != top+1 {
		t.Errorf("%s: %d intervals, the Go scan %d, the links' highest index %d", name, got, want, top)
	}
}
