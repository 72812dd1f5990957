package xpress

import (
	"fmt"
	"testing"

	"github.com/wimgo/wimgo/internal/codectest"
)

// TestReusedCompressor: chunks around smallChunk (where the matchfinders
// switch from zeroing their slots one by one to clearing them whole), with
// runs of one byte (kept off the hash chains) among them, at every parser.
func TestReusedCompressor(t *testing.T) {
	sizes := []int{20, 3000, smallChunk, smallChunk + 1, 30000, 5, 700, smallChunk - 1, 65536, 9, 2000}
	for _, level := range []int{20, 50, 100} {
		t.Run(fmt.Sprintf("L%d", level), func(t *testing.T) {
			codectest.CheckReuse(t, func() codectest.Compressor {
				c, _ := NewCompressor(65536, level)
				return c
			}, sizes)
		})
	}
}
