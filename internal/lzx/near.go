package lzx

import (
	"math"
	"math/bits"
	"unsafe"
)

// The near-optimal parser (levels above lazyMaxLevel). Per block it runs
// every position through the binary-tree matchfinder once, caching the
// matches, while a greedy walk over the same matches feeds the block
// splitter and an estimated first cost model. Then it finds a minimum-cost
// path through the block with a forward dynamic program, rebuilds the cost
// model from the codes that path would get, and repeats; the last path is
// written.
//
// The program is forward because the repeat-offset queue is adaptive: the
// queue at a node is that of the cheapest path reaching it, fixed once the
// program moves past the node. At each node it tries a literal, then
// matches at R0, R1 and R2, then the cached explicit matches, and for every
// length only the cheapest-to-code offset kind (R0 < R1 < R2 < explicit,
// smallest explicit offset). Positions inside a match of niceLen or more
// cache no matches, which keeps very repetitive input fast.

// queueRing holds the queues of the last nodes: a node's queue derives from
// a node at most 2*maxMatchLen+1 back (a gap item).
const queueRing = 1024

// Queues are packed as three 21-bit offsets, R0 lowest; every offset is
// below the largest window, 2^21.
const (
	qBits      = 21
	qMask      = 1<<qBits - 1
	initQueue  = 1 | 1<<qBits | 1<<(2*qBits)
	maxCacheLn = 500000 // cached matches per block at most
)

func qPush(q uint64, off uint32) uint64 { return (q<<qBits | uint64(off)) & (1<<(3*qBits) - 1) }

// qSwap moves R[k] to the front, where R0 takes its place (LZX's rule).
func qSwap(q uint64, k uint32) uint64 {
	if k == 0 {
		return q
	}
	s := qBits * k
	r0, rk := q&qMask, q>>s&qMask
	return q&^(qMask|qMask<<s) | rk | r0<<s
}

type optNode struct {
	cost uint32
	// item is the last item of the cheapest path to the node: length |
	// offSym<<matchLenBits, where length 1 is a literal. With gapItem set
	// it is an explicit match, a literal and an R0 match of length
	// item&matchLenMask, the explicit match being in gaps[node]. The first
	// match may be an R0 match instead (offSym 0), where R0 reached as far
	// as the longest explicit match (see minCostPath).
	item uint32
}

// gapItem marks a node reached by explicit match + literal + R0 match: a
// match that a literal interrupts, common in structured data.
const gapItem = 1 << 31

// itemLen is the number of bytes item covers.
func itemLen(item, gap uint32) int {
	l := int(item & matchLenMask)
	if item&gapItem != 0 {
		l += int(gap&matchLenMask) + 1
	}
	return l
}

// nodeQueue is the queue after item, given prev, the queue before it.
func nodeQueue(prev uint64, item, gap uint32) uint64 {
	if item&gapItem != 0 {
		if gap>>matchLenBits == 0 {
			return prev // R0, literal, R0
		}
		return qPush(prev, gap>>matchLenBits-2)
	}
	if item&matchLenMask == 1 {
		return prev
	}
	if os := item >> matchLenBits; os >= numRepeats {
		return qPush(prev, os-2)
	} else {
		return qSwap(prev, os)
	}
}

type nearOptimal struct {
	bt16   *btMatchfinder[uint16] // chunks up to 64K
	bt32   *btMatchfinder[uint32]
	p      levelParams
	counts []uint16 // matches cached per block position
	// treeVisits counts the positions given to the tree (searched or
	// inserted), for tests.
	treeVisits int
	// maxReach is the farthest a gap item of the Go loop reached past its
	// node, for tests (it must stay below nodeReach).
	maxReach int
	cache    []uint32 // offset<<matchLenBits | length, by position
	nodes    []optNode
	gaps     []uint32 // first match (length | offSym<<matchLenBits) of a gap item
	queues   [queueRing]uint64
	path     []uint32
	costs    costModel
	est      tally
	// The cheapest pass so far of the block being optimized: its path
	// and tally.
	bestPath []uint32
	bestT    tally
}

func blockMax(maxChunk int) int { return min(maxChunk, softMaxBlock) }

func cacheLen(maxChunk int, p levelParams) int {
	return min(maxCacheLn, blockMax(maxChunk)*(p.maxSearchDepth+3))
}

func newNearOptimal(maxChunk int, p levelParams) *nearOptimal {
	b := blockMax(maxChunk)
	no := &nearOptimal{
		p:      p,
		counts: make([]uint16, b),
		cache:  make([]uint32, 0, cacheLen(maxChunk, p)),
		nodes:  make([]optNode, b+1),
		gaps:   make([]uint32, b+1),
		path:   make([]uint32, 0, b),
	}
	if p.optimPasses > 1 {
		no.bestPath = make([]uint32, 0, b)
	}
	if maxChunk <= maxPos16Chunk {
		no.bt16 = newBT[uint16](maxChunk)
	} else {
		no.bt32 = newBT[uint32](maxChunk)
	}
	return no
}

// nearOptimalMemory is what newNearOptimal allocates, with pos bytes per
// matchfinder position.
func nearOptimalMemory(maxChunk int, p levelParams, pos int64) int64 {
	b := int64(blockMax(maxChunk))
	n := int64(unsafe.Sizeof(nearOptimal{}))
	n += (1<<bt2Bits + 2<<bt3Bits + 1<<bt4Bits + 2*int64(maxChunk)) * pos
	if p.optimPasses > 1 {
		n += b * 4 // bestPath
	}
	return n + b*2 + int64(cacheLen(maxChunk, p))*4 + (b+1)*int64(unsafe.Sizeof(optNode{})) + (b+1)*4 + b*4
}

func (no *nearOptimal) compress(c *Compressor, in []byte, n int) bool {
	if no.bt16 != nil {
		no.bt16.begin()
		ok := compressNear(no, no.bt16, c, in, n)
		no.bt16.release(in, n)
		return ok
	}
	no.bt32.begin()
	ok := compressNear(no, no.bt32, c, in, n)
	no.bt32.release(in, n)
	return ok
}

// compressNear codes the chunk in[:n]; bt has begun the chunk.
func compressNear[T mfPos](no *nearOptimal, bt *btMatchfinder[T], c *Compressor, in []byte, n int) bool {
	q := uint64(initQueue)
	depth := no.p.maxSearchDepth
	// Stop caching when the next position could overflow the cache.
	cacheRoom := depth + 3
	sc := nearScan{n: n, niceLen: no.p.niceLen, depth: depth, room: cacheRoom, counts: no.counts, est: &no.est, spl: &c.spl}
	if btAsm && unsafe.Sizeof(T(0)) == 2 {
		sc.m, sc.in = unsafe.Pointer(bt), unsafe.SliceData(in)
		sc.child = (*uint16)(unsafe.Pointer(unsafe.SliceData(bt.child)))
		_ = bt.child[2*n-1]
		_ = in[n+inputSlack-1]
	}
	for pos := 0; pos < n; {
		start := pos
		maxEnd := min(n, start+len(no.counts))
		cache := no.cache[:0]
		nextSearch, nextObs := pos, pos
		runTo := pos // positions below it are known to be in one run
		no.est = tally{}
		c.spl.reset()
		for pos < maxEnd {
			i := pos - start
			left := n - pos
			if left < btMinBytes {
				no.counts[i] = 0
				pos++
				continue
			}
			maxLen := min(maxMatchLen, left)
			nice := min(no.p.niceLen, maxLen)
			if pos < nextSearch {
				// Inside a run of one byte value, only the run's last
				// positions (the sources of "b^k X" with k up to
				// maxMatchLen) are worth a tree node; earlier ones all
				// start maxMatchLen bytes of b, as the run's first
				// position does. Leaving them out of the trees makes
				// long runs (zeroed disk blocks) cost a compare per
				// position instead of a walk. The position before the
				// next search stays, so that search still meets offset 1
				// first (the first cost model counts its offset bits).
				if pos >= runTo {
					runTo = runEnd(in, pos, n)
				}
				if skipTo := min(runTo-(maxMatchLen+1), nextSearch-1, maxEnd); skipTo > pos {
					clear(no.counts[i : skipTo-start])
					pos = skipTo
					continue
				}
				bt.skip(in, pos, nice, depth)
				no.treeVisits++
				no.counts[i] = 0
				pos++
				continue
			}
			// Searched positions go through nearScan until one of them
			// finds a match of nice length, the cache is nearly full or
			// a splitter check is due (the checks below).
			sc.pos, sc.end, sc.start, sc.cache = pos, min(maxEnd, n-btMinBytes+1), start, cache
			sc.nextObs, sc.nextSearch = nextObs, nextSearch
			if btAsm && unsafe.Sizeof(T(0)) == 2 {
				nearScan16(&sc)
			} else {
				nearScanGo(bt, in, &sc)
			}
			pos, cache, nextObs, nextSearch = sc.pos, sc.cache, sc.nextObs, sc.nextSearch
			if cap(cache)-len(cache) < cacheRoom {
				break
			}
			if c.spl.newN >= obsPerCheck && pos-start >= minBlockSize && n-pos >= minBlockSize &&
				c.spl.shouldEnd(pos-start, &no.est.main) {
				break
			}
		}
		no.treeVisits += sc.visits
		sc.visits = 0
		no.cache = cache
		q = no.optimizeBlock(c, in, start, pos, q)
		if !c.endBlock(in, pos) {
			return false
		}
	}
	return true
}

// runEnd returns the end of the run of in[pos-1]'s value that pos
// continues (pos itself when in[pos] differs or pos is 0), at most n.
func runEnd(in []byte, pos, n int) int {
	if pos == 0 || in[pos] != in[pos-1] {
		return pos + 1
	}
	rep := uint64(in[pos]) * 0x0101010101010101
	i := pos
	for i < n {
		x := load64(in, i) ^ rep
		if x != 0 {
			i += bits.TrailingZeros64(x) >> 3
			break
		}
		i += 8
	}
	return min(i, n)
}

// nearScan is the state of the per-position loop of compressNear between
// its checks: positions pos up to end are searched (each with at least
// btMinBytes left) and their matches cached, and the greedy walk over them
// is observed from nextObs on. nearScan16 reads it at fixed offsets
// (bt_amd64.go, checked in bt_asm_test.go).
type nearScan struct {
	pos, end, start, n  int
	niceLen, depth      int
	nextObs, nextSearch int
	room                int // cache entries a search needs
	visits              int // positions searched, for tests
	cache               []uint32
	counts              []uint16 // by block position (pos-start)
	est                 *tally
	spl                 *splitter
	// For nearScan16: the matchfinder (*btMatchfinder[uint16]), the
	// input and the matchfinder's child array.
	m     unsafe.Pointer
	in    *byte
	child *uint16
}

// nearScanGo searches s.pos and the positions after it (at least one),
// caching their matches and counting the greedy walk's items for the
// splitter and the first cost model (the number of matches and their low
// offset bits), until a position finds a match of nice length (s.nextSearch
// is then where the next search is due), s.end is reached, the cache has
// less than s.room entries left, or a splitter check is due.
func nearScanGo[T mfPos](bt *btMatchfinder[T], in []byte, s *nearScan) {
	pos, cache, nextObs := s.pos, s.cache, s.nextObs
	est, spl := s.est, s.spl
	for {
		maxLen := min(maxMatchLen, s.n-pos)
		nice := min(s.niceLen, maxLen)
		cnt, best := bt.getMatches(in, pos, maxLen, nice, s.depth, cache[len(cache):cap(cache)])
		s.visits++
		cache = cache[:len(cache)+cnt]
		s.counts[pos-s.start] = uint16(cnt)
		if pos >= nextObs {
			if best >= 3 {
				spl.match(uint32(best))
				est.main[numChars]++
				est.aligned[(cache[len(cache)-1]>>matchLenBits+2)&7]++
				nextObs = pos + best
			} else {
				spl.newN++
				est.main[in[pos]]++
				nextObs = pos + 1
			}
		}
		pos++
		if best >= nice {
			s.nextSearch = pos - 1 + best
			break
		}
		if pos >= s.end || cap(cache)-len(cache) < s.room ||
			spl.newN >= obsPerCheck && pos-s.start >= minBlockSize && s.n-pos >= minBlockSize {
			break
		}
	}
	s.pos, s.cache, s.nextObs = pos, cache, nextObs
}

// optimizeBlock chooses the items of block [start, end), records them in c
// (c.seqs, c.t) and returns the repeat-offset queue after the block.
//
// Each pass prices the block with the codes of the previous pass's items.
// That usually shrinks the block, but on some data (WIM metadata at level
// 100: four passes gave 1% more than two) it oscillates; so with several
// passes the cheapest pass under its own codes is kept, not the last.
func (no *nearOptimal) optimizeBlock(c *Compressor, in []byte, start, end int, q0 uint64) uint64 {
	no.costs.estimate(c.bw.numMain, slotsUpTo(c.bw.numMain, end), &no.est, no.p.optimPasses >= 3)
	passes := no.p.optimPasses
	bestBits, bestQ, bestLitStart := -1, uint64(0), 0
	for pass := 1; ; pass++ {
		qEnd := no.minCostPath(in, start, end, q0)
		// The pass's items (last first) and their tally, the trailing
		// literals included; the block's items (c.seqs) are made once,
		// from the pass that is written.
		path, litStart := no.tallyPath(&c.t, in, start, end)
		if passes == 1 {
			return no.finishBlock(c, in, path, start, litStart, end, qEnd)
		}
		aligned := c.bw.makeCodes(&c.t)
		bits := c.bw.codes.itemBits(&c.t, aligned)
		if pass == passes {
			if bits > bestBits {
				// An earlier pass was cheaper: its items go out instead.
				path, c.t, litStart, qEnd = no.bestPath, no.bestT, bestLitStart, bestQ
			}
			return no.finishBlock(c, in, path, start, litStart, end, qEnd)
		}
		if bestBits < 0 || bits <= bestBits {
			bestBits, bestQ, bestLitStart = bits, qEnd, litStart
			no.bestPath, no.path = path, no.bestPath[:0] // the next pass fills the other buffer
			no.bestT = c.t
		}
		k := &c.bw.codes
		no.costs.set(slotsUpTo(c.bw.numMain, end), k.mainLens[:], k.lenLens[:], k.alignedLens[:], aligned)
	}
}

// tallyPath walks the program's cheapest path back from end, stores its
// items in no.path (lengths | offSym<<matchLenBits, last item first; length
// 1 is a literal) and sets t to their tally, literals after the last match
// included. It returns the path and the end of the last match (start if
// none).
func (no *nearOptimal) tallyPath(t *tally, in []byte, start, end int) ([]uint32, int) {
	*t = tally{}
	path := no.path[:0]
	litStart := -1
	nodes := no.nodes[:end-start+1]
	blk := in[start:end]
	for j := len(blk); j > 0; {
		it := nodes[j].item
		l := it & matchLenMask
		if it&gapItem != 0 {
			g := no.gaps[j]
			gl := g & matchLenMask
			path = append(path, l, 1, g)
			t.countMatch(l, 0)
			t.main[blk[j-int(l)-1]]++
			t.countMatch(gl, g>>matchLenBits)
			litStart = max(litStart, start+j)
			j -= int(l + 1 + gl)
			continue
		}
		path = append(path, it)
		if l < minMatchLen {
			t.main[blk[j-1]]++
			j--
			continue
		}
		litStart = max(litStart, start+j)
		// t.countMatch(l, it>>matchLenBits), which is too large for the
		// compiler to inline (it is a call per match per pass).
		os := it >> matchLenBits
		slot := offsetSlot(os)
		hdr := l - minMatchLen
		if hdr >= numLenHeaders-1 {
			t.length[hdr-(numLenHeaders-1)]++
			hdr = numLenHeaders - 1
		}
		t.main[numChars+slot*numLenHeaders+hdr]++
		if slot >= minAlignedSlot {
			t.aligned[os&7]++
		}
		j -= int(l)
	}
	no.path = path
	if litStart < 0 {
		litStart = start
	}
	return path, litStart
}

// finishBlock makes the block's items from path (from start on), takes
// the literals after litStart back out of the tally (endBlock counts them)
// and returns qEnd.
func (no *nearOptimal) finishBlock(c *Compressor, in []byte, path []uint32, start, litStart, end int, qEnd uint64) uint64 {
	c.recordPath(start, path)
	for _, b := range in[litStart:end] {
		c.t.main[b]--
	}
	return qEnd
}

// minCostPath runs the forward program over block [start, end) and returns
// the queue at its end. nodes[j].item is the last item of the cheapest path
// to block offset j.
//
// At each node it offers a literal, then (where the matchfinder cached
// matches) repeat offsets R0 < R1 < R2, each covering only the lengths the
// cheaper ones did not reach, then the cached explicit matches, then one
// gap item. Everything stays in one function so the block's slices and the
// cost tables stay in registers.
func (no *nearOptimal) minCostPath(in []byte, start, end int, q0 uint64) uint64 {
	size := end - start
	nodes := no.nodes[:size+1]
	// The main loop readies node i+nodeReach itself at node i (beyond what
	// node i reaches); here only the nodes the first nodes reach.
	for j := range nodes[:min(size+1, nodeReach)] {
		nodes[j] = optNode{cost: math.MaxUint32}
	}
	nodes[0].cost = 0
	costs := &no.costs
	queues := &no.queues
	cache := no.cache
	counts := no.counts[:size]
	gaps := no.gaps[:size+1]
	if nearAsm && size > 0 {
		minCostPathAsm(unsafe.SliceData(in), start, size, unsafe.SliceData(nodes), costs, unsafe.SliceData(cache),
			unsafe.SliceData(counts), &queues[0], unsafe.SliceData(gaps), q0)
	} else {
		no.minCostPathGo(in, start, size, q0)
	}
	it, g := nodes[size].item, gaps[size]
	return nodeQueue(queues[(size-itemLen(it, g))&(queueRing-1)], it, g)
}

// nodeReach is past the farthest node a node relaxes: a gap item covers
// at most 2*maxMatchLen-1 bytes (its first match is shorter than the
// longest offered length).
const nodeReach = 2 * maxMatchLen

// nearAsm selects minCostPathAsm where there is one; tests clear it to
// compare with the Go loop.
var nearAsm = haveNearAsm

// minCostPathGo is the main loop of minCostPath in Go: the nodes of block
// offsets [0, size) relax their successors.
func (no *nearOptimal) minCostPathGo(in []byte, start, size int, q0 uint64) {
	nodes := no.nodes[:size+1]
	costs := &no.costs
	queues := &no.queues
	cache := no.cache
	counts := no.counts[:size]
	gaps := no.gaps[:size+1]
	q := q0
	ci := 0
	for i := 0; i < size; i++ {
		if i+nodeReach <= size {
			nodes[i+nodeReach] = optNode{cost: math.MaxUint32}
		}
		// The queue at node i: a literal leaves its predecessor's (node
		// i-1, the previous iteration's) unchanged.
		if it := nodes[i].item; it != 1 && i > 0 {
			g := gaps[i]
			q = nodeQueue(queues[(i-itemLen(it, g))&(queueRing-1)], it, g)
		}
		queues[i&(queueRing-1)] = q
		pos := start + i
		cur := nodes[i].cost
		if lc := cur + costs.lit[in[pos]]; lc <= nodes[i+1].cost {
			nodes[i+1] = optNode{lc, 1}
		}
		cnt := int(counts[i])
		if cnt == 0 {
			continue
		}
		matches := cache[ci : ci+cnt]
		ci += cnt
		maxL := min(maxMatchLen, size-i)
		if maxL < minMatchLen {
			continue
		}
		next := minMatchLen
		cur16 := load16(in, pos)
		if r := int(q & qMask); r <= pos && load16(in, pos-r) == cur16 {
			l := extendMatch(in, pos-r, pos, 2, maxL)
			relaxRep(nodes[i+next:i+l+1], costs.match[0][next-minMatchLen:l-1], cur, uint32(next))
			next = l + 1
		}
		if r := int(q >> qBits & qMask); r <= pos && load16(in, pos-r) == cur16 {
			if l := extendMatch(in, pos-r, pos, 2, maxL); l >= next {
				relaxRep(nodes[i+next:i+l+1], costs.match[1][next-minMatchLen:l-1], cur, uint32(next)|1<<matchLenBits)
				next = l + 1
			}
		}
		if r := int(q >> (2 * qBits)); r <= pos && load16(in, pos-r) == cur16 {
			if l := extendMatch(in, pos-r, pos, 2, maxL); l >= next {
				relaxRep(nodes[i+next:i+l+1], costs.match[2][next-minMatchLen:l-1], cur, uint32(next)|2<<matchLenBits)
				next = l + 1
			}
		}
		for _, m := range matches {
			l := min(int(m&matchLenMask), maxL)
			if l < next {
				continue
			}
			f := m>>matchLenBits + 2
			slot := offsetSlot(f)
			base := cur
			if slot >= minAlignedSlot {
				base += costs.aligned[f&7]
			}
			relax(nodes[i+next:i+l+1], costs.match[slot][next-minMatchLen:l-1], base, uint32(next)|f<<matchLenBits)
			next = l + 1
		}
		// The longest explicit match, a literal, then R0 (its offset).
		// Where the repeat offsets reached as far as that match (l is
		// then their length) and R0 is its offset, the first match is
		// priced and coded as R0: as an explicit match it cost a slot
		// and footer for nothing and pushed a copy of R0 into the queue.
		// On numbered-file WIM metadata the program had settled into
		// that costlier form once per dentry (see NOTES.md).
		if next > minMatchLen && next < maxL-1 {
			m := matches[len(matches)-1]
			l := next - 1
			if int(m&matchLenMask) >= l {
				p2 := pos + l + 1
				off := int(m >> matchLenBits)
				if load16(in, p2) == load16(in, p2-off) {
					l2 := extendMatch(in, p2-off, p2, 2, min(maxMatchLen, size-i-l-1))
					f := uint32(off) + 2
					slot := offsetSlot(f)
					gc := cur + costs.lit[in[pos+l]] + costs.match[0][l2-minMatchLen]
					if uint64(off) == q&qMask {
						// R0 reached as far: code the first match as R0.
						f, slot = 0, 0
					} else if slot >= minAlignedSlot {
						gc += costs.aligned[f&7]
					}
					gc += costs.match[slot][l-minMatchLen]
					t := i + l + 1 + l2
					no.maxReach = max(no.maxReach, t-i)
					if gc < nodes[t].cost {
						nodes[t] = optNode{gc, uint32(l2) | gapItem}
						gaps[t] = uint32(l) | f<<matchLenBits
					}
				}
			}
		}
	}
}

// relax offers the nodes ns, reached by matches of consecutive lengths with
// costs base+rowCosts[j], items item+j. Ties keep the earlier arrival.
func relax(ns []optNode, rowCosts []uint32, base, item uint32) {
	rowCosts = rowCosts[:len(ns)]
	for j := range ns {
		if c := base + rowCosts[j]; c < ns[j].cost {
			ns[j] = optNode{c, item + uint32(j)}
		}
	}
}

// relaxRep is relax for repeat-offset matches, which win ties: keeping an
// offset in the queue tends to pay later.
func relaxRep(ns []optNode, rowCosts []uint32, base, item uint32) {
	rowCosts = rowCosts[:len(ns)]
	for j := range ns {
		if c := base + rowCosts[j]; c <= ns[j].cost {
			ns[j] = optNode{c, item + uint32(j)}
		}
	}
}
