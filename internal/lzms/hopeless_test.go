package lzms

import (
	"bytes"
	"testing"

	"github.com/wimgo/wimgo/internal/codectest"
)

var hopelessSizes = []int{32768, 131072, 1 << 20, 2 << 20} // up to incompressible.MaxLen

// TestHopelessPrediction: no chunk that Compress stores raw without
// parsing (hopeless, judged after the x86 filter) would have come out
// smaller had it been coded.
func TestHopelessPrediction(t *testing.T) {
	for _, level := range []int{50} {
		c, _ := NewCompressor(1<<21, level)
		dst := make([]byte, 2<<21+4096)
		filtered := func(src []byte) []byte {
			in := bytes.Clone(src)
			x86Filter(in, c.lastTgt, false)
			return in
		}
		codectest.CheckHopeless(t, hopelessSizes,
			func(src []byte) bool { return c.hopeless(filtered(src)) },
			func(src []byte) int {
				if n := c.encodeTo(dst[:2*len(src)+1024], filtered(src)).size(); n > 0 {
					return n
				}
				return len(src)
			})
	}
}
