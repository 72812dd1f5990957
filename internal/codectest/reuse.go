package codectest

import (
	"bytes"
	"testing"
)

// Compressor is the chunk compressor every codec package provides.
type Compressor interface {
	Compress(dst, src []byte) int
}

// CheckReuse checks that a chunk's output does not depend on the chunks
// compressed before it: one compressor made by newComp, fed each of the
// sizes (cut from the corpus, text and machine code alternating) three
// times over, must give the bytes a fresh compressor gives. Matchfinders
// that clear their tables lazily after small chunks are what this guards.
func CheckReuse(t *testing.T, newComp func() Compressor, sizes []int) {
	t.Helper()
	text, bin := Corpus(t)
	reused := newComp()
	for round := range 3 {
		for i, n := range sizes {
			src := text[(i*7919)%(len(text)-n):][:n]
			if i%2 == 1 {
				src = bin[(i*104729)%(len(bin)-n):][:n]
			}
			got, want := make([]byte, n), make([]byte, n)
			k := reused.Compress(got[:n-1], src)
			m := newComp().Compress(want[:n-1], src)
			if k != m || !bytes.Equal(got[:k], want[:m]) {
				t.Fatalf("round %d, input %d (%d bytes): a reused compressor gave %d bytes, a fresh one %d", round, i, n, k, m)
			}
		}
	}
}
