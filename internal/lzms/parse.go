package lzms

import "unsafe"

// optNode is one position of a block being parsed: the cheapest known way
// to reach it (cost, and the last item with its length) and, once the
// parser gets there, the state that way leaves behind.
type optNode struct {
	cost uint32
	len  uint32
	item uint32
	st   parseState
}

const optNodeSize = int(unsafe.Sizeof(optNode{}))

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
	nice := c.mf.nice
	for i := range nodes {
		nodes[i].cost = infCost
	}
	nodes[0] = optNode{cost: 0, st: e.st}

	end := 0
	var longItem uint32
	longLen := 0
	for i := 0; ; i++ {
		p := start + i
		if p >= n || i >= optBlock {
			end = i
			break
		}
		cur := &nodes[i]
		if i > 0 {
			cur.st = nodes[i-int(cur.len)].st
			cur.st.advance(cur.item)
		}
		st := &cur.st
		ms := c.mf.find(p, c.matches[:0], true)
		maxLen := n - p

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
		}
		if len(ms) > 0 {
			last := ms[len(ms)-1]
			if int(last.length) >= nice {
				l := extend(in, p-int(last.offset), p, int(last.length), maxLen)
				if l > longLen+1 {
					longItem, longLen = itemExplicit+last.offset, l
				}
			}
		}
		if longLen > 0 {
			end = i
			break
		}

		base := cur.cost
		// Literal.
		if c := base + m.main[st.main][0] + m.literal[in[p]]; c < nodes[i+1].cost {
			nodes[i+1] = optNode{cost: c, len: 1, item: itemLiteral}
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
					nodes[i+ll] = optNode{cost: c, len: uint32(ll), item: item}
				}
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
					nodes[i+ll] = optNode{cost: c, len: uint32(ll), item: item}
				}
			}
		}
	}

	// Walk the path back from end and write it forward.
	items := c.items[:0]
	for j := end; j > 0; j -= int(nodes[j].len) {
		items = append(items, uint64(nodes[j].item)<<32|uint64(nodes[j].len))
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
		for q := p + 1; q < p+longLen; q++ {
			c.mf.find(q, nil, false)
		}
		p += longLen
	}
	return p
}
