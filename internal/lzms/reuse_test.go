package lzms

import (
	"fmt"
	"testing"

	"github.com/wimgo/wimgo/internal/codectest"
)

// TestReusedCompressor: a compressor that has compressed other chunks
// gives the bytes a fresh one gives (the delta finder's table and the x86
// filter's target table are kept from chunk to chunk, not cleared), with
// and without delta matches.
func TestReusedCompressor(t *testing.T) {
	sizes := []int{20, 3000, 40000, 5, 131072, 700, 9, 65536, 2000}
	for _, level := range []int{20, 50} {
		t.Run(fmt.Sprintf("L%d", level), func(t *testing.T) {
			codectest.CheckReuse(t, func() codectest.Compressor {
				c, err := NewCompressor(131072, level)
				if err != nil {
					t.Fatal(err)
				}
				return c
			}, sizes)
		})
	}
}
