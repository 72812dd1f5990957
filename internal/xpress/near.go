package xpress

import "math/bits"

// Near-optimal parsing: find every match at every position once (binary
// trees), then choose the parse of minimum total cost under a model of
// symbol costs, refine the model from the parse's own Huffman code, and
// parse again. XPRESS has no state between items (no repeat offsets), so
// the minimum cost to the end of the chunk from each position is exact for
// a given model and a single backward pass finds the optimum.

// cacheSlotsPerPos is the average number of matches reserved per position.
// When the cache runs short, the remaining positions get no matches (only
// pathological inputs come close).
const cacheSlotsPerPos = 8

type nearState struct {
	bt      btMatchfinder
	cache   []uint32 // matches of all positions, length<<16 | offset
	counts  []uint16 // matches cached at each position
	cost    []uint32 // minimum cost from each position to the end, in bits
	choice  []uint32 // best item at each position: length<<16 | offset (length 1: literal)
	symCost [numSymbols]uint32
	// symTab[lo][i] is the cost of the symbol of a match of length 3+i
	// and offset order lo plus its lo offset bits (i = 15: length 18,
	// with its extra length byte), for the assembly (see minCostAsm).
	symTab [16][16]uint32
}

func newNearState(maxChunk int) *nearState {
	return &nearState{
		cache:  make([]uint32, maxChunk*cacheSlotsPerPos),
		counts: make([]uint16, maxChunk),
		cost:   make([]uint32, maxChunk+2), // the assembly reads cost[n+1]
		choice: make([]uint32, maxChunk),
	}
}

func nearMemory(maxChunk int) int64 {
	const bt = 2 * (len(btMatchfinder{}.child) + 2*len(btMatchfinder{}.head3) + len(btMatchfinder{}.head4))
	return int64(bt+4*numSymbols) +
		int64(maxChunk)*(4*cacheSlotsPerPos+2+4+4) + 8
}

func (c *Compressor) parseNear(n int) int {
	s := c.near
	c.findAllMatches(n)
	s.bt.release(c.win, n)
	// The first model comes from the code of a greedy parse over the cached
	// matches: far closer to the final code than a flat cost per symbol,
	// so fewer refinement passes reach the same size.
	c.greedyFromCache(n)
	k := 0
	for pass := 0; pass < c.p.optimPasses; pass++ {
		// Costs are the codeword lengths of the previous parse's code;
		// a symbol it did not use is charged the longest length.
		c.freqs[eodSymbol]++
		c.huff.build(&c.freqs, &c.lens, &c.enc)
		for i, l := range c.lens {
			if l == 0 {
				l = maxCodeLen
			}
			s.symCost[i] = uint32(l)
		}
		s.minCost(c.win, n)
		k = c.walk(n)
	}
	return k
}

// findAllMatches caches the matches of every position. After a match of
// nice length or more, the positions it covers are only inserted: a long
// match is nearly always the right choice there and searching them is what
// makes long repeats slow.
func (c *Compressor) findAllMatches(n int) {
	s, w := c.near, c.win
	s.bt.reset()
	nice, depth := c.p.niceLen, c.p.maxSearchDepth
	room := len(s.cache) - depth - 1
	if useAsm {
		btFindAllAsm(&s.bt, w, n, nice, depth, &s.cache[0], room, &s.counts[0])
		return
	}
	used := 0
	for pos := 0; pos < n; {
		if used > room {
			s.counts[pos] = 0
			pos++
			continue
		}
		m := s.bt.find(w, pos, n, nice, depth, s.cache[used:])
		s.counts[pos] = uint16(m)
		pos++
		if m == 0 {
			continue
		}
		used += m
		if l := int(s.cache[used-1] >> 16); l >= nice {
			end := pos - 1 + l
			for ; pos < end; pos++ {
				s.bt.skip(w, pos, n, nice, depth)
				s.counts[pos] = 0
			}
		}
	}
}

// minCost fills cost and choice backwards from the end of the chunk.
//
// For a match of length L and offset o, every length 3..L is a candidate
// (a shorter copy can leave the next position at a better match). Lengths
// up to 17 each have their own symbol; longer ones share the symbol with
// header 15 plus one extra byte (three from 273 on). Candidates are packed
// as cost<<32 | length<<16 | offset so that one branch-free min picks the
// cheapest (ties: shorter, then nearer); the comparisons are unpredictable,
// and mispredicted branches were most of this loop's time.
func (s *nearState) minCost(w *window, n int) {
	cost, choice, counts := s.cost[:n+1], s.choice[:n], s.counts[:n]
	sc := &s.symCost
	cost[n] = 0
	used := 0
	for _, m := range counts {
		used += int(m)
	}
	if useAsm && haveNearAsm {
		for lo := range s.symTab {
			row := sc[numChars+lo<<4:][:16]
			for i, c := range row {
				s.symTab[lo][i] = c + uint32(lo)
			}
			s.symTab[lo][15] += 8
		}
		minCostAsm(s, w, n, used)
		return
	}
	for pos := n - 1; pos >= 0; pos-- {
		lit := sc[w[uint16(pos)]] + cost[pos+1]
		m := int(counts[pos])
		if m == 0 {
			cost[pos] = lit
			choice[pos] = 1 << 16
			continue
		}
		best := uint64(lit)<<32 | 1<<16
		used -= m
		next := minMatchLen // first length not yet tried
		for _, mt := range s.cache[used : used+m] {
			l, off := int(mt>>16), uint64(mt&0xffff)
			lo := uint32(bits.Len64(off) - 1)
			row := (*[16]uint32)(sc[(numChars+lo<<4)&(numSymbols-16):])
			if hi := min(l, minMatchLen+14); next <= hi {
				t := cost[pos+next : pos+hi+1]
				r := row[next-minMatchLen : hi-minMatchLen+1]
				r = r[:len(t)]
				for i, cv := range t {
					c := r[i] + lo + cv
					best = min(best, uint64(c)<<32|uint64(next+i)<<16|off)
				}
			}
			if l >= minMatchLen+15 {
				// One extra length byte up to 272, three beyond.
				base := row[15] + lo + 8
				j := max(next, minMatchLen+15)
				if hi := min(l, minMatchLen+15+254); j <= hi {
					for i, cv := range cost[pos+j : pos+hi+1] {
						best = min(best, uint64(base+cv)<<32|uint64(j+i)<<16|off)
					}
					j = hi + 1
				}
				if j <= l {
					for i, cv := range cost[pos+j : pos+l+1] {
						best = min(best, uint64(base+16+cv)<<32|uint64(j+i)<<16|off)
					}
				}
			}
			next = l + 1
		}
		cost[pos] = uint32(best >> 32)
		choice[pos] = uint32(best)
	}
}

// greedyFromCache gathers the statistics of a greedy parse that takes the
// longest cached match at each position.
func (c *Compressor) greedyFromCache(n int) {
	s, w := c.near, c.win
	c.freqs = [numSymbols]uint32{}
	c.extraBytes = 0
	used := 0
	next := 0 // first position not covered by the parse
	for pos := 0; pos < n; pos++ {
		m := int(s.counts[pos])
		used += m
		if pos < next {
			continue
		}
		if m > 0 {
			mt := s.cache[used-1]
			if l := int(mt >> 16); l > minMatchLen || mt&0xffff < 4096 {
				c.addMatch(l, int(mt&0xffff))
				next = pos + l
				continue
			}
		}
		c.freqs[w[uint16(pos)]]++
	}
}

// walk follows the chosen items from the start, recording items and
// statistics for the code, and returns the item count.
func (c *Compressor) walk(n int) int {
	s, w := c.near, c.win
	c.freqs = [numSymbols]uint32{}
	c.extraBytes = 0
	items := c.items[:n+1]
	k := 0
	for pos := 0; pos < n; k++ {
		ch := s.choice[pos]
		l := int(ch >> 16)
		if l == 1 {
			b := w[uint16(pos)]
			c.freqs[b]++
			items[k] = literalItem(b)
		} else {
			items[k] = c.addMatch(l, int(ch&0xffff))
		}
		pos += l
	}
	return k
}
