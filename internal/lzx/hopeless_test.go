package lzx

import (
	"bytes"
	"testing"

	"github.com/wimgo/wimgo/internal/codectest"
)

// TestHopelessPrediction: no chunk that Compress stores raw without
// parsing (the incompressible check after E8 translation) would have come
// out smaller.
func TestHopelessPrediction(t *testing.T) {
	levels := []int{20, 50, 100}
	if testing.Short() {
		levels = []int{50} // the default; the full run checks all three
	}
	for _, level := range levels {
		c, _ := NewCompressor(1<<21, level)
		codectest.CheckHopeless(t, []int{32768, 65536, 262144, 1 << 21},
			func(src []byte) bool {
				in := bytes.Clone(src)
				e8Encode(in)
				return c.hopeless(in)
			},
			func(src []byte) int {
				// -1: the output reached the chunk size, so it is no smaller.
				if n := c.compress(src, 1<<30); n >= 0 {
					return n
				}
				return len(src)
			})
	}
}
