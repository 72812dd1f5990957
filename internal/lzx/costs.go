package lzx

// Cost model of the near-optimal parser: the price in 1/costScale bits of
// every literal and of every (offset slot, length) pair, from Huffman code
// lengths (the previous pass's, or an estimate from a greedy parse).
const (
	costScale = 16
	// unusedMainCost prices symbols the last code did not use: between a
	// long codeword and the 16-bit limit, so new symbols are not ruled out.
	unusedMainCost = 14 * costScale
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
func (m *costModel) set(numMain int, mainLens, lenLens, alignedLens []uint8, alignedUsed bool) {
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
	numSlots := (numMain - numChars) / numLenHeaders
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

func lenCost(l uint8, unused uint32) uint32 {
	if l == 0 {
		return unused
	}
	return uint32(l) * costScale
}
