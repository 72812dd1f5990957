package xpress

import (
	"fmt"
	"testing"

	"github.com/wimgo/wimgo/internal/codectest"
)

// TestAllLevels: every level wimlib accepts (1 to 2^32-2) compresses and
// round-trips; huge levels saturate their parameters instead of indexing
// past the matchfinders' arrays or overflowing.
func TestAllLevels(t *testing.T) {
	src := codectest.LevelInput()
	for _, chunk := range []int{32768, 65536} {
		t.Run(fmt.Sprint(chunk), func(t *testing.T) {
			d, err := NewDecompressor(chunk)
			if err != nil {
				t.Fatal(err)
			}
			codectest.CheckLevels(t, src, func(level int) (codectest.Compressor, error) {
				if m := MemoryNeeded(chunk, level); m <= 0 || m > MemoryNeeded(chunk, 100)*4 {
					return nil, fmt.Errorf("MemoryNeeded(%d, %d) = %d", chunk, level, m)
				}
				return NewCompressor(chunk, level)
			}, d.Decompress)
		})
	}
}
