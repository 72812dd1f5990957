package lzms

import "encoding/binary"

// bitReader reads the backward stream: 16-bit little-endian units taken
// from the end of the chunk toward its start, each read MSB first. bb holds
// nb valid bits left-aligned. Before the start it shifts in zero units, as
// wimlib does (the two streams are allowed to meet; nothing marks the end).
type bitReader struct {
	src []byte
	pos int // units before pos are still unread
	bb  uint64
	nb  uint
}

func (b *bitReader) init(src []byte) {
	*b = bitReader{src: src, pos: len(src)}
}

// refill makes nb > 48, enough for a codeword and then up to 30 extra bits
// after another refill.
func (b *bitReader) refill() {
	if b.nb <= 48 {
		b.fill()
	}
}

func (b *bitReader) fill() {
	k := (64 - b.nb) / 16 // whole units that fit
	if b.pos >= 8 {
		// The 8 bytes below pos, as one little-endian word, hold the next
		// four units with the first one on top.
		w := binary.LittleEndian.Uint64(b.src[b.pos-8:])
		b.bb |= w >> (64 - 16*k) << (64 - b.nb - 16*k)
		b.pos -= int(2 * k)
		b.nb += 16 * k
		return
	}
	for range k {
		if b.pos >= 2 {
			b.pos -= 2
			b.bb |= uint64(binary.LittleEndian.Uint16(b.src[b.pos:])) << (48 - b.nb)
		}
		b.nb += 16
	}
}

// bits returns the next n (0..32) verbatim bits.
func (b *bitReader) bits(n uint) uint32 {
	b.refill()
	v := uint32(b.bb >> (64 - n)) // a shift by 64 gives 0 for n == 0
	b.bb <<= n
	b.nb -= n
	return v
}

// symbol decodes one symbol of c and counts it, rebuilding c on schedule.
// ok is false for an unusable (empty) code.
func (b *bitReader) symbol(c *adaptiveCode) (sym int, ok bool) {
	b.refill()
	t := c.table
	e := t[b.bb>>(64-c.rootBits)]
	if e&entryLink != 0 {
		n := e & entryLenMask
		e = t[int(e>>8)+int(b.bb<<c.rootBits>>(64-n))]
		if e == 0 {
			return 0, false
		}
	}
	l := uint(e & entryLenMask)
	b.bb <<= l
	b.nb -= l
	sym = int(e >> 8)
	c.freqs[sym]++
	c.untilBuild--
	if c.untilBuild == 0 {
		c.rebuild()
	}
	return sym, true
}
