//go:build amd64 && !purego

package lzms

import (
	"cmp"
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
// 5 letters, and 3 MiB over 4 letters (the names' loops past
// induceWordsMax). The whole-array comparison covers the marks too: a wrong mark
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
	addLetterTexts(inputs, rng, 500, 2000)
	// 3 MiB over 4 letters: the first recursion's names (~4 MB) take the
	// branching loops (induceLFarWords, induceSFarWords).
	far := make([]byte, 3<<20)
	for j := range far {
		far[j] = byte(rng.IntN(4))
	}
	inputs["randfar"] = far
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

// TestNameAsm names the LMS substrings of byte and int32 texts with the
// assembly loops and with the Go loop (saisAsm cleared) and compares the
// count and every name, both also against a count of the distinct
// substrings. The LMS positions come sorted by their substrings (the order
// stage 1 gives, up to ties), so runs of equal ones are named alike; a
// name one too many is no error in the suffix array, so TestInduceAsm
// alone would not see it.
func TestNameAsm(t *testing.T) {
	defer func() { saisAsm = true }()
	inputs := saisInputs([]int{1, 2, 9, 33, 64, 65, 100, 300, 4000})
	addLetterTexts(inputs, rand.New(rand.NewPCG(7, 8)), 300, 600)
	for name, in := range inputs {
		checkNames(t, name, in)
		w := make([]int32, len(in)/3)
		for j := range w {
			w[j] = int32(in[3*j])<<8 | int32(in[3*j+1]&3)
		}
		checkNames(t, name+"/words", w)
	}
}

func checkNames[T saisSymbol](t *testing.T, name string, s []T) {
	n := len(s)
	if n < 2 {
		return
	}
	lms := make([]uint64, (n+63)/64+1)
	findLMS(s, lms[:(n+63)/64])
	var pos []int32
	for j := range n {
		if lms[j>>6]>>(j&63)&1 != 0 {
			pos = append(pos, int32(j))
		}
	}
	// Stage 1's order: by symbols, then types (L before S) position by
	// position; a substring reaching the sentinel first among its equals.
	sType := make([]bool, n+1)
	for j := n - 2; j >= 0; j-- {
		sType[j] = s[j] < s[j+1] || s[j] == s[j+1] && sType[j+1]
	}
	sub := func(j int32) []T { return s[j:min(n, int(j)+lmsLen(lms, int(j), n))] }
	slices.SortFunc(pos, func(a, b int32) int {
		x, y := sub(a), sub(b)
		for i := range min(len(x), len(y)) {
			if c := cmp.Compare(x[i], y[i]); c != 0 {
				return c
			}
			if ta, tb := sType[int(a)+i], sType[int(b)+i]; ta != tb {
				if ta {
					return 1
				}
				return -1
			}
		}
		return len(x) - len(y)
	})
	distinct := 0
	for i, j := range pos {
		l, end := lmsLen(lms, int(j), n), int(j)+lmsLen(lms, int(j), n) > n
		if i == 0 || end || !slices.Equal(sub(j), sub(pos[i-1])) || l != lmsLen(lms, int(pos[i-1]), n) {
			distinct++
		}
	}
	run := func(asm bool, stop int) (int, []int32) {
		saisAsm = asm
		sa := make([]int32, n)
		copy(sa, pos)
		names := nameLMS(s, sa, lms, len(pos), stop)
		return names, sa
	}
	wantN, want := run(false, 0)
	// With the prefetches (as for texts past saisDeep) too.
	for _, stop := range []int{0, max(len(pos)-saisAhead, 0)} {
		gotN, got := run(true, stop)
		if gotN != wantN || wantN != distinct {
			t.Fatalf("%s: %d names with the assembly, %d with the Go loop, %d distinct", name, gotN, wantN, distinct)
		}
		for _, j := range pos {
			if got[len(pos)+int(j)/2] != want[len(pos)+int(j)/2] {
				t.Fatalf("%s: position %d named %d with the assembly, %d with the Go loop", name, j, got[len(pos)+int(j)/2], want[len(pos)+int(j)/2])
			}
		}
	}
}

// addLetterTexts adds count texts of 1 to maxLen bytes over 2 to 5
// letters (in turn), named by their alphabet and number: few letters make
// long repeats and deep recursions.
func addLetterTexts(inputs map[string][]byte, rng *rand.Rand, count, maxLen int) {
	for i := range count {
		b := make([]byte, 1+rng.IntN(maxLen))
		k := 2 + i%4
		for j := range b {
			b[j] = byte('a' + rng.IntN(k))
		}
		inputs[fmt.Sprintf("letters%d/%d", k, i)] = b
	}
}
