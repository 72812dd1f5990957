package lzms

import (
	"encoding/binary"
	"math"
	"unsafe"
)

// deltaFinder finds delta matches: runs whose byte differences at span
// 2^power (in[i] - in[i-span]) repeat those of an earlier run an offset
// back that is a multiple of span. It keeps one hash table over the first
// deltaMinLen differences for every power, the most recent position per
// slot; the position modulo span is part of the hash, so a hit usually has
// a usable offset, and every hit is verified.
type deltaFinder struct {
	in    []byte
	table []int32
	// The table holds base+position: entries below base are from earlier
	// chunks, so a new chunk need not clear the table (512 KiB, which a
	// small file's chunk would otherwise pay for whole). next is the
	// base of the next chunk; 0 until the table is first filled.
	base int
	next int64
	// The slots of position nextPos, hashed and prefetched by the call
	// for the position before: the table misses the cache (128 KiB
	// chunks, level 50: -3..5% CPU).
	nextPos  int
	nextSlot [deltaPowers]uint32
}

const (
	deltaHashBits = 17
	deltaMinLen   = 3  // bytes hashed; the shortest explicit delta match
	deltaPowers   = 6  // spans 1..32 are searched (the format allows 2^7)
	deltaSkipLen  = 10 // positions with an LZ match this long skip the search
)

func (f *deltaFinder) reset(in []byte) {
	f.in = in
	f.nextPos = -1
	if f.next == 0 || f.next+int64(len(in)) > math.MaxInt32 {
		for i := range f.table {
			f.table[i] = -1
		}
		f.next = 1
	}
	f.base = int(f.next)
	f.next += int64(len(in))
}

// byteDiffs subtracts b from a in each byte lane, modulo 256.
func byteDiffs(a, b uint32) uint32 {
	const h = 0x80808080
	return ((a | h) - (b &^ h)) ^ ((a ^ ^b) & h)
}

// deltaHash hashes the first deltaMinLen differences d (byteDiffs of the
// position and span bytes back) with the span and the position modulo it.
func deltaHash(d uint32, p, span int) uint32 {
	v := d&0xFFFFFF | uint32(span+p&(span-1))<<24
	return (v * 0x9E3779B1) >> (32 - deltaHashBits)
}

// deltaLen is the length of the delta match at p with offset off and span,
// knowing the first l bytes agree, up to max.
func deltaLen(in []byte, p, off, span, l, max int) int {
	q := p - off
	for l < max && in[p+l]-in[p+l-span] == in[q+l]-in[q+l-span] {
		l++
	}
	return l
}

// deltaWindow is the text deltaNext hashes a position from: maxSpan bytes
// before it and the 4 from it.
const (
	deltaMaxSpan = 1 << (deltaPowers - 1)
	deltaWindow  = deltaMaxSpan + 4
)

// deltaNextGo is deltaNext without the vector unit: the hashes of position
// pos (whose bytes w[deltaMaxSpan:] are) at every span, and a prefetch of
// each slot.
func deltaNextGo(slots *[deltaPowers]uint32, w []byte, pos int, table []int32) {
	w = w[:deltaWindow]
	next := binary.LittleEndian.Uint32(w[deltaMaxSpan:])
	for power := range deltaPowers {
		span := 1 << power
		h := deltaHash(byteDiffs(next, binary.LittleEndian.Uint32(w[deltaMaxSpan-span:])), pos, span)
		slots[power] = h
		prefetch(unsafe.Pointer(&table[h]))
	}
}

// find inserts p for every power and appends the verified matches found
// (item form: itemDelta | numReps+pair, with lengths) to out.
func (f *deltaFinder) find(p int, out []match, record bool) []match {
	if deltaWide && record && p >= deltaMaxSpan && p+deltaMinLen+2 <= len(f.in) {
		return f.findWide(p, out)
	}
	return f.findGo(p, out, record)
}

// findGo is find without the vector unit.
func (f *deltaFinder) findGo(p int, out []match, record bool) []match {
	in := f.in
	maxLen := len(in) - p
	if maxLen < deltaMinLen+1 {
		return out
	}
	slots := f.nextSlot
	if f.nextPos != p {
		cur := binary.LittleEndian.Uint32(in[p:])
		for power := range deltaPowers {
			span := 1 << power
			if p < span {
				break
			}
			slots[power] = deltaHash(byteDiffs(cur, binary.LittleEndian.Uint32(in[p-span:])), p, span)
		}
	}
	// The next position's slots, hashed and prefetched now: the table
	// misses the cache.
	if maxLen >= deltaMinLen+2 {
		f.nextPos = p + 1
		if p+1 >= deltaMaxSpan {
			deltaNext(&f.nextSlot, in[p+1-deltaMaxSpan:p+5], p+1, f.table)
		} else {
			next := binary.LittleEndian.Uint32(in[p+1:])
			for power := range deltaPowers {
				span := 1 << power
				h := deltaHash(byteDiffs(next, binary.LittleEndian.Uint32(in[max(p+1-span, 0):])), p+1, span)
				f.nextSlot[power] = h
				prefetch(unsafe.Pointer(&f.table[h]))
			}
		}
	}
	for power := range deltaPowers {
		span := 1 << power
		if p < span {
			break
		}
		h := slots[power] & (1<<deltaHashBits - 1)
		q := int(f.table[h]) - f.base
		f.table[h] = int32(p + f.base)
		// q == p when another power of this position took the slot; q
		// is negative for an entry of an earlier chunk.
		if !record || q < span || q == p {
			continue
		}
		off := p - q
		if off&(span-1) != 0 || off>>power >= 1<<deltaPowerShift-numReps {
			continue
		}
		cur := binary.LittleEndian.Uint32(in[p:])
		src := binary.LittleEndian.Uint32(in[q:])
		// A source that is a plain copy is the LZ finder's business
		// (and cheaper as an LZ match).
		if src == cur {
			continue
		}
		d := byteDiffs(cur, binary.LittleEndian.Uint32(in[p-span:]))
		if (byteDiffs(src, binary.LittleEndian.Uint32(in[q-span:]))^d)&0xFFFFFF != 0 {
			continue
		}
		l := deltaLen(in, p, off, span, deltaMinLen, maxLen)
		if l < deltaMinLen {
			continue
		}
		pair := uint32(power)<<deltaPowerShift | uint32(off>>power)
		out = append(out, match{uint32(l), pair})
	}
	return out
}

// skip inserts positions [from, to) as find(q, nil, false) would, without
// its look-ahead hashing and prefetches (positions covered by a long match
// come one after another). Inside a run of one byte value every position
// 32 or more bytes into the run has the same differences (zero) at every
// span, so its slots depend only on the position modulo the span: only the
// last 32 of them decide the table, and the others are passed over, which
// makes long runs (zeroed disk blocks) nearly free.
//
// Likewise for a copy: when [start, start+length) repeats the bytes off
// back (an LZ match; off 0 for none), a position q whose bytes from
// q-maxSpan to q+deltaMinLen repeat period bytes later (period a multiple
// of off and of maxSpan, so the hash's position term agrees too) writes
// the very slots q+period overwrites: only the match's last period
// positions decide the table (a repeated page costs one page). It returns
// how many positions were hashed.
func (f *deltaFinder) skip(from, to, start, length, off int) (hashed int) {
	in := f.in
	const maxSpan = 1 << (deltaPowers - 1)
	to = min(to, len(in)-deltaMinLen)
	copyFrom, copyTo := 0, 0
	if off > 0 {
		period := off
		for period%maxSpan != 0 {
			period += off
		}
		// in[y] == in[y-period] for y in [start+period-off, start+length).
		copyFrom = start + period - off + maxSpan - period
		copyTo = min(start+length-deltaMinLen, to-1) - period + 1
	}
	runTo, skipFrom, skipTo := 0, 0, 0
	for q := from; q < to; q++ {
		if q >= copyFrom && q < copyTo {
			q = copyTo - 1
			runTo = 0
			continue
		}
		if q >= runTo {
			b := in[q]
			runTo = q + 1
			for runTo < len(in) && in[runTo] == b {
				runTo++
			}
			skipFrom = q + maxSpan
			if q >= maxSpan && allBytes(in[q-maxSpan:q], b) {
				skipFrom = q
			}
			// q' is interior while q'+deltaMinLen < runTo; keep the
			// last maxSpan interior positions.
			skipTo = runTo - deltaMinLen - maxSpan
		}
		if q >= skipFrom && q < skipTo {
			q = min(skipTo, to) - 1
			continue
		}
		hashed++
		cur := binary.LittleEndian.Uint32(in[q:])
		for power := range deltaPowers {
			span := 1 << power
			if q < span {
				break
			}
			f.table[deltaHash(byteDiffs(cur, binary.LittleEndian.Uint32(in[q-span:])), q, span)] = int32(q + f.base)
		}
	}
	f.nextPos = -1
	return hashed
}

// allBytes reports whether every byte of s is b.
func allBytes(s []byte, b byte) bool {
	for _, x := range s {
		if x != b {
			return false
		}
	}
	return true
}
