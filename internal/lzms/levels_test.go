package lzms

import (
	"testing"

	"github.com/wimgo/wimgo/internal/codectest"
)

// TestAllLevels: every level wimlib accepts (1 to 2^32-2) compresses and
// round-trips; huge levels saturate their parameters instead of indexing
// past the matchfinders' arrays or overflowing.
func TestAllLevels(t *testing.T) {
	codectest.CheckAllLevels(t, []int{1 << 17, 1 << 20}, codectest.New(NewCompressor), MemoryNeeded, codectest.NewDecoder(NewDecompressor))
}
