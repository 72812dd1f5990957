package xpress

// Binary-tree matchfinder for the near-optimal parser.
//
// Structure: head4 holds, for each 4-byte hash, the root of a binary search
// tree of earlier positions with that hash, ordered lexicographically by the
// bytes that follow them. child[2p] and child[2p+1] are the lesser and
// greater subtrees of position p. Every search inserts the current position
// as the new root, re-hanging the nodes it visits on its two sides as in a
// top-down splay (the LZMA "BT4" scheme), so the tree always holds the most
// recent positions near the root. head3 keeps the two most recent positions
// of each 3-byte hash to propose a length-3 match. Positions are
// chunk-relative uint16 values; position 0 doubles as "empty".
//
// Cost: a search visits at most depth nodes; at each it extends the match
// from min(lenLess, lenGreater), the length both sides already share, so
// bytes are rarely compared twice. Matches come out with strictly increasing
// lengths, each with the offset of the first node that reached it (recent
// nodes sit near the root, so usually the nearest), which is what the parser
// wants. Per position the cost is dominated by a few dependent cache misses
// (bucket, then nodes), not by the depth.
//
// Preconditions: reset before and release after every chunk (heads only;
// child entries are written when their position is inserted); every
// position is passed to find or skip in increasing order, except those
// within 3 bytes of the end; the window holds the chunk followed by zeroed
// slack.
type btMatchfinder struct {
	// The tree root for the next position is read one step early (see
	// root), so its cache miss overlaps the current walk.
	pendPos  int
	pendRoot uint16
	dirty    bool // the heads hold entries of a previous chunk

	head3 [1 << hash3Bits][2]uint16
	head4 [1 << hash4Bits]uint16
	child [2 * maxChunk]uint16
}

func (m *btMatchfinder) reset() {
	if m.dirty {
		clear(m.head3[:])
		clear(m.head4[:])
		m.dirty = false
	}
	m.pendPos = -1
}

// release is called after a chunk of n bytes; as in the hash-chain
// matchfinder, small chunks zero only the heads they used.
func (m *btMatchfinder) release(w *window, n int) {
	if n > smallChunk {
		m.dirty = true
		return
	}
	for pos := range n {
		seq := load32(w, uint16(pos))
		m.head3[hash3(seq)] = [2]uint16{}
		m.head4[hash4(seq)] = 0
	}
}

// root makes pos the root of its hash bucket and returns the previous root.
// It then loads the bucket of pos+1 ahead of time: the load is independent
// of the walk that follows, so the processor overlaps its latency (Go has
// no prefetch instruction). Inserting pos first keeps the early value
// right when pos and pos+1 share a bucket.
func (m *btMatchfinder) root(w *window, pos int, seq uint32) uint16 {
	h4 := hash4(seq)
	cand := m.head4[h4]
	if m.pendPos == pos {
		cand = m.pendRoot
	}
	m.head4[h4] = uint16(pos)
	m.pendPos = pos + 1
	m.pendRoot = m.head4[hash4(load32(w, uint16(pos+1)))]
	return cand
}

// find inserts pos and stores its matches (length<<16 | offset, lengths
// strictly increasing) in out, returning their count. out must have room
// for depth+1 matches. A match of nice bytes or more ends the search.
func (m *btMatchfinder) find(w *window, pos, end, nice, depth int, out []uint32) int {
	limit := end - pos
	if limit < 4 {
		return 0
	}
	nice = min(nice, limit)
	p := uint16(pos)
	seq := load32(w, p)
	k := 0
	best := 2

	h3 := hash3(seq)
	c3 := m.head3[h3]
	m.head3[h3] = [2]uint16{p, c3[0]}
	for _, c := range c3 {
		if c != 0 && (load32(w, c)^seq)<<8 == 0 {
			out[k] = 3<<16 | uint32(pos-int(c))
			k++
			best = 3
			break
		}
	}

	cand := m.root(w, pos, seq)
	lt, gt := 2*int(p), 2*int(p)+1 // where the next lesser/greater node hangs
	lenLT, lenGT := 0, 0
	for ; cand != 0 && depth > 0; depth-- {
		c := int(cand)
		l := min(lenLT, lenGT)
		if w[uint16(c+l)] == w[uint16(pos+l)] {
			l = matchLen(w, pos, c, l+1, limit)
			if l > best {
				best = l
				out[k] = uint32(l)<<16 | uint32(pos-c)
				k++
				if l >= nice {
					// pos replaces c: it inherits c's subtrees.
					m.child[lt&(2*maxChunk-1)] = m.child[(2*c)&(2*maxChunk-1)]
					m.child[gt&(2*maxChunk-1)] = m.child[(2*c+1)&(2*maxChunk-1)]
					return k
				}
			}
		}
		if w[uint16(c+l)] < w[uint16(pos+l)] {
			m.child[lt&(2*maxChunk-1)] = cand
			lt = 2*c + 1
			cand = m.child[lt&(2*maxChunk-1)]
			lenLT = l
		} else {
			m.child[gt&(2*maxChunk-1)] = cand
			gt = 2 * c
			cand = m.child[gt&(2*maxChunk-1)]
			lenGT = l
		}
	}
	m.child[lt&(2*maxChunk-1)] = 0
	m.child[gt&(2*maxChunk-1)] = 0
	return k
}

// skip inserts pos without reporting matches (the tree must still be
// re-rooted at pos, so the walk is the same, but matches are only extended
// to nice: inside a long repeat every node would otherwise be compared to
// the end of the repeat).
func (m *btMatchfinder) skip(w *window, pos, end, nice, depth int) {
	limit := end - pos
	if limit < 4 {
		return
	}
	nice = min(nice, limit)
	p := uint16(pos)
	seq := load32(w, p)
	h3 := hash3(seq)
	m.head3[h3] = [2]uint16{p, m.head3[h3][0]}
	cand := m.root(w, pos, seq)
	lt, gt := 2*int(p), 2*int(p)+1
	lenLT, lenGT := 0, 0
	for ; cand != 0 && depth > 0; depth-- {
		c := int(cand)
		l := min(lenLT, lenGT)
		if w[uint16(c+l)] == w[uint16(pos+l)] {
			l = matchLen(w, pos, c, l+1, nice)
			if l >= nice {
				m.child[lt&(2*maxChunk-1)] = m.child[(2*c)&(2*maxChunk-1)]
				m.child[gt&(2*maxChunk-1)] = m.child[(2*c+1)&(2*maxChunk-1)]
				return
			}
		}
		if w[uint16(c+l)] < w[uint16(pos+l)] {
			m.child[lt&(2*maxChunk-1)] = cand
			lt = 2*c + 1
			cand = m.child[lt&(2*maxChunk-1)]
			lenLT = l
		} else {
			m.child[gt&(2*maxChunk-1)] = cand
			gt = 2 * c
			cand = m.child[gt&(2*maxChunk-1)]
			lenGT = l
		}
	}
	m.child[lt&(2*maxChunk-1)] = 0
	m.child[gt&(2*maxChunk-1)] = 0
}
