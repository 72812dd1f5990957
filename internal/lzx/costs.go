package lzx

import "math"

// Cost model of the near-optimal parser: the price in 1/costScale bits of
// every literal and of every (offset slot, length) pair, from Huffman code
// lengths (the previous pass's, or an estimate from a greedy parse).
const (
	costScale = 16
	// unusedMainCost and unusedLenCost price symbols the last code did not
	// use: about the longest codeword, dear but not ruled out.
	unusedMainCost = 16 * costScale
	unusedLenCost  = 12 * costScale
	matchLenBits   = 9
	matchLenMask   = 1<<matchLenBits - 1
	numLengths     = maxMatchLen - minMatchLen + 1 // 256
)

type costModel struct {
	lit [numChars]uint32
	// match[slot][length-2] covers the main symbol, the length symbol and
	// the verbatim footer bits; for slots coded with the aligned code the
	// low 3 bits are priced separately by aligned.
	match   [maxOffsetSlots][numLengths]uint32
	aligned [numAlignedSyms]uint32
}

// set derives costs from code lengths. alignedUsed says whether the last
// block would be an aligned block (else aligned bits cost 3 bits each).
// Only the first numSlots offset slots are priced (see slotsUpTo).
func (m *costModel) set(numSlots int, mainLens, lenLens, alignedLens []uint8, alignedUsed bool) {
	for i := range m.lit {
		m.lit[i] = lenCost(mainLens[i], unusedMainCost)
	}
	var lc [numLenSyms]uint32
	for i := range lc {
		lc[i] = lenCost(lenLens[i], unusedLenCost)
	}
	for i := range m.aligned {
		if alignedUsed {
			m.aligned[i] = lenCost(alignedLens[i], maxAlignedCodeLen*costScale)
		} else {
			m.aligned[i] = alignedBits * costScale
		}
	}
	for slot := 0; slot < numSlots; slot++ {
		fb := uint32(slotFooter[slot])
		if slot >= minAlignedSlot {
			fb -= alignedBits
		}
		extra := fb * costScale
		row := &m.match[slot]
		sym := numChars + slot*numLenHeaders
		for h := 0; h < numLenHeaders-1; h++ {
			row[h] = lenCost(mainLens[sym+h], unusedMainCost) + extra
		}
		top := lenCost(mainLens[sym+numLenHeaders-1], unusedMainCost) + extra
		for l := numLenHeaders - 1; l < numLengths; l++ {
			row[l] = top + lc[l-(numLenHeaders-1)]
		}
	}
}

// slotsUpTo is how many offset slots a block ending at chunk position end
// can use: its matches' offsets are below end (formatted: end+1 at most).
// Pricing only those keeps small files from paying for a whole window's
// slots; the other rows are never read.
func slotsUpTo(numMain, end int) int {
	return min((numMain-numChars)/numLenHeaders, int(offsetSlot(uint32(end+1)))+1)
}

func lenCost(l uint8, unused uint32) uint32 {
	if l == 0 {
		return unused
	}
	return uint32(l) * costScale
}

// estimate sets a first cost model from a greedy walk's tallies in est,
// where every match counted as symbol numChars. Literals are priced by
// their observed frequency (unseen ones at 11 bits); match headers
// are assumed equally likely (repeat-offset ones a little likelier), with
// matches at least minMatchShare of the items; short lengths are assumed more common than long ones.
// smooth (for three passes and more) blends the literals' observed
// frequencies with a prior: one or two passes do better on the raw
// frequencies (0.01-0.02% on the tar corpora at level 50), more passes on
// the blend (WIM metadata at level 100: 5,336,924 -> 5,327,196 bytes).
func (m *costModel) estimate(numMain, numSlots int, est *tally, smooth bool) {
	const (
		minMatchShare  = 0.15
		repHeaderBonus = 2 * costScale
	)
	lits := 0
	for _, f := range est.main[:numChars] {
		lits += int(f)
	}
	matches := int(est.main[numChars])
	items := float64(max(lits+matches, 1))
	pMatch := 1.0
	// With smooth, each seen literal's probability is averaged with a
	// prior that falls with the number of distinct literals seen
	// (2^-(304+used)/64: wimlib's first model does the same).
	used := 0
	for _, f := range est.main[:numChars] {
		if f != 0 {
			used++
		}
	}
	base := math.Exp2(-float64(304+used) / 64)
	for i, f := range est.main[:numChars] {
		if f == 0 {
			m.lit[i] = 11 * costScale
			continue
		}
		p := float64(f) / items
		if smooth {
			p = 0.5 * (p + base)
		}
		m.lit[i] = probCost(p)
		pMatch -= p
	}
	hdr := probCost(max(pMatch, minMatchShare) / float64(numMain-numChars))
	for i := range m.aligned {
		if f := est.aligned[i]; f != 0 {
			m.aligned[i] = probCost(float64(f) / float64(max(matches, 1)))
		} else {
			m.aligned[i] = 2 * alignedBits * costScale
		}
	}
	for slot := 0; slot < numSlots; slot++ {
		fb := uint32(slotFooter[slot])
		if slot >= minAlignedSlot {
			fb -= alignedBits
		}
		row := &m.match[slot]
		h := hdr
		if slot < numRepeats {
			// Repeat-offset headers are far more common than any one
			// explicit slot's.
			h -= repHeaderBonus
		}
		c := h + fb*costScale
		for l := range numLenHeaders - 1 {
			row[l] = c
		}
		for l := numLenHeaders - 1; l < numLengths; l++ {
			row[l] = c + estLenCost[l-(numLenHeaders-1)]
		}
	}
}

// estLenCost is the first model's price of each length symbol: P(s) ~
// (s+2)^-1.5 over the 249 symbols. A table, as the logarithms per block
// were most of the time spent on tiny files.
var estLenCost = func() (t [numLenSyms]uint32) {
	for s := range t {
		t[s] = uint32((0.69 + 1.5*math.Log2(float64(s)+2)) * costScale)
	}
	return t
}()

func probCost(p float64) uint32 {
	return uint32(-math.Log2(p)*costScale + 0.5)
}
