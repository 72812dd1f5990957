package lzx

import (
	"math/rand/v2"
	"testing"
)

// TestAnyDemotable compares anyDemotable, which lets demoteShortReps skip
// its trial write, with a plain scan for a candidate on random blocks:
// repeat-0 matches of lengths around demoteMaxLen whose main symbols are
// used once or more, other slots, and the closing item.
func TestAnyDemotable(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	var c Compressor
	hits := 0
	for round := range 5000 {
		c.t = tally{}
		c.seqs = c.seqs[:0]
		for range r.IntN(6) + 1 {
			slot := uint32(r.IntN(3)) * uint32(r.IntN(2))
			length := uint32(minMatchLen + r.IntN(demoteMaxLen+2))
			ms := numChars + slot*numLenHeaders + min(length-minMatchLen, numLenHeaders-1)
			c.t.main[ms]++
			c.seqs = append(c.seqs, seq{litRun: uint32(r.IntN(3)), mainSym: ms, length: length})
		}
		if r.IntN(2) == 0 {
			c.seqs = append(c.seqs, seq{litRun: 1}) // the closing literals
		}
		want := false
		for k, s := range c.seqs {
			isLast := k == len(c.seqs)-1
			rep0 := s.mainSym >= numChars && (s.mainSym-numChars)/numLenHeaders == 0
			if !isLast && rep0 && s.length <= demoteMaxLen && c.t.main[s.mainSym] == 1 {
				want = true
			}
		}
		if got := c.anyDemotable(); got != want {
			t.Fatalf("round %d: anyDemotable %v, want %v; items %+v", round, got, want, c.seqs)
		}
		if want {
			hits++
		}
	}
	if hits < 500 || hits > 4500 {
		t.Fatalf("%d of 5000 blocks had a candidate: the test covers too little", hits)
	}
}
