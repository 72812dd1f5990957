//go:build amd64 && !purego

package lzms

import "unsafe"

// climbsAsm is climbsGo in assembly (climb_amd64.s): one call climbs a
// position, prefetches ahead and writes its matches, or visits a whole
// stretch, where the Go loop paid a call for each of the climb,
// prefetchAhead and its three prefetches, and bounds checks.
// climb_asm_test.go compares the two. out is nil or has room for every
// match; ahead is the lcpFinder's.
//
//go:noescape
func climbsAsm(nodes, links *uint32, from, to, n int, shift uint, out *match, ahead *aheadRing) int

// climbs is climbsGo in assembly. Unchecked: reset built the arrays over
// f.in, so every index the climbs read is below len(f.in) (ahead too), and
// find gives out room for every match.
func (f *lcpFinder) climbs(from, to int, out []match) int {
	return climbsAsm(unsafe.SliceData(f.nodes), unsafe.SliceData(f.links), from, to, len(f.in), f.posBits,
		unsafe.SliceData(out), &f.ahead)
}
