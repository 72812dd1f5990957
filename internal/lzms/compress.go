package lzms

import (
	"encoding/binary"
	"math/bits"
)

// Compressor produces LZMS chunks with a lazy parser over hash chains,
// emitting literals, explicit LZ matches and repeat LZ matches (no delta
// matches). Its ratio is well below wimlib's near-optimal parser; what it
// guarantees is a stream wimlib and our decoder both read back exactly.
type Compressor struct {
	maxChunk int
	depth    int // hash chain candidates examined per position
	nice     int // stop searching at a match this long

	builder codeBuilder
	probs   probs

	literal, lzOffset, length encCode

	hashBits uint
	head     []int32
	prev     []int32 // per position of the chunk; grown lazily for big chunks
	buf      []byte  // the x86-filtered copy of the chunk
	lastTgt  *[65536]int32
}

const (
	minMatch     = 3
	eagerAlloc   = 4 << 20 // chunk sizes up to this get their buffers at construction
	minRepLength = 2
)

func compressorParams(maxChunk, level int) (depth, nice int, hashBits uint) {
	depth = 4 + level/2
	nice = min(16+level*2, 273)
	order := uint(bits.Len(uint(maxChunk)) - 1)
	hashBits = min(max(order, 15), 20)
	return
}

// NewCompressor returns a compressor for chunks of at most maxChunk bytes
// (a power of two from 32 KiB to 1 GiB) at level (any positive integer;
// it only scales the search effort).
func NewCompressor(maxChunk, level int) (*Compressor, error) {
	if err := checkChunkSize(maxChunk); err != nil {
		return nil, err
	}
	level = max(level, 1)
	c := &Compressor{maxChunk: maxChunk}
	c.depth, c.nice, c.hashBits = compressorParams(maxChunk, level)
	b := &c.builder
	c.literal.init(b, literalRebuild, numLiteralSyms)
	c.lzOffset.init(b, lzOffsetRebuild, maxOffsetSyms)
	c.length.init(b, lengthRebuild, numLengthSyms)
	c.head = make([]int32, 1<<c.hashBits)
	c.lastTgt = new([65536]int32)
	if maxChunk <= eagerAlloc {
		c.prev = make([]int32, maxChunk)
		c.buf = make([]byte, maxChunk)
	}
	return c, nil
}

// MemoryNeeded is the memory one Compressor holds for maxChunk at level.
func MemoryNeeded(maxChunk, level int) int64 {
	_, _, hb := compressorParams(maxChunk, max(level, 1))
	fixed := int64(64<<10) + 65536*4 + int64(4)<<hb
	return fixed + int64(maxChunk)*5
}

// Compress compresses src into dst, returning the compressed size, or 0 when
// it would not be smaller than src or does not fit in dst.
func (c *Compressor) Compress(dst, src []byte) int {
	n := len(src)
	if n < 1 || n > c.maxChunk {
		return 0
	}
	limit := min(len(dst), n-1) &^ 1
	if limit < 4 {
		return 0
	}
	if len(c.buf) < n {
		c.buf = make([]byte, n)
		c.prev = make([]int32, n)
	}
	in := c.buf[:n]
	copy(in, src)
	x86Filter(in, c.lastTgt, false)

	out := dst[:limit]
	var (
		rc rangeEncoder
		bw bitWriter
	)
	rc.init(out)
	bw.init(out)
	c.encode(in, &rc, &bw)
	if !bw.finish() || !rc.finish() || rc.next > bw.next {
		return 0
	}
	fwd, back := rc.next, limit-bw.next
	copy(out[fwd:], out[bw.next:limit])
	if fwd+back < 4 {
		return 0
	}
	return fwd + back
}

// matchLen counts equal bytes of in[a:] and in[b:] up to max.
func matchLen(in []byte, a, b, max int) int {
	l := 0
	for l+8 <= max {
		x := binary.LittleEndian.Uint64(in[a+l:]) ^ binary.LittleEndian.Uint64(in[b+l:])
		if x != 0 {
			return l + bits.TrailingZeros64(x)/8
		}
		l += 8
	}
	for l < max && in[a+l] == in[b+l] {
		l++
	}
	return l
}

func (c *Compressor) hash(in []byte, p int) uint32 {
	v := uint32(in[p]) | uint32(in[p+1])<<8 | uint32(in[p+2])<<16
	return (v * 0x9E3779B1) >> (32 - c.hashBits)
}

// parser state shared by the helpers of encode.
type lzState struct {
	in       []byte
	inserted int // positions below this are in the hash chains
}

// insertUpTo adds positions [s.inserted, p) to the hash chains.
func (c *Compressor) insertUpTo(s *lzState, p int) {
	last := len(s.in) - minMatch
	for q := s.inserted; q < p; q++ {
		if q <= last {
			h := c.hash(s.in, q)
			c.prev[q] = c.head[h]
			c.head[h] = int32(q)
		}
	}
	s.inserted = max(s.inserted, p)
}

// longest finds the longest earlier match at p (length >= minMatch), after
// inserting everything before p. It returns length 0 when there is none.
func (c *Compressor) longest(s *lzState, p int) (length, offset int) {
	c.insertUpTo(s, p)
	in := s.in
	maxLen := len(in) - p
	if maxLen < minMatch {
		return 0, 0
	}
	cand := c.head[c.hash(in, p)]
	best := minMatch - 1
	for d := c.depth; d > 0 && cand >= 0; d-- {
		q := int(cand)
		if in[q+best] == in[p+best] || best >= maxLen {
			l := matchLen(in, q, p, maxLen)
			if l > best {
				best, offset = l, p-q
				if l >= c.nice || l == maxLen {
					break
				}
			}
		}
		cand = c.prev[q]
	}
	if offset == 0 {
		return 0, 0
	}
	return best, offset
}

func (c *Compressor) encode(in []byte, rc *rangeEncoder, bw *bitWriter) {
	n := len(in)
	for i := range c.head {
		c.head[i] = -1
	}
	c.probs.reset()
	nOff := numOffsetSlots(n)
	c.literal.reset(numLiteralSyms)
	c.lzOffset.reset(nOff)
	c.length.reset(numLengthSyms)
	// Without two offset slots there is no offset code (and no match of
	// useful length fits anyway).
	matchesOK := nOff >= 2

	var st decisions
	p := &c.probs
	// The LZ repeat queue, kept exactly as the decoder keeps it: the
	// source of a match is pushed at once, and the repeat indices seen by
	// the item right after an LZ match start one entry deeper.
	lzQ := [numReps + 1]uint32{1, 2, 3, 4}
	prevLZ := 0
	s := &lzState{in: in}

	literal := func(pos int) {
		rc.encode(0, &st.main, p.main[:])
		c.literal.put(bw, int(in[pos]))
		prevLZ = 0
	}
	lengthSym := func(l int) {
		slot := slotOf(lengthBase[:], uint32(l))
		c.length.put(bw, slot)
		bw.bits(uint32(l)-lengthBase[slot], uint(lengthExtraBits[slot]))
	}
	// bestRep returns the longest repeat match at pos: its index (0..2),
	// length and offset.
	bestRep := func(pos int) (k, length, off int) {
		maxLen := n - pos
		k = -1
		for i := 0; i < numReps; i++ {
			o := int(lzQ[i+prevLZ])
			if o > pos {
				continue
			}
			l := matchLen(in, pos-o, pos, maxLen)
			if l > length {
				k, length, off = i, l, o
			}
		}
		return
	}

	pos := 0
	for pos < n {
		if !matchesOK {
			literal(pos)
			pos++
			continue
		}
		repK, repLen, _ := bestRep(pos)
		expLen, expOff := c.longest(s, pos)
		if expLen == minMatch && expOff > 1<<16 {
			expLen = 0 // a far 3-byte match rarely beats three literals
		}
		useRep := repK >= 0 && repLen >= minRepLength && repLen+1 >= expLen
		if !useRep && expLen == 0 {
			literal(pos)
			pos++
			continue
		}
		// Lazy step: a clearly longer explicit match one byte on wins.
		curLen := expLen
		if useRep {
			curLen = repLen
		}
		if curLen < c.nice && pos+1 < n {
			nl, _ := c.longest(s, pos+1)
			if nl > curLen+1 {
				literal(pos)
				pos++
				continue
			}
		}

		rc.encode(1, &st.main, p.main[:])
		rc.encode(0, &st.match, p.match[:])
		var off uint32
		if useRep {
			rc.encode(1, &st.lz, p.lz[:])
			if repK == 0 {
				rc.encode(0, &st.lzRep[0], p.lzRep[0][:])
			} else {
				rc.encode(1, &st.lzRep[0], p.lzRep[0][:])
				rc.encode(uint32(repK-1), &st.lzRep[1], p.lzRep[1][:])
			}
			j := repK + prevLZ
			off = lzQ[j]
			copy(lzQ[1:j+1], lzQ[:j])
			lengthSym(repLen)
			pos += repLen
		} else {
			rc.encode(0, &st.lz, p.lz[:])
			off = uint32(expOff)
			slot := slotOf(offsetBase[:], off)
			c.lzOffset.put(bw, slot)
			bw.bits(off-offsetBase[slot], uint(offsetExtraBits[slot]))
			copy(lzQ[1:], lzQ[:numReps])
			lengthSym(expLen)
			pos += expLen
		}
		lzQ[0] = off
		prevLZ = 1
	}
}
