package lzms

import "encoding/binary"

// probEntry is an adaptive binary model: the last 64 bits coded with it,
// newest in bit 0, and how many of them are zeros. P(0) is zeros/64, kept
// away from 0 and 1 so both outcomes stay codable.
type probEntry struct {
	zeros uint32
	bits  uint64
}

// The initial history is alternating bits over the low 32 positions and
// zeros above: 48 zeros of 64.
const (
	initialZeros = 48
	initialBits  = 0x0000000055555555
	probBits     = 6
)

func (p *probEntry) prob() uint32 {
	z := p.zeros
	if z == 0 {
		return 1
	}
	if z == 1<<probBits {
		return 1<<probBits - 1
	}
	return z
}

// update shifts bit in; the zero count changes by the bit shifted out
// minus the bit shifted in.
func (p *probEntry) update(bit uint32) {
	p.zeros += uint32(p.bits>>63) - bit
	p.bits = p.bits<<1 | uint64(bit)
}

// probs holds every decision's models. Each decision keeps a state of its
// last k outcomes that selects one of 2^k entries.
type probs struct {
	main     [16]probEntry
	match    [32]probEntry
	lz       [64]probEntry
	delta    [64]probEntry
	lzRep    [numReps - 1][64]probEntry
	deltaRep [numReps - 1][64]probEntry
}

func (p *probs) reset() {
	for _, s := range [][]probEntry{p.main[:], p.match[:], p.lz[:], p.delta[:],
		p.lzRep[0][:], p.lzRep[1][:], p.deltaRep[0][:], p.deltaRep[1][:]} {
		for i := range s {
			s[i] = probEntry{initialZeros, initialBits}
		}
	}
}

// rangeDecoder reads the forward stream: 16-bit little-endian units from
// the front of the chunk, the first two forming the initial code. Past the
// end it shifts in zeros, as wimlib does.
type rangeDecoder struct {
	src  []byte
	pos  int
	rng  uint32
	code uint32
}

func (r *rangeDecoder) init(src []byte) {
	r.src = src
	r.rng = 0xFFFFFFFF
	r.code = uint32(binary.LittleEndian.Uint16(src))<<16 | uint32(binary.LittleEndian.Uint16(src[2:]))
	r.pos = 4
}

// decode decodes one bit with the entry selected by *state among probs
// (len(probs) a power of two) and advances the state and the entry.
func (r *rangeDecoder) decode(state *uint32, probs []probEntry) uint32 {
	s := *state & uint32(len(probs)-1)
	p := &probs[s]
	if r.rng <= 0xFFFF {
		r.rng <<= 16
		r.code <<= 16
		if r.pos+2 <= len(r.src) {
			r.code |= uint32(binary.LittleEndian.Uint16(r.src[r.pos:]))
			r.pos += 2
		}
	}
	bound := (r.rng >> probBits) * p.prob()
	var bit uint32
	if r.code < bound {
		r.rng = bound
	} else {
		r.rng -= bound
		r.code -= bound
		bit = 1
	}
	p.update(bit)
	*state = (s<<1 | bit) & uint32(len(probs)-1)
	return bit
}
