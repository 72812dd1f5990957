package lzms

// parseState is what the cost of the next item depends on besides the
// codes: the decision states and the LZ repeat queue, kept exactly as the
// decoder keeps them (see Decompressor.decode): an LZ match's source is
// pushed at once, and prevLZ says the repeat indices of the next item
// start one entry deeper.
type parseState struct {
	lzQ                    [numReps + 1]uint32
	main, match, lz, rep0  uint8
	rep1, prevLZ, delta, _ uint8
}

func initialParseState() parseState {
	return parseState{lzQ: [numReps + 1]uint32{1, 2, 3, 4}}
}

// Item kinds as the parser records them: itemLiteral, itemRep+k for the
// LZ repeat match of index k, and itemExplicit+offset.
const (
	itemLiteral  = 0
	itemRep      = 1
	itemExplicit = itemRep + numReps
)

// advance applies one item of length l to s.
func (s *parseState) advance(item uint32) {
	switch {
	case item == itemLiteral:
		s.main = s.main << 1 & 15
		s.prevLZ = 0
	case item < itemExplicit:
		k := int(item - itemRep)
		s.main = (s.main<<1 | 1) & 15
		s.match = s.match << 1 & 31
		s.lz = (s.lz<<1 | 1) & 63
		if k == 0 {
			s.rep0 = s.rep0 << 1 & 63
		} else {
			s.rep0 = (s.rep0<<1 | 1) & 63
			s.rep1 = (s.rep1<<1 | uint8(k-1)) & 63
		}
		j := k + int(s.prevLZ)
		off := s.lzQ[j]
		copy(s.lzQ[1:j+1], s.lzQ[:j])
		s.lzQ[0] = off
		s.prevLZ = 1
	default:
		s.main = (s.main<<1 | 1) & 15
		s.match = s.match << 1 & 31
		s.lz = s.lz << 1 & 63
		copy(s.lzQ[1:], s.lzQ[:numReps])
		s.lzQ[0] = item - itemExplicit
		s.prevLZ = 1
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
	p := &e.c.probs
	e.rc.encode(0, &e.dec.main, p.main[:])
	e.c.literal.put(&e.bw, int(b))
	e.st.advance(itemLiteral)
}

func (e *emitter) length(l int) {
	slot := slotOf(lengthBase[:], uint32(l))
	e.c.length.put(&e.bw, slot)
	e.bw.bits(uint32(l)-lengthBase[slot], uint(lengthExtraBits[slot]))
}

// match writes an LZ match of length l; item is itemRep+k or
// itemExplicit+offset.
func (e *emitter) match(item uint32, l int) {
	p := &e.c.probs
	e.rc.encode(1, &e.dec.main, p.main[:])
	e.rc.encode(0, &e.dec.match, p.match[:])
	if item < itemExplicit {
		k := item - itemRep
		e.rc.encode(1, &e.dec.lz, p.lz[:])
		if k == 0 {
			e.rc.encode(0, &e.dec.lzRep[0], p.lzRep[0][:])
		} else {
			e.rc.encode(1, &e.dec.lzRep[0], p.lzRep[0][:])
			e.rc.encode(k-1, &e.dec.lzRep[1], p.lzRep[1][:])
		}
	} else {
		off := item - itemExplicit
		e.rc.encode(0, &e.dec.lz, p.lz[:])
		slot := offsetSlot(off)
		e.c.lzOffset.put(&e.bw, slot)
		e.bw.bits(off-offsetBase[slot], uint(offsetExtraBits[slot]))
	}
	e.length(l)
	e.st.advance(item)
}
