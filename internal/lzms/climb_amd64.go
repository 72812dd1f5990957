//go:build amd64 && !purego

package lzms

import "unsafe"

// climbsAsm is climbsGo in assembly (climb_amd64.s): one call climbs a
// position, prefetches ahead and writes its matches, or visits a whole
// stretch, where the Go loop paid a call for each of the climb,
// prefetchAhead and its three prefetches, and bounds checks.
// climb_asm_test.go compares the two.
//
//go:noescape
func climbsAsm(f *lcpFinder, from, to int, out []match, ends *int32) (k, end int)

// climbs is climbsGo in assembly. Unchecked: reset built the arrays over
// f.in, so every index the climbs read is below len(f.in) (ahead too), and
// out is nil or at least len(f.length) long, ends nil or at least
// to-from long (and nil when out is).
func (f *lcpFinder) climbs(from, to int, out []match, ends []int32) (k, end int) {
	return climbsAsm(f, from, to, out, unsafe.SliceData(ends))
}
