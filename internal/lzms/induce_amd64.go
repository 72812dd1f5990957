//go:build amd64 && !purego

package lzms

import "unsafe"

// saisAsm selects the assembly induction loops (tests clear it to run the
// Go loops of induceL and induceS).
var saisAsm = true

// induceAhead: the assembly loops prefetch s[sa[i±ahead]-1] at every size
// (a prefetch instruction costs little, unlike prefetch's call: the text
// is in L2 at 128 KiB, and an entry's two text loads head the chain of its
// work), induceAhead entries ahead for texts that fit the cache and
// saisAhead for bigger ones (as the Go loops).
const induceAhead = 16

// induceDistance is the loops' prefetch distance for s.
func induceDistance[T saisSymbol](s []T) int {
	if len(s)*int(unsafe.Sizeof(s[0])) > cachedChunk {
		return saisAhead
	}
	return induceAhead
}

// induceWordsMax: the assembly loops (branch-free) take texts of names of
// up to this many bytes; bigger ones go to the Go loops (saisBranchFree).
const induceWordsMax = 2 << 20

// induceAsmFits: the assembly loops take s (every byte text).
func induceAsmFits[T saisSymbol](s []T) bool {
	return unsafe.Sizeof(s[0]) == 1 || len(s)*int(unsafe.Sizeof(s[0])) <= induceWordsMax
}

// induceLBytes and induceSBytes are induceL's and induceS's branch-free
// loops over a byte text (induce_amd64.s), prefetching before entry stop
// (induceL: the entries below stop; induceS: those at or above it).
//
//go:noescape
func induceLBytes(s *byte, sa, bkt *int32, n, stop, ahead int)

//go:noescape
func induceSBytes(s *byte, sa, bkt *int32, n, stop, ahead int)

// induceLWords and induceSWords: the same over a text of names (only texts
// that fit the cache go branch-free).
//
//go:noescape
func induceLWords(s, sa, bkt *int32, n, stop, ahead int)

//go:noescape
func induceSWords(s, sa, bkt *int32, n, stop, ahead int)

// induceLAsm runs induceL's branch-free loop from entry 0.
func induceLAsm[T saisSymbol](s []T, sa, bkt []int32) {
	p := unsafe.Pointer(unsafe.SliceData(s))
	ahead := induceDistance(s)
	stop := max(len(s)-ahead, 0)
	if unsafe.Sizeof(s[0]) == 1 {
		induceLBytes((*byte)(p), &sa[0], &bkt[0], len(s), stop, ahead)
	} else {
		induceLWords((*int32)(p), &sa[0], &bkt[0], len(s), stop, ahead)
	}
}

// induceSAsm runs induceS's branch-free loop from the last entry down.
func induceSAsm[T saisSymbol](s []T, sa, bkt []int32) {
	p := unsafe.Pointer(unsafe.SliceData(s))
	ahead := induceDistance(s)
	if unsafe.Sizeof(s[0]) == 1 {
		induceSBytes((*byte)(p), &sa[0], &bkt[0], len(s), ahead, ahead)
	} else {
		induceSWords((*int32)(p), &sa[0], &bkt[0], len(s), ahead, ahead)
	}
}

// gatherLMSAsm is gatherLMS's loop over sa[:n] (induce_amd64.s), the
// entries below stop prefetching, the rest two a step.
//
//go:noescape
func gatherLMSAsm(sa *int32, n int, lms *uint64, stop int)

// mapLMSAsm is stage 2's mapping of sa1[:n1] through s1, the entries
// below stop prefetching.
//
//go:noescape
func mapLMSAsm(sa1, s1 *int32, n1, stop int)

// seedBytes and seedWords are stage 2's seeding loop, the entries at or
// above stop prefetching.
//
//go:noescape
func seedBytes(s *byte, sa, bkt *int32, n1, stop int)

//go:noescape
func seedWords(s, sa, bkt *int32, n1, stop int)

// seedAsm runs stage 2's seeding loop.
func seedAsm[T saisSymbol](s []T, sa, bkt []int32, n1, stop int) {
	p := unsafe.Pointer(unsafe.SliceData(s))
	if unsafe.Sizeof(s[0]) == 1 {
		seedBytes((*byte)(p), &sa[0], &bkt[0], n1, stop)
	} else {
		seedWords((*int32)(p), &sa[0], &bkt[0], n1, stop)
	}
}

// nameBytes and nameWords run nameLMS's loop over run[:cnt] (cnt entries)
// for as long as the entries are easy (see induce_amd64.s), the first far
// of them prefetching 64 entries ahead; i is the first entry not done,
// names1, prev1 and prevLen1 the loop's state there.
//
//go:noescape
func nameBytes(s *byte, n int, run *int32, cnt int, name *int32, lms *uint64, names, prev, prevLen, far int) (i, names1, prev1, prevLen1 int)

//go:noescape
func nameWords(s *int32, n int, run *int32, cnt int, name *int32, lms *uint64, names, prev, prevLen, far int) (i, names1, prev1, prevLen1 int)

// nameAsm runs the assembly naming loop over run (see nameLMS).
func nameAsm[T saisSymbol](s []T, run, name []int32, lms []uint64, names, prev, prevLen, far int) (int, int, int, int) {
	p := unsafe.Pointer(unsafe.SliceData(s))
	if unsafe.Sizeof(s[0]) == 1 {
		return nameBytes((*byte)(p), len(s), &run[0], len(run), &name[0], &lms[0], names, prev, prevLen, far)
	}
	return nameWords((*int32)(p), len(s), &run[0], len(run), &name[0], &lms[0], names, prev, prevLen, far)
}

// findLMSWord is findLMS's comparisons of one word of names: lt and eq
// bits for t[i] against t[i+1], i < 64 (t has 65 symbols).
//
//go:noescape
func findLMSWord(t *int32) (lt, eq uint64)

// findLMSBytes is findLMSWord for a byte text.
//
//go:noescape
func findLMSBytes(t *byte) (lt, eq uint64)

// induceLFarWords and induceSFarWords: the branching loops over a text of
// names past induceWordsMax (induce_amd64.s), prefetching the text and
// the bucket ends (a prefetch call in the Go loops cost more than the
// loads it saved).
//
//go:noescape
func induceLFarWords(s, sa, bkt *int32, n, stop, ahead int)

//go:noescape
func induceSFarWords(s, sa, bkt *int32, n, stop, ahead int)

// induceFarAsm runs induceL's (left) or induceS's branching loop over a
// text of names that induceAsmFits does not take.
func induceFarAsm[T saisSymbol](s []T, sa, bkt []int32, left bool) {
	p := (*int32)(unsafe.Pointer(unsafe.SliceData(s)))
	if left {
		induceLFarWords(p, &sa[0], &bkt[0], len(s), max(len(s)-saisAhead, 0), saisAhead)
	} else {
		induceSFarWords(p, &sa[0], &bkt[0], len(s), saisAhead, saisAhead)
	}
}
