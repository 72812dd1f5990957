package lzms

import "unsafe"

// optNode is one position of a block being parsed: the cheapest known way
// to reach it (cost, and the last item with its length) and, once the
// parser gets there, the state that way leaves behind.
//
// A literal item longer than 1 is a literal followed by a repeat match of
// index 0 for the rest of len. A nonzero mlen marks a three-item arrival:
// the LZ match item of length mlen, one literal, then a repeat match of
// index 0 (the same offset) for the rest of len. The parser would rarely
// find these patterns alone: the node after the literal usually keeps a
// cheaper path whose queue lacks the offset.
type optNode struct {
	cost uint32
	len  uint32
	item uint32
	mlen uint32
	st   parseState
}

// optNodes: a block, plus a match, a literal and a repeat match past it.
const optNodes = optBlock + 2*maxNice + 2

const optNodeSize = int(unsafe.Sizeof(optNode{}))

// arrive records a cheaper way to reach n. The state is left alone (it is
// derived when the parser gets to n), which keeps the relax loops' stores
// small.
func (n *optNode) arrive(cost, length, item, mlen uint32) {
	n.cost, n.len, n.item, n.mlen = cost, length, item, mlen
}

const infCost = ^uint32(0)

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
	nodes := c.nodes
	nice := c.nice
	nodes[0] = optNode{cost: 0, st: e.st}
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
		cur := &nodes[i]
		if i > 0 {
			cur.st = nodes[i-int(cur.len)].st
			cur.st.advance(cur.item)
			if cur.mlen != 0 {
				cur.st.advance(itemLiteral)
				cur.st.advance(itemRep)
			} else if cur.item == itemLiteral && cur.len > 1 {
				cur.st.advance(itemRep)
			}
		}
		st := &cur.st
		ms := c.find(p, c.matches[:0], true)
		maxLen := n - p
		if c.matchLitRep && n > cachedChunk {
			// relaxMatchLitRep reads the source past each match: in a
			// big chunk a cache miss, started here to overlap the
			// repeat and delta searches.
			for _, mt := range ms {
				prefetch(unsafe.Pointer(&in[min(p-int(mt.offset)+int(mt.length), n-1)]))
			}
		}

		// The longest repeat match and any match of at least nice bytes.
		repLen := [numReps]int{}
		bestRep, bestRepLen := 0, 0
		for k := range numReps {
			off := int(st.lzQ[k+int(st.prevLZ)])
			if off > p || maxLen < 2 {
				continue
			}
			l := extend(in, p-off, p, 0, maxLen)
			repLen[k] = l
			if l > bestRepLen {
				bestRep, bestRepLen = k, l
			}
		}
		if bestRepLen >= nice {
			longItem, longLen = uint32(itemRep+bestRep), bestRepLen
			longOff = int(st.lzQ[bestRep+int(st.prevLZ)])
		}
		// Delta matches: the explicit ones from the finder, then the
		// repeat ones.
		var ds []match
		var drepLen [numReps]int
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
			for k := range numReps {
				pair := st.deltaQ[k+int(st.prevDelta)]
				power := int(pair >> deltaPowerShift)
				span := 1 << power
				off := int(pair&(1<<deltaPowerShift-1)) << power
				if off+span > p || maxLen < 2 || in[p]-in[p-span] != in[p-off]-in[p-off-span] {
					continue
				}
				l := deltaLen(in, p, off, span, 1, maxLen)
				drepLen[k] = l
				if l >= nice && l > longLen+1 {
					longItem, longLen, longOff = itemDelta|uint32(k), l, 0
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

		// Open the nodes this position's items can reach.
		edge := 1
		for _, l := range repLen {
			edge = max(edge, l)
		}
		if len(ms) > 0 {
			edge = max(edge, int(ms[len(ms)-1].length))
		}
		for _, d := range ds {
			edge = max(edge, min(int(d.length), nice-1))
		}
		for _, l := range drepLen {
			edge = max(edge, min(l, nice-1))
		}
		c.openTo(i + edge)

		base := cur.cost
		// Literal.
		if c := base + m.main[st.main][0] + m.literal[in[p]]; c < nodes[i+1].cost {
			nodes[i+1].arrive(c, 1, itemLiteral, 0)
		}
		if c.litRep {
			c.relaxLitRep(i, p, base, st)
		}
		matchBase := base + m.main[st.main][1] + m.match[st.match][0]
		// Repeat matches.
		repBase := matchBase + m.lz[st.lz][1]
		for k := range numReps {
			l := repLen[k]
			if l < 2 {
				continue
			}
			kc := repBase
			if k == 0 {
				kc += m.lzRep[0][st.rep0][0]
			} else {
				kc += m.lzRep[0][st.rep0][1] + m.lzRep[1][st.rep1][k-1]
			}
			item := uint32(itemRep + k)
			for ll := 2; ll <= l; ll++ {
				if c := kc + m.length[ll]; c < nodes[i+ll].cost {
					nodes[i+ll].arrive(c, uint32(ll), item, 0)
				}
			}
			if c.repLitRep {
				off := int(st.lzQ[k+int(st.prevLZ)])
				c.relaxMatchLitRep(i, p, kc+m.length[l], st, item, l, off)
			}
		}
		// Explicit matches: each length from just past the previous
		// match's up to its own, at its offset.
		expBase := matchBase + m.lz[st.lz][0]
		ll := 2
		for _, mt := range ms {
			slot := offsetSlot(mt.offset)
			oc := expBase + m.lzOffset[slot]
			item := itemExplicit + mt.offset
			for ; ll <= int(mt.length); ll++ {
				if c := oc + m.length[ll]; c < nodes[i+ll].cost {
					nodes[i+ll].arrive(c, uint32(ll), item, 0)
				}
			}
			if c.matchLitRep {
				c.relaxMatchLitRep(i, p, oc+m.length[mt.length], st, item, int(mt.length), int(mt.offset))
			}
		}
		if c.useDelta {
			c.relaxDelta(i, matchBase+m.match[st.match][1]-m.match[st.match][0], st, ds, &drepLen)
		}
	}

	// Walk the path back from end and write it forward.
	items := c.items[:0]
	for j := end; j > 0; j -= int(nodes[j].len) {
		nd := &nodes[j]
		if nd.item == itemLiteral && nd.len > 1 {
			items = append(items, uint64(itemRep)<<32|uint64(nd.len-1), uint64(itemLiteral)<<32|1)
			continue
		}
		if nd.mlen == 0 {
			items = append(items, uint64(nd.item)<<32|uint64(nd.len))
			continue
		}
		items = append(items, uint64(itemRep)<<32|uint64(nd.len-nd.mlen-1),
			uint64(itemLiteral)<<32|1, uint64(nd.item)<<32|uint64(nd.mlen))
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
	nodes := c.nodes
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
		item := itemDelta | uint32(k)
		for ll := 2; ll <= l; ll++ {
			if c := kc + m.length[ll]; c < nodes[i+ll].cost {
				nodes[i+ll].arrive(c, uint32(ll), item, 0)
			}
		}
	}
	expBase := base + m.delta[st.delta][0]
	for _, d := range ds {
		raw := d.offset & (1<<deltaPowerShift - 1)
		oc := expBase + m.deltaPower[d.offset>>deltaPowerShift] + m.deltaOffset[offsetSlot(raw)]
		item := itemDelta | (numReps + d.offset)
		for ll := deltaMinLen; ll <= min(int(d.length), c.nice-1); ll++ {
			if c := oc + m.length[ll]; c < nodes[i+ll].cost {
				nodes[i+ll].arrive(c, uint32(ll), item, 0)
			}
		}
	}
}

// relaxMatchLitRep prices, after the LZ match item of length l and offset
// off at node i (position p) whose cost is cost, one literal and a repeat
// of the same offset.
func (c *Compressor) relaxMatchLitRep(i, p int, cost uint32, st *parseState, item uint32, l, off int) {
	in := c.in
	m := &c.costs
	j := p + l // the literal
	maxRep := min(len(in)-j-1, c.nice-1)
	if maxRep < 2 || in[j+1] != in[j+1-off] || in[j+2] != in[j+2-off] {
		return
	}
	r := extend(in, j+1-off, j+1, 2, maxRep)
	s := *st
	s.advance(item)
	cost += m.main[s.main][0] + m.literal[in[j]]
	s.advance(itemLiteral)
	cost += m.main[s.main][1] + m.match[s.match][0] + m.lz[s.lz][1] +
		m.lzRep[0][s.rep0][0] + m.length[r]
	to := i + l + 1 + r
	c.openTo(to)
	if cost < c.nodes[to].cost {
		c.nodes[to].arrive(cost, uint32(to-i), item, uint32(l))
	}
}

// openTo makes the nodes up to to reachable, unreached so far.
func (c *Compressor) openTo(to int) {
	for c.reach < to {
		c.reach++
		c.nodes[c.reach].cost = infCost
	}
}

// relaxLitRep prices, at node i (position p) of cost base, a literal and
// then a repeat of the front of the LZ queue.
func (c *Compressor) relaxLitRep(i, p int, base uint32, st *parseState) {
	in := c.in
	off := int(st.lzQ[0]) // index 0 once the literal has flushed prevLZ
	maxRep := min(len(in)-p-1, c.nice-1)
	if maxRep < 2 || off > p+1 || in[p+1] != in[p+1-off] || in[p+2] != in[p+2-off] {
		return
	}
	r := extend(in, p+1-off, p+1, 2, maxRep)
	m := &c.costs
	s := *st
	cost := base + m.main[s.main][0] + m.literal[in[p]]
	s.advance(itemLiteral)
	cost += m.main[s.main][1] + m.match[s.match][0] + m.lz[s.lz][1] +
		m.lzRep[0][s.rep0][0] + m.length[r]
	to := i + 1 + r
	c.openTo(to)
	if cost < c.nodes[to].cost {
		c.nodes[to].arrive(cost, uint32(1+r), itemLiteral, 0)
	}
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
