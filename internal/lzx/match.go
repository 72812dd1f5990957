package lzx

import "math/bits"

// Helpers shared by the matchfinders and parsers. Every input buffer has
// inputSlack zero bytes after the chunk so word loads near its end stay in
// bounds; match lengths are clamped to the real end by the callers' maxLen.
// load32 and load64 (load_unsafe.go; load_safe.go under the purego build
// tag) read little-endian words at any index below the chunk length.
const inputSlack = 16

const hashMul = 0x1E35A7BD

// maxPos16Chunk is the largest chunk whose positions the matchfinders store
// as uint16 (position 0 doubles as "empty", so 65535 is the last one).
const maxPos16Chunk = 1 << 16

// extendMatch returns how many bytes (up to maxLen) at a and b agree, given
// that the first n already do.
func extendMatch(in []byte, a, b, n, maxLen int) int {
	for n < maxLen {
		x := load64(in, a+n) ^ load64(in, b+n)
		if x != 0 {
			n += bits.TrailingZeros64(x) >> 3
			return min(n, maxLen)
		}
		n += 8
	}
	return maxLen
}
