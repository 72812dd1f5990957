package lzx

import (
	"testing"

	"github.com/wimgo/wimgo/internal/codectest"
)

// Test inputs are built at run time from the Go toolchain the tests run
// with (internal/codectest).
func loadCorpus(t testing.TB) (text, bin []byte) { return codectest.Corpus(t) }

var randomBytes = codectest.RandomBytes

// e8Stress is machine-code-like data with E8 bytes at every position near
// the end of each chunk of size chunk, where the translation window ends.
func e8Stress(n, chunk int) []byte {
	b := randomBytes(n, 7)
	for i := range b {
		if i%3 == 0 {
			b[i] = 0xE8
		}
	}
	for c := 0; c < n; c += chunk {
		end := min(c+chunk, n)
		for i := max(c, end-16); i < end; i++ {
			b[i] = 0xE8
		}
	}
	return b
}
