//go:build amd64 && !purego

package lzx

import (
	"fmt"
	"slices"
	"testing"
	"unsafe"
)

func TestHCAsmLayout(t *testing.T) {
	var m hcMatchfinder[uint16]
	if unsafe.Offsetof(m.head4) != hcHead4Off16 || unsafe.Offsetof(m.next) != hcNextOff16 ||
		unsafe.Offsetof(m.skipRuns) != hcSkipRunsOff16 ||
		hcHead4Off16 != 65536 || hcNextOff16 != 196608 || hcSkipRunsOff16 != 196633 {
		t.Fatalf("offsets %d %d %d, assembly expects 65536 196608 196633",
			unsafe.Offsetof(m.head4), unsafe.Offsetof(m.next), unsafe.Offsetof(m.skipRuns))
	}
}

// TestHCAsmMatchesGo runs lazyStep16 and lazyStep side by side over the
// same chunks (several in a row, so the tables carry entries over), with
// and without skipRuns, and compares every match, the repeat offsets and
// the final tables.
func TestHCAsmMatchesGo(t *testing.T) {
	type cfg struct{ depth, nice int }
	cfgs := []cfg{{0, 3}, {1, 3}, {2, 4}, {5, 16}, {60, 80}, {30, 40}, {100, 257}, {8, 9}}
	sizes := []int{1, 4, 5, 7, 100, 4095, 4096, 4097, 32768, 32769, 65535, 65536}
	if testing.Short() {
		sizes = []int{100, 4097, 32768, 65536}
	}
	for name, data := range asmTestInputs(t) {
		for _, c := range cfgs {
			for _, size := range sizes {
				for _, runs := range []bool{false, true} {
					t.Run(fmt.Sprintf("%s/%d/%d/%d/%v", name, c.depth, c.nice, size, runs), func(t *testing.T) {
						compareHC(t, data, size, c.depth, c.nice, runs)
					})
				}
			}
		}
	}
}

func compareHC(t *testing.T, data []byte, chunk, depth, nice int, runs bool) {
	a, g := newHC[uint16](chunk), newHC[uint16](chunk)
	a.skipRuns, g.skipRuns = runs, runs
	in := make([]byte, chunk+inputSlack)
	for p := 0; p < len(data); p += chunk {
		n := copy(in, data[p:min(p+chunk, len(data))])
		clear(in[n:])
		a.begin()
		g.begin()
		repA := [numRepeats]uint32{1, 1, 1}
		repG := repA
		for pos := 0; ; {
			pa, la, oa := lazyStep16(unsafe.Pointer(a), unsafe.SliceData(in), pos, n, nice, depth, &repA)
			pg, lg, og := lazyStep(g, in, pos, n, nice, depth, &repG)
			if pa != pg || la != lg || oa != og || repA != repG {
				t.Fatalf("chunk %d from %d: asm %d %d %d %v, Go %d %d %d %v", p, pos, pa, la, oa, repA, pg, lg, og, repG)
			}
			if lg == 0 {
				break
			}
			pos = pg + lg
		}
		if a.head3 != g.head3 || a.head4 != g.head4 || !slices.Equal(a.next, g.next) {
			t.Fatalf("chunk %d: tables differ", p)
		}
		a.release(in, n)
		g.release(in, n)
		if p+chunk >= 200000 || p >= 8*chunk {
			break
		}
	}
}
