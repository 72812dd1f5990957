package xpress

import (
	"encoding/binary"
	"math/bits"
)

// window holds the chunk being compressed plus slack, so word loads at any
// chunk position (< 65536) stay inside the array. Indexing it with a uint16
// position lets the compiler drop the bounds checks.
type window [maxChunk + 16]byte

func load32(w *window, i uint16) uint32 { return binary.LittleEndian.Uint32(w[i:]) }

func load64(w *window, i uint16) uint64 { return binary.LittleEndian.Uint64(w[i:]) }

// matchLen returns how many bytes at positions a and b agree, counting from
// start and stopping at limit. The caller guarantees a+limit <= chunk length
// (so every compared position is below 65536) and that the first start bytes
// already agree.
func matchLen(w *window, a, b, start, limit int) int {
	n := start
	for n < limit {
		x := load64(w, uint16(a+n)) ^ load64(w, uint16(b+n))
		if x != 0 {
			return min(n+bits.TrailingZeros64(x)>>3, limit)
		}
		n += 8
	}
	return limit
}
