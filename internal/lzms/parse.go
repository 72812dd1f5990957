package lzms

import "unsafe"

// The nodes of a block being parsed: node j is position start+j. Each
// holds the cheapest known way to reach it as one key, cost<<32 | index,
// where the index picks its arrival (the last item, its length and, once
// the parser gets to j, the state it leaves) in the block's arrival log.
// The log is filled in the order the parser prices items, so among equal
// costs the earlier arrival has the smaller key: min(key, candidate) keeps
// it, as the strict "cheaper" test did, and the relax loops need no
// branch (a store either way into an 8-byte-per-node array).
//
// An arrival is item<<32 | mlen<<16 | src: the item ending at the node,
// from node src. A literal item with more than one position is a literal
// followed by a repeat match of index 0 for the rest. A nonzero mlen marks
// a three-item arrival: the LZ match item of length mlen, one literal,
// then a repeat match of index 0 (the same offset) for the rest. The parser
// would rarely find these patterns alone: the node after the literal
// usually keeps a cheaper path whose queue lacks the offset.

// optNodes: a block, plus a match, a literal and a repeat match past it.
const optNodes = optBlock + 2*maxNice + 2

// arrivalCap is the arrival log's size. A position appends at most
// maxArrivals; before that would overflow, the log is compacted to the
// arrivals the nodes hold (at most optNodes).
const (
	arrivalCap  = 8192
	maxArrivals = 2 + 3*numReps + 2*(maxNice+2) + deltaPowers
)

const infKey = ^uint64(0)

func arrival(item, mlen uint32, src int) uint64 {
	return uint64(item)<<32 | uint64(mlen)<<16 | uint64(src)
}

// relaxRange lowers keys[j] to bk+lens[j] where that is less: one item of
// every length of a range, bk its cost and arrival index.
func relaxRange(keys, lens []uint64, bk uint64) {
	lens = lens[:len(keys)]
	for j, k := range keys {
		keys[j] = min(k, bk+lens[j])
	}
}

// compactArrivals keeps only the arrivals nodes 1..reach hold. Their keys
// only ever meet later candidates, whose indices stay above them.
func (c *Compressor) compactArrivals() {
	old := c.arrivals
	c.arrivals, c.spare = c.spare[:0], old
	for j := 1; j <= c.reach; j++ {
		k := c.keys[j]
		if k == infKey {
			continue
		}
		c.keys[j] = k&^0xFFFFFFFF | uint64(len(c.arrivals))
		c.arrivals = append(c.arrivals, old[uint32(k)])
	}
}

// parseBlock parses in[start:] for up to optBlock positions with a
// minimum-cost forward pass, writes the cheapest path through e, and
// returns where the next block starts.
//
// Every position gets its matches in order (the matchfinder must see them
// all anyway); a node's state is derived from its best predecessor when the
// pass reaches it, so costs follow the repeat queue and decision states of
// the path. A match at least nice long ends the block: the path up to it is
// written, then the match itself, and the positions it covers are only
// inserted into the matchfinder.
func (c *Compressor) parseBlock(in []byte, start int, e *emitter) int {
	n := len(in)
	m := &c.costs
	m.refresh(c)
	keys, states := c.keys, c.states
	c.lenKey, c.offCost, c.lenCost, c.litCost = m.lenKey, m.lzOffset, m.length, &m.literal
	c.start, c.lit, c.doLitRep, c.doRepLitRep = start, c.matchLitRep, c.litRep, c.repLitRep
	c.niceLen = c.nice
	c.setRoom()
	nice := c.nice
	// Without match+literal+rep0 steps a position's ranges can be
	// relaxed in one pass (relaxFusedAsm); its slots need offsets below
	// explicitFar.
	fused := explicitAVX512 && !c.lit && !c.doRepLitRep && n <= explicitFar
	// Without delta matches and literal+rep0 too, positionAsm measures
	// the repeat matches as well.
	whole := fused && !c.useDelta && !c.doLitRep && explicitAsm && c.room
	c.nodeStates = states
	keys[0] = 0
	states[0] = e.st
	c.arrivals = c.arrivals[:0]
	c.reach = 0

	end := 0
	var longItem uint32
	longLen, longOff := 0, 0 // longOff: the long match's LZ offset, 0 for delta
	for i := 0; ; i++ {
		p := start + i
		// At i == reach every path passes through node i: the block
		// can end there at no loss, and the next one prices with
		// fresher codes.
		if p >= n || i >= optBlock || i > 0 && i == c.reach {
			end = i
			break
		}
		st := &states[i]
		if i > 0 {
			a := c.arrivals[uint32(keys[i])]
			item, src := uint32(a>>32), int(uint16(a))
			*st = states[src]
			st.advance(item)
			if uint16(a>>16) != 0 {
				st.advance(itemLiteral)
				st.advance(itemRep)
			} else if item == itemLiteral && i-src > 1 {
				st.advance(itemRep)
			}
			if len(c.arrivals) > arrivalCap-maxArrivals {
				c.compactArrivals()
			}
		}
		ms := c.find(p, c.matches[:0], true)
		maxLen := n - p
		if c.matchLitRep && n > cachedChunk {
			// match+literal+rep0 reads the source past each match: in a
			// big chunk a cache miss, started here to overlap the
			// repeat and delta searches.
			for _, mt := range ms {
				prefetch(unsafe.Pointer(&in[min(p-int(mt.offset)+int(mt.length), n-1)]))
			}
		}

		if whole && (len(ms) == 0 || int(ms[len(ms)-1].length) < nice) &&
			cap(c.arrivals)-len(c.arrivals) >= maxArrivals {
			// parseBlock's steps below for such a position, the
			// repeat costs for every index (no branches on the
			// lengths, measured after).
			base := uint32(keys[i] >> 32)
			c.node = i
			c.litKey = base + m.main[st.main][0] + m.literal[in[p]]
			matchBase := base + m.main[st.main][1] + m.match[st.match][0]
			repBase := matchBase + m.lz[st.lz][1]
			r0, r1 := &m.lzRep[0][st.rep0], &m.lzRep[1][st.rep1]
			c.repCost = [numReps]uint32{repBase + r0[0], repBase + r0[1] + r1[0], repBase + r0[1] + r1[1]}
			c.ms, c.k, c.ll, c.expBase = ms, 0, 2, matchBase+m.lz[st.lz][0]
			positionAsm(&c.parseNodes)
			if c.repBestLen >= nice {
				longItem, longLen = uint32(itemRep+c.repBest), c.repBestLen
				longOff = int(st.lzQ[c.repBest+int(st.prevLZ)])
				end = i
				break
			}
			continue
		}

		// The longest repeat match and any match of at least nice bytes.
		bestRep, bestRepLen := repLens(in, p, st, &c.repLen)
		if bestRepLen >= nice {
			longItem, longLen = uint32(itemRep+bestRep), bestRepLen
			longOff = int(st.lzQ[bestRep+int(st.prevLZ)])
		}
		// Delta matches: the explicit ones from the finder, then the
		// repeat ones.
		var ds []match
		var drepLen [numReps]int
		bestDrepLen := 0
		// A position with an LZ match of deltaSkipLen bytes or more
		// skips the delta finder (and is not inserted in its table):
		// on tars of sources -12% CPU at 128 KiB for 0.005% more bytes.
		if c.useDelta && (len(ms) == 0 || int(ms[len(ms)-1].length) < deltaSkipLen) {
			ds = c.df.find(p, c.dmatches[:0], true)
			for _, d := range ds {
				if int(d.length) >= nice && int(d.length) > longLen+1 {
					longItem, longLen, longOff = itemDelta|(numReps+d.offset), int(d.length), 0
				}
			}
			bestDrepLen = deltaRepLens(in, p, st, &drepLen)
			if bestDrepLen >= nice {
				for k, l := range drepLen {
					if l >= nice && l > longLen+1 {
						longItem, longLen, longOff = itemDelta|uint32(k), l, 0
					}
				}
			}
		}
		if len(ms) > 0 {
			last := ms[len(ms)-1]
			if int(last.length) >= nice {
				l := extend(in, p-int(last.offset), p, int(last.length), maxLen)
				// A literal and then a repeat match that reach as far
				// cost a few bits where the explicit offset costs
				// dozens (a run of one byte: the copy of an older run
				// against a literal and offset 1): weigh them instead.
				if l > longLen+1 && 1+litRepLen(in, p, st, maxLen) < l {
					longItem, longLen, longOff = itemExplicit+last.offset, l, int(last.offset)
				}
			}
		}
		if longLen > 0 {
			end = i
			break
		}

		// The nodes this position's items can reach (the delta lengths
		// are at most nice-1 here, as a longer one ended the block),
		// opened by relaxPositionAsm. Taken from the maxima, not by
		// looping over the length arrays again: copying one just
		// written stalls the loads.
		edge := max(1, bestRepLen, bestDrepLen)
		if len(ms) > 0 {
			edge = max(edge, int(ms[len(ms)-1].length))
		}
		for _, d := range ds {
			edge = max(edge, int(d.length))
		}

		base := uint32(keys[i] >> 32)
		c.node, c.open = i, i+edge
		c.litKey = base + m.main[st.main][0] + m.literal[in[p]]
		if c.litRep {
			// A literal moves only the main decision's state; its
			// repeat is of the queue's front once the literal has
			// flushed prevLZ.
			c.litRepCost = base + m.main[st.main][0] + m.main[st.main<<1&15][1] +
				m.match[st.match][0] + m.lz[st.lz][1] + m.lzRep[0][st.rep0][0]
			c.litRepOff = int(st.lzQ[0])
		}
		matchBase := base + m.main[st.main][1] + m.match[st.match][0]
		// match+literal+rep0: the decisions of the literal and the
		// repeat after an LZ match but the LZ and rep0 ones (the
		// states after the match as parseState.lzDecisions has them).
		var litRepDec uint32
		lzAfter := st.lz << 1 & 63
		if c.matchLitRep || c.repLitRep {
			mainAfter := (st.main<<1 | 1) & 15
			litRepDec = m.main[mainAfter][0] + m.main[mainAfter<<1&15][1] + m.match[st.match<<1&31][0]
		}
		// Repeat matches.
		repBase := matchBase + m.lz[st.lz][1]
		for k := range numReps {
			// c.repLen's entries as repLensAsm stored them (a copy
			// of the array, loaded 16 bytes at a time, stalled).
			if c.repLen[k] < 2 {
				continue
			}
			kc := repBase
			if k == 0 {
				kc += m.lzRep[0][st.rep0][0]
			} else {
				kc += m.lzRep[0][st.rep0][1] + m.lzRep[1][st.rep1][k-1]
			}
			c.repCost[k] = kc
			if c.repLitRep {
				c.repOff[k] = int(st.lzQ[k+int(st.prevLZ)])
				c.repMLR[k] = kc + litRepDec + m.lz[lzAfter|1][1] + m.lzRep[0][rep0After(st.rep0, k)][0]
			}
		}
		// Explicit matches: each length from just past the previous
		// match's up to its own, at its offset.
		expBase := matchBase + m.lz[st.lz][0]
		c.ms, c.k, c.ll, c.expBase = ms, 0, 2, expBase
		if c.matchLitRep {
			c.mlrCost = litRepDec + m.lz[lzAfter][1] + m.lzRep[0][st.rep0][0]
		}
		if explicitAsm && c.room && cap(c.arrivals)-len(c.arrivals) >= maxArrivals {
			if fused {
				relaxFusedAsm(&c.parseNodes)
			} else {
				relaxPositionAsm(&c.parseNodes)
			}
		} else {
			relaxPositionGo(&c.parseNodes)
		}
		if c.k < len(ms) {
			c.relaxRest()
		}
		if len(ds) > 0 || bestDrepLen >= 2 {
			c.relaxDelta(i, matchBase+m.match[st.match][1]-m.match[st.match][0], st, ds, &drepLen)
		}
	}

	// Walk the path back from end and write it forward.
	items := c.items[:0]
	for j := end; j > 0; {
		a := c.arrivals[uint32(keys[j])]
		item, mlen, src := uint32(a>>32), uint64(uint16(a>>16)), int(uint16(a))
		l := uint64(j - src)
		j = src
		if item == itemLiteral && l > 1 {
			items = append(items, uint64(itemRep)<<32|(l-1), uint64(itemLiteral)<<32|1)
			continue
		}
		if mlen == 0 {
			items = append(items, uint64(item)<<32|l)
			continue
		}
		items = append(items, uint64(itemRep)<<32|(l-mlen-1),
			uint64(itemLiteral)<<32|1, uint64(item)<<32|mlen)
	}
	p := start
	for k := len(items) - 1; k >= 0; k-- {
		item, l := uint32(items[k]>>32), int(uint32(items[k]))
		if item == itemLiteral {
			e.literal(in[p])
		} else {
			e.match(item, l)
		}
		p += l
	}
	c.items = items
	if longLen > 0 {
		e.match(longItem, longLen)
		switch {
		case c.oneByte || p+longLen >= n:
			// A match to the chunk's end is followed by no search
			// (the finders start over with the next chunk; the delta
			// table's entries of this one fall below its base).
		case c.onLCP:
			c.visit(p+1, p+longLen)
		default:
			c.mf.skip(p+1, p+longLen, longOff)
		}
		if c.useDelta && p+longLen < n {
			c.df.skip(p+1, p+longLen, p, longLen, longOff)
		}
		p += longLen
	}
	return p
}

// relaxDelta prices the delta matches at node i: the explicit ones in ds
// (offset holding the packed pair) and the repeat ones of drepLen.
// base is the node's cost plus the main and match decisions of a delta
// match.
func (c *Compressor) relaxDelta(i int, base uint32, st *parseState, ds []match, drepLen *[numReps]int) {
	m := &c.costs
	repBase := base + m.delta[st.delta][1]
	for k, l := range drepLen {
		l = min(l, c.nice-1)
		if l < 2 {
			continue
		}
		kc := repBase
		if k == 0 {
			kc += m.deltaRep[0][st.drep0][0]
		} else {
			kc += m.deltaRep[0][st.drep0][1] + m.deltaRep[1][st.drep1][k-1]
		}
		c.addRange(i, 2, l, kc, itemDelta|uint32(k))
	}
	expBase := base + m.delta[st.delta][0]
	for _, d := range ds {
		raw := d.offset & (1<<deltaPowerShift - 1)
		var slot int // offsetSlot, which does not inline
		if raw < 1<<16 {
			slot = nearSlot(raw)
		} else {
			slot = offsetSlotFar(raw)
		}
		oc := expBase + m.deltaPower[d.offset>>deltaPowerShift] + m.deltaOffset[slot]
		if hi := min(int(d.length), c.nice-1); hi >= deltaMinLen {
			c.addRange(i, deltaMinLen, hi, oc, itemDelta|(numReps+d.offset))
		}
	}
}

// repLens sets lens to the lengths of the repeat matches at p and returns
// the longest one's index and length (the first of equals). Apart from
// parseBlock: there the loop's registers spilled.
func repLens(in []byte, p int, st *parseState, lens *[numReps]int) (best, bestLen int) {
	if len(in)-p < 2 {
		*lens = [numReps]int{}
		return 0, 0
	}
	q := (*[numReps]uint32)(st.lzQ[st.prevLZ&1:])
	if explicitAsm {
		return repLensAsm(in, p, q, lens)
	}
	return repLensGo(in, p, q, lens)
}

// repLensGo is repLens over the queue's visible entries q (p < len(in)-1);
// repLensAsm is its twin.
func repLensGo(in []byte, p int, q *[numReps]uint32, lens *[numReps]int) (best, bestLen int) {
	maxLen := len(in) - p
	for k, off := range q {
		if int(off) > p {
			lens[k] = 0
			continue
		}
		l := extend(in, p-int(off), p, 0, maxLen)
		lens[k] = l
		if l > bestLen {
			best, bestLen = k, l
		}
	}
	return best, bestLen
}

// deltaRepLens sets lens to the lengths of the delta repeat matches at p
// and returns the longest (apart from parseBlock, as repLens).
//
//go:noinline
func deltaRepLens(in []byte, p int, st *parseState, lens *[numReps]int) (best int) {
	maxLen := len(in) - p
	if maxLen < 2 {
		return 0
	}
	q := st.deltaQ[st.prevDelta&1:][:numReps]
	for k, pair := range q {
		power := int(pair >> deltaPowerShift)
		span := 1 << power
		off := int(pair&(1<<deltaPowerShift-1)) << power
		if off+span > p || in[p]-in[p-span] != in[p-off]-in[p-off-span] {
			continue
		}
		l := deltaLen(in, p, off, span, 1, maxLen)
		lens[k] = l
		best = max(best, l)
	}
	return best
}

// litRepLen is the longest repeat match at p+1 after a literal at p (the
// literal flushes prevLZ, so the queue's first numReps entries are the
// repeat offsets then).
func litRepLen(in []byte, p int, st *parseState, maxLen int) int {
	best := 0
	for k := range numReps {
		off := int(st.lzQ[k])
		if off == 0 || off > p+1 || maxLen < 2 {
			continue
		}
		best = max(best, extend(in, p+1-off, p+1, 0, maxLen-1))
	}
	return best
}
