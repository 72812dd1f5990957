package xpress

import (
	"testing"

	"github.com/wimgo/wimgo/internal/codectest"
)

// TestHopelessPrediction: no chunk that Compress stores raw without
// parsing (incompressible.Predict) would have come out smaller.
func TestHopelessPrediction(t *testing.T) {
	for _, level := range []int{20, 50, 100} {
		c, _ := NewCompressor(maxChunk, level)
		dst := make([]byte, 2*maxChunk)
		codectest.CheckHopeless(t, []int{4096, 32768, 65536},
			func(src []byte) bool { return c.chk.Hopeless(src, tableBytes, 0, 0) },
			func(src []byte) int {
				if n := c.compress(dst, src); n > 0 {
					return n
				}
				return len(dst)
			})
	}
}
