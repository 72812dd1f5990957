//go:build amd64 && !purego

package lzms

import (
	"math/rand/v2"
	"slices"
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

// deltaText is text with delta matches at every span: runs of arithmetic
// progressions (one byte of a record of span bytes stepping) repeated
// with other start values, between random and copied bytes.
func deltaText(r *rand.Rand, n int) []byte {
	in := make([]byte, 0, n)
	for len(in) < n {
		switch r.IntN(4) {
		case 0, 1:
			span := 1 << r.IntN(deltaPowers+1)
			step := make([]byte, span)
			for j := range step {
				step[j] = byte(r.IntN(4))
			}
			x := make([]byte, span)
			for j := range x {
				x[j] = byte(r.Uint32())
			}
			for k := r.IntN(64); k >= 0; k-- {
				for j := range x {
					in = append(in, x[j])
					x[j] += step[j]
				}
			}
		case 2:
			for k := r.IntN(40); k >= 0; k-- {
				in = append(in, byte(r.Uint32()))
			}
		default:
			if len(in) > 0 {
				from := r.IntN(len(in))
				in = append(in, in[from:min(len(in), from+r.IntN(100))]...)
			}
		}
	}
	return in[:n]
}

// TestDeltaFindWide compares findWide with findGo over chunks of delta
// text (entries of earlier chunks below the base; every position, or
// some skipped as the parser does): the matches at each position and the
// tables after each chunk.
func TestDeltaFindWide(t *testing.T) {
	if !deltaWide {
		t.Skip("no AVX-512 VBMI/CD")
	}
	r := rand.New(rand.NewPCG(3, 4))
	var fw, fg deltaFinder
	fw.table = make([]int32, 1<<deltaHashBits)
	fg.table = make([]int32, 1<<deltaHashBits)
	found := 0
	for chunk := range 6 {
		in := deltaText(r, 20000+r.IntN(40000))
		fw.reset(in)
		fg.reset(in)
		var mw, mg []match
		for p := 0; p < len(in); p++ {
			if chunk%2 == 1 && r.IntN(8) == 0 {
				continue // a position with a long LZ match
			}
			mw = fw.find(p, mw[:0], true)
			deltaWide = false
			mg = fg.find(p, mg[:0], true)
			deltaWide = true
			if !slices.Equal(mw, mg) {
				t.Fatalf("chunk %d position %d: findWide %v, findGo %v", chunk, p, mw, mg)
			}
			found += len(mw)
		}
		if !slices.Equal(fw.table, fg.table) {
			t.Fatalf("chunk %d: the tables differ", chunk)
		}
	}
	if found < 10000 {
		t.Fatalf("only %d delta matches: the text does not test much", found)
	}
	t.Logf("%d matches", found)
}
