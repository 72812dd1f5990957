//go:build amd64 && !purego

package lzms

// climbsAsm is climbsGo in assembly (climb_amd64.s): one call climbs a
// position, prefetches ahead and writes its matches, or visits a whole
// stretch, where the Go loop paid a call for each of findReduced,
// prefetchAhead and its three prefetches, and bounds checks.
// climb_asm_test.go compares the two. out is nil or has room for every
// match; ahead is the lcpFinder's.
//
//go:noescape
func climbsAsm(nodes, links *uint32, from, to, n, shift uint32, out *match, ahead *uint32) int

// climbs is climbsGo in assembly. The arrays hold every index the climb
// reads (reset builds them over f.in, and ahead stays below len(f.in)).
func (f *lcpFinder) climbs(from, to int, out []match) int {
	if from >= to {
		return 0
	}
	var o *match
	if out != nil {
		_ = out[len(f.length)-1] // the room every match needs
		o = &out[0]
	}
	_ = f.links[to-1]
	return climbsAsm(&f.nodes[0], &f.links[0], uint32(from), uint32(to), uint32(len(f.in)), uint32(f.posBits), o, &f.ahead)
}
