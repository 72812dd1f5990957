package lzx

// The lazy parser (levels up to lazyMaxLevel). At each position it compares
// the best repeat-offset match with the best hash-chain match by a score
// that favours repeat offsets (which cost no offset bits) and short offsets;
// then it looks one byte ahead with half the search depth and defers to a
// literal when the next position scores higher.
const (
	// A length-3 match this far away costs about as much as three literals.
	lazyFar3Offset = 8190
	repScoreBonus  = 3
)

func explicitScore(length, offset int) int {
	s := length
	if offset < 4096 {
		s++
		if offset < 256 {
			s++
		}
	}
	return s
}

// repMatch returns the longest repeat-offset match at pos (length 0 if
// none) and its queue index.
func repMatch(in []byte, pos, maxLen int, rep *[numRepeats]uint32) (length, idx int) {
	cur := uint32(in[pos]) | uint32(in[pos+1])<<8
	for i, r := range rep {
		if int(r) > pos {
			continue
		}
		c := pos - int(r)
		if uint32(in[c])|uint32(in[c+1])<<8 != cur {
			continue
		}
		if l := extendMatch(in, c, pos, 2, maxLen); l > length {
			length, idx = l, i
		}
	}
	return length, idx
}

// bestAt finds the best-scoring match at pos: returns length 0 for none.
// A repeat match has offSym < numRepeats.
func (c *Compressor) bestAt(in []byte, pos, n, depth int, rep *[numRepeats]uint32) (length int, offSym uint32, score int) {
	maxLen := min(maxMatchLen, n-pos)
	nice := min(c.p.niceLen, maxLen)
	rl, ri := repMatch(in, pos, maxLen, rep)
	if rl >= nice {
		c.hc.skip(in, pos)
		return rl, uint32(ri), rl + repScoreBonus
	}
	ml, off := c.hc.find(in, pos, 2, maxLen, nice, depth)
	if ml == 3 && off >= lazyFar3Offset {
		ml = 0
	}
	if rl >= minMatchLen {
		length, offSym, score = rl, uint32(ri), rl+repScoreBonus
	}
	if ml >= 3 {
		if s := explicitScore(ml, off); s > score {
			length, offSym, score = ml, uint32(off)+2, s
		}
	}
	return length, offSym, score
}

func (c *Compressor) compressLazy(in []byte, n int) bool {
	hc := c.hc
	hc.reset()
	rep := [numRepeats]uint32{1, 1, 1}
	depth, halfDepth := c.p.maxSearchDepth, max(c.p.maxSearchDepth/2, 1)
	// Matchfinding needs 4 bytes; the last few bytes are literals.
	limit := n - 4
	pos := 0
	for pos < limit {
		length, offSym, score := c.bestAt(in, pos, n, depth, &rep)
		if length == 0 {
			pos++
			continue
		}
		for length < c.p.niceLen && pos+1 < limit {
			nl, no, ns := c.bestAt(in, pos+1, n, halfDepth, &rep)
			if ns <= score {
				break
			}
			pos++
			length, offSym, score = nl, no, ns
		}
		c.addMatch(in, pos, length, offSym)
		if offSym < numRepeats {
			rep[0], rep[offSym] = rep[offSym], rep[0]
		} else {
			rep[2], rep[1], rep[0] = rep[1], rep[0], offSym-2
		}
		end := min(pos+length, limit)
		for p := pos + 1; p < end; p++ {
			hc.skip(in, p)
		}
		pos += length
		if c.spl.newN >= obsPerCheck || pos-c.blockStart >= softMaxBlock {
			if pos-c.blockStart >= softMaxBlock || c.spl.shouldEnd(pos-c.blockStart) {
				if !c.endBlock(in, pos) {
					return false
				}
			}
		}
	}
	return c.endBlock(in, n)
}
