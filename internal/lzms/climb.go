package lzms

import "unsafe"

// climbsGo climbs the paths of the reduced text's positions [from, to)
// (0 < from; see find), prefetching ahead for the positions after
// each. With out non-nil it writes the matches downward from its end, each
// position's below the one before, shortest first, as (lcp code, offset),
// and stops before a position when fewer than len(f.length) entries (room
// for every match of one) are left; it returns their number k
// (out[len(out)-k:]) and the position where it stopped. ends, when not
// nil, gets the number written up to each position: position from+i's
// matches are out[len(out)-ends[i] : len(out)-ends[i-1]] (from the end
// for i = 0). The climb meets them longest first; writing them downward
// spares a reversal. climb_amd64.s is the same loop in assembly
// (climbsAsm), which also loads the next position's first up and its
// source's link early and uses them when a reload finds them unchanged
// (the same values); climb_asm_test.go compares the two.
func (f *lcpFinder) climbsGo(from, to int, out []match, ends []int32) (k, end int) {
	nodes, links := f.nodes, f.links
	shift := f.posBits
	mask := uint32(1)<<shift - 1
	p := from
	for ; p < to; p++ {
		if out != nil && len(out)-k < len(f.length) {
			break
		}
		// At every chunk size: 128 KiB chunks' intervals and links (1
		// MiB) share the cache with the parser's tables, the delta
		// finder's and the other thread's (netgo 128K L50: -5% CPU).
		if p+4*climbGap < len(f.in) {
			f.prefetchAhead(p)
		}
		pos := uint32(p)
		ref := links[p]
		links[p] = 0
		var up uint32
		for {
			up = nodes[ref&mask]
			if up&^mask == 0 {
				break
			}
			nodes[ref&mask] = pos
			ref = up
		}
		if up == 0 {
			// ref is the root, or a child of the root no position
			// has claimed.
			if ref != 0 {
				nodes[ref&mask] = pos
			}
		} else {
			for q := up; ; {
				next := links[q]
				for next > ref {
					q = nodes[next&mask]
					next = links[q]
				}
				nodes[ref&mask] = pos
				links[q] = ref
				if out != nil {
					k++
					out[len(out)-k] = match{ref >> shift, pos - q}
				}
				if next == 0 {
					break
				}
				ref = next
				q = nodes[ref&mask]
			}
		}
		if ends != nil {
			ends[p-from] = int32(k)
		}
	}
	return k, p
}

// climbGap: prefetchAhead works on the paths of the positions climbGap,
// 2, 3 and 4 times that ahead. A position's climb takes about 100 ns at 64
// MiB chunks, a miss as long: with steps one position apart (and three
// of them) the finder alone took 1.04-1.15x the time (64 MiB of a disk
// image: 0.87x with these four steps 5 apart, 0.88-0.90 with three; Go
// source 0.96x).
const climbGap = 5

// aheadRing carries prefetchAhead's loads from one position to the later
// ones: the sources (0-15) and their links' intervals (16-31), each at
// its position mod 16. Every entry is below the chunk's length.
type aheadRing [32]uint32

// prefetchAhead starts the cache misses of the later positions' climbs,
// one step of the path each (each step needs the one before): the
// deepest interval of p+4g, the source holding p+3g's, that source's link
// (the interval where p+2g's path goes on) and the source holding that
// interval for p+g. The values read may go stale before those positions
// are visited; they only steer prefetches.
func (f *lcpFinder) prefetchAhead(p int) {
	nodes, links := f.nodes, f.links
	mask := uint32(1)<<f.posBits - 1
	const g = climbGap
	prefetch(unsafe.Pointer(&nodes[links[p+4*g]&mask]))
	d := (p + g) & 15
	prefetch(unsafe.Pointer(&links[nodes[f.ahead[16+d]]&mask]))
	c := (p + 2*g) & 15
	f.ahead[16+c] = links[f.ahead[c]] & mask
	prefetch(unsafe.Pointer(&nodes[f.ahead[16+c]]))
	b := (p + 3*g) & 15
	f.ahead[b] = nodes[links[p+3*g]&mask] & mask
	prefetch(unsafe.Pointer(&links[f.ahead[b]]))
}
