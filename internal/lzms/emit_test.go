package lzms

import (
	"math/rand/v2"
	"testing"
)

// TestEmitterDecisionCosts codes random decisions through emitter.bit and
// checks, after each, that the price it refreshed is the one the entry's
// probability gives (probCost of prob(), as costModel.load prices), and
// that the models it leaves are the decoder's: the bits decode back
// through rangeDecoder.decode with the same states.
func TestEmitterDecisionCosts(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	c := &Compressor{}
	c.probs.reset()
	c.costs.main.load(c.probs.main[:])
	out := make([]byte, 1<<16)
	e := &emitter{c: c}
	e.rc.init(out)
	var bits []uint32
	var state uint32
	for i := range 20000 {
		// Runs of one value drive entries to both ends (0 and 64 zeros).
		bit := uint32(0)
		if (i/500)%3 == 1 || (i/500)%3 == 2 && rng.IntN(2) == 0 {
			bit = 1
		}
		s := state & 15
		e.bit(bit, &state, c.probs.main[:], &c.costs.main)
		p0 := c.probs.main[s].prob()
		if want := [2]uint32{probCost[p0], probCost[1<<probBits-p0]}; c.costs.main[s] != want {
			t.Fatalf("bit %d: entry %d (%d zeros) priced %v, want %v", i, s, c.probs.main[s].zeros, c.costs.main[s], want)
		}
		bits = append(bits, bit)
	}
	if !e.rc.finish() {
		t.Fatal("range coder overflowed")
	}
	var rd rangeDecoder
	rd.init(out[:e.rc.next])
	var p probs
	p.reset()
	var ds uint32
	for i, want := range bits {
		if got := rd.decode(&ds, p.main[:]); got != want {
			t.Fatalf("bit %d decoded as %d, want %d", i, got, want)
		}
	}
	if p.main != c.probs.main || ds != state {
		t.Fatal("the decoder's models differ from the emitter's")
	}
}
