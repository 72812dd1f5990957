package lzms

import "unsafe"

// climbsGo climbs the paths of the reduced text's positions [from, to)
// (0 < from; see find), prefetching ahead for the positions after
// each. With out non-nil (len(f.length) long, room for every match; only
// for one position) it writes the position's matches at its end, shortest first,
// as (lcp code, offset), and returns their number k: out[len(out)-k:].
// The climb meets them longest first; writing them downward from the end
// spares a reversal. climb_amd64.s is the same
// loop in assembly (climbsAsm); climb_asm_test.go compares the two.
func (f *lcpFinder) climbsGo(from, to int, out []match) int {
	nodes, links := f.nodes, f.links
	shift := f.posBits
	mask := uint32(1)<<shift - 1
	k := 0
	for p := from; p < to; p++ {
		k = 0
		// At every chunk size: 128 KiB chunks' intervals and links (1
		// MiB) share the cache with the parser's tables, the delta
		// finder's and the other thread's (netgo 128K L50: -5% CPU).
		if p+3 < len(f.in) {
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
			continue
		}
		q := up
		for {
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
	return k
}

// prefetchAhead starts the cache misses of the next positions' climbs, one
// step of the path each (the first steps miss at big chunks, and each
// needs the one before): the deepest interval of p+3, the source holding
// p+2's, and the link of p+1's. The values read may go stale before those
// positions are visited; they only steer prefetches.
func (f *lcpFinder) prefetchAhead(p int) {
	nodes, links := f.nodes, f.links
	mask := uint32(1)<<f.posBits - 1
	prefetch(unsafe.Pointer(&nodes[links[p+3]&mask]))
	prefetch(unsafe.Pointer(&nodes[links[f.ahead]&mask]))
	f.ahead = nodes[links[p+2]&mask] & mask
	prefetch(unsafe.Pointer(&links[f.ahead]))
}
