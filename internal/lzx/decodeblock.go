package lzx

import "encoding/binary"

// decodeBlock decodes the symbols of one verbatim or aligned block into
// dst[out:], ending exactly at len(dst). It keeps the bitstream in locals.
func (d *Decompressor) decodeBlock(br *bitReader, dst []byte, out int, aligned bool, rep *[numRepeats]uint32) error {
	src, pos, bb, nb := br.src, br.pos, br.bb, br.nb
	r0, r1, r2 := rep[0], rep[1], rep[2]
	mainTable := d.mainTable[:]
	lenTable := d.lenTable[:]
	alignedTable := &d.alignedTable
	minAligned := uint32(maxOffsetSlots)
	if aligned {
		minAligned = minAlignedSlot
	}
	end := len(dst)
	for out < end {
		if nb <= 48 {
			pos, bb, nb = refill(src, pos, bb, nb)
		}
		sym, n, ok := decodeSym(mainTable, mainRootBits, bb)
		if !ok {
			return corrupt("missing main codeword")
		}
		bb <<= n
		nb -= n
		if sym < numChars {
			dst[out] = byte(sym)
			out++
			continue
		}
		sym -= numChars
		length := int(sym&7) + minMatchLen
		slot := sym >> 3
		if sym&7 == numLenHeaders-1 {
			ls, n, ok := decodeSym(lenTable, lenRootBits, bb)
			if !ok {
				return corrupt("missing length codeword")
			}
			bb <<= n
			nb -= n
			length += int(ls)
		}
		var off uint32
		switch slot {
		case 0:
			off = r0
		case 1:
			off, r1 = r1, r0
			r0 = off
		case 2:
			off, r2 = r2, r0
			r0 = off
		default:
			if nb <= 48 {
				pos, bb, nb = refill(src, pos, bb, nb)
			}
			fb := uint(slotFooter[slot&63])
			f := slotBase[slot&63]
			if slot >= minAligned {
				fb -= alignedBits
				f += uint32(bb>>(64-fb)) << alignedBits
				bb <<= fb
				nb -= fb
				e := alignedTable[bb>>(64-alignedRootBits)]
				if e == 0 {
					return corrupt("missing aligned codeword")
				}
				n := uint(e & entryLenMask)
				bb <<= n
				nb -= n
				f += e >> 8
			} else if fb != 0 {
				f += uint32(bb >> (64 - fb))
				bb <<= fb
				nb -= fb
			}
			off = f - 2
			r2, r1, r0 = r1, r0, off
		}
		if int(off) > out || length > end-out {
			return corrupt("match offset %d length %d at %d", off, length, out)
		}
		if o := int(off); o >= 8 && end-out >= length+8 {
			// Word copies may overshoot by up to 7 bytes, which later
			// symbols overwrite; the offset keeps each word's source
			// ahead of its destination.
			for k := 0; k < length; k += 8 {
				binary.LittleEndian.PutUint64(dst[out+k:], binary.LittleEndian.Uint64(dst[out+k-o:]))
			}
		} else if int(off) >= length {
			copy(dst[out:out+length], dst[out-int(off):])
		} else {
			s := dst[out-int(off) : out+length]
			for i := int(off); i < len(s); i++ {
				s[i] = s[i-int(off)]
			}
		}
		out += length
	}
	br.pos, br.bb, br.nb = pos, bb, nb
	rep[0], rep[1], rep[2] = r0, r1, r2
	return nil
}
