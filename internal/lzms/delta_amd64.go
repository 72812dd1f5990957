//go:build amd64 && !purego

package lzms

import (
	"math/bits"

	"golang.org/x/sys/cpu"
)

// deltaNextAsm is deltaNextGo in AVX2 (delta_amd64.s): the six hashes in
// one vector, then the six prefetches. delta_asm_test.go compares the two.
//
//go:noescape
func deltaNextAsm(slots *[deltaPowers]uint32, w *byte, pos uint32, table *int32)

var deltaAVX2 = cpu.X86.HasAVX2

// deltaNext hashes position pos's first deltaMinLen differences at every
// span into slots and prefetches those table entries; w is the text from
// pos-maxSpan to pos+4.
func deltaNext(slots *[deltaPowers]uint32, w []byte, pos int, table []int32) {
	if deltaAVX2 {
		_ = w[deltaWindow-1]
		_ = table[1<<deltaHashBits-1]
		deltaNextAsm(slots, &w[0], uint32(pos), &table[0])
		return
	}
	deltaNextGo(slots, w, pos, table)
}

// deltaFindAsm is findWide's search in AVX-512 (delta_amd64.s): it inserts
// p (32 <= p, p+5 <= len(text)) for every power and returns the powers
// whose entry passes find's offset tests and whose first deltaMinLen
// differences agree, their sources in out[power].
//
//go:noescape
func deltaFindAsm(in *byte, p int, table *int32, base int, out *[16]int32) uint32

// deltaWide selects findWide (tests clear it to compare with findGo). The
// Go loop mispredicted its tests on most positions.
var deltaWide = cpu.X86.HasAVX512F && cpu.X86.HasAVX512BW && cpu.X86.HasAVX512CD &&
	cpu.X86.HasAVX512DQ && cpu.X86.HasAVX512VL && cpu.X86.HasAVX512VBMI

// findWide is find(p, out, true) for p >= deltaMaxSpan and p+5 <= len(text)
// with the six powers' hashes, table updates and tests in one call.
func (f *deltaFinder) findWide(p int, out []match) []match {
	in := f.in
	_ = in[p+deltaMinLen+1]
	_ = f.table[1<<deltaHashBits-1]
	var qs [16]int32
	found := deltaFindAsm(&in[0], p, &f.table[0], f.base, &qs)
	f.nextPos = -1 // the slots of p+1 were prefetched, not kept
	for found != 0 {
		power := bits.TrailingZeros32(found)
		found &= found - 1
		off := p - int(qs[power])
		l := deltaLen(in, p, off, 1<<power, deltaMinLen, len(in)-p)
		out = append(out, match{uint32(l), uint32(power)<<deltaPowerShift | uint32(off>>power)})
	}
	return out
}
