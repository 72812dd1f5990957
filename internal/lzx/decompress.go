package lzx

import (
	"encoding/binary"
	"fmt"
)

// Decompressor decodes LZX chunks of one WIM resource. It holds all decode
// tables, so Decompress allocates nothing.
type Decompressor struct {
	maxChunk int
	numMain  int

	// Code lengths persist across the blocks of a chunk: each block codes
	// its lengths as deltas against the previous block's.
	mainLens    [maxMainSyms]uint8
	lenLens     [numLenSyms]uint8
	alignedLens [numAlignedSyms]uint8
	preLens     [numPreSyms]uint8

	mainTable    [mainTableSize]uint32
	lenTable     [lenTableSize]uint32
	alignedTable [alignedTableSize]uint32
	preTable     [preTableSize]uint32

	// strict additionally rejects non-zero padding bits and trailing input,
	// as 7-Zip does; tests use it to hold the compressor to that standard.
	strict bool
	// blocks counts the blocks decoded by type, for tests and diagnostics.
	blocks [4]int
}

// NewDecompressor returns a decompressor for chunks of at most maxChunk bytes;
// maxChunk is the resource chunk size, which is also the LZX window.
func NewDecompressor(maxChunk int) (*Decompressor, error) {
	order, err := chunkOrder(maxChunk)
	if err != nil {
		return nil, err
	}
	return &Decompressor{maxChunk: maxChunk, numMain: numChars + numLenHeaders*numOffsetSlots(order)}, nil
}

func corrupt(format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{ErrCorrupt}, args...)...)
}

// bitReader reads MSB-first bits from 16-bit little-endian units. bb holds
// nb valid bits left-aligned. Past the end of src it shifts in zero units but
// still advances pos, so an overread shows up as pos > len(src) at the end.
type bitReader struct {
	src []byte
	pos int
	bb  uint64
	nb  uint
}

// refill tops bb up to more than 48 valid bits.
func refill(src []byte, pos int, bb uint64, nb uint) (int, uint64, uint) {
	if nb <= 16 && pos+8 <= len(src) {
		w := binary.LittleEndian.Uint64(src[pos:])
		u := (w&0xffff)<<32 | (w>>16&0xffff)<<16 | w>>32&0xffff
		return pos + 6, bb | u<<(16-nb), nb + 48
	}
	for nb <= 48 {
		var u uint64
		if pos+1 < len(src) {
			u = uint64(src[pos]) | uint64(src[pos+1])<<8
		}
		bb |= u << (48 - nb)
		pos += 2
		nb += 16
	}
	return pos, bb, nb
}

func (r *bitReader) bits(n uint) uint32 {
	if r.nb < n {
		r.pos, r.bb, r.nb = refill(r.src, r.pos, r.bb, r.nb)
	}
	v := uint32(r.bb >> (64 - n))
	r.bb <<= n
	r.nb -= n
	return v
}

// decodeSym decodes one symbol with table; ok is false for a missing codeword.
func decodeSym(table []uint32, rootBits uint, bb uint64) (sym uint32, n uint, ok bool) {
	e := table[bb>>(64-rootBits)]
	if e&entryLink != 0 {
		i := e>>8 + uint32(bb<<rootBits>>(64-e&entryLenMask))
		if int(i) >= len(table) {
			return 0, 0, false
		}
		e = table[i]
	}
	return e >> 8, uint(e & entryLenMask), e&entryLenMask != 0
}

func (r *bitReader) sym(table []uint32, rootBits uint) (uint32, bool) {
	if r.nb < 16 {
		r.pos, r.bb, r.nb = refill(r.src, r.pos, r.bb, r.nb)
	}
	s, n, ok := decodeSym(table, rootBits, r.bb)
	r.bb <<= n
	r.nb -= n
	return s, ok
}

// unitEnd is the byte offset just past the partly consumed 16-bit unit.
func (r *bitReader) unitEnd() int { return r.pos - 2*int(r.nb/16) }

// Decompress decodes src into dst; len(dst) is the chunk's exact size.
func (d *Decompressor) Decompress(dst, src []byte) error {
	if len(dst) > d.maxChunk {
		return corrupt("chunk of %d bytes exceeds the window of %d", len(dst), d.maxChunk)
	}
	clear(d.mainLens[:])
	clear(d.lenLens[:])
	br := bitReader{src: src}
	rep := [numRepeats]uint32{1, 1, 1}
	mayHaveE8 := false
	for out := 0; out < len(dst); {
		typ := br.bits(3)
		size := uint32(defaultBlockSize)
		if br.bits(1) == 0 {
			size = br.bits(16)
			if d.maxChunk >= 1<<16 {
				size = size<<8 | br.bits(8)
			}
		}
		if size == 0 || int(size) > len(dst)-out {
			return corrupt("block size %d at offset %d of %d", size, out, len(dst))
		}
		end := out + int(size)
		d.blocks[typ&3]++
		switch typ {
		case blockTypeVerbatim, blockTypeAligned:
			aligned := typ == blockTypeAligned
			if aligned {
				for i := range d.alignedLens {
					d.alignedLens[i] = uint8(br.bits(3))
				}
				if !buildDecodeTable(d.alignedTable[:], d.alignedLens[:], alignedRootBits, maxAlignedCodeLen) {
					return corrupt("bad aligned code")
				}
			}
			if err := d.readLens(&br, d.mainLens[:numChars]); err != nil {
				return err
			}
			if err := d.readLens(&br, d.mainLens[numChars:d.numMain]); err != nil {
				return err
			}
			if err := d.readLens(&br, d.lenLens[:]); err != nil {
				return err
			}
			if !buildDecodeTable(d.mainTable[:], d.mainLens[:d.numMain], mainRootBits, maxMainCodeLen) {
				return corrupt("bad main code")
			}
			if !buildDecodeTable(d.lenTable[:], d.lenLens[:], lenRootBits, maxLenCodeLen) {
				return corrupt("bad length code")
			}
			if err := d.decodeBlock(&br, dst[:end], out, aligned, &rep); err != nil {
				return err
			}
			mayHaveE8 = mayHaveE8 || d.mainLens[0xE8] != 0
		case blockTypeUncompressed:
			// The raw part starts at the 16-bit unit after the current
			// one; when the reader is already on a unit boundary a whole
			// unit is skipped (a quirk of the format).
			p := br.unitEnd()
			if br.nb%16 == 0 {
				p += 2
			}
			if p < 0 || p+12+int(size) > len(src) {
				return corrupt("uncompressed block past end of input")
			}
			for i := range rep {
				rep[i] = binary.LittleEndian.Uint32(src[p+4*i:])
				if rep[i] == 0 {
					return corrupt("zero repeat offset")
				}
			}
			p += 12
			copy(dst[out:end], src[p:p+int(size)])
			p += int(size)
			if size&1 != 0 && p < len(src) {
				if d.strict && src[p] != 0 {
					return corrupt("non-zero pad byte")
				}
				p++
			}
			br.pos, br.bb, br.nb = p, 0, 0
			mayHaveE8 = true
		default:
			return corrupt("block type %d", typ)
		}
		out = end
	}
	if br.unitEnd() > len(src) {
		return corrupt("input truncated")
	}
	if d.strict {
		if br.bb>>(64-br.nb%16) != 0 && br.nb%16 != 0 {
			return corrupt("non-zero padding bits")
		}
		if br.unitEnd() != len(src) {
			return corrupt("%d trailing bytes", len(src)-br.unitEnd())
		}
	}
	if mayHaveE8 {
		e8Decode(dst)
	}
	return nil
}

// readLens reads one pretree-coded list of code lengths into lens, which
// holds the previous block's lengths (zeros in a chunk's first block).
func (d *Decompressor) readLens(br *bitReader, lens []uint8) error {
	for i := range d.preLens {
		d.preLens[i] = uint8(br.bits(4))
	}
	if !buildDecodeTable(d.preTable[:], d.preLens[:], preRootBits, maxPreCodeLen) {
		return corrupt("bad pretree")
	}
	for i := 0; i < len(lens); {
		sym, ok := br.sym(d.preTable[:], preRootBits)
		if !ok {
			return corrupt("missing pretree codeword")
		}
		if sym < 17 {
			lens[i] = uint8((uint32(lens[i]) + 17 - sym) % 17)
			i++
			continue
		}
		var run int
		var v uint8
		switch sym {
		case 17:
			run = 4 + int(br.bits(4))
		case 18:
			run = 20 + int(br.bits(5))
		default:
			run = 4 + int(br.bits(1))
			s, ok := br.sym(d.preTable[:], preRootBits)
			// wimlib accepts 17 here, meaning "same as before".
			if !ok || s > 17 {
				return corrupt("bad length run")
			}
			v = uint8((uint32(lens[i]) + 17 - s) % 17)
		}
		if run > len(lens)-i {
			return corrupt("length run overflows the code")
		}
		for j := i; j < i+run; j++ {
			lens[j] = v
		}
		i += run
	}
	return nil
}
