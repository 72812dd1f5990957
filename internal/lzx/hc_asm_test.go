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
	var s lazyState
	var tl tally
	var sp splitter
	got := []uintptr{unsafe.Offsetof(s.pos), unsafe.Offsetof(s.n), unsafe.Offsetof(s.niceLen),
		unsafe.Offsetof(s.depth), unsafe.Offsetof(s.litStart), unsafe.Offsetof(s.blockStart),
		unsafe.Offsetof(s.seqs), unsafe.Offsetof(s.t), unsafe.Offsetof(s.spl), unsafe.Offsetof(s.rep),
		unsafe.Offsetof(tl.length) - 7*4, unsafe.Offsetof(tl.aligned),
		unsafe.Offsetof(sp.newObs) + 8*4, unsafe.Offsetof(sp.newN), unsafe.Sizeof(seq{})}
	want := []uintptr{0, 8, 16, 24, 32, 40, lsSeqsOff, lsTallyOff, lsSplOff, lsRepOff,
		tallyLenOff - 7*4, tallyAlignOff, splNewObsOff + 8*4, splNewNOff, 16}
	// The assembly's #defines (LS_*, TALLY_LEN7, TALLY_ALIGNED, SPL_MATCH,
	// SPL_NEWN) and the seq size it shifts by.
	asm := []uintptr{0, 8, 16, 24, 32, 40, 48, 72, 80, 88, 2596, 3620, 72, 84, 16}
	if !slices.Equal(got, want) || !slices.Equal(got, asm) {
		t.Fatalf("lazyState/tally/splitter offsets %v, constants %v, assembly expects %v", got, want, asm)
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
	var ta, tg tally
	var sa, sg splitter
	seqsA, seqsG := make([]seq, 0, chunk/3+1), make([]seq, 0, chunk/3+1)
	for p := 0; p < len(data); p += chunk {
		n := copy(in, data[p:min(p+chunk, len(data))])
		clear(in[n:])
		a.begin()
		g.begin()
		ta, tg, sa, sg = tally{}, tally{}, splitter{}, splitter{}
		la := lazyState{n: n, niceLen: nice, depth: depth, t: &ta, spl: &sa, rep: [numRepeats]uint32{1, 1, 1}, seqs: seqsA[:0]}
		lg := lazyState{n: n, niceLen: nice, depth: depth, t: &tg, spl: &sg, rep: la.rep, seqs: seqsG[:0]}
		for calls := 0; ; calls++ {
			pos := lg.pos
			ma := lazyRun16(unsafe.Pointer(a), unsafe.SliceData(in), &la)
			mg := lazyRun(g, in, &lg)
			if ma != mg || la.pos != lg.pos || la.litStart != lg.litStart || la.rep != lg.rep ||
				!slices.Equal(la.seqs, lg.seqs) || ta != tg || sa != sg {
				t.Fatalf("chunk %d, call %d from %d: asm %v pos %d lit %d rep %v %d items, Go %v pos %d lit %d rep %v %d items; tallies equal %v, splitters %v %v",
					p, calls, pos, ma, la.pos, la.litStart, la.rep, len(la.seqs), mg, lg.pos, lg.litStart, lg.rep, len(lg.seqs), ta == tg, sa, sg)
			}
			if !mg {
				break
			}
			// Act on the checks as compressLazy might: a new block
			// (items, tally and splitter reset), a fold of the
			// splitter's observations, a block begun long ago.
			switch calls % 3 {
			case 0:
				la.seqs, lg.seqs = la.seqs[:0], lg.seqs[:0]
				ta, tg, sa, sg = tally{}, tally{}, splitter{}, splitter{}
				la.blockStart, lg.blockStart = lg.pos, lg.pos
			case 1:
				sa.shouldEnd(0, &ta.main)
				sg.shouldEnd(0, &tg.main)
			case 2:
				// The block as if it began far back: softMaxBlock is
				// then a few bytes ahead (a 64K chunk never reaches it)
				// and the next check due to it alone.
				b := lg.pos - softMaxBlock + 3 + calls/3%8
				la.blockStart, lg.blockStart = b, b
				sa, sg = splitter{}, splitter{}
			}
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
