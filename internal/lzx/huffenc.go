package lzx

// huffBuilder builds length-limited canonical Huffman codes for the
// compressor. Its scratch space lives in the struct so building allocates
// nothing.
type huffBuilder struct {
	leaves [maxMainSyms]uint64 // freq<<16 | sym, sorted ascending
	tmp    [maxMainSyms]uint64 // sortLeaves' other buffer
	parent [2 * maxMainSyms]uint16
	depth  [2 * maxMainSyms]uint8
	weight [maxMainSyms]uint64
	count  [64]uint16
	syms   [maxMainSyms]uint16 // used symbols, ascending
}

// build computes codeword lengths (at most maxLen) and canonical codewords
// for freqs. Unused symbols get length 0. A code is made complete even when
// fewer than two symbols are used: a lone symbol and one other get length 1,
// as 7-Zip's decoder requires a complete code; no used symbol at all leaves
// every length 0 (an empty code).
func (h *huffBuilder) build(freqs []uint32, lens []uint8, codes []uint16, maxLen uint) {
	// Branch-free gather: whether a symbol is used is unpredictable
	// (a small block uses some of each range of literals and slots).
	// syms keeps the used symbols in symbol order for assignCodes.
	clear(lens)
	n := 0
	var maxFreq uint32
	leaves, syms := h.leaves[:len(freqs)], h.syms[:len(freqs)]
	// Groups of 8 unused symbols (most of a small block's slots and
	// lengths) are passed over with one test.
	sym := 0
	for ; sym+8 <= len(freqs); sym += 8 {
		g := freqs[sym : sym+8 : sym+8]
		if g[0]|g[1]|g[2]|g[3]|g[4]|g[5]|g[6]|g[7] == 0 {
			continue
		}
		for i, f := range g {
			leaves[n] = uint64(f)<<16 | uint64(sym+i)
			syms[n] = uint16(sym + i)
			n += int((f | -f) >> 31) // 1 if f != 0
			maxFreq = max(maxFreq, f)
		}
	}
	for ; sym < len(freqs); sym++ {
		f := freqs[sym]
		leaves[n] = uint64(f)<<16 | uint64(sym)
		syms[n] = uint16(sym)
		n += int((f | -f) >> 31)
		maxFreq = max(maxFreq, f)
	}
	switch n {
	case 0:
		return
	case 1:
		// The lone symbol and one other, both length 1: the smaller
		// symbol gets codeword 0.
		sym := int(syms[0])
		other := 0
		if sym == 0 {
			other = 1
		}
		lens[sym], lens[other] = 1, 1
		codes[min(sym, other)], codes[max(sym, other)] = 0, 1
		return
	}
	leaves = leaves[:n]
	h.sortLeaves(leaves, maxFreq)

	// Two-queue Huffman: leaves ascending, internal nodes are created in
	// non-decreasing weight order, so the two smallest are always at the
	// queue fronts; a leaf wins a tie. Nodes 0..n-1 are leaves, n..
	// internal.
	weight, parent := h.weight[:n], h.parent[:2*n]
	li, ii := 0, 0
	for k := 0; k < n-1; k++ {
		var w uint64
		for range 2 {
			if li < n && (ii >= k || leaves[li]>>16 <= weight[ii]) {
				w += leaves[li] >> 16
				parent[li] = uint16(n + k)
				li++
			} else {
				w += weight[ii]
				parent[n+ii] = uint16(n + k)
				ii++
			}
		}
		weight[k] = w
	}

	// Depths from the root down; leaves' depths do not decrease as
	// their weights fall (leaf n-1 is the shallowest), so their counts
	// per (clamped) depth are runs, counted at each change instead of
	// by an increment per leaf on a few hot counters.
	root := 2*n - 2
	depth := h.depth[:2*n]
	depth[root] = 0
	for i := root - 1; i >= n; i-- {
		depth[i] = depth[parent[i]] + 1
	}
	clear(h.count[:])
	runStart, runDepth := n, uint(0)
	for i := n - 1; i >= 0; i-- {
		d := min(uint(depth[parent[i]])+1, maxLen)
		if d != runDepth {
			h.count[runDepth&63] += uint16(runStart - i - 1)
			runStart, runDepth = i+1, d
		}
	}
	h.count[runDepth&63] += uint16(runStart)
	kraft := 0
	for l := uint(1); l <= maxLen; l++ {
		kraft += int(h.count[l]) << (maxLen - l)
	}
	full := 1 << maxLen
	for kraft > full {
		l := maxLen - 1
		for h.count[l] == 0 {
			l--
		}
		h.count[l]--
		h.count[l+1]++
		kraft -= 1 << (maxLen - l - 1)
	}
	for kraft < full {
		l := maxLen
		for h.count[l] == 0 || kraft+1<<(maxLen-l) > full {
			l--
		}
		h.count[l]--
		h.count[l-1]++
		kraft += 1 << (maxLen - l)
	}

	// The least frequent symbols get the longest codewords.
	i := 0
	for l := maxLen; l >= 1; l-- {
		for c := h.count[l]; c > 0; c-- {
			lens[leaves[i]&0xffff] = uint8(l)
			i++
		}
	}
	h.assignCodes(syms[:n], lens, codes, maxLen)
}

// sortLeaves sorts leaves (freq<<16 | sym, in symbol order) ascending. The
// keys are distinct, so any sort gives the same order. Below 48 it is an
// insertion sort (pretrees, length codes: about 5% of the code building on
// the Go tree's small files against slices.Sort); above, one stable
// counting pass per byte of the largest frequency (two for a 32K block),
// which on a capture of many small files' blocks was about 40% of the
// code building. (Digits split evenly over the passes, fewer counters,
// measured 3% slower.)
func (h *huffBuilder) sortLeaves(leaves []uint64, maxFreq uint32) {
	if len(leaves) < 48 {
		for i := 1; i < len(leaves); i++ {
			v := leaves[i]
			j := i
			for ; j > 0 && leaves[j-1] > v; j-- {
				leaves[j] = leaves[j-1]
			}
			leaves[j] = v
		}
		return
	}
	src, dst := leaves, h.tmp[:len(leaves)]
	for shift := uint(16); maxFreq != 0; shift, maxFreq = shift+8, maxFreq>>8 {
		var count [256]uint16
		for _, v := range src {
			count[uint8(v>>shift)]++
		}
		pos := uint16(0)
		for i, c := range count {
			count[i] = pos
			pos += c
		}
		for _, v := range src {
			d := uint8(v >> shift)
			dst[count[d]] = v
			count[d]++
		}
		src, dst = dst, src
	}
	if &src[0] != &leaves[0] {
		copy(leaves, src)
	}
}

// assignCodes gives the used symbols syms (ascending) canonical codewords:
// by (length, symbol) in order. h.count holds how many have each length.
// Only used symbols are visited: on a small block's main code that is a
// fraction of them, and a branch on "used" mispredicts.
func (h *huffBuilder) assignCodes(syms []uint16, lens []uint8, codes []uint16, maxLen uint) {
	var next [32]uint16
	code := uint16(0)
	for l := uint(1); l <= maxLen; l++ {
		code = (code + h.count[l-1]) << 1
		next[l] = code
	}
	for _, s := range syms {
		l := lens[s] & 31
		codes[s] = next[l]
		next[l]++
	}
}
