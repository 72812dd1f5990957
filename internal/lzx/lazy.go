package lzx

import "unsafe"

// The lazy parser (levels up to lazyMaxLevel). It takes the longest
// hash-chain match of at least 3 bytes, prefers a repeat-offset match of
// similar value (no offset bits to send), and looks one byte ahead with half
// the search depth, deferring to a literal when the next position scores
// higher. Scores favour repeat offsets and short offsets, which cost fewer
// bits for the same length.
const (
	// A length-3 match this far away (offset slot 22 and up, 10 or more
	// footer bits) rarely beats three literals.
	lazyFar3Offset = 2048 - 2
	repScoreBonus  = 3
	minLazyLen     = 3
)

func explicitScore(length, offset int) int {
	s := length
	if offset+2 < 4096 {
		s++
		if offset+2 < 256 {
			s++
		}
	}
	return s
}

// repMatch returns the longest repeat-offset match of at least 3 bytes at
// pos (length 0 if none) and its queue index.
func repMatch(in []byte, pos, maxLen int, rep *[numRepeats]uint32) (length, idx int) {
	cur := load32(in, pos) << 8
	for i, r := range rep {
		if int(r) > pos {
			continue
		}
		c := pos - int(r)
		if load32(in, c)<<8 != cur {
			continue
		}
		if l := extendMatch(in, c, pos, 3, maxLen); l > length {
			length, idx = l, i
		}
	}
	return length, idx
}

func isRepeat(off int, rep *[numRepeats]uint32) bool {
	return uint32(off) == rep[0] || uint32(off) == rep[1] || uint32(off) == rep[2]
}

// lazyState is the lazy parser's state between lazyRun calls: the
// position, the chunk's parameters, the pending literals and the block's
// items, tally and splitter. lazyRun16 reads it at fixed offsets
// (hc_amd64.go, checked in hc_asm_test.go).
type lazyState struct {
	pos, n         int
	niceLen, depth int
	litStart       int
	blockStart     int
	seqs           []seq
	t              *tally
	spl            *splitter
	rep            [numRepeats]uint32
}

// compressLazy codes the chunk in[:n]; hc has begun the chunk.
func compressLazy[T mfPos](c *Compressor, hc *hcMatchfinder[T], in []byte, n int) bool {
	s := lazyState{n: n, niceLen: c.p.niceLen, depth: c.p.maxSearchDepth,
		t: &c.t, spl: &c.spl, rep: [numRepeats]uint32{1, 1, 1}}
	for {
		s.litStart, s.blockStart, s.seqs = c.litStart, c.blockStart, c.seqs
		var more bool
		// The assembly appends without checks: every match it records
		// covers 3 bytes or more before n, so (n-pos)/3+1 items is room.
		if hcAsm && unsafe.Sizeof(T(0)) == 2 && cap(s.seqs)-len(s.seqs) > (n-s.pos)/3 {
			_ = hc.next[max(n-1, 0)]
			_ = in[n+inputSlack-1]
			more = lazyRun16(unsafe.Pointer(hc), unsafe.SliceData(in), &s)
		} else {
			more = lazyRun(hc, in, &s)
		}
		c.litStart, c.seqs = s.litStart, s.seqs
		if !more {
			break
		}
		pos := s.pos
		if pos-c.blockStart >= softMaxBlock ||
			(n-pos >= minBlockSize && c.spl.shouldEnd(pos-c.blockStart, &c.t.main)) {
			if !c.endBlock(in, pos) {
				return false
			}
		}
	}
	return c.endBlock(in, n)
}

// lazyRun parses from s.pos with lazyStep and records each match it takes
// (the pending literals' tally and splitter counts, the item) until a
// block-end check is due after one (it reports true then, with s.pos after
// that match) or the chunk's matches are done (false). A check is due when
// the splitter has obsPerCheck new observations and a minimum block still
// fits before n, or the block has reached softMaxBlock.
// (A call per match through lazyStep16 cost about 9% of level 20's CPU in
// the Go around it, NOTES.md session 11.)
func lazyRun[T mfPos](hc *hcMatchfinder[T], in []byte, s *lazyState) bool {
	for {
		pos, length, offSym := lazyStep(hc, in, s.pos, s.n, s.niceLen, s.depth, &s.rep)
		if length == 0 {
			s.pos = pos
			return false
		}
		t, lit := s.t, s.litStart
		for _, b := range in[lit:pos] {
			t.main[b]++
		}
		s.spl.newN += uint32(pos - lit)
		s.spl.match(uint32(length))
		s.seqs = append(s.seqs, t.match(uint32(pos-lit), length, offSym))
		pos += length
		s.pos, s.litStart = pos, pos
		if s.spl.newN >= obsPerCheck && s.n-pos >= minBlockSize || pos-s.blockStart >= softMaxBlock {
			return true
		}
	}
}

// lazyStep parses in[:n] from pos up to the next match it takes and
// returns its position, length and formatted offset (0..2 a repeat offset,
// else offset+2), or length 0 when none starts before n-4 (matchfinding
// reads 4 bytes; the last few bytes are literals). It updates rep and
// inserts every position up to the match's end into hc.
func lazyStep[T mfPos](hc *hcMatchfinder[T], in []byte, pos, n, niceLen, depth int, rep *[numRepeats]uint32) (int, int, uint32) {
	halfDepth := max(depth/2, 1)
	limit := n - 4
	for ; pos < limit; pos++ {
		maxLen := min(maxMatchLen, n-pos)
		nice := min(niceLen, maxLen)
		curLen, curOff := hc.find(in, pos, minLazyLen-1, maxLen, nice, depth)
		if curLen < minLazyLen || (curLen == minLazyLen && curOff >= lazyFar3Offset && !isRepeat(curOff, rep)) {
			continue
		}
		var offSym uint32
		skip := 0 // positions after pos already inserted into the finder
		if uint32(curOff) == rep[0] {
			offSym = 0
		} else {
			curScore := explicitScore(curLen, curOff)
			offSym = uint32(curOff) + 2
			if rl, ri := repMatch(in, pos, maxLen, rep); rl != 0 && rl+repScoreBonus >= curScore {
				curLen, offSym = rl, uint32(ri)
			} else {
				// Look ahead while the next position promises better.
				for curLen < nice && pos+1 < limit {
					maxLen = min(maxMatchLen, n-pos-1)
					nice = min(niceLen, maxLen)
					nl, no := hc.find(in, pos+1, curLen-2, maxLen, nice, halfDepth)
					skip = 1
					if nl <= curLen-2 {
						break
					}
					nextScore := explicitScore(nl, no)
					if rl, ri := repMatch(in, pos+1, maxLen, rep); rl != 0 && rl+repScoreBonus >= nextScore {
						if rl+repScoreBonus > curScore {
							pos++
							curLen, offSym, skip = rl, uint32(ri), 0
						}
						break
					}
					if nextScore <= curScore {
						break
					}
					pos++
					curLen, offSym, curScore, skip = nl, uint32(no)+2, nextScore, 0
				}
			}
		}
		if offSym < numRepeats {
			rep[0], rep[offSym] = rep[offSym], rep[0]
		} else {
			rep[2], rep[1], rep[0] = rep[1], rep[0], offSym-2
		}
		end := min(pos+curLen, limit)
		if hc.skipRuns {
			for p := pos + 1 + skip; p < end; p++ {
				hc.skipOffRuns(in, p)
			}
		} else {
			for p := pos + 1 + skip; p < end; p++ {
				hc.skip(in, p)
			}
		}
		return pos, curLen, offSym
	}
	return pos, 0, 0
}
