package lzms

// parseState is what the cost of the next item depends on besides the
// codes: the decision states and the LZ repeat queue, kept exactly as the
// decoder keeps them (see Decompressor.decode): an LZ match's source is
// pushed at once, and prevLZ says the repeat indices of the next item
// start one entry deeper.
//
// The delta queue holds (power, raw offset) pairs packed as
// power<<deltaPowerShift | raw.
type parseState struct {
	lzQ, deltaQ           [numReps + 1]uint32
	main, match, lz, rep0 uint8
	rep1, prevLZ          uint8
	delta, drep0, drep1   uint8
	prevDelta             uint8
}

const deltaPowerShift = 28

func initialParseState() parseState {
	return parseState{
		lzQ:    [numReps + 1]uint32{1, 2, 3, 4},
		deltaQ: [numReps + 1]uint32{1, 2, 3, 4},
	}
}

// Item kinds as the parser records them: itemLiteral, itemRep+k for the
// LZ repeat match of index k, itemExplicit+offset, and with itemDelta set,
// k for the delta repeat match of index k or numReps+pair.
const (
	itemLiteral  = 0
	itemRep      = 1
	itemExplicit = itemRep + numReps
	itemDelta    = 1 << 31
)

// repBits advances the two repeat-index decision states for index k.
func repBits(r0, r1 *uint8, k int) {
	*r0 = rep0After(*r0, k)
	if k != 0 {
		*r1 = (*r1<<1 | uint8(k-1)) & 63
	}
}

// rep0After is the first repeat decision's state after repeat k.
func rep0After(r0 uint8, k int) uint8 {
	if k == 0 {
		return r0 << 1 & 63
	}
	return (r0<<1 | 1) & 63
}

// lzDecisions returns the main, match, lz and rep0 decision states after
// the LZ item (a repeat or an explicit match), as advance leaves them: the
// parser prices compound items from them without copying the state.
func (s *parseState) lzDecisions(item uint32) (main, match, lz, rep0 uint8) {
	main, match, lz, rep0 = (s.main<<1|1)&15, s.match<<1&31, s.lz<<1&63, s.rep0
	if item < itemExplicit {
		lz |= 1
		rep0 = rep0After(s.rep0, int(item-itemRep))
	}
	return main, match, lz, rep0
}

// takeRep moves entry k+prev of q to the front and returns it.
func takeRep(q *[numReps + 1]uint32, k int, prev uint8) uint32 {
	j := k + int(prev)
	v := q[j]
	copy(q[1:j+1], q[:j])
	q[0] = v
	return v
}

// advance applies one item of length l to s.
func (s *parseState) advance(item uint32) {
	switch {
	case item == itemLiteral:
		s.main = s.main << 1 & 15
		s.prevLZ, s.prevDelta = 0, 0
	case item&itemDelta != 0:
		s.main = (s.main<<1 | 1) & 15
		s.match = (s.match<<1 | 1) & 31
		v := item &^ itemDelta
		if v < numReps {
			s.delta = (s.delta<<1 | 1) & 63
			repBits(&s.drep0, &s.drep1, int(v))
			takeRep(&s.deltaQ, int(v), s.prevDelta)
		} else {
			s.delta = s.delta << 1 & 63
			copy(s.deltaQ[1:], s.deltaQ[:numReps])
			s.deltaQ[0] = v - numReps
		}
		s.prevLZ, s.prevDelta = 0, 1
	case item < itemExplicit:
		k := int(item - itemRep)
		s.main, s.match, s.lz, _ = s.lzDecisions(item)
		repBits(&s.rep0, &s.rep1, k)
		takeRep(&s.lzQ, k, s.prevLZ)
		s.prevLZ, s.prevDelta = 1, 0
	default:
		s.main, s.match, s.lz, _ = s.lzDecisions(item)
		copy(s.lzQ[1:], s.lzQ[:numReps])
		s.lzQ[0] = item - itemExplicit
		s.prevLZ, s.prevDelta = 1, 0
	}
}

// emitter writes items to the two streams of one chunk and keeps the
// models, the codes and the real parse state in step with the decoder.
type emitter struct {
	c   *Compressor
	rc  rangeEncoder
	bw  bitWriter
	dec decisions
	st  parseState
}

func (e *emitter) literal(b byte) {
	p, m := &e.c.probs, &e.c.costs
	e.bit(0, &e.dec.main, p.main[:], &m.main)
	e.c.literal.put(&e.bw, int(b), 0, 0)
	if e.c.stats != nil {
		e.count(itemLiteral, 1)
	}
	// parseState.advance's literal case.
	e.st.main = e.st.main << 1 & 15
	e.st.prevLZ, e.st.prevDelta = 0, 0
}

func (e *emitter) length(l int) {
	slot := lengthSlot(uint32(l))
	e.c.length.put(&e.bw, slot, uint32(l)-lengthBase[slot], uint(lengthExtraBits[slot]))
}

// Item kinds counted by itemStats (tests check the parser uses them all).
const (
	kindLiteral = iota
	kindLZ
	kindLZRep
	kindDelta
	kindDeltaRep
	kindLong // any match of at least nice bytes
	numKinds
)

type itemStats [numKinds]int

func (e *emitter) count(item uint32, l int) {
	k := kindLZ
	switch {
	case item == itemLiteral:
		k = kindLiteral
	case item&itemDelta != 0 && item&^itemDelta < numReps:
		k = kindDeltaRep
	case item&itemDelta != 0:
		k = kindDelta
	case item < itemExplicit:
		k = kindLZRep
	}
	e.c.stats[k]++
	if l >= e.c.nice {
		e.c.stats[kindLong]++
	}
}

// match writes an LZ or delta match of length l.
func (e *emitter) match(item uint32, l int) {
	if e.c.stats != nil {
		e.count(item, l)
	}
	p, m := &e.c.probs, &e.c.costs
	e.bit(1, &e.dec.main, p.main[:], &m.main)
	if item&itemDelta != 0 {
		e.bit(1, &e.dec.match, p.match[:], &m.match)
		v := item &^ itemDelta
		if v < numReps {
			e.bit(1, &e.dec.delta, p.delta[:], &m.delta)
			if v == 0 {
				e.bit(0, &e.dec.deltaRep[0], p.deltaRep[0][:], &m.deltaRep[0])
			} else {
				e.bit(1, &e.dec.deltaRep[0], p.deltaRep[0][:], &m.deltaRep[0])
				e.bit(v-1, &e.dec.deltaRep[1], p.deltaRep[1][:], &m.deltaRep[1])
			}
		} else {
			pair := v - numReps
			raw := pair & (1<<deltaPowerShift - 1)
			e.bit(0, &e.dec.delta, p.delta[:], &m.delta)
			e.c.deltaPower.put(&e.bw, int(pair>>deltaPowerShift), 0, 0)
			slot := offsetSlot(raw)
			e.c.deltaOffset.put(&e.bw, slot, raw-offsetBase[slot], uint(offsetExtraBits[slot]))
		}
		e.length(l)
		e.st.advance(item)
		return
	}
	e.bit(0, &e.dec.match, p.match[:], &m.match)
	if item < itemExplicit {
		k := item - itemRep
		e.bit(1, &e.dec.lz, p.lz[:], &m.lz)
		if k == 0 {
			e.bit(0, &e.dec.lzRep[0], p.lzRep[0][:], &m.lzRep[0])
		} else {
			e.bit(1, &e.dec.lzRep[0], p.lzRep[0][:], &m.lzRep[0])
			e.bit(k-1, &e.dec.lzRep[1], p.lzRep[1][:], &m.lzRep[1])
		}
	} else {
		off := item - itemExplicit
		e.bit(0, &e.dec.lz, p.lz[:], &m.lz)
		slot := offsetSlot(off)
		e.c.lzOffset.put(&e.bw, slot, off-offsetBase[slot], uint(offsetExtraBits[slot]))
	}
	e.length(l)
	e.st.advance(item)
}

// bit codes one decision with the entry selected by *state (the range
// coder's step inline: a call fewer a bit), advancing both the state and
// the entry exactly as rangeDecoder.decode does, and refreshes the
// parser's price of the entry it used, so the cost model follows the
// models without a full reload.
func (e *emitter) bit(bit uint32, state *uint32, probs []probEntry, costs *decisionCosts) {
	s := *state & uint32(len(probs)-1)
	p := &probs[s]
	r := &e.rc
	if r.rng <= 0xFFFF {
		r.rng <<= 16
		r.shiftLow()
	}
	bound := (r.rng >> probBits) * p.prob()
	// A 1 keeps the range above bound, a 0 the range below it; without
	// a branch (the bits do not follow a pattern).
	one := -bit
	r.low += uint64(bound & one)
	r.rng = bound ^ (bound^(r.rng-bound))&one
	p.update(bit)
	*state = (s<<1 | bit) & uint32(len(probs)-1)
	costs[s] = zerosCost[p.zeros]
}
