package xpress

// Decoding table geometry. The root table is indexed by the next rootBits
// bits of the stream. A codeword of at most rootBits bits fills every root
// entry it prefixes; longer codewords live in subtables reached through a
// root entry flagged subFlag.
//
// Entry layout: value<<8 | flags | bits.
//   - direct (root or subtable): value = symbol, bits = bits to consume
//     (for subtable entries, the bits beyond the root).
//   - subtable link: value = subtable start, flag subFlag, bits = index bits.
//
// A complete code of 512 symbols and lengths ≤ 15 needs at most 2^11 root
// entries plus about 1,640 subtable entries (a 2^b-entry subtable holds at
// least b+1 codewords), so 4096 entries always suffice.
const (
	rootBits  = 11
	tableSize = 4096
	subFlag   = 0x80
)

type decodeTable [tableSize]uint32

// build fills t for the canonical code with the given lengths. Only complete
// codes are accepted: wimlib and 7-Zip reject over-subscribed and incomplete
// ones, and the empty code cannot decode anything.
func (t *decodeTable) build(lens *[numSymbols]uint8) bool {
	var count [maxCodeLen + 1]int
	for _, l := range lens {
		count[l&15]++
	}
	kraft := 0
	for l := 1; l <= maxCodeLen; l++ {
		kraft += count[l] << (maxCodeLen - l)
	}
	if kraft != 1<<maxCodeLen {
		return false
	}
	// Counting sort of the used symbols by (length, symbol).
	var offs [maxCodeLen + 2]int
	for l := 1; l <= maxCodeLen; l++ {
		offs[l+1] = offs[l] + count[l]
	}
	var sorted [numSymbols]uint16
	for s, l := range lens {
		if l != 0 {
			sorted[offs[l&15]] = uint16(s)
			offs[l&15]++
		}
	}
	code, i := 0, 0
	for l := 1; l <= rootBits; l++ {
		for n := count[l]; n > 0; n-- {
			e := uint32(sorted[i])<<8 | uint32(l)
			span := 1 << (rootBits - l)
			start := code << (rootBits - l)
			fill(t[start:start+span], e)
			code++
			i++
		}
		code <<= 1
	}
	next := 1 << rootBits
	prefix, subStart, subBits := -1, 0, 0
	for l := rootBits + 1; l <= maxCodeLen; l++ {
		extra := l - rootBits
		for ; count[l] > 0; count[l]-- {
			if p := code >> extra; p != prefix {
				// New subtable: grow it until the remaining codewords
				// (this length and deeper) fill it.
				b := extra
				space := 1<<b - count[l]
				for space > 0 {
					if rootBits+b == maxCodeLen {
						return false
					}
					b++
					space = 2*space - count[rootBits+b]
				}
				if next+1<<b > tableSize {
					return false
				}
				prefix, subStart, subBits = p, next, b
				t[p] = uint32(subStart)<<8 | subFlag | uint32(b)
				next += 1 << b
			}
			span := 1 << (subBits - extra)
			start := subStart + (code&(1<<extra-1))<<(subBits-extra)
			fill(t[start:start+span], uint32(sorted[i])<<8|uint32(extra))
			code++
			i++
		}
		code <<= 1
	}
	return true
}

func fill(s []uint32, v uint32) {
	for i := range s {
		s[i] = v
	}
}
