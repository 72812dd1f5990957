package xpress

import (
	"encoding/binary"
	"fmt"
)

// Decompressor decodes XPRESS chunks. One goroutine per instance.
type Decompressor struct {
	maxChunk int
	// strict additionally demands what 7-Zip demands after the data: the
	// end-of-data symbol, zero padding and no input left over. WIM readers
	// (wimlib, WIMGAPI) stop when the output is full, so it is off by
	// default; tests turn it on to check our encoder.
	strict bool
	lens   [numSymbols]uint8
	table  decodeTable
}

// NewDecompressor returns a decompressor for chunks of at most maxChunk bytes.
func NewDecompressor(maxChunk int) (*Decompressor, error) {
	if err := checkChunk(maxChunk); err != nil {
		return nil, err
	}
	return &Decompressor{maxChunk: maxChunk}, nil
}

func corrupt(what string) error { return fmt.Errorf("%w: %s", ErrCorrupt, what) }

// Decompress decodes src into dst, where len(dst) is the exact uncompressed
// size. It never panics and never reads or writes outside its slices;
// corrupt input returns an error wrapping ErrCorrupt.
func (d *Decompressor) Decompress(dst, src []byte) error {
	if len(dst) > d.maxChunk {
		return fmt.Errorf("xpress: output size %d exceeds the chunk size %d", len(dst), d.maxChunk)
	}
	if len(src) < tableBytes {
		return corrupt("chunk shorter than its code-length table")
	}
	for i, b := range src[:tableBytes] {
		d.lens[2*i] = b & 15
		d.lens[2*i+1] = b >> 4
	}
	if !d.table.build(&d.lens) {
		return corrupt("invalid Huffman code")
	}
	return d.decode(dst, src[tableBytes:])
}

// decode runs the symbol loop. The bit buffer is MSB-aligned: the next
// stream bit is bit 63 and nb bits are valid. Units are loaded only when
// fewer than 16 bits remain, one at a time, because the interleaved length
// bytes sit right after the units loaded under exactly that rule. Past the
// end of the input, zero units are supplied (phantom); decoding is corrupt
// only if a phantom bit is actually consumed, which is checked at the end.
func (d *Decompressor) decode(dst, in []byte) error {
	tab := &d.table
	var buf uint64
	var nb uint
	pos, phantom := 0, 0
	op := 0
	for op < len(dst) {
		if nb < 16 {
			if pos+1 < len(in) {
				buf |= uint64(binary.LittleEndian.Uint16(in[pos:])) << (48 - nb)
				pos += 2
			} else {
				phantom++
				if phantom > 2 {
					return corrupt("bitstream overrun")
				}
			}
			nb += 16
		}
		e := tab[buf>>(64-rootBits)]
		if e&subFlag != 0 {
			buf <<= rootBits
			nb -= rootBits
			e = tab[((e>>8)+uint32(buf>>(64-(e&15))))&(tableSize-1)]
		}
		n := uint(e & 15)
		buf <<= n
		nb -= n
		sym := e >> 8
		if sym < numChars {
			dst[op] = byte(sym)
			op++
			continue
		}
		if nb < 16 {
			if pos+1 < len(in) {
				buf |= uint64(binary.LittleEndian.Uint16(in[pos:])) << (48 - nb)
				pos += 2
			} else {
				phantom++
				if phantom > 2 {
					return corrupt("bitstream overrun")
				}
			}
			nb += 16
		}
		lo := uint(sym>>4) & 15
		off := 1<<lo | int(buf>>(64-lo))
		buf <<= lo
		nb -= lo
		length := int(sym & 15)
		if length == 15 {
			if pos >= len(in) {
				return corrupt("missing length byte")
			}
			b := in[pos]
			pos++
			if b != 255 {
				length += int(b)
			} else {
				if pos+1 >= len(in) {
					return corrupt("missing length word")
				}
				length = int(in[pos]) | int(in[pos+1])<<8
				pos += 2
			}
		}
		length += minMatchLen
		if off > op {
			return corrupt("match offset before chunk start")
		}
		if length > len(dst)-op {
			return corrupt("match runs past the chunk end")
		}
		if s := op - off; off >= 8 && length <= 16 && op+16 <= len(dst) {
			// Most matches are short: two word copies (the second may
			// read bytes the first just wrote, which is what an
			// overlapping copy means), overshooting into space later
			// output overwrites.
			binary.LittleEndian.PutUint64(dst[op:], binary.LittleEndian.Uint64(dst[s:]))
			binary.LittleEndian.PutUint64(dst[op+8:], binary.LittleEndian.Uint64(dst[s+8:]))
		} else {
			copyMatch(dst, op, off, length)
		}
		op += length
	}
	if uint(phantom)*16 > nb {
		return corrupt("bitstream overrun")
	}
	if d.strict {
		return checkEnd(tab, buf, nb, in, pos, phantom)
	}
	return nil
}

// checkEnd verifies 7-Zip's end condition: the next symbol is 256, every
// remaining buffered bit is zero and the input ends exactly at the last
// unit the decoder loads after it (the encoder's trailing zero unit).
func checkEnd(tab *decodeTable, buf uint64, nb uint, in []byte, pos, phantom int) error {
	if phantom != 0 {
		return corrupt("strict: no end-of-data symbol")
	}
	for step := 0; ; step++ {
		if nb < 16 {
			if pos+1 >= len(in) {
				return corrupt("strict: stream ends before the final unit")
			}
			buf |= uint64(binary.LittleEndian.Uint16(in[pos:])) << (48 - nb)
			pos += 2
			nb += 16
		}
		if step == 1 {
			break
		}
		e := tab[buf>>(64-rootBits)]
		if e&subFlag != 0 {
			buf <<= rootBits
			nb -= rootBits
			e = tab[((e>>8)+uint32(buf>>(64-(e&15))))&(tableSize-1)]
		}
		if e>>8 != eodSymbol {
			return corrupt("strict: no end-of-data symbol")
		}
		n := uint(e & 15)
		buf <<= n
		nb -= n
	}
	if buf != 0 {
		return corrupt("strict: non-zero padding")
	}
	if pos != len(in) {
		return corrupt("strict: data after the final unit")
	}
	return nil
}

// copyMatch copies length bytes from off bytes back to dst[op:]. Overlapping
// copies repeat the last off bytes, doubling the copied span each step.
func copyMatch(dst []byte, op, off, length int) {
	end := op + length
	if off >= 8 && end+8 <= len(dst) {
		// Eight bytes at a time, overshooting by up to seven bytes that
		// later output overwrites; with off >= 8 every load reads bytes
		// already final.
		for s := op - off; op < end; op, s = op+8, s+8 {
			binary.LittleEndian.PutUint64(dst[op:], binary.LittleEndian.Uint64(dst[s:]))
		}
		return
	}
	if off >= length {
		copy(dst[op:end], dst[op-off:op])
		return
	}
	if off == 1 {
		b := dst[op-1]
		for i := op; i < end; i++ {
			dst[i] = b
		}
		return
	}
	n := copy(dst[op:end], dst[op-off:op])
	for op+n < end {
		n += copy(dst[op+n:end], dst[op:op+n])
	}
}
