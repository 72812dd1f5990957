package xpress

// outputSize is the exact compressed size for the current statistics and
// code: table, ceil(bits/16)+1 units (the last one the trailing zero unit)
// and the interleaved length bytes.
func (c *Compressor) outputSize() int {
	nbits := 0
	for s, f := range c.freqs {
		// A match symbol's offset order is also its count of offset bits.
		nbits += int(f) * (int(c.lens[s]) + s>>8*(s>>4&15))
	}
	return tableBytes + 2*((nbits+15)/16+1) + c.extraBytes
}

// outBuf is the staging area the writer fills before one copy to the
// caller's buffer: a power-of-two array indexed with masked offsets, so the
// stores need no bounds checks. A chunk's output never exceeds it (the
// writer only runs when the exact size fits the caller's buffer, which is
// smaller than the chunk).
type outBuf [1 << 17]byte

const outMask = len(outBuf{}) - 1

// write emits the table and the items into dst, which has exactly
// outputSize bytes.
//
// Bit layout (what every decoder agrees on): bits are MSB-first and a
// 16-bit unit is due as soon as more than 16 bits are pending. Two unit
// slots (r1, r2) are always reserved ahead of the byte cursor b; a completed
// unit fills r1, the slots shift and a new one is reserved at b. Length
// bytes go straight to b. Only the order of unit completions relative to
// byte writes matters, so units may be emitted late in pairs, as long as no
// more than 16 bits are pending whenever a length byte is written and at the
// end. Here at most 32 bits are pending at the start of each item.
func (c *Compressor) write(dst []byte, items []uint64) {
	out := c.out
	for i := range tableBytes {
		out[i] = c.lens[2*i] | c.lens[2*i+1]<<4
	}
	enc := &c.enc
	var acc uint64 // pending bits are the low n bits
	var n uint
	r1, r2, b := tableBytes, tableBytes+2, tableBytes+4
	if useAsm && haveWriteAsm {
		acc, n, r1, r2, b = writeItemsAsm(out, enc, items)
		items = nil
	}
	for _, it := range items {
		sym := uint32(it>>32) & (numSymbols - 1)
		e := enc[sym]
		acc = acc<<(e&15) | uint64(e>>4)
		n += uint(e & 15)
		if sym >= numChars {
			lo := uint(sym>>4) & 15
			if adj := uint16(it >> 16); adj >= 15 {
				for n > 16 {
					n -= 16
					u := uint16(acc >> n)
					out[r1&outMask] = byte(u)
					out[(r1+1)&outMask] = byte(u >> 8)
					r1, r2, b = r2, b, b+2
				}
				if adj-15 < 255 {
					out[b&outMask] = byte(adj - 15)
					b++
				} else {
					out[b&outMask] = 255
					out[(b+1)&outMask] = byte(adj)
					out[(b+2)&outMask] = byte(adj >> 8)
					b += 3
				}
			}
			acc = acc<<lo | uint64(uint16(it)&(1<<lo-1))
			n += lo
		}
		if n > 32 {
			n -= 32
			u := uint32(acc >> n)
			out[r1&outMask] = byte(u >> 16)
			out[(r1+1)&outMask] = byte(u >> 24)
			out[r2&outMask] = byte(u)
			out[(r2+1)&outMask] = byte(u >> 8)
			r1, r2, b = b, b+2, b+4
		}
	}
	e := enc[eodSymbol]
	acc = acc<<(e&15) | uint64(e>>4)
	n += uint(e & 15)
	for n > 16 {
		n -= 16
		u := uint16(acc >> n)
		out[r1&outMask] = byte(u)
		out[(r1+1)&outMask] = byte(u >> 8)
		r1, r2, b = r2, b, b+2
	}
	// Final partial unit, left-aligned and zero-padded, then the zero unit.
	u := uint16(acc << (16 - n))
	out[r1&outMask] = byte(u)
	out[(r1+1)&outMask] = byte(u >> 8)
	out[r2&outMask] = 0
	out[(r2+1)&outMask] = 0
	copy(dst, out[:len(dst)])
}
