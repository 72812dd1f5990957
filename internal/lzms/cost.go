package lzms

import "math"

// Costs are in 1/64 bits, so the range coder's fractional bits count.
const costShift = 6

// probCost[k] is the cost of an outcome the model gives k/64 (1 <= k <= 63).
var probCost [1 << probBits]uint32

// zerosCost[z] is a decision's cost pair (a 0, a 1) under an entry
// holding z zeros: what decisionCosts keeps, looked up once a bit coded.
var zerosCost [1<<probBits + 1][2]uint32

func init() {
	for k := 1; k < len(probCost); k++ {
		probCost[k] = uint32(math.Round(-math.Log2(float64(k)/(1<<probBits)) * (1 << costShift)))
	}
	for z := range zerosCost {
		p0 := (&probEntry{zeros: uint32(z)}).prob()
		zerosCost[z] = [2]uint32{probCost[p0], probCost[1<<probBits-p0]}
	}
}

// decisionCosts is a snapshot of one decision's models: the cost of a 0
// and of a 1 under each state.
type decisionCosts [64][2]uint32

func (d *decisionCosts) load(entries []probEntry) {
	for s := range entries {
		d[s] = zerosCost[entries[s].zeros]
	}
}

// costModel is what the parser prices items with: the adaptive codes and
// models as they stand at the start of a block. Within the block only the
// decision states (which follow the path) change; the codes and the
// models' probabilities catch up as the block is written.
type costModel struct {
	main, match, lz, delta decisionCosts
	lzRep, deltaRep        [numReps - 1]decisionCosts
	literal                [numLiteralSyms]uint32
	length                 []uint32 // by match length, 1..maxNice
	lenKey                 []uint64 // length<<32, for the relax loops' keys
	lzOffset               []uint32 // by offset slot
	deltaOffset            []uint32 // by offset slot
	deltaPower             [numDeltaPowerSyms]uint32
	gens                   [5]uint32 // the code builds the tables above show
}

const maxNice = 255 // longest length the parser prices one by one

// load prices everything afresh (at the start of a chunk).
func (m *costModel) load(c *Compressor) {
	p := &c.probs
	m.main.load(p.main[:])
	m.match.load(p.match[:])
	m.lz.load(p.lz[:])
	m.delta.load(p.delta[:])
	for i := range m.lzRep {
		m.lzRep[i].load(p.lzRep[i][:])
		m.deltaRep[i].load(p.deltaRep[i][:])
	}
	if m.length == nil {
		m.length = make([]uint32, maxNice+1)
		m.lenKey = make([]uint64, maxNice+1)
		m.lzOffset = make([]uint32, maxOffsetSyms)
		m.deltaOffset = make([]uint32, maxOffsetSyms)
	}
	m.gens = [5]uint32{c.literal.gen - 1, c.length.gen - 1, c.lzOffset.gen - 1,
		c.deltaOffset.gen - 1, c.deltaPower.gen - 1}
	m.refresh(c)
}

// refresh re-prices the codes rebuilt since the last call. The decision
// prices are kept current by the emitter (emitter.bit).
func (m *costModel) refresh(c *Compressor) {
	if g := c.literal.gen; g != m.gens[0] {
		m.gens[0] = g
		for s, l := range c.literal.lens[:numLiteralSyms] {
			m.literal[s] = uint32(l) << costShift
		}
	}
	if g := c.length.gen; g != m.gens[1] {
		m.gens[1] = g
		slot := 0
		for l := 1; l <= maxNice; l++ {
			for lengthBase[slot+1] <= uint32(l) {
				slot++
			}
			m.length[l] = (uint32(c.length.lens[slot]) + uint32(lengthExtraBits[slot])) << costShift
			m.lenKey[l] = uint64(m.length[l]) << 32
		}
	}
	if g := c.lzOffset.gen; g != m.gens[2] {
		m.gens[2] = g
		for s := range c.lzOffset.numSyms {
			m.lzOffset[s] = (uint32(c.lzOffset.lens[s]) + uint32(offsetExtraBits[s])) << costShift
		}
	}
	if !c.useDelta {
		return
	}
	if g := c.deltaOffset.gen; g != m.gens[3] {
		m.gens[3] = g
		for s := range c.deltaOffset.numSyms {
			m.deltaOffset[s] = (uint32(c.deltaOffset.lens[s]) + uint32(offsetExtraBits[s])) << costShift
		}
	}
	if g := c.deltaPower.gen; g != m.gens[4] {
		m.gens[4] = g
		for s := range m.deltaPower {
			m.deltaPower[s] = uint32(c.deltaPower.lens[s]) << costShift
		}
	}
}

// offsetSlotNear holds the offset slot of every offset below 1<<10, then
// the first slot of each 64 offsets below 1<<16 (from 741 on every slot is
// at least 64 wide: the bucket's slot or the one after); offsetSlotMid the
// first slot of each 2 KiB of offsets below 1<<26 (from 1<<16 on every
// slot is at least 2 KiB wide). Filled in slots.go's init, after the slot
// tables. offsetSlotNear is 4 KiB, so the parser's lookups (one a match)
// stay in the L1 cache (a table by offset below 1<<16 took 128 KiB); big
// chunks: the binary search for far offsets was 3.5% of the time at 64 MiB.
var (
	offsetSlotNear [nearDirect + 1<<(16-offsetHighShift) - nearDirect>>offsetHighShift]uint16
	offsetSlotMid  [1 << (26 - offsetMidShift)]uint16
)

const (
	nearDirect      = 1 << 10
	offsetHighShift = 6
	offsetMidShift  = 11
)

// nearIndex is the entry of offsetSlotNear for an offset below 1<<16.
func nearIndex(off uint32) uint32 {
	if off >= nearDirect {
		return off>>offsetHighShift + (nearDirect - nearDirect>>offsetHighShift)
	}
	return off
}

func offsetSlot(off uint32) int {
	if off >= 1<<16 {
		return offsetSlotFar(off)
	}
	return nearSlot(off)
}

// nearSlot is offsetSlot of an offset below 1<<16 (small enough to inline
// in the parser's loop over matches).
func nearSlot(off uint32) int {
	s := int(offsetSlotNear[nearIndex(off)])
	if offsetBase[s+1] <= off {
		s++
	}
	return s
}

// offsetSlotFar is offsetSlot of an offset of at least 1<<16 (kept apart so
// offsetSlot inlines).
func offsetSlotFar(off uint32) int {
	if i := off >> offsetMidShift; i < uint32(len(offsetSlotMid)) {
		s := int(offsetSlotMid[i])
		if offsetBase[s+1] <= off {
			s++
		}
		return s
	}
	return slotOf(offsetBase[:], off)
}
