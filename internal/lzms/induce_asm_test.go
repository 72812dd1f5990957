//go:build amd64 && !purego

package lzms

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
)

// TestInduceAsm builds suffix arrays with the assembly induction loops and
// with the Go loops (saisAsm cleared) and compares them: every shape of
// saisInputs at sizes 1 to 300, 128 KiB (the byte loops without prefetch,
// the recursion's name loops) and 600 KiB (the byte loops' prefetch; the
// recursion past the cache takes the Go loops), and random texts over 2 to
// 5 letters. The whole-array comparison covers the marks too: a wrong mark
// at one level misplaces suffixes at the next pass.
func TestInduceAsm(t *testing.T) {
	defer func() { saisAsm = true }()
	build := func(in []byte, asm bool) []int32 {
		saisAsm = asm
		return buildSA(in)
	}
	sizes := make([]int, 0, 302)
	for n := 1; n <= 300; n++ {
		sizes = append(sizes, n)
	}
	sizes = append(sizes, 128<<10, 600<<10)
	inputs := saisInputs(sizes)
	rng := rand.New(rand.NewPCG(5, 6))
	for i := range 500 {
		b := make([]byte, 1+rng.IntN(2000))
		k := 2 + i%4
		for j := range b {
			b[j] = byte('a' + rng.IntN(k))
		}
		inputs[fmt.Sprintf("letters%d/%d", k, i)] = b
	}
	for name, in := range inputs {
		if testing.Short() && len(in) > 128<<10 && name[0] != 't' && name[0] != 'r' {
			continue // short: text and random shapes at 600 KiB
		}
		want := build(in, false)
		got := build(in, true)
		if !slices.Equal(got, want) {
			i := 0
			for got[i] == want[i] {
				i++
			}
			t.Fatalf("%s: rank %d is %d with the assembly, %d with the Go loops", name, i, got[i], want[i])
		}
	}
}
