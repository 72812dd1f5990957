package lzms

// Decode tables are indexed by the next rootBits bits of the backward
// stream. An entry is one of:
//
//	sym<<8 | codeLen            a codeword of codeLen (1..15) bits
//	start<<8 | entryLink | n    the codeword is longer than rootBits; index
//	                            the subtable at start with the next n bits
//
// Subtable entries are direct entries holding the full codeword length, or
// 0 (length 0) for "no code", which only the empty-code table uses.
// LZMS codes are always complete: every symbol keeps a frequency >= 1.
const (
	entryLink    = 0x40
	entryLenMask = 0x1f

	literalRootBits     = 10
	lengthRootBits      = 9
	lzOffsetRootBits    = 11
	deltaOffsetRootBits = 11
	deltaPowerRootBits  = 7
)

// tableSize bounds root plus subtables: a complete subtree of depth d has
// at least d+1 leaves, so it needs at most 2^d/(d+1) entries per symbol,
// d = maxCodeLen - rootBits; plus the empty-code sentinel.
func tableSize(rootBits uint, numSyms int) int {
	d := maxCodeLen - int(rootBits)
	perSym := (1<<d + d) / (d + 1)
	return 1<<rootBits + numSyms*perSym + 1
}

// setEmptyTable makes every lookup end at the zero sentinel entry.
func setEmptyTable(table []uint32, rootBits uint) {
	last := len(table) - 1
	table[last] = 0
	root := table[:1<<rootBits]
	for i := range root {
		root[i] = uint32(last)<<8 | entryLink
	}
}

// buildDecodeTable fills table for the complete canonical code with the
// given lengths (1..maxCodeLen).
func buildDecodeTable(table []uint32, lens []uint8, rootBits uint) {
	var count [maxCodeLen + 1]uint16
	for _, l := range lens {
		count[l]++
	}
	// Sort symbols by (length, symbol): canonical order.
	var next [maxCodeLen + 2]uint16
	for l := 1; l <= maxCodeLen; l++ {
		next[l+1] = next[l] + count[l]
	}
	var sorted [maxOffsetSyms]uint16
	for sym, l := range lens {
		sorted[next[l]] = uint16(sym)
		next[l]++
	}
	n := len(lens)

	// Canonical codewords are consecutive, so short codes fill the root
	// table from the start in sorted order.
	p, k := 0, 0
	for ; k < n; k++ {
		sym := sorted[k]
		l := uint(lens[sym])
		if l > rootBits {
			break
		}
		e := uint32(sym)<<8 | uint32(l)
		fill := table[p : p+1<<(rootBits-l)]
		for i := range fill {
			fill[i] = e
		}
		p += len(fill)
	}

	// Longer codes: each remaining root entry is the prefix of a complete
	// subtree; its depth is the length of its last (longest) codeword.
	sub := 1 << rootBits
	for k < n {
		need := 1 << (maxCodeLen - rootBits)
		last := k
		for need > 0 {
			need -= 1 << (maxCodeLen - uint(lens[sorted[last]]))
			last++
		}
		depth := uint(lens[sorted[last-1]]) - rootBits
		table[p] = uint32(sub)<<8 | entryLink | uint32(depth)
		p++
		q := sub
		for ; k < last; k++ {
			sym := sorted[k]
			l := uint(lens[sym])
			e := uint32(sym)<<8 | uint32(l)
			fill := table[q : q+1<<(depth+rootBits-l)]
			for i := range fill {
				fill[i] = e
			}
			q += len(fill)
		}
		sub = q
	}
}
