//go:build amd64 && !purego

package lzms

import "golang.org/x/sys/cpu"

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
