//go:build amd64 && !purego

package lzms

import "unsafe"

// saisAsm selects the assembly induction loops (tests clear it to run the
// Go loops of induceL and induceS).
var saisAsm = true

// induceLBytes and induceSBytes are induceL's and induceS's branch-free
// loops over a byte text (induce_amd64.s), prefetching s[sa[i±saisAhead]-1]
// before entry stop (induceL: entries below stop; induceS: at or above it).
//
//go:noescape
func induceLBytes(s *byte, sa, bkt *int32, n, stop int)

//go:noescape
func induceSBytes(s *byte, sa, bkt *int32, n, stop int)

// induceLWords and induceSWords: the same over a text of names, without
// the prefetch (only texts that fit the cache go branch-free).
//
//go:noescape
func induceLWords(s, sa, bkt *int32, n int)

//go:noescape
func induceSWords(s, sa, bkt *int32, n int)

// induceLAsm runs induceL's branch-free loop from entry 0.
func induceLAsm[T saisSymbol](s []T, sa, bkt []int32, stop int) {
	p := unsafe.Pointer(unsafe.SliceData(s))
	if unsafe.Sizeof(s[0]) == 1 {
		induceLBytes((*byte)(p), &sa[0], &bkt[0], len(s), stop)
	} else {
		induceLWords((*int32)(p), &sa[0], &bkt[0], len(s))
	}
}

// induceSAsm runs induceS's branch-free loop from the last entry down.
func induceSAsm[T saisSymbol](s []T, sa, bkt []int32, stop int) {
	p := unsafe.Pointer(unsafe.SliceData(s))
	if unsafe.Sizeof(s[0]) == 1 {
		induceSBytes((*byte)(p), &sa[0], &bkt[0], len(s), stop)
	} else {
		induceSWords((*int32)(p), &sa[0], &bkt[0], len(s))
	}
}
