package lzx

import "testing"

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
