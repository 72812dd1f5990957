package lzx

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// refHuffman is a plain reference for huffBuilder.build: the same
// two-queue Huffman tree over (freq, symbol)-sorted leaves (a leaf wins a
// tie with an internal node), the same clamp and Kraft repair, lengths
// handed out longest first in that order, and canonical codewords by
// sorting the used symbols by (length, symbol).
func refHuffman(freqs []uint32, maxLen uint) (lens []uint8, codes []uint16) {
	lens = make([]uint8, len(freqs))
	codes = make([]uint16, len(freqs))
	var leaves []uint64
	for sym, f := range freqs {
		if f != 0 {
			leaves = append(leaves, uint64(f)<<16|uint64(sym))
		}
	}
	n := len(leaves)
	switch n {
	case 0:
		return
	case 1:
		sym := int(leaves[0] & 0xffff)
		other := 0
		if sym == 0 {
			other = 1
		}
		lens[sym], lens[other] = 1, 1
	default:
		slices.Sort(leaves)
		parent := make([]int, 2*n-1)
		weight := make([]uint64, n-1)
		li, ii := 0, 0
		for k := range n - 1 {
			for range 2 {
				if li < n && (ii >= k || leaves[li]>>16 <= weight[ii]) {
					weight[k] += leaves[li] >> 16
					parent[li] = n + k
					li++
				} else {
					weight[k] += weight[ii]
					parent[n+ii] = n + k
					ii++
				}
			}
		}
		depth := make([]uint, 2*n-1)
		for i := 2*n - 3; i >= 0; i-- {
			depth[i] = depth[parent[i]] + 1
		}
		count := make([]int, maxLen+1)
		for i := range n {
			count[min(depth[i], maxLen)]++
		}
		kraft := func() (k int) {
			for l := uint(1); l <= maxLen; l++ {
				k += count[l] << (maxLen - l)
			}
			return k
		}
		for kraft() > 1<<maxLen {
			l := maxLen - 1
			for count[l] == 0 {
				l--
			}
			count[l]--
			count[l+1]++
		}
		for kraft() < 1<<maxLen {
			l := maxLen
			for count[l] == 0 || kraft()+1<<(maxLen-l) > 1<<maxLen {
				l--
			}
			count[l]--
			count[l-1]++
		}
		i := 0
		for l := maxLen; l >= 1; l-- {
			for range count[l] {
				lens[leaves[i]&0xffff] = uint8(l)
				i++
			}
		}
	}
	var used []int
	for sym, l := range lens {
		if l != 0 {
			used = append(used, sym)
		}
	}
	slices.SortStableFunc(used, func(a, b int) int { return int(lens[a]) - int(lens[b]) })
	code, prevLen := 0, uint8(0)
	for k, sym := range used {
		if k > 0 {
			code = (code + 1) << (lens[sym] - prevLen)
		}
		codes[sym] = uint16(code)
		prevLen = lens[sym]
	}
	return lens, codes
}

// TestHuffmanMatchesReference builds codes for random frequencies (few
// and many used symbols, ties, skewed counts that need length limiting,
// every alphabet the compressor codes) with one reused builder and
// compares lengths and the used symbols' codewords with refHuffman.
func TestHuffmanMatchesReference(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	var h huffBuilder
	sizes := []struct {
		n      int
		maxLen uint
	}{{numAlignedSyms, maxAlignedCodeLen}, {numPreSyms, maxPreCodeLen}, {numLenSyms, maxLenCodeLen},
		{numChars + numLenHeaders*30, maxMainCodeLen}, {maxMainSyms, maxMainCodeLen}}
	for round := range 3000 {
		sz := sizes[round%len(sizes)]
		freqs := make([]uint32, sz.n)
		used := r.IntN(sz.n + 1)
		if r.IntN(4) == 0 {
			used = r.IntN(4)
		}
		for range used {
			sym := r.IntN(sz.n)
			switch r.IntN(4) {
			case 0:
				freqs[sym] = uint32(r.IntN(4) + 1) // ties
			case 1:
				freqs[sym] = uint32(r.IntN(40000) + 1)
			case 2:
				freqs[sym] = 1 << r.IntN(20) // skewed: deep trees
			default:
				freqs[sym] = uint32(r.IntN(300) + 1)
			}
		}
		lens := make([]uint8, sz.n)
		codes := make([]uint16, sz.n)
		for i := range lens {
			lens[i], codes[i] = uint8(r.IntN(17)), uint16(r.Uint32())
		}
		h.build(freqs, lens, codes, sz.maxLen)
		wantLens, wantCodes := refHuffman(freqs, sz.maxLen)
		if !slices.Equal(lens, wantLens) {
			t.Fatalf("round %d (%d symbols, max %d): lengths\n%v\nwant\n%v", round, sz.n, sz.maxLen, lens, wantLens)
		}
		for sym, l := range lens {
			if l != 0 && codes[sym] != wantCodes[sym] {
				t.Fatalf("round %d: symbol %d (length %d) code %b, want %b", round, sym, l, codes[sym], wantCodes[sym])
			}
		}
	}
}
