//go:build amd64 && !purego

package lzms

import (
	"math/rand/v2"
	"testing"
)

// TestDeltaNextAsm compares the vector hashes with deltaNextGo's on random
// windows (and runs of one byte, where the differences are zero) at
// positions of every residue modulo the spans.
func TestDeltaNextAsm(t *testing.T) {
	if deltaHashBits != 17 || deltaPowers != 6 {
		t.Fatal("delta_amd64.s assumes 17 hash bits and 6 powers")
	}
	if !deltaAVX2 {
		t.Skip("no AVX2")
	}
	r := rand.New(rand.NewPCG(1, 2))
	table := make([]int32, 1<<deltaHashBits)
	w := make([]byte, deltaWindow)
	for i := range 20000 {
		for j := range w {
			w[j] = byte(r.Uint32())
			if i%4 == 1 {
				w[j] = 7
			} else if i%4 == 2 {
				w[j] &= 3
			}
		}
		pos := deltaMaxSpan + r.IntN(1<<26)
		var got, want [deltaPowers]uint32
		deltaNextAsm(&got, &w[0], uint32(pos), &table[0])
		deltaNextGo(&want, w, pos, table)
		if got != want {
			t.Fatalf("window %x pos %d: asm %v, Go %v", w, pos, got, want)
		}
	}
}
