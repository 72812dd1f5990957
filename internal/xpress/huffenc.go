package xpress

// huffBuilder holds the scratch space for building a Huffman code, so a
// compressor allocates nothing per chunk.
type huffBuilder struct {
	sorted [numSymbols]uint32 // freq<<9 | symbol
	tmp    [numSymbols]uint32 // radix sort scratch
	work   [numSymbols]uint32 // weights, then parent links, then depths
	count  [numSymbols + 1]uint16
}

// build computes a complete canonical code of at most maxCodeLen bits for
// freqs into lens and enc, where enc[s] = codeword<<4 | length (codewords
// are MSB-first, as the bitstream is; the writer needs both at once).
// Unused symbols get length 0. At least one frequency must be non-zero.
func (h *huffBuilder) build(freqs *[numSymbols]uint32, lens *[numSymbols]uint8, enc *[numSymbols]uint32) {
	n := 0
	for sym, f := range freqs {
		if f != 0 {
			// Frequencies are at most a chunk length plus one (< 2^17), so
			// freq and symbol pack into one key sorted by (freq, symbol).
			h.sorted[n] = f<<9 | uint32(sym)
			n++
		}
	}
	*lens = [numSymbols]uint8{}
	switch n {
	case 0:
		return
	case 1:
		// A lone symbol still needs a complete code: pair it with symbol 0
		// (or 1), as wimlib does.
		s := h.sorted[0] & 511
		lens[s] = 1
		if s == 0 {
			lens[1] = 1
		} else {
			lens[0] = 1
		}
		h.assign(lens, enc)
		return
	}
	keys := h.sorted[:n]
	h.sortKeys(keys)
	h.lengthCounts(n)
	h.limit()
	// The most frequent symbols (end of keys) get the shortest codewords.
	k := n - 1
	for l := 1; l <= maxCodeLen; l++ {
		for c := h.count[l]; c > 0; c-- {
			lens[keys[k]&511] = uint8(l)
			k--
		}
	}
	h.assign(lens, enc)
}

// lengthCounts sets count[d] to the number of leaves at depth d of a
// Huffman tree for the n sorted keys, with the in-place method of Moffat and
// Katajainen: first pair nodes (weights, then parent indexes, share the work
// array), then turn parent links into internal-node depths, then
// count leaves level by level.
// n must be at least 2.
// sortKeys sorts keys (freq<<9 | symbol, gathered in symbol order) by
// frequency with a stable LSD radix sort on 8-bit digits of the frequency,
// so ties stay in symbol order. A comparison sort of a few hundred keys per
// chunk was a visible cost on small chunks.
func (h *huffBuilder) sortKeys(keys []uint32) {
	maxKey := uint32(0)
	for _, k := range keys {
		maxKey = max(maxKey, k)
	}
	src, dst := keys, h.tmp[:len(keys)]
	for shift := uint(9); maxKey>>shift != 0; shift += 8 {
		var count [257]int
		for _, k := range src {
			count[(k>>shift)&255+1]++
		}
		for i := 1; i < len(count); i++ {
			count[i] += count[i-1]
		}
		for _, k := range src {
			d := (k >> shift) & 255
			dst[count[d]] = k
			count[d]++
		}
		src, dst = dst, src
	}
	if &src[0] != &keys[0] {
		copy(keys, src)
	}
}

func (h *huffBuilder) lengthCounts(n int) {
	a := h.work[:n]
	for i, k := range h.sorted[:n] {
		a[i] = k >> 9
	}
	a[0] += a[1]
	root, leaf := 0, 2
	for next := 1; next < n-1; next++ {
		if leaf >= n || a[root] < a[leaf] {
			a[next] = a[root]
			a[root] = uint32(next)
			root++
		} else {
			a[next] = a[leaf]
			leaf++
		}
		if leaf >= n || (root < next && a[root] < a[leaf]) {
			a[next] += a[root]
			a[root] = uint32(next)
			root++
		} else {
			a[next] += a[leaf]
			leaf++
		}
	}
	a[n-2] = 0
	for next := n - 3; next >= 0; next-- {
		a[next] = a[a[next]] + 1
	}
	h.count = [numSymbols + 1]uint16{}
	avail, depth := 1, 0
	root = n - 2
	for avail > 0 {
		used := 0
		for root >= 0 && int(a[root]) == depth {
			used++
			root--
		}
		h.count[depth] += uint16(avail - used)
		avail = 2 * used
		depth++
	}
}

// limit folds depths beyond maxCodeLen into maxCodeLen and then restores
// the Kraft sum to exactly 1 (in units of 2^-maxCodeLen): first lengthen the
// deepest codewords still shorter than the limit until the code is no longer
// over-subscribed, then shorten the deepest ones that fit the remaining slack
// until it is complete. Only rare symbols move, so the loss is small.
func (h *huffBuilder) limit() {
	const one = 1 << maxCodeLen
	over := false
	for d := maxCodeLen + 1; d < len(h.count); d++ {
		if h.count[d] != 0 {
			h.count[maxCodeLen] += h.count[d]
			h.count[d] = 0
			over = true
		}
	}
	if !over {
		return
	}
	kraft := 0
	for l := 1; l <= maxCodeLen; l++ {
		kraft += int(h.count[l]) << (maxCodeLen - l)
	}
	for kraft > one {
		l := maxCodeLen - 1
		for h.count[l] == 0 {
			l--
		}
		h.count[l]--
		h.count[l+1]++
		kraft -= 1 << (maxCodeLen - 1 - l)
	}
	for kraft < one {
		slack := one - kraft
		l := maxCodeLen
		for h.count[l] == 0 || 1<<(maxCodeLen-l) > slack {
			l--
		}
		h.count[l]--
		h.count[l-1]++
		kraft += 1 << (maxCodeLen - l)
	}
}

// assign gives canonical codewords: symbols ordered by (length, symbol)
// receive consecutive values.
func (h *huffBuilder) assign(lens *[numSymbols]uint8, enc *[numSymbols]uint32) {
	var cnt, next [maxCodeLen + 2]uint32
	for _, l := range lens {
		cnt[l&15]++
	}
	cnt[0] = 0
	code := uint32(0)
	for l := 1; l <= maxCodeLen; l++ {
		code = (code + cnt[l-1]) << 1
		next[l] = code << 4
	}
	for s, l := range lens {
		l &= 15
		enc[s] = next[l] | uint32(l)
		next[l] += 1 << 4
	}
}
