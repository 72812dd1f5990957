package xpress

// parseGreedy takes the longest match at every position (if it is worth
// more than literals) and stores the items; it returns their count.
func (c *Compressor) parseGreedy(n int) int {
	mf, w := c.hc, c.win
	mf.reset()
	items := c.items[:n+1]
	nice, depth, far := c.p.niceLen, c.p.maxSearchDepth, farLen3(n)
	k := 0
	for pos := 0; pos < n; {
		l, off := mf.longest(w, pos, n, 2, nice, depth)
		if l > 3 || (l == 3 && off < far) {
			items[k] = c.addMatch(l, off)
			mf.skip(w, pos+1, pos+l, n)
			pos += l
		} else {
			b := w[uint16(pos)]
			c.freqs[b]++
			items[k] = literalItem(b)
			pos++
		}
		k++
	}
	mf.release(w, n)
	return k
}

// parseLazy is greedy parsing that, before taking a match shorter than
// nice, searches the next position with half the depth and prefers a
// literal followed by that match when it scores better.
func (c *Compressor) parseLazy(n int) int {
	mf, w := c.hc, c.win
	mf.reset()
	items := c.items[:n+1]
	nice, depth, far := c.p.niceLen, c.p.maxSearchDepth, farLen3(n)
	if useAsm {
		k, extra := lazyParseAsm(mf, w, n, nice, depth, far, &items[0], &c.freqs)
		c.extraBytes += extra
		mf.release(w, n)
		return k
	}
	half := max(1, depth/2)
	k := 0
	pos := 0
	for pos < n {
		l, off := mf.longest(w, pos, n, 2, nice, depth)
		if !(l > 3 || (l == 3 && off < far)) {
			b := w[uint16(pos)]
			c.freqs[b]++
			items[k] = literalItem(b)
			k++
			pos++
			continue
		}
		// pos holds a match; look one byte ahead while that pays. A
		// match of nice bytes is taken at once, unless a run of one
		// byte value starts at pos and the match is not its
		// continuation (offset 1): a run after other data matches the
		// previous run of its byte (as long as that one was), where a
		// literal and offset 1 would cover the whole run.
		for (l < nice || off != 1 && load32(w, uint16(pos)) == load32(w, uint16(pos+1))) && pos+1 < n {
			// Any match at pos+1 at least l-1 long is a candidate: it
			// may be nearer. It wins if it scores better by more than
			// the literal it costs (a third of a byte's worth).
			least := l - 1
			if l >= nice {
				// The run case: from pos+1 the run (at offset 1)
				// may end where the match does, one byte shorter.
				least = l - 2
			}
			l2, off2 := mf.longest(w, pos+1, n, least, nice, half)
			if l2 == 0 || score(l2, off2) <= score(l, off)+1 {
				// pos+1 is already inserted.
				mf.skip(w, pos+2, pos+l, n)
				goto emit
			}
			b := w[uint16(pos)]
			c.freqs[b]++
			items[k] = literalItem(b)
			k++
			pos++
			l, off = l2, off2
		}
		mf.skip(w, pos+1, pos+l, n)
	emit:
		items[k] = c.addMatch(l, off)
		k++
		pos += l
	}
	mf.release(w, n)
	return k
}
