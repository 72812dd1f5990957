package lzms

import (
	"maps"
	"math/rand/v2"
	"slices"
	"testing"
)

// TestFindBatches drives Compressor.find (the parse's call, which climbs
// climbBatchLen positions at a time) as the parse does, every position
// found in order and now and then a stretch visited (a long match), and
// compares each position's matches with a finder of its own found one
// position at a time. Levels 20, 50 and 100 (nice 40 to 255), 17-bit and
// 26-bit positions (shared codes, measured), saisInputs' shapes and
// random texts; a few finds ask for no matches or pass a non-empty out.
func TestFindBatches(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	inputs := saisInputs([]int{100, 5000, 131072})
	for iter := range 20 {
		inputs["random/"+string(rune('a'+iter))] = randomText(rng, iter)
	}
	for _, name := range slices.Sorted(maps.Keys(inputs)) {
		in := inputs[name]
		n := len(in)
		for _, cfg := range []struct{ chunk, level int }{{1 << 17, 20}, {1 << 17, 50}, {1 << 17, 100}, {1 << 26, 50}} {
			if n > cfg.chunk {
				continue
			}
			c, err := NewCompressor(cfg.chunk, cfg.level)
			if err != nil {
				t.Fatal(err)
			}
			// What encode does before the parse.
			c.in, c.onLCP = in, true
			c.lf.reset(in, nil)
			c.ah.startChunk(n)
			c.cb.start, c.cb.end, c.cb.n = 0, 0, 0
			var ref lcpFinder
			ref.init(cfg.chunk, c.nice)
			ref.reset(in, nil)
			var want []match
			for p := 0; p < n; {
				out := c.matches[:0]
				record := rng.IntN(64) != 0
				if rng.IntN(64) == 0 {
					out = append(out, match{1, 1})
				}
				got := c.find(p, out, record)
				want = ref.find(p, append(want[:0], out...), record)
				if !slices.Equal(got, want) {
					t.Fatalf("%s %+v: pos %d (record %v): got %v, want %v", name, cfg, p, record, got, want)
				}
				p++
				if rng.IntN(16) == 0 {
					to := min(n, p+rng.IntN(3*climbBatchLen))
					c.visit(p, to)
					ref.visit(p, to)
					p = to
				}
			}
			if !slices.Equal(c.lf.nodes[:n], ref.nodes[:n]) || !slices.Equal(c.lf.links[:n], ref.links[:n]) {
				t.Fatalf("%s %+v: the arrays differ after the finds", name, cfg)
			}
		}
	}
}
