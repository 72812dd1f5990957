package lzx

import (
	"math/rand/v2"
	"testing"
)

// TestMakeCodesMemo checks that makeCodes, which reuses the codes of the
// tally it built last, builds fresh ones whenever the tally differs, even
// when it is the same tally variable changed in place (as the parser's
// passes and the short-repeat demotion do).
func TestMakeCodesMemo(t *testing.T) {
	fresh := func(tl *tally) (blockCodes, bool) {
		var bw blockWriter
		bw.numMain = numChars + numLenHeaders*30
		a := bw.makeCodes(tl)
		return bw.codes, a
	}
	var bw blockWriter
	bw.numMain = numChars + numLenHeaders*30
	var tl tally
	for i := range numChars {
		tl.main[i] = uint32(i%7 + 1)
	}
	tl.main[numChars+8*numLenHeaders] = 50
	tl.aligned[3] = 40
	tl.aligned[5] = 1
	for step := range 4 {
		a := bw.makeCodes(&tl)
		want, wantA := fresh(&tl)
		if bw.codes != want || a != wantA {
			t.Fatalf("step %d: reused codes of an earlier tally", step)
		}
		// Change the tally in place: a literal gets frequent, the
		// aligned symbols even out.
		tl.main['a'+step] += 5000
		tl.aligned[step] += 30
	}
}

// TestCountMatchAsMatch checks that countMatch tallies and matchSeq makes
// what match does, for every length and offset slot of a 2 MiB window.
func TestCountMatchAsMatch(t *testing.T) {
	var ta, tb tally
	offs := []uint32{0, 1, 2}
	for f := uint32(3); f < 1<<21+2; f += 1 + f/7 {
		offs = append(offs, f)
	}
	for _, off := range offs {
		for l := minMatchLen; l <= maxMatchLen; l++ {
			want := ta.match(7, l, off)
			tb.countMatch(uint32(l), off)
			if got := matchSeq(7, l, off); got != want {
				t.Fatalf("length %d offSym %d: matchSeq %+v, match %+v", l, off, got, want)
			}
		}
		if ta != tb {
			t.Fatalf("offSym %d: countMatch's tally differs from match's", off)
		}
	}
}

// TestTallyPathCounts checks tallyPath's tally (its matches counted inline,
// session 12) against countMatch and the literals over the path it returns,
// on random paths with literals, repeat and explicit matches of every
// length class and offset slot, and gap items.
func TestTallyPathCounts(t *testing.T) {
	rng := rand.New(rand.NewPCG(12, 24))
	const size = 1 << 16
	no := newNearOptimal(size, params(50))
	in := make([]byte, size)
	for i := range in {
		in[i] = byte(rng.IntN(256))
	}
	for round := range 20 {
		start := rng.IntN(100)
		end := size - rng.IntN(100)
		// Items forwards from start, then stored at their end nodes.
		for j := end - start; j > 0; {
			var it, l uint32
			switch r := rng.IntN(10); {
			case r < 4 || j < minMatchLen:
				it, l = 1, 1
			case r < 9 || j < 2*minMatchLen+1:
				l = uint32(minMatchLen + rng.IntN(min(j, maxMatchLen)-minMatchLen+1))
				off := uint32(rng.IntN(3))
				if rng.IntN(2) == 0 {
					off = 3 + uint32(rng.Int64N(1<<rng.IntN(22)))%(1<<21-1)
				}
				it = l | off<<matchLenBits
			default:
				l2 := uint32(minMatchLen + rng.IntN(min(j-minMatchLen-1, maxMatchLen)-minMatchLen+1))
				l1 := uint32(minMatchLen + rng.IntN(min(j-int(l2)-1, maxMatchLen)-minMatchLen+1))
				off := uint32(rng.IntN(2)) * (3 + uint32(rng.IntN(1<<20)))
				it, l = l2|gapItem, l1+1+l2
				no.gaps[j] = l1 | off<<matchLenBits
			}
			no.nodes[j].item = it
			j -= int(l)
		}
		var got, want tally
		path, litStart := no.tallyPath(&got, in, start, end)
		pos := end
		wantLit := -1
		for _, it := range path {
			l := it & matchLenMask
			if l == 1 {
				pos--
				want.main[in[pos]]++
				continue
			}
			want.countMatch(l, it>>matchLenBits)
			if wantLit < 0 {
				wantLit = pos
			}
			pos -= int(l)
		}
		if wantLit < 0 {
			wantLit = start
		}
		if pos != start || got != want || litStart != wantLit {
			t.Fatalf("round %d: path ends at %d (start %d), litStart %d want %d, tallies equal %v",
				round, pos, start, litStart, wantLit, got == want)
		}
	}
}
