package xpress

// outputSize is the exact compressed size for the current statistics and
// code: table, ceil(bits/16)+1 units (the last one the trailing zero unit)
// and the interleaved length bytes.
func (c *Compressor) outputSize() int {
	nbits := c.extraBits
	for s, f := range c.freqs {
		nbits += int(f) * int(c.lens[s])
	}
	return tableBytes + 2*((nbits+15)/16+1) + c.extraBytes
}

// write emits the table and the items; dst has exactly outputSize bytes.
//
// Bit layout (what every decoder agrees on): bits accumulate MSB-first and a
// 16-bit unit is emitted as soon as more than 16 are pending. Two unit slots
// (r1, r2) are always reserved ahead of the byte cursor b; a completed unit
// fills r1, the slots shift and a new one is reserved at b. Length bytes go
// straight to b. This places each length byte exactly where a decoder that
// keeps 16..32 bits loaded finds it.
func (c *Compressor) write(dst []byte, items []uint64) {
	for i := range tableBytes {
		dst[i] = c.lens[2*i] | c.lens[2*i+1]<<4
	}
	lens, codes := &c.lens, &c.codes
	var acc uint64 // pending bits are the low n bits
	var n uint
	r1, r2, b := tableBytes, tableBytes+2, tableBytes+4
	for _, it := range items {
		sym := uint16(it>>32) & (numSymbols - 1)
		acc = acc<<(lens[sym]&15) | uint64(codes[sym])
		n += uint(lens[sym])
		if n > 16 {
			n -= 16
			u := uint16(acc >> n)
			dst[r1] = byte(u)
			dst[r1+1] = byte(u >> 8)
			r1, r2, b = r2, b, b+2
		}
		if sym < numChars {
			continue
		}
		adj := uint16(it >> 16)
		if adj >= 15 {
			if adj-15 < 255 {
				dst[b] = byte(adj - 15)
				b++
			} else {
				dst[b] = 255
				dst[b+1] = byte(adj)
				dst[b+2] = byte(adj >> 8)
				b += 3
			}
		}
		lo := uint(sym>>4) & 15
		acc = acc<<lo | uint64(uint16(it)&(1<<lo-1))
		n += lo
		if n > 16 {
			n -= 16
			u := uint16(acc >> n)
			dst[r1] = byte(u)
			dst[r1+1] = byte(u >> 8)
			r1, r2, b = r2, b, b+2
		}
	}
	acc = acc<<(lens[eodSymbol]&15) | uint64(codes[eodSymbol])
	n += uint(lens[eodSymbol])
	if n > 16 {
		n -= 16
		u := uint16(acc >> n)
		dst[r1] = byte(u)
		dst[r1+1] = byte(u >> 8)
		r1, r2 = r2, b
	}
	// Final partial unit, left-aligned and zero-padded, then the zero unit.
	u := uint16(acc << (16 - n))
	dst[r1] = byte(u)
	dst[r1+1] = byte(u >> 8)
	dst[r2] = 0
	dst[r2+1] = 0
}
