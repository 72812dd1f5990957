package lzms

import "unsafe"

// intervalsAhead: the interval scan prefetches the lcps this many ranks
// ahead.
const intervalsAhead = 16

// storeLCPPhi stores index's lcps for the chunks that take a text-order
// scan (Kasai et al. 2001: from one position to the next the lcp loses at
// most one byte, so the comparisons are linear in all), the other way
// round: links[p] gets the lcp code of p's suffix with the one sorted
// before it (the permuted lcp array; Kärkkäinen, Manzini and Puglisi
// 2009), found in text order through Φ (links[sa[r]] = sa[r-1]). The
// comparisons are Kasai's, without his inverse array's scattered reads of
// sa and stores into it; sa keeps plain positions, and the interval scan
// (intervalsPhiGo) reads each lcp back at its rank. m20 at 128 KiB, the
// lcps and intervals: 0.91-0.94x the time of Kasai's scan and the interval
// scan over sa (both in assembly); a 100,000-byte block repeated over 16
// MiB 0.87x.
func (f *lcpFinder) storeLCPPhi(in []byte, sa, links []uint32) {
	n := len(in)
	prev := sa[0]
	for _, p := range sa[1:n] {
		links[p] = prev
		prev = p
	}
	links[sa[0]] = 0 // no suffix before it (read only by prefetches)
	f.phiScan(in, links, int(sa[0]))
}

// phiScanGo is storeLCPPhi's scan in text order, links holding Φ; first
// is the position sorted first (no lcp). phi_amd64.s is the same loop in
// assembly (phi_asm_test.go compares the two); it prefetches the text
// lcpAhead positions on at every size, this loop (a call each) only past
// the cache.
func (f *lcpFinder) phiScanGo(in []byte, links []uint32, first int) {
	n := len(in)
	far := n > cachedChunk
	h := 0
	for i := range n {
		if far && i+lcpAhead < n {
			prefetch(unsafe.Pointer(&in[links[i+lcpAhead]]))
		}
		if i == first {
			h = 0
			links[i] = 0
			continue
		}
		j := int(links[i])
		h = extend(in, i, j, h, n-max(i, j))
		links[i] = uint32(f.code[min(h, f.nice)]) << f.posBits
		if h > 0 {
			h--
		}
	}
}

// intervalsPhiGo is buildIntervalsGo with the lcps in links (storeLCPPhi):
// each position's lcp is read there at its rank, before the scan
// overwrites it with the position's deepest interval one rank later.
// phi_amd64.s is the same scan in assembly, prefetching the lcp
// intervalsAhead ranks on at every size (this loop only past the cache).
func (f *lcpFinder) intervalsPhiGo(sa, links []uint32) int {
	shift := f.posBits
	mask := uint32(1)<<shift - 1
	nodes := sa
	stack := make([]uint32, 1, len(f.length)+1)
	stack[0] = 0 // the root: lcp 0, index 0
	next := uint32(1)
	prev := sa[0]
	far := len(sa) > cachedChunk
	for r := 1; r < len(sa); r++ {
		if far && r+intervalsAhead < len(sa) {
			prefetch(unsafe.Pointer(&links[sa[r+intervalsAhead]]))
		}
		p := sa[r]
		l := links[p]
		top := stack[len(stack)-1]
		if l > top&^mask {
			// Both suffixes open a deeper interval.
			stack, top, next = openInterval(stack, l, next)
		}
		links[prev] = top
		prev = p
		if l != top&^mask {
			stack, next = closeIntervals(stack, nodes, l, next, mask)
		}
	}
	closeAllIntervals(stack, nodes, links, prev, mask)
	return int(next)
}
