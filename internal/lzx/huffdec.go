package lzx

// Decode tables are indexed by the next rootBits bits of the stream. An entry
// is one of:
//
//	sym<<8 | codeLen            a codeword of codeLen (1..16) bits
//	start<<8 | entryLink | n    the codeword is longer than rootBits; index
//	                            the subtable at start with the next n bits
//	0                           no codeword (empty code): corrupt input
//
// Subtable entries are direct entries holding the full codeword length.
// Only complete codes and the empty code are accepted, as in wimlib.
const (
	entryLink    = 0x40
	entryLenMask = 0x1f

	mainRootBits    = 11
	lenRootBits     = 9
	alignedRootBits = 7
	preRootBits     = 6

	// A complete subtree of depth d has at least d+1 leaves, so subtables
	// need at most 2^d/(d+1) entries per symbol, d = maxLen - rootBits.
	mainTableSize    = 1<<mainRootBits + maxMainSyms*6
	lenTableSize     = 1<<lenRootBits + numLenSyms*6
	alignedTableSize = 1 << alignedRootBits
	preTableSize     = 1<<preRootBits + numPreSyms*52
)

// buildDecodeTable fills table for the canonical code with the given
// codeword lengths (each <= maxLen). It reports false for an over-subscribed
// or incomplete non-empty code.
func buildDecodeTable(table []uint32, lens []uint8, rootBits, maxLen uint) bool {
	var count [maxMainCodeLen + 1]uint16
	for _, l := range lens {
		if uint(l) > maxLen {
			return false
		}
		count[l]++
	}
	left := 1
	for l := uint(1); l <= maxLen; l++ {
		left = left<<1 - int(count[l])
		if left < 0 {
			return false
		}
	}
	if left != 0 {
		if int(count[0]) == len(lens) {
			clear(table[:1<<rootBits])
			return true
		}
		return false
	}

	// Sort symbols by (length, symbol): canonical order.
	var next [maxMainCodeLen + 2]uint16
	for l := uint(1); l <= maxLen; l++ {
		next[l+1] = next[l] + count[l]
	}
	var sorted [maxMainSyms]uint16
	for sym, l := range lens {
		if l != 0 {
			sorted[next[l]] = uint16(sym)
			next[l]++
		}
	}
	n := len(lens) - int(count[0])

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
		span := 1 << (rootBits - l)
		fill := table[p : p+span]
		for i := range fill {
			fill[i] = e
		}
		p += span
	}

	// Longer codes: each remaining root entry is the prefix of a complete
	// subtree; its depth is the length of its last (longest) codeword.
	sub := 1 << rootBits
	for k < n {
		need := 1 << (maxLen - rootBits)
		last := k
		for need > 0 {
			need -= 1 << (maxLen - uint(lens[sorted[last]]))
			last++
		}
		depth := uint(lens[sorted[last-1]]) - rootBits
		if sub+1<<depth > len(table) {
			return false
		}
		table[p] = uint32(sub)<<8 | entryLink | uint32(depth)
		p++
		q := sub
		for ; k < last; k++ {
			sym := sorted[k]
			l := uint(lens[sym])
			e := uint32(sym)<<8 | uint32(l)
			span := 1 << (depth + rootBits - l)
			fill := table[q : q+span]
			for i := range fill {
				fill[i] = e
			}
			q += span
		}
		sub = q
	}
	return true
}
