package lzms

import "encoding/binary"

// rangeEncoder writes the forward stream from the front of out. low is a
// 33-bit value whose top bit is the carry; the unit in cache and cacheSize-1
// 0xFFFF units after it are held back until no carry can reach them. The
// decoder takes the very first unit as part of its initial code, so the
// first held-back unit (the zero LZMA would emit as a dummy byte) is dropped:
// next starts one unit before the buffer.
type rangeEncoder struct {
	low       uint64
	rng       uint32
	cache     uint16
	cacheSize uint32
	out       []byte
	next      int
	end       int
}

func (r *rangeEncoder) init(out []byte) {
	*r = rangeEncoder{rng: 0xFFFFFFFF, cacheSize: 1, out: out, next: -2, end: len(out) &^ 1}
}

func (r *rangeEncoder) shiftLow() {
	if uint32(r.low) < 0xFFFF0000 || r.low>>32 != 0 {
		carry := uint16(r.low >> 32)
		for {
			if r.next >= 0 {
				// Once the buffer is full, next stays at end; finish reports it.
				if r.next != r.end {
					binary.LittleEndian.PutUint16(r.out[r.next:], r.cache+carry)
					r.next += 2
				}
			} else {
				r.next += 2
			}
			r.cache = 0xFFFF
			r.cacheSize--
			if r.cacheSize == 0 {
				break
			}
		}
		r.cache = uint16(r.low >> 16)
	}
	r.cacheSize++
	r.low = (r.low & 0xFFFF) << 16
}

// finish pushes out everything still held and reports whether it all fit.
func (r *rangeEncoder) finish() bool {
	for range 4 {
		r.shiftLow()
	}
	return r.next != r.end
}

// bitWriter writes the backward stream: 16-bit units from the end of out
// toward its start, each filled MSB first. Units that would go below the
// start are dropped; finish then fails.
type bitWriter struct {
	out  []byte
	bb   uint64
	nb   uint
	next int // the next unit goes just below next
}

func (w *bitWriter) init(out []byte) {
	*w = bitWriter{out: out, next: len(out) &^ 1}
}

// bits writes the low n (0..48) bits of v: a codeword and its extra bits
// go in one call.
func (w *bitWriter) bits(v uint64, n uint) {
	w.bb = w.bb<<n | v
	w.nb += n
	for w.nb >= 16 {
		w.nb -= 16
		if w.next != 0 {
			w.next -= 2
			binary.LittleEndian.PutUint16(w.out[w.next:], uint16(w.bb>>w.nb))
		}
	}
}

// finish writes the last partial unit, zero-padded.
func (w *bitWriter) finish() bool {
	if w.next == 0 {
		return false
	}
	if w.nb != 0 {
		w.next -= 2
		binary.LittleEndian.PutUint16(w.out[w.next:], uint16(w.bb<<(16-w.nb)))
	}
	return true
}

// encCode is the encoder's side of an adaptiveCode: the same counts and the
// same rebuild schedule, with codewords instead of a decode table.
type encCode struct {
	numSyms     int
	rebuildFreq int
	untilBuild  int
	freqs       []uint32
	lens        []uint8
	codes       []uint32 // codeword<<8 | length
	builder     *codeBuilder
	gen         uint32 // counts builds, so price tables know when to follow
}

func (c *encCode) init(b *codeBuilder, rebuildFreq, maxSyms int) {
	c.builder = b
	c.rebuildFreq = rebuildFreq
	c.freqs = make([]uint32, maxSyms)
	c.lens = make([]uint8, maxSyms)
	c.codes = make([]uint32, maxSyms)
}

func (c *encCode) reset(numSyms int) {
	c.numSyms = numSyms
	f := c.freqs[:numSyms]
	for i := range f {
		f[i] = 1
	}
	c.build()
}

func (c *encCode) build() {
	c.untilBuild = c.rebuildFreq
	c.gen++
	lens := c.lens[:c.numSyms]
	if !c.builder.lengths(c.freqs[:c.numSyms], lens) {
		return // unusable; the parser never codes with it
	}
	// Canonical codewords: by (length, symbol), consecutive values.
	var count [maxCodeLen + 1]uint32
	for _, l := range lens {
		count[l]++
	}
	var next [maxCodeLen + 1]uint32
	code := uint32(0)
	for l := 1; l <= maxCodeLen; l++ {
		code = (code + count[l-1]) << 1
		next[l] = code
	}
	// count[0] is 0 (every symbol has a codeword), so next[1] == 0.
	for sym, l := range lens {
		c.codes[sym] = next[l]<<8 | uint32(l)
		next[l]++
	}
}

// put writes sym's codeword followed by the low x bits of extra (a slot's
// extra bits: the two in one write, at most 15 + 30 bits), and counts sym,
// rebuilding on schedule.
func (c *encCode) put(w *bitWriter, sym int, extra uint32, x uint) {
	cw := c.codes[sym]
	c.freqs[sym]++
	c.untilBuild--
	if c.untilBuild == 0 {
		c.rebuild()
	}
	w.bits(uint64(cw>>8)<<x|uint64(extra), uint(cw&0xFF)+x)
}

// rebuild builds the code from the counts, then halves them.
func (c *encCode) rebuild() {
	c.build()
	f := c.freqs[:c.numSyms]
	for i := range f {
		f[i] = f[i]>>1 + 1
	}
}
