package lzx

import (
	"math/rand/v2"
	"testing"
)

// TestSplitterLitClasses drives the splitter as the parsers do (literal
// counts in a tally, classes taken from it at each check) and a reference
// that counts each literal's class as it comes, over streams whose byte
// mix changes, and compares every decision and the observations.
func TestSplitterLitClasses(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for round := range 50 {
		var s, ref splitter
		var lits [maxMainSyms]uint32
		blockLen, ends := 0, 0
		for step := range 20000 {
			// Phases of a few thousand items with their own byte range.
			lo := (step / 3000 * 37 * (round + 1)) % 256
			if r.IntN(4) == 0 {
				l := uint32(2 + r.IntN(10))
				s.match(l)
				ref.match(l)
				blockLen += int(l)
			} else {
				b := byte(lo + r.IntN(64+round))
				lits[b]++
				s.newN++
				ref.newObs[(b>>5)&6|b&1]++
				ref.newN++
				blockLen++
			}
			if s.newN >= obsPerCheck || r.IntN(500) == 0 {
				got, want := s.shouldEnd(blockLen, &lits), ref.decide(blockLen)
				if got != want || s != ref {
					t.Fatalf("round %d step %d: shouldEnd %v, reference %v; state %+v, reference %+v", round, step, got, want, s, ref)
				}
				if got {
					ends++
					s.reset()
					ref.reset()
					lits = [maxMainSyms]uint32{}
					blockLen = 0
				}
			}
		}
		if round == 0 && ends == 0 {
			t.Fatal("no block ended: the test does not exercise the decision")
		}
	}
}
