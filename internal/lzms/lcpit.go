package lzms

import (
	"math/bits"
	"slices"
	"sync"
	"unsafe"

	"github.com/wimgo/wimgo/internal/pages"
)

// lcpFinder is a matchfinder over the lcp-interval tree of a chunk (the
// suffix tree's inner nodes, read off the suffix array and its lcp array;
// Abouelhoda, Kurtz and Ohlebusch 2004). The positions sharing a prefix of
// length l with position p are the suffixes of one interval of lcp >= l
// containing p; so the matches of p, for every length, with the nearest
// source, come from the intervals on p's path to the root: for each, the
// most recent position that passed through it. Visiting the positions in
// order, each one climbs its path and claims the intervals as it goes.
//
// Where the binary trees walk a few dozen nodes per position through the
// whole chunk (cache misses at big chunks), the climb touches one interval
// per match reported, and building the structure is a few linear passes.
//
// Both arrays pack an lcp code above a position or interval index, in
// 32-posBits bits. When that is too few for every lcp up to nice (64 MiB
// chunks: 6 bits), the long lcps share codes (see init): an interval then
// stands for a range of lengths, and the matches it yields are measured.
type lcpFinder struct {
	in []byte
	// nodes: the suffix array while loading, then per interval either
	// its parent's ref (lcp and index; the lcp is nonzero unless the
	// parent is the root) while no position has claimed it, or the most
	// recent position that did (no lcp bits).
	nodes []uint32
	// links: scratch and the inverse suffix array while loading, then
	// per position the ref of the deepest interval containing it; once
	// the position has been visited, the ref of the interval where it
	// stopped being the most recent one (0 when none).
	links []uint32
	// lms: suffixArray's LMS bitmaps (a quarter of a byte a position),
	// needed only while it runs. Compressors of big chunks do not keep
	// them: reset borrows the output buffer's tail, idle until the parse
	// (16 MiB per compressor at 64 MiB, which put --solid's peak over
	// wimlib's).
	lms       []uint64
	borrowLMS bool
	// gate, when set, is held while nodes and links are both full (see
	// index): compressors sharing it take their peaks in turn.
	gate    sync.Locker
	ahead   aheadRing // prefetchAhead's state for the next positions
	posBits uint
	nice    int // a match this long ends the search
	// code: lcp (up to nice) to the code stored; length: code to the
	// shortest lcp it stands for. Codes up to exact stand for one lcp.
	code   []uint8
	length []uint32
	exact  uint32
	// Long repeats left out of the suffix array (repeats.go): in is then
	// the reduced text, and find translates positions and offsets.
	cuts    []repeatCut
	next    int // the first cut not yet passed by the visits
	shift   int // positions left out before the one visited
	origLen int // the chunk's length
}

// lcpAhead, lcpDirectAhead: storeLCPPhi's scan and storeLCPDirect
// prefetch the text this many positions ahead (direct, 64 MiB of Go
// source: 8 ahead 0.7-0.8x the time of Kasai's scan, 16 or 32 0.65x).
const (
	lcpAhead       = 8
	lcpDirectAhead = 16
)

// setCodes fills the lcp code tables for codes up to maxCode. Without room
// for every lcp up to nice, the top quarter of the codes cover the long
// lcps in equal steps (64 MiB chunks, 6 bits, nice 100: lcps up to 47, then
// 48, 52, ..., 108). With lcps simply capped at 63 instead, the nearest
// longer matches went missing: netgo.tar, 64 MiB, level 100 was 2.8 KB
// larger than with 7-bit lcps.
func (f *lcpFinder) setCodes(maxCode, nice int) {
	exact, step := nice, 1
	if maxCode < nice {
		exact = maxCode * 3 / 4
		step = (nice - exact + maxCode - exact - 1) / (maxCode - exact)
	}
	f.exact = uint32(exact)
	f.code = make([]uint8, nice+1)
	f.length = make([]uint32, min(maxCode, nice)+1)
	for l := range f.code {
		c := l
		if l > exact {
			c = exact + 1 + (l-exact-1)/step
		}
		if l < lcpMinLen {
			c = 0
		}
		f.code[l] = uint8(c)
	}
	for c := range f.length {
		l := c
		if c > exact {
			l = exact + 1 + (c-exact-1)*step
		}
		f.length[c] = uint32(l)
	}
}

// lcpMinLen: shorter common prefixes are no matches (stored as lcp 0).
const lcpMinLen = 2

// lcpPosBits is the position field's width for chunks of up to maxChunk.
func lcpPosBits(maxChunk int) uint {
	return uint(max(bits.Len(uint(maxChunk-1)), 1))
}

func (f *lcpFinder) init(maxChunk, nice int) { f.initIn(maxChunk, nice, nil) }

// initIn is init keeping f's nodes and links in shared when that has room
// for them (see sharedLen).
func (f *lcpFinder) initIn(maxChunk, nice int, shared []uint32) {
	f.posBits = lcpPosBits(maxChunk)
	f.nice = nice
	f.setCodes(1<<(32-f.posBits)-1, nice)
	f.borrowLMS = maxChunk > eagerAlloc
	if maxChunk <= eagerAlloc {
		f.allocIn(maxChunk, shared)
	}
}

// sharedWords is how many words of shared alloc(n) uses.
func sharedWords(n int) int { return 2*n + 256 }

func (f *lcpFinder) alloc(n int) { f.allocIn(n, nil) }

// allocIn is alloc keeping nodes and links in shared when it has room.
func (f *lcpFinder) allocIn(n int, shared []uint32) {
	if len(shared) >= sharedWords(n) {
		f.nodes = shared[:n:n]
		f.links = shared[n:sharedWords(n):sharedWords(n)]
	} else {
		f.nodes = make([]uint32, n)
		f.links = make([]uint32, n+256) // suffixArray's scratch needs 256 more
	}
	if !f.borrowLMS {
		f.lms = make([]uint64, saisBitmap(n))
	}
}

// idleMin: arrays of big chunks are released past the chunk when at least
// this many entries would sit idle.
const idleMin = 1 << 20

// u32Bytes is s's memory as bytes.
func u32Bytes(s []uint32) []byte {
	if len(s) == 0 {
		return nil
	}
	return unsafe.Slice((*byte)(unsafe.Pointer(&s[0])), 4*len(s))
}

// lmsBitmaps returns the LMS bitmaps for a text of n bytes: the
// compressor's own, else the last aligned words of scratch when it has
// them (lent: the bytes of scratch they take), else new ones, kept.
func (f *lcpFinder) lmsBitmaps(n int, scratch []byte) (bm []uint64, lent []byte) {
	words := saisBitmap(n)
	if len(f.lms) >= words {
		return f.lms[:words], nil
	}
	// The tail: the parse's bit stream is written backwards from the end
	// of the output (most of it), so some of those pages are touched
	// anyway; the rest are released after the sort.
	if start := len(scratch) - 8*words; start >= 0 {
		start -= int(uintptr(unsafe.Pointer(&scratch[start])) % 8) // aligned down
		if start >= 0 {
			return unsafe.Slice((*uint64)(unsafe.Pointer(&scratch[start])), words), scratch[start : start+8*words]
		}
	}
	f.lms = make([]uint64, words)
	return f.lms, nil
}

// reset builds the interval tree of in: its suffix array, then the lcps
// and the intervals (index). scratch is memory the suffix sort may use
// meanwhile (see lms).
func (f *lcpFinder) reset(in, scratch []byte) {
	n := len(in)
	if len(f.nodes) < n {
		f.alloc(n)
	}
	if f.borrowLMS && len(f.nodes)-n >= idleMin {
		// A shorter chunk than the arrays were last filled for (a solid
		// resource's last): the rest of them would stay resident idle.
		pages.Release(u32Bytes(f.nodes[n:]))
		pages.Release(u32Bytes(f.links[n+256:]))
	}
	in = f.reduce(in)
	n = len(in)
	f.in = in
	f.ahead = aheadRing{} // below every chunk's length (the climbs read through it)
	if n == 0 {
		return
	}
	sa := f.nodes[:n]
	bm, lent := f.lmsBitmaps(n, scratch)
	suffixArray(in, unsafe.Slice((*int32)(unsafe.Pointer(&sa[0])), n), 256,
		unsafe.Slice((*int32)(unsafe.Pointer(&f.links[0])), n+256), bm)
	// The lent pages would stay resident through the parse, whose bit
	// stream reaches only some of them (9 to 13 of 16 MiB at 64 MiB
	// chunks of Go source).
	pages.Release(lent)
	f.index(in, sa, f.links[:n])
}

// index turns sa into the interval tree and fills links: the lcp of each
// suffix with the one sorted before it, capped at nice, then one scan of
// the array and the lcps that opens and closes the intervals.
//
// Chunks over lcpDirectMin bytes have their lcps compared directly, in
// sorted order, 8 bytes at a time, and stored in sa above the positions:
// that scan reads sa in order and the text at one new place per entry
// (prefetched), where the text-order scans (storeLCPPhi, or Kasai's with
// an inverse suffix array) spend scattered accesses per position; with
// the cap the comparisons are short on real data (a mean lcp of 35 at
// nice 100 on 64 MiB of Go source). Where most lcps reach the cap (a
// block repeated at a distance too long for repeats.go) the text-order
// scan, streaming the text, wins by far, so a sample of the lcps picks.
//
// The tree takes fewer entries of nodes than the suffix array did (0.45 a
// position on 64 MiB of Go source, lcps capped at nice 100): at big chunks
// the rest is released, so a compressor's arrays hold 5.8 bytes a position
// through the parse instead of 8. The 8 are reached while links fills (in
// random order: all its pages early in the scan) with nodes still whole;
// compressors sharing a gate (SetGate: --solid's workers, whose chunks
// start together) pass that stretch in turn, a fraction of a second of a
// chunk's seconds, so that their peaks do not add up.
func (f *lcpFinder) index(in []byte, sa, links []uint32) {
	phi := len(in) <= lcpDirectMin || f.longLCPs(in, sa)
	if !phi {
		f.storeLCPDirect(in, sa)
	}
	if f.gate != nil && f.borrowLMS {
		f.gate.Lock()
		defer f.gate.Unlock()
	}
	var m int
	if phi {
		f.storeLCPPhi(in, sa, links)
		m = f.buildIntervalsPhi(sa, links)
	} else {
		m = f.buildIntervals(sa, links)
	}
	if f.borrowLMS && len(sa)-m >= idleMin {
		pages.Release(u32Bytes(sa[m:]))
	}
}

// storeLCPDirect stores index's lcps by direct comparisons: directGo, or
// direct_amd64.s, the same loop in assembly (the two prefetches a call
// each in Go; direct_asm_test.go compares the two).
func (f *lcpFinder) storeLCPDirect(in []byte, sa []uint32) {
	f.direct(in, sa)
}

// directGo is storeLCPDirect's loop.
func (f *lcpFinder) directGo(in []byte, sa []uint32) {
	n := len(in)
	prev := int(sa[0])
	for r := 1; r < n; r++ {
		if r+lcpDirectAhead < n {
			// The second line: a fifth of the lcps of big chunks
			// of source reach 100.
			q := int(sa[r+lcpDirectAhead])
			prefetch(unsafe.Pointer(&in[q]))
			prefetch(unsafe.Pointer(&in[min(q+64, n-1)]))
		}
		p := int(sa[r])
		h := extend(in, prev, p, 0, min(f.nice, n-max(prev, p)))
		sa[r] = uint32(p) | uint32(f.code[h])<<f.posBits
		prev = p
	}
}

// longLCPs tells whether the mean lcp (capped at nice) of sa's neighbours,
// sampled at lcpSamples ranks, is over lcpDirectMax. The ranks are
// scattered (evenly spaced ones fell in step with a text repeated at half
// its length, where the neighbours alternate long and short lcps).
func (f *lcpFinder) longLCPs(in []byte, sa []uint32) bool {
	n := len(in)
	if n < 2 {
		return false
	}
	sum := 0
	x := uint64(0x9E3779B97F4A7C15)
	for range lcpSamples {
		x ^= x << 13
		x ^= x >> 7
		x ^= x << 17
		r := 1 + int(x%uint64(n-1))
		p, q := int(sa[r-1]), int(sa[r])
		sum += extend(in, p, q, 0, min(f.nice, n-max(p, q)))
	}
	return sum > lcpDirectMax*lcpSamples
}

const (
	lcpSamples = 1024
	// lcpDirectMax: about the direct comparisons' break-even mean lcp
	// against Kasai's. 64 MiB, nice 200 (sampled mean lcp; lcps' time,
	// Kasai's / direct): Go source (53) 86-117 / 56-79 ns a byte; a
	// 100,000-byte block repeated (200) 48-64 / 109-130; nice 255, 32 MiB
	// of random bytes twice (128) 168 / 178. A 1 MiB chunk of that block
	// (nice 100: 90) 10 / 28.
	lcpDirectMax = 64
	// lcpDirectMin: up to this size the arrays mostly stay in the
	// last-level cache and Kasai's misses are cheap. Kasai's / direct,
	// ns a byte of Go source and of Go binaries, nice 100: 1 MiB chunks
	// 16.6 / 20.9 and 15.2 / 11.8; 4 MiB 19.8 / 17.0 and 19.2 / 11.9;
	// 16 MiB 27.4 / 23.0 and 31.8 / 17.5; 64 MiB 68.8 / 40.1 and 48.9 /
	// 23.2.
	lcpDirectMin = 2 << 20
)

// openInterval pushes a new interval of lcp l (in the high bits) and index
// next on the stack; it returns the stack, the interval and the next index.
func openInterval(stack []uint32, l, next uint32) ([]uint32, uint32, uint32) {
	v := l | next
	return append(stack, v), v, next + 1
}

// closeIntervals closes the intervals on the stack deeper than lcp l: each
// becomes the child of the one under it, or of an interval of lcp l
// opened in its place. It returns the stack and the next index.
func closeIntervals(stack, nodes []uint32, l, next, mask uint32) ([]uint32, uint32) {
	for {
		closed := stack[len(stack)-1] & mask
		stack = stack[:len(stack)-1]
		up := stack[len(stack)-1]
		if l > up&^mask {
			// The closed interval's parent opens here.
			stack, up, next = openInterval(stack, l, next)
		}
		nodes[closed] = up
		if l >= up&^mask {
			return stack, next
		}
	}
}

// closeAllIntervals ends a scan: the last position's link is the top, and
// the intervals still open close, each the child of the one under it.
func closeAllIntervals(stack, nodes, links []uint32, prev, mask uint32) {
	links[prev] = stack[len(stack)-1]
	for k := len(stack) - 1; k > 0; k-- {
		nodes[stack[k]&mask] = stack[k-1]
	}
	nodes[0] = 0
}

// buildIntervalsGo (buildIntervals) scans the suffix array with its lcps
// in sorted order, keeping a stack of the open intervals (lcps increasing
// up the stack), and turns it in place into the interval array: an
// interval gets an index when it opens (at most one per suffix, below the
// scan) and its parent's ref when it closes. Each position's link gets the
// deepest interval containing it. It returns the count of intervals: the
// entries of sa past them are left as they were. intervals_amd64.s is the
// same scan in assembly (intervals_asm_test.go compares the two).
func (f *lcpFinder) buildIntervalsGo(sa, links []uint32) int {
	shift := f.posBits
	mask := uint32(1)<<shift - 1
	nodes := sa
	stack := make([]uint32, 1, len(f.length)+1)
	stack[0] = 0 // the root: lcp 0, index 0
	next := uint32(1)
	prev := sa[0] & mask
	for r := 1; r < len(sa); r++ {
		v := sa[r]
		l := v &^ mask
		top := stack[len(stack)-1]
		if l > top&^mask {
			// Both suffixes open a deeper interval.
			stack, top, next = openInterval(stack, l, next)
		}
		links[prev] = top
		prev = v & mask
		if l != top&^mask {
			stack, next = closeIntervals(stack, nodes, l, next, mask)
		}
	}
	closeAllIntervals(stack, nodes, links, prev, mask)
	return int(next)
}

// find visits position p of the chunk (positions must be visited in
// order, each at most once) and appends to out its matches: strictly
// increasing lengths (at most min(nice, chunk length-p)), each with the
// nearest source of at least that length. With record false it only
// visits. A position left out of the suffix array (repeats.go) gets the
// copy one period back, at least nice long.
//
// The climb (climbs): intervals no position has claimed yet hang from
// their parent refs; p claims them. The first claimed interval on the way
// up holds the longest match's source q; from there the path goes up by
// q's link, which leads past every interval q still holds to the first one
// a later position took over. A source can be stale (a later position
// took over an interval below without this one learning of it): its link
// then points below the current interval, and the position that took over
// there is the fresher source. p becomes the source of every interval it
// meets, and each source it passes gets a link to where p took over.
func (f *lcpFinder) find(p int, out []match, record bool) []match {
	rp := p // in the reduced text
	if len(f.cuts) != 0 {
		if c := f.leftOut(p); c != nil {
			if record {
				out = append(out, match{uint32(min(f.nice, f.origLen-p)), uint32(c.period)})
			}
			return out
		}
		rp = p - f.shift
	}
	if rp == 0 {
		// A claim by position 0 would read as an unclaimed child of
		// the root and cut the paths of later positions; position 0
		// claims nothing and is never a source.
		return out
	}
	if !record {
		f.climbs(rp, rp+1, nil, nil)
		return out
	}
	start, room := len(out), len(f.length)
	out = slices.Grow(out, room)
	buf := out[start : start+room]
	k, _ := f.climbs(rp, rp+1, buf, nil)
	copy(buf, buf[room-k:]) // the climb writes at the end
	out = out[:start+k]
	ms := out[start:]
	if k > 0 && ms[k-1].length > f.exact {
		f.measure(rp, ms)
	}
	if len(f.cuts) != 0 {
		f.unreduce(p, ms)
	}
	return out
}

// measure turns the shared codes of the matches ms of position rp (the
// longest ones, last) into their lengths. Codes up to exact are the
// lengths.
func (f *lcpFinder) measure(rp int, ms []match) {
	for i := len(ms) - 1; i >= 0 && ms[i].length > f.exact; i-- {
		// The source is outside the next deeper interval, so lengths
		// stay increasing.
		l := f.length[ms[i].length]
		ms[i].length = uint32(extend(f.in, rp-int(ms[i].offset), rp, int(l), min(f.nice, len(f.in)-rp)))
	}
}

// visit visits the positions [from, to) without recording matches,
// skipping over those left out: each stretch between cuts in one call.
func (f *lcpFinder) visit(from, to int) {
	for q := from; q < to; {
		if c := f.leftOut(q); c != nil {
			q = c.at + c.n
			continue
		}
		end := to
		if f.next < len(f.cuts) {
			end = min(end, f.cuts[f.next].at)
		}
		// Position 0 claims nothing (see find).
		f.climbs(max(q-f.shift, 1), end-f.shift, nil, nil)
		q = end
	}
}
