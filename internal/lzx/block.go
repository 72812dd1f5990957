package lzx

import "encoding/binary"

// seq is one parsed item of a block: litRun literals taken from the input,
// then a match unless mainSym < numChars (the block's trailing literals).
type seq struct {
	litRun  uint32
	mainSym uint32 // numChars + slot*8 + min(length-2, 7)
	length  uint32
	extra   uint32 // formatted offset minus the slot's base (the footer)
}

// tally holds a block's symbol frequencies.
type tally struct {
	main    [maxMainSyms]uint32
	length  [numLenSyms]uint32
	aligned [numAlignedSyms]uint32
}

// blockCodes are the Huffman codes of one block.
type blockCodes struct {
	mainLens    [maxMainSyms]uint8
	mainCodes   [maxMainSyms]uint16
	lenLens     [numLenSyms]uint8
	lenCodes    [numLenSyms]uint16
	alignedLens [numAlignedSyms]uint8
	alignedCode [numAlignedSyms]uint16
}

// blockWriter turns parsed blocks into the bitstream. It keeps the previous
// block's code lengths, against which the next block's are delta-coded.
type blockWriter struct {
	numMain  int
	bigBlock bool // window >= 64K: block sizes take 24 bits instead of 16
	prevMain [maxMainSyms]uint8
	prevLen  [numLenSyms]uint8
	codes    blockCodes
	huff     huffBuilder

	preLens  [numPreSyms]uint8
	preCodes [numPreSyms]uint16
	preItems [maxMainSyms]uint32 // sym | nExtra<<5 | extra<<8

	// codes were built from builtFrom (if built), aligned: builtAligned.
	built        bool
	builtAligned bool
	builtFrom    tally
}

func (bw *blockWriter) startChunk() {
	clear(bw.prevMain[:])
	clear(bw.prevLen[:])
}

// makeCodes builds the block's codes from t and reports whether an aligned
// block is smaller than a verbatim one.
func (bw *blockWriter) makeCodes(t *tally) (aligned bool) {
	// The near-optimal parser prices its last pass with the codes that
	// pass's tally gives, which is then usually the block's tally: reuse
	// them (a tally compare costs far less than three code builds).
	if bw.built && bw.builtFrom == *t {
		return bw.builtAligned
	}
	bw.built, bw.builtFrom = true, *t
	bw.builtAligned = bw.buildCodes(t)
	return bw.builtAligned
}

func (bw *blockWriter) buildCodes(t *tally) (aligned bool) {
	c := &bw.codes
	bw.huff.build(t.main[:bw.numMain], c.mainLens[:bw.numMain], c.mainCodes[:bw.numMain], maxMainCodeLen)
	bw.huff.build(t.length[:], c.lenLens[:], c.lenCodes[:], maxLenCodeLen)
	bw.huff.build(t.aligned[:], c.alignedLens[:], c.alignedCode[:], maxAlignedCodeLen)
	verbatimBits, alignedBitsTotal := 0, 8*3
	for i, f := range t.aligned {
		verbatimBits += int(f) * alignedBits
		alignedBitsTotal += int(f) * int(c.alignedLens[i])
	}
	return alignedBitsTotal < verbatimBits
}

// itemBits is the size in bits of a block's items (symbols, length symbols
// and offset footers, not the code lengths) coded with c, made from t;
// aligned says whether c is an aligned block's.
func (c *blockCodes) itemBits(t *tally, aligned bool) int {
	bits := 0
	for i, f := range t.main {
		bits += int(f) * int(c.mainLens[i])
	}
	for i, f := range t.length {
		bits += int(f) * int(c.lenLens[i])
	}
	for ms := numChars; ms < maxMainSyms; ms++ {
		bits += int(t.main[ms]) * int(slotFooter[(ms-numChars)/numLenHeaders])
	}
	if aligned {
		for i, f := range t.aligned {
			bits += int(f) * (int(c.alignedLens[i]) - alignedBits)
		}
	}
	return bits
}

// write emits one block covering block, whose items are seqs.
func (bw *blockWriter) write(w *bitWriter, block []byte, seqs []seq, t *tally) {
	aligned := bw.makeCodes(t)
	c := &bw.codes
	typ := uint32(blockTypeVerbatim)
	if aligned {
		typ = blockTypeAligned
	}
	w.put(typ, 3)
	if len(block) == defaultBlockSize {
		w.put(1, 1)
	} else if bw.bigBlock {
		w.put(0, 1)
		w.put(uint32(len(block)), 24)
	} else {
		w.put(0, 1)
		w.put(uint32(len(block)), 16)
	}
	w.flush()
	if aligned {
		for _, l := range c.alignedLens {
			w.put(uint32(l), 3)
		}
		w.flush()
	}
	bw.writeLens(w, bw.prevMain[:numChars], c.mainLens[:numChars])
	bw.writeLens(w, bw.prevMain[numChars:bw.numMain], c.mainLens[numChars:bw.numMain])
	bw.writeLens(w, bw.prevLen[:], c.lenLens[:])
	copy(bw.prevMain[:bw.numMain], c.mainLens[:bw.numMain])
	copy(bw.prevLen[:], c.lenLens[:])
	writeSeqs(w, block, seqs, c, aligned)
}

// lenDelta[prev+17-cur] is the pretree symbol that turns a length prev
// into cur.
var lenDelta = func() (t [64]uint8) {
	for i := range t {
		t[i] = uint8(i % 17)
	}
	return t
}()

// writeLens codes cur as deltas against prev with a pretree of its own.
// Items are sym | nExtra<<5 | extra<<8. A run of one length needs 4 equal
// lengths to be coded as a run, so a position whose next 4 lengths differ
// is one delta item, decided by one compare (the used literals' lengths
// vary, and a branch per run end mispredicted); only runs are scanned.
// The scan keeps its state in locals, and the pretree frequencies are
// counted in two arrays by item parity, against the chain of increments
// of one counter.
func (bw *blockWriter) writeLens(w *bitWriter, prev, cur []uint8) {
	var freq [2][32]uint32
	items := bw.preItems[:]
	n, k := len(cur), 0
	prev = prev[:n]
	for i := 0; i < n; {
		v := cur[i]
		if i+4 > n || binary.LittleEndian.Uint32(cur[i:]) != uint32(v)*0x01010101 {
			d := lenDelta[(prev[i]+17-v)&63]
			items[k] = uint32(d)
			freq[k&1][d&31]++
			k++
			i++
			continue
		}
		j := i + 4
		for j < n && cur[j] == v {
			j++
		}
		run := j - i
		if v == 0 {
			for run >= 20 {
				r := min(run, 51)
				items[k] = 18 | 5<<5 | uint32(r-20)<<8
				freq[k&1][18]++
				k++
				i += r
				run -= r
			}
			if run >= 4 {
				items[k] = 17 | 4<<5 | uint32(run-4)<<8
				freq[k&1][17]++
				k++
				i += run
				run = 0
			}
		} else {
			for run >= 4 {
				r := min(run, 5)
				d := lenDelta[(prev[i]+17-v)&63]
				items[k] = 19 | 1<<5 | uint32(r-4)<<8
				items[k+1] = uint32(d)
				freq[0][19]++
				freq[1][d&31]++
				k += 2
				i += r
				run -= r
			}
		}
		for ; run > 0; run-- {
			d := lenDelta[(prev[i]+17-v)&63]
			items[k] = uint32(d)
			freq[k&1][d&31]++
			k++
			i++
		}
	}
	for i := range numPreSyms {
		freq[0][i] += freq[1][i]
	}
	lens, codes := &bw.preLens, &bw.preCodes
	bw.huff.build(freq[0][:numPreSyms], lens[:], codes[:], maxPreCodeLen)
	for i := 0; i < numPreSyms; i += 4 {
		w.put(uint32(lens[i])<<12|uint32(lens[i+1])<<8|uint32(lens[i+2])<<4|uint32(lens[i+3]), 16)
		w.flush()
	}
	var pl [32]uint8
	var pc [32]uint16
	copy(pl[:], lens[:])
	copy(pc[:], codes[:])
	buf, pos, acc, nb := w.buf, w.pos, w.acc, w.n
	for _, it := range items[:k] {
		sym := it & 31
		acc = acc<<(pl[sym]&63) | uint64(pc[sym])
		acc = acc<<(it>>5&7) | uint64(it>>8)
		nb += uint(pl[sym]) + uint(it>>5&7)
		for nb >= 16 {
			nb -= 16
			binary.LittleEndian.PutUint16(buf[pos:], uint16(acc>>(nb&63)))
			pos += 2
		}
	}
	w.pos, w.acc, w.n = pos, acc, nb
}

// writeSeqsGo emits the literals and matches of one block. The bitstream
// state lives in locals; at most 15 bits are pending at the top of each
// group of puts, and a group adds at most 49.
func writeSeqsGo(w *bitWriter, block []byte, seqs []seq, c *blockCodes, aligned bool) {
	buf, pos, acc, n := w.buf, w.pos, w.acc, w.n
	mainLens, mainCodes := &c.mainLens, &c.mainCodes
	minAligned := uint32(maxOffsetSlots)
	if aligned {
		minAligned = minAlignedSlot
	}
	p := 0
	for _, s := range seqs {
		lits := block[p : p+int(s.litRun)]
		p += int(s.litRun)
		for len(lits) >= 3 {
			a, b, d := lits[0], lits[1], lits[2]
			acc = acc<<(mainLens[a]&63) | uint64(mainCodes[a])
			acc = acc<<(mainLens[b]&63) | uint64(mainCodes[b])
			acc = acc<<(mainLens[d]&63) | uint64(mainCodes[d])
			n += uint(mainLens[a]) + uint(mainLens[b]) + uint(mainLens[d])
			lits = lits[3:]
			for n >= 16 {
				n -= 16
				binary.LittleEndian.PutUint16(buf[pos:], uint16(acc>>(n&63)))
				pos += 2
			}
		}
		for _, a := range lits {
			acc = acc<<(mainLens[a]&63) | uint64(mainCodes[a])
			n += uint(mainLens[a])
		}
		for n >= 16 {
			n -= 16
			binary.LittleEndian.PutUint16(buf[pos:], uint16(acc>>(n&63)))
			pos += 2
		}
		if s.mainSym < numChars {
			continue
		}
		ms := s.mainSym
		acc = acc<<(mainLens[ms]&63) | uint64(mainCodes[ms])
		n += uint(mainLens[ms])
		if (ms-numChars)&7 == numLenHeaders-1 {
			ls := s.length - (minMatchLen + numLenHeaders - 1)
			acc = acc<<(c.lenLens[ls]&63) | uint64(c.lenCodes[ls])
			n += uint(c.lenLens[ls])
		}
		slot := (ms - numChars) >> 3
		fb := uint(slotFooter[slot&63])
		if slot >= minAligned {
			acc = acc<<((fb-alignedBits)&63) | uint64(s.extra>>alignedBits)
			al := s.extra & 7
			acc = acc<<(c.alignedLens[al]&63) | uint64(c.alignedCode[al])
			n += fb - alignedBits + uint(c.alignedLens[al])
		} else {
			acc = acc<<(fb&63) | uint64(s.extra)
			n += fb
		}
		p += int(s.length)
		for n >= 16 {
			n -= 16
			binary.LittleEndian.PutUint16(buf[pos:], uint16(acc>>(n&63)))
			pos += 2
		}
	}
	w.pos, w.acc, w.n = pos, acc, n
}
