package lzx

// Short repeat matches turned back into literals.
//
// A block of few items (a run of one byte value, a zeroed page: a literal
// and a hundred 257-byte repeat matches) pays for every symbol it uses in
// its code lengths, and the parser prices a symbol it uses once with the
// first pass's estimate. So a short repeat match at a run's edge (the last
// 2-4 bytes of a chunk, the first bytes of the next run) can cost more than
// the literals it replaces: 2 bytes more than wimlib's parse in 2 of the
// 1024 32 KiB chunks of the runs benchmark. Small blocks try each such
// match as literals, written out in full, and keep what is smaller.

// Blocks are tried only when they are this small (items and literals): run
// blocks have a handful of literals, and the trial writes stay cheap and
// fit demoteBuf. With 4096 literals allowed, the Go tree's small files at
// LZX:20 took 4.7% more CPU for 136 bytes.
const (
	demoteMaxSeqs = 512
	demoteMaxLits = 256
	demoteMaxLen  = 8 // longer matches are never worth literals
	demoteBufLen  = 2*(demoteMaxLits+demoteMaxSeqs*demoteMaxLen) + 8*demoteMaxSeqs + 4096
)

// demoteShortReps rewrites c.seqs and c.t for the block in[start:end].
// Only repeat-0 matches qualify: they leave the repeat queue as it was, so
// the items after them decode the same.
func (c *Compressor) demoteShortReps(block []byte) {
	if len(c.seqs) > demoteMaxSeqs {
		return
	}
	lits := 0
	for _, s := range c.seqs {
		lits += int(s.litRun)
	}
	if lits > demoteMaxLits || !c.anyDemotable() {
		return
	}
	if c.demoteBuf == nil {
		c.demoteBuf = make([]byte, demoteBufLen)
	}
	if cap(c.demoteSeqs) < cap(c.seqs) {
		// A kept trial swaps the two buffers, and the parsers need
		// c.seqs at its full size: the level-20 assembly only runs when
		// a chunk's items are sure to fit (compressLazy), and with a
		// trial's small buffer in its place every later chunk went
		// through the Go loop.
		c.demoteSeqs = make([]seq, 0, cap(c.seqs))
	}
	best := c.trialBits(block, c.seqs, &c.t)
	p := 0
	for k := 0; k < len(c.seqs)-1; k++ {
		s := c.seqs[k]
		p += int(s.litRun)
		ms := s.mainSym
		if !c.demotable(s) {
			p += int(s.length)
			continue
		}
		t := c.t
		t.main[ms]--
		for _, b := range block[p : p+int(s.length)] {
			t.main[b]++
		}
		seqs := c.demoteSeqs[:0]
		seqs = append(seqs, c.seqs[:k]...)
		next := c.seqs[k+1]
		next.litRun += s.litRun + s.length
		seqs = append(seqs, next)
		seqs = append(seqs, c.seqs[k+2:]...)
		if bits := c.trialBits(block, seqs, &t); bits < best {
			best = bits
			c.t = t
			c.demoteSeqs, c.seqs = c.seqs, seqs
			p -= int(s.litRun) // the merged run starts where s's did
			k--
			continue
		}
		c.demoteSeqs = seqs
		p += int(s.length)
	}
}

// trialBits is the size in bits of the block written with seqs and t,
// leaving the writer's state as it was.
func (c *Compressor) trialBits(block []byte, seqs []seq, t *tally) int {
	bw := &c.bw
	prevMain, prevLen := bw.prevMain, bw.prevLen
	w := bitWriter{buf: c.demoteBuf}
	bw.write(&w, block, seqs, t)
	bw.prevMain, bw.prevLen = prevMain, prevLen
	return w.pos*8 + int(w.n)
}

// demotable reports whether item s is a demotion candidate: a repeat-0
// match (offset slot 0) of at most demoteMaxLen bytes whose main symbol
// the block uses once.
func (c *Compressor) demotable(s seq) bool {
	ms := s.mainSym
	return ms >= numChars && (ms-numChars)>>3 == 0 && s.length <= demoteMaxLen && c.t.main[ms] == 1
}

// anyDemotable reports whether the block's items (the last, its closing
// literals, aside) hold a candidate. Most small blocks hold none, and
// then the trial write of the whole block is skipped.
func (c *Compressor) anyDemotable() bool {
	for _, s := range c.seqs[:max(len(c.seqs)-1, 0)] {
		if c.demotable(s) {
			return true
		}
	}
	return false
}
