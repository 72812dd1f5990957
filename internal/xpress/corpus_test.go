package xpress

import (
	"testing"

	"github.com/wimgo/wimgo/internal/codectest"
)

// Test inputs are built at run time from the Go toolchain the tests run
// with (internal/codectest).
func loadCorpus(t testing.TB) (text, bin []byte) { return codectest.Corpus(t) }

var randomBytes = codectest.RandomBytes
