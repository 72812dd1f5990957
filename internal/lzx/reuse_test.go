package lzx

import (
	"fmt"
	"testing"

	"github.com/wimgo/wimgo/internal/codectest"
)

// TestReusedCompressor: chunks around smallChunk (where the matchfinders
// switch from zeroing their slots one by one to clearing them whole), at
// the lazy and near-optimal levels, with 16- and 32-bit positions.
func TestReusedCompressor(t *testing.T) {
	sizes := []int{20, 3000, smallChunk, smallChunk + 1, 30000, 5, 700, smallChunk - 1, 32768, 9, 2000}
	for _, chunk := range []int{1 << 15, 1 << 17} {
		for _, level := range []int{20, 50} {
			t.Run(fmt.Sprintf("%d/L%d", chunk, level), func(t *testing.T) {
				codectest.CheckReuse(t, func() codectest.Compressor {
					c, _ := NewCompressor(chunk, level)
					return c
				}, sizes)
			})
		}
	}
}
