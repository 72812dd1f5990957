package lzx

import (
	"encoding/binary"
	"math/bits"
)

// Helpers shared by the matchfinders and parsers. Every input buffer has
// inputSlack zero bytes after the chunk so word loads near its end stay in
// bounds; match lengths are clamped to the real end by the callers' maxLen.
const inputSlack = 16

const hashMul = 0x1E35A7BD

func load32(b []byte, i int) uint32 { return binary.LittleEndian.Uint32(b[i:]) }
func load64(b []byte, i int) uint64 { return binary.LittleEndian.Uint64(b[i:]) }

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
