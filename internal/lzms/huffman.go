package lzms

import "slices"

// adaptiveCode is one of the five adaptive Huffman codes. Both sides count
// the symbols coded with it and, every rebuildFreq symbols, rebuild the code
// from the counts and then halve them; the code must therefore come out of
// the same construction as wimlib's bit for bit, or the streams desync.
type adaptiveCode struct {
	numSyms     int
	rebuildFreq int
	untilBuild  int
	rootBits    uint
	freqs       []uint32
	lens        []uint8
	table       []uint32
	builder     *codeBuilder
}

func (c *adaptiveCode) init(b *codeBuilder, numSyms, rebuildFreq int, rootBits uint, maxSyms int) {
	c.builder = b
	c.rebuildFreq = rebuildFreq
	c.rootBits = rootBits
	if c.freqs == nil {
		c.freqs = make([]uint32, maxSyms)
		c.lens = make([]uint8, maxSyms)
		c.table = make([]uint32, tableSize(rootBits, maxSyms))
	}
	c.reset(numSyms)
}

// reset starts a chunk: every symbol has frequency 1.
func (c *adaptiveCode) reset(numSyms int) {
	c.numSyms = numSyms
	f := c.freqs[:numSyms]
	for i := range f {
		f[i] = 1
	}
	c.build()
}

// build makes the code from the current frequencies and restarts the count.
func (c *adaptiveCode) build() {
	lens := c.lens[:c.numSyms]
	if !c.builder.lengths(c.freqs[:c.numSyms], lens) {
		// Fewer than two symbols (a chunk of one or two bytes has at most
		// one offset slot): no usable code, so any use of it is corrupt.
		setEmptyTable(c.table, c.rootBits)
	} else {
		buildDecodeTable(c.table, lens, c.rootBits)
	}
	c.untilBuild = c.rebuildFreq
}

// rebuild is the periodic rebuild: new code first, then the halving, so
// frequencies stay >= 1 and every symbol keeps a codeword.
func (c *adaptiveCode) rebuild() {
	c.build()
	f := c.freqs[:c.numSyms]
	for i := range f {
		f[i] = f[i]>>1 + 1
	}
}

// codeBuilder holds the scratch space for lengths; one per decompressor.
type codeBuilder struct {
	sorted [maxOffsetSyms]uint32 // freq<<10 | sym, ascending
	nodeF  [maxOffsetSyms]uint32 // internal node weights, in creation order
	parent [maxOffsetSyms]uint16 // internal node -> its parent
	depth  [maxOffsetSyms]uint8
	bucket [maxOffsetSyms]uint16
}

// sortSyms writes freq<<symBits|sym for every symbol into s, ascending.
// Frequencies are mostly small, so a counting sort by frequency (symbols
// stay in order within a bucket) does most of the work; the frequencies
// from len(freqs)-1 up share the last bucket, which is sorted afterwards.
func (b *codeBuilder) sortSyms(freqs []uint32, s []uint32) {
	n := len(freqs)
	top := uint32(n - 1)
	cnt := b.bucket[:n]
	clear(cnt)
	for _, f := range freqs {
		cnt[min(f, top)]++
	}
	sum := uint16(0)
	for i, c := range cnt {
		cnt[i] = sum
		sum += c
	}
	lastStart := int(cnt[top])
	for sym, f := range freqs {
		k := min(f, top)
		s[cnt[k]] = f<<symBits | uint32(sym)
		cnt[k]++
	}
	slices.Sort(s[lastStart:])
}

const symBits = 10 // 799 symbols fit; frequencies stay far below 2^22

// lengths computes the codeword lengths (at most maxCodeLen) the way
// wimlib's make_canonical_huffman_code does, for nonzero frequencies:
//
//   - symbols are sorted by (frequency, symbol);
//   - the tree is built with the two-queue method, and when a leaf and an
//     internal node weigh the same the leaf is taken first;
//   - lengths are counted per depth from the internal nodes, with wimlib's
//     simple limit: an internal node at depth >= maxCodeLen is re-hung below
//     the deepest shorter length still holding a leaf;
//   - the counted lengths are handed out longest first in sorted order.
//
// Any other optimal code would decode wimlib's streams wrongly once two
// symbols with equal frequencies swap lengths. It reports false when there
// are fewer than two symbols.
func (b *codeBuilder) lengths(freqs []uint32, lens []uint8) bool {
	n := len(freqs)
	if n < 2 {
		return false
	}
	s := b.sorted[:n]
	b.sortSyms(freqs, s)

	leaf := func(i int) uint32 { return s[i] >> symBits }
	nodeF, parent := b.nodeF[:n-1], b.parent[:n-1]
	i, lo := 0, 0 // next unused leaf; next internal node without a parent
	for e := 0; e < n-1; e++ {
		var w uint32
		switch {
		case i+1 < n && (lo == e || leaf(i+1) <= nodeF[lo]):
			w = leaf(i) + leaf(i+1)
			i += 2
		case lo+2 <= e && (i >= n || nodeF[lo+1] < leaf(i)):
			w = nodeF[lo] + nodeF[lo+1]
			parent[lo], parent[lo+1] = uint16(e), uint16(e)
			lo += 2
		default:
			w = leaf(i) + nodeF[lo]
			parent[lo] = uint16(e)
			i++
			lo++
		}
		nodeF[e] = w
	}

	// Start from "both children of the root are leaves" and, for each
	// internal node visited parents first, turn one leaf at its depth into
	// two one level deeper.
	var count [maxCodeLen + 2]int
	count[1] = 2
	root := n - 2
	depth := b.depth[:n-1]
	depth[root] = 0
	for node := root - 1; node >= 0; node-- {
		d := depth[parent[node]] + 1
		depth[node] = d
		l := int(d)
		if l >= maxCodeLen {
			l = maxCodeLen - 1
			for count[l] == 0 {
				l--
			}
		}
		count[l]--
		count[l+1] += 2
	}

	k := 0
	for l := maxCodeLen; l >= 1; l-- {
		for range count[l] {
			lens[s[k]&(1<<symBits-1)] = uint8(l)
			k++
		}
	}
	return true
}
