package lzms

import "fmt"

// Decompressor decodes LZMS chunks. It holds the models, the five codes and
// their tables, so Decompress allocates nothing after the first call (the
// x86 filter's 256 KiB scratch is allocated on first use).
type Decompressor struct {
	maxChunk int
	builder  codeBuilder
	probs    probs

	literal, lzOffset, length, deltaOffset, deltaPower adaptiveCode

	lastTarget *x86Targets
}

// NewDecompressor returns a decompressor for chunks of at most maxChunk
// bytes. The decoder needs no window beyond dst, so its memory does not
// grow with maxChunk.
func NewDecompressor(maxChunk int) (*Decompressor, error) {
	if err := checkChunkSize(maxChunk); err != nil {
		return nil, err
	}
	d := &Decompressor{maxChunk: maxChunk}
	b := &d.builder
	d.literal.init(b, numLiteralSyms, literalRebuild, literalRootBits, numLiteralSyms)
	d.lzOffset.init(b, maxOffsetSyms, lzOffsetRebuild, lzOffsetRootBits, maxOffsetSyms)
	d.length.init(b, numLengthSyms, lengthRebuild, lengthRootBits, numLengthSyms)
	d.deltaOffset.init(b, maxOffsetSyms, deltaOffsetRebuild, deltaOffsetRootBits, maxOffsetSyms)
	d.deltaPower.init(b, numDeltaPowerSyms, deltaPowerRebuild, deltaPowerRootBits, numDeltaPowerSyms)
	return d, nil
}

// Decompress decodes src into dst, where len(dst) is the exact uncompressed
// size (at most the chunk size).
func (d *Decompressor) Decompress(dst, src []byte) error {
	if len(dst) > d.maxChunk {
		return fmt.Errorf("lzms: %d-byte chunk exceeds the chunk size %d", len(dst), d.maxChunk)
	}
	if len(src) < 4 || len(src)%2 != 0 {
		return corrupt("compressed size %d is not an even number >= 4", len(src))
	}
	if err := d.decode(dst, src); err != nil {
		return err
	}
	if len(dst) > 17 {
		if d.lastTarget == nil {
			d.lastTarget = new(x86Targets)
		}
		x86Filter(dst, d.lastTarget, true)
	}
	return nil
}

// Item-type decisions: a state per decision, and the outcome bits.
type decisions struct {
	main, match, lz, delta uint32
	lzRep, deltaRep        [numReps - 1]uint32
}

func (d *Decompressor) decode(out, src []byte) error {
	var (
		rd  rangeDecoder
		br  bitReader
		st  decisions
		p   = &d.probs
		pos int
	)
	rd.init(src)
	br.init(src)
	p.reset()
	nOff := numOffsetSlots(len(out))
	d.literal.reset(numLiteralSyms)
	d.lzOffset.reset(nOff)
	d.length.reset(numLengthSyms)
	d.deltaOffset.reset(nOff)
	d.deltaPower.reset(numDeltaPowerSyms)

	// Repeat queues: three visible entries and one that catches the entry
	// pushed out by an explicit match. A match's source joins the front only
	// after the next item; instead of delaying the push, it is pushed at
	// once and a repeat match that directly follows a match of its own kind
	// looks one entry deeper (the front then is the pending source).
	lzQ := [numReps + 1]uint32{1, 2, 3, 4}
	type pair struct{ power, raw uint32 }
	deltaQ := [numReps + 1]pair{{0, 1}, {0, 2}, {0, 3}, {0, 4}}
	prevLZ, prevDelta := 0, 0 // 1 when the previous item was that kind of match

	for pos < len(out) {
		if rd.decode(&st.main, p.main[:]) == 0 {
			sym, ok := br.symbol(&d.literal)
			if !ok {
				return corrupt("literal code unusable")
			}
			out[pos] = byte(sym)
			pos++
			prevLZ, prevDelta = 0, 0
			continue
		}

		if rd.decode(&st.match, p.match[:]) == 0 {
			// LZ match
			var off uint32
			if rd.decode(&st.lz, p.lz[:]) == 0 {
				slot, ok := br.symbol(&d.lzOffset)
				if !ok {
					return corrupt("offset code unusable")
				}
				off = offsetBase[slot] + br.bits(uint(offsetExtraBits[slot]))
				copy(lzQ[1:], lzQ[:numReps])
			} else {
				k := 0
				if rd.decode(&st.lzRep[0], p.lzRep[0][:]) != 0 {
					k = 1
					if rd.decode(&st.lzRep[1], p.lzRep[1][:]) != 0 {
						k = 2
					}
				}
				j := k + prevLZ
				off = lzQ[j]
				// Remove entry j; the ones before it move back one.
				copy(lzQ[1:j+1], lzQ[:j])
			}
			lzQ[0] = off
			prevLZ, prevDelta = 1, 0

			slot, _ := br.symbol(&d.length)
			length := int(lengthBase[slot] + br.bits(uint(lengthExtraBits[slot])))
			if int(off) > pos || off == 0 {
				return corrupt("match offset %d at position %d", off, pos)
			}
			if length > len(out)-pos {
				return corrupt("match of length %d overruns the chunk at %d", length, pos)
			}
			src := pos - int(off)
			if int(off) >= length {
				copy(out[pos:pos+length], out[src:src+length])
			} else {
				m := out[src : pos+length]
				for i := range length {
					m[i+int(off)] = m[i]
				}
			}
			pos += length
			continue
		}

		// Delta match
		var dp pair
		if rd.decode(&st.delta, p.delta[:]) == 0 {
			pw, ok := br.symbol(&d.deltaPower)
			if !ok {
				return corrupt("delta power code unusable")
			}
			slot, ok := br.symbol(&d.deltaOffset)
			if !ok {
				return corrupt("delta offset code unusable")
			}
			dp = pair{uint32(pw), offsetBase[slot] + br.bits(uint(offsetExtraBits[slot]))}
			copy(deltaQ[1:], deltaQ[:numReps])
		} else {
			k := 0
			if rd.decode(&st.deltaRep[0], p.deltaRep[0][:]) != 0 {
				k = 1
				if rd.decode(&st.deltaRep[1], p.deltaRep[1][:]) != 0 {
					k = 2
				}
			}
			j := k + prevDelta
			dp = deltaQ[j]
			copy(deltaQ[1:j+1], deltaQ[:j])
		}
		deltaQ[0] = dp
		prevLZ, prevDelta = 0, 1

		slot, _ := br.symbol(&d.length)
		length := int(lengthBase[slot] + br.bits(uint(lengthExtraBits[slot])))
		// span = 2^power, offset = raw * span; both must reach back inside
		// the output: out[i] = out[i-offset] + out[i-span] - out[i-offset-span].
		span := 1 << dp.power
		offset := int(dp.raw) << dp.power
		if offset+span > pos {
			return corrupt("delta match reaches before the chunk at %d", pos)
		}
		if length > len(out)-pos {
			return corrupt("delta match of length %d overruns the chunk at %d", length, pos)
		}
		for i := pos; i < pos+length; i++ {
			out[i] = out[i-offset] + out[i-span] - out[i-offset-span]
		}
		pos += length
	}
	return nil
}
