package xpress

import (
	"encoding/binary"
	"math/bits"
)

// Hash-chain matchfinder for the greedy and lazy parsers.
//
// Structure: head3 is a single-slot table of the most recent position of
// each 3-byte hash, used only to propose a length-3 match; head4 holds the
// most recent position of each 4-byte hash and next links every position to
// the previous one with the same 4-byte hash. Positions are chunk-relative
// uint16 values (chunks are at most 64 KiB), and position 0 doubles as "no
// entry", so a match starting at byte 0 is never found (a negligible loss
// that saves every sentinel check).
//
// Cost: an insert is two hash computations and three stores; a search
// additionally walks at most depth chain links, rejecting most candidates by
// comparing the four bytes that end at the current best length before
// extending the match eight bytes at a time.
//
// Preconditions: reset before and release after every chunk (only the heads
// are cleared; next is written before it is read); positions are inserted
// in increasing order; the window holds the chunk followed by zeroed slack.
type hcMatchfinder struct {
	dirty bool // the heads hold entries of a previous chunk
	// touch sums head entries read only to bring them into the cache (see
	// longest); its value is never used.
	touch uint16

	head3 [1 << hash3Bits]uint16
	head4 [1 << hash4Bits]uint16
	next  [maxChunk]uint16
}

const (
	hash3Bits = 15
	hash4Bits = 16
	hashMul   = 0x1E35A7BD
)

func hash3(seq uint32) uint32 { return (seq << 8) * hashMul >> (32 - hash3Bits) }
func hash4(seq uint32) uint32 { return seq * hashMul >> (32 - hash4Bits) }

func (m *hcMatchfinder) reset() {
	if m.dirty {
		clear(m.head3[:])
		clear(m.head4[:])
		m.dirty = false
	}
}

// release is called after a chunk of n bytes. Clearing 192 KiB of heads
// costs more than compressing a few KiB, and WIM resources are mostly small
// files, so for small chunks only the entries the chunk's positions hash to
// are zeroed (the window still holds the chunk).
func (m *hcMatchfinder) release(w *window, n int) {
	if n > smallChunk {
		m.dirty = true
		return
	}
	for pos := range n {
		seq := load32(w, uint16(pos))
		m.head3[hash3(seq)] = 0
		m.head4[hash4(seq)] = 0
	}
}

// smallChunk is the size up to which release zeroes entries one by one.
const smallChunk = 4096

// longest inserts pos and returns the longest match at pos longer than
// best (0, 0 if none), stopping early at nice. end is the chunk length.
func (m *hcMatchfinder) longest(w *window, pos, end, best, nice, depth int) (int, int) {
	p := uint16(pos)
	seq := load32(w, p)
	h3, h4 := hash3(seq), hash4(seq)
	cand3 := m.head3[h3]
	m.head3[h3] = p
	cand := m.head4[h4]
	// The next position's head slots are what the next call (or skip)
	// reads first; the tables outgrow the L1 cache, so load them now and
	// let the misses overlap this search. Go has no prefetch instruction;
	// a plain load does the same (+4..8% on text and random data).
	s1 := load32(w, p+1)
	m.touch += m.head3[hash3(s1)] + m.head4[hash4(s1)]
	if !inRun(w, p, seq) {
		m.head4[h4] = p
		m.next[p] = cand
	}

	limit := end - pos
	if best >= limit || limit < minMatchLen {
		return 0, 0
	}
	nice = min(nice, limit)
	bestOff := 0
	if best < 3 && cand3 != 0 && (load32(w, cand3)^seq)<<8 == 0 {
		best, bestOff = 3, pos-int(cand3)
		if best >= nice {
			return best, bestOff
		}
	}
	if limit < 4 {
		cand = 0
	}
	// Any longer match must agree on the 4 bytes ending at index best
	// (tail) and on the first 4 bytes (seq): one load per candidate each.
	b := max(best, 3)
	tail := load32(w, uint16(pos+b-3))
	for ; cand != 0 && depth > 0; depth-- {
		c := int(cand)
		if load32(w, uint16(c+b-3)) == tail && load32(w, cand) == seq {
			// A longer match is also farther away; take it only if the
			// extra length pays for the extra offset bits (about three
			// bits saved per byte, one bit per doubling of the offset).
			if l := matchLen(w, pos, c, 4, limit); l > best &&
				(bestOff == 0 || l >= nice || score(l, pos-c) > score(best, bestOff)) {
				best, bestOff = l, pos-c
				if l >= nice {
					break
				}
				b = l
				tail = load32(w, uint16(pos+b-3))
			}
		}
		cand = m.next[cand]
	}
	if bestOff == 0 {
		return 0, 0
	}
	return best, bestOff
}

// skip inserts positions [from, to) without searching. Positions inside a
// run of one byte value only move head3 (see inRun), so a run is passed in
// one step: long runs (zeroed disk blocks, sparse files) would otherwise
// cost a hash and a store per byte.
//
// A match that reaches the chunk's end (a page or block repeated to the
// end) is followed by no search, so the caller passes end == to and
// nothing is inserted (the heads are cleared by position, not by what
// was inserted: see release).
func (m *hcMatchfinder) skip(w *window, from, to, end int) {
	if to >= end {
		return
	}
	for pos := from; pos < to; pos++ {
		p := uint16(pos)
		seq := load32(w, p)
		if inRun(w, p, seq) {
			pos = runEnd(w, pos, to) - 1
			m.head3[hash3(seq)] = uint16(pos)
			continue
		}
		m.head3[hash3(seq)] = p
		h4 := hash4(seq)
		m.next[p] = m.head4[h4]
		m.head4[h4] = p
	}
}

// inRun reports whether the 4 bytes at p (seq) continue a run of one byte
// value that started before p. Such positions stay off the 4-byte chains:
// a run's first position is enough to find matches against it, and
// without the rest, structured data (WIM metadata: dentries with runs of
// zeros) keeps the chains short enough that the same field one record back
// is within the search depth.
//
// Position 1 is never in a run: position 0 cannot be on a chain (0 means
// empty), so a chunk opening with a run needs position 1 there to find it.
func inRun(w *window, p uint16, seq uint32) bool {
	return p > 1 && load32(w, p-1) == seq
}

// runEnd returns the first position from pos on (at most to) that is not
// in the run pos is in. Position q continues the run while the byte at q+3
// equals the run's byte.
func runEnd(w *window, pos, to int) int {
	b := w[pos]
	rep := uint64(b) * 0x0101010101010101
	i := pos + 3 // the window's slack covers i+8 for every i <= to+3
	for i < to+3 {
		x := binary.LittleEndian.Uint64(w[i:]) ^ rep
		if x != 0 {
			i += bits.TrailingZeros64(x) >> 3
			break
		}
		i += 8
	}
	return min(i-3, to)
}

// score estimates what a match saves over literals, in units where a byte
// is worth three and each offset bit one; it ranks alternatives only.
func score(length, off int) int { return 3*length - bits.Len(uint(off)) }
