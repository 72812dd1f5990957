package lzms

import (
	"encoding/binary"
	"math/bits"
	"unsafe"

	"github.com/wimgo/wimgo/internal/incompressible"
)

// Compressor produces LZMS chunks with a near-optimal parser (parse.go)
// over the matches of an lcp-interval matchfinder (lcpit.go) or, for chunks
// over 64 MiB and near-uniform ones, a binary-tree matchfinder (bt.go), and
// a delta matchfinder (delta.go).
type Compressor struct {
	maxChunk int
	level    int

	builder codeBuilder
	probs   probs

	literal, lzOffset, length, deltaOffset, deltaPower encCode

	mf btFinder
	lf lcpFinder
	ah aheadFinder // runs lf on a spare thread (ahead.go)
	cb climbBatch  // the next positions' matches, climbed together (find)
	// chk stores random-looking chunks raw without parsing them (chunks up
	// to incompressible.MaxLen; solid resources' chunks are larger).
	chk *incompressible.Checker
	// Which matchfinders the compressor has (see finders), and which
	// one the current chunk uses.
	hasLCP, hasTree bool
	onLCP           bool
	// oneByte: the chunk is one byte value repeated and no matchfinder
	// was built (see encode).
	oneByte  bool
	nice     int // a match this long is taken without weighing others
	df       deltaFinder
	useDelta bool
	// matchLitRep: also price an explicit match, a literal and a repeat
	// of the same offset as one step.
	matchLitRep bool
	// litRep: also price a literal and a repeat of the last offset.
	litRep bool
	// repLitRep: matchLitRep for repeat matches.
	repLitRep bool

	stats   *itemStats // tests only: items written, by kind
	buf     []byte     // the x86-filtered copy of the chunk
	lastTgt *x86Targets

	costs costModel
	parseNodes
	states   []parseState // by node, once the parser gets there
	spare    []uint64     // the arrival log's other buffer, for compacting
	matches  []match
	dmatches []match
	items    []uint64 // one block's path, backwards: item<<32 | length
}

const (
	eagerAlloc = 4 << 20 // chunk sizes up to this get their buffers at construction
	optBlock   = 2048    // positions the parser looks at before it commits
	// cachedChunk: chunks up to this size (and their matchfinder) mostly
	// stay in the cache; bigger ones prefetch.
	cachedChunk = 512 << 10
)

// compressorParams scales the search with the level: nice is the match
// length the parser takes without weighing alternatives, depth the tree
// nodes the binary trees visit per position (depth and hashBits only
// matter where the trees are used, see finders). nice is twice wimlib's
// (level*63/50): on tar files of sources the longer runs the parser
// weighs save 0.1% at 128 KiB and 0.6% at 64 MiB for a few % of time.
func compressorParams(maxChunk, level int) (depth, nice int, hashBits uint) {
	nice = min(max(level*2, 8), maxNice)
	depth = min(max(level, 8), 1000)
	if maxChunk > 1<<20 && level >= 35 {
		// Big chunks have deeper trees, and the better offsets found
		// deeper matter more there (50 -> 80 at level 50 saves 0.3% at
		// 64 MiB for 8% more time; at 128 KiB depth hardly matters).
		// Below level 35 the margin over wimlib is wide (0.9% at 64
		// MiB, level 20) and the time goes first: depth 32 -> 20 there
		// is 0.5% larger and 10% faster, still 0.35% under wimlib.
		depth = depth * 8 / 5
	}
	order := uint(bits.Len(uint(maxChunk)) - 1)
	hashBits = min(max(order, 15), 22)
	return
}

// NewCompressor returns a compressor for chunks of at most maxChunk bytes
// (a power of two from 32 KiB to 1 GiB) at level (any positive integer;
// it only scales the search effort).
func NewCompressor(maxChunk, level int) (*Compressor, error) {
	if err := checkChunkSize(maxChunk); err != nil {
		return nil, err
	}
	// wimlib takes levels up to 2^32-2; every parameter has saturated long
	// before 2^20 (depth 1000, nice maxNice), and clamping keeps level*2
	// from overflowing a 32-bit int.
	level = min(max(level, 1), 1<<20)
	c := &Compressor{maxChunk: maxChunk, level: level}
	var hb uint
	c.mf.depth, c.nice, hb = compressorParams(maxChunk, level)
	c.hasLCP, c.hasTree = finders(maxChunk)
	shared := make([]uint32, sharedLen(maxChunk))
	c.chk = incompressible.NewCheckerIn(min(maxChunk, incompressible.MaxLen), shared)
	if c.hasLCP {
		c.lf.initIn(maxChunk, c.nice, shared)
		c.cb.ms = make([]match, climbBatchRoom+len(c.lf.length))
		c.cb.measure = int(c.lf.exact) < len(c.lf.length)-1
	}
	if c.hasTree {
		c.mf.nice = c.nice
		c.mf.initIn(maxChunk, hb, shared)
	}
	b := &c.builder
	c.literal.init(b, literalRebuild, numLiteralSyms)
	c.lzOffset.init(b, lzOffsetRebuild, maxOffsetSyms)
	c.length.init(b, lengthRebuild, numLengthSyms)
	c.deltaOffset.init(b, deltaOffsetRebuild, maxOffsetSyms)
	c.deltaPower.init(b, deltaPowerRebuild, numDeltaPowerSyms)
	// Delta matches pay off on tables and sampled data; below level 35
	// the time goes to the LZ search instead.
	c.useDelta = level >= 35
	c.matchLitRep = level >= 45
	c.repLitRep = level >= 50
	c.ForMetadata(false)
	if c.useDelta {
		c.df.table = make([]int32, 1<<deltaHashBits)
	}
	c.lastTgt = new(x86Targets)
	c.keys = make([]uint64, optNodes)
	c.states = make([]parseState, optNodes)
	c.arrivals = make([]uint64, 0, arrivalCap)
	c.spare = make([]uint64, 0, arrivalCap)
	c.matches = make([]match, 0, maxNice+2)
	c.dmatches = make([]match, 0, deltaPowers)
	if maxChunk <= eagerAlloc {
		c.buf = make([]byte, maxChunk)
	}
	return c, nil
}

// ForMetadata tunes c for a WIM metadata resource (on) or for file data
// (off, the default). The literal+repeat step (a literal, then the front
// repeat offset) is priced from level 60 in file data, as wimlib does: from
// 50 it saved 0.03% on the Go tree (every file on its own, 128 KiB chunks:
// 65,038,908 -> 65,019,784 bytes; wimlib's code 65,112,259) for 5-7%
// more time, and on tars of sources 0.01-0.05% for 0-9%. Metadata (records
// of one layout, names differing a little) gains more, and is a small part
// of the data: its resources keep the step from level 50 (the 200,000
// numbered names' metadata 5,172,544 -> 5,155,858 bytes).
func (c *Compressor) ForMetadata(on bool) {
	c.litRep = c.level >= 60 || on && c.level >= 50
}

// sharedLen is the length of the buffer that the position arrays of a
// compressor's matchfinders and its checker's larger tables share: a chunk
// is checked, then parsed with one matchfinder or the other, and each
// rebuilds its arrays for every chunk (the checker clears its tables; the
// suffix array and lcps fill every entry; the trees read only the nodes of
// positions inserted since their heads were reset). At 128 KiB chunks the
// three took 1 MiB each; a worker meeting near-uniform and random chunks
// as well as text (any large tree: archives, images) held all three.
// Chunks over eagerAlloc bytes get their arrays as they come: 0.
func sharedLen(maxChunk int) int {
	if maxChunk > eagerAlloc {
		return 0
	}
	lcp, tree := finders(maxChunk)
	n := incompressible.ScratchWords(min(maxChunk, incompressible.MaxLen))
	if lcp {
		n = max(n, sharedWords(maxChunk))
	}
	if tree {
		n = max(n, 2*maxChunk)
	}
	return n
}

// MemoryNeeded is the memory one Compressor holds for maxChunk at level:
// 1 byte per chunk byte (the filtered copy) and about 1 MiB, plus for each
// matchfinder 8 bytes per chunk byte (two int32 arrays: the lcp-interval
// tree's intervals and links, or the binary trees' children) and for the
// trees their hash tables; the suffix sorter's LMS bitmaps add a quarter
// byte per chunk byte.
func MemoryNeeded(maxChunk, level int) int64 {
	fixed := int64(128<<10) + 65536*4 + int64(optNodes)*int64(8+unsafe.Sizeof(parseState{})) + 2*8*arrivalCap +
		16<<10 + 4<<deltaHashBits + incompressible.MemoryNeeded(min(maxChunk, incompressible.MaxLen))
	perByte := int64(1)
	lcp, tree := finders(maxChunk)
	if lcp {
		fixed += 256 * 4 // the suffix sorter's buckets
		fixed += (climbBatchRoom + maxNice + 1) * 8
		if maxChunk <= eagerAlloc {
			// Its bitmaps; bigger chunks borrow them from a dst of at
			// least a quarter of the chunk (see lcpFinder.lms).
			fixed += int64(saisBitmap(maxChunk)) * 8
		}
		perByte += 8
	}
	if tree {
		_, _, hb := compressorParams(maxChunk, min(max(level, 1), 1<<20))
		fixed += 65536*4 + int64(4)<<hb
		perByte += 8
	}
	total := fixed + int64(maxChunk)*perByte
	if sh := sharedLen(maxChunk); sh > 0 {
		// The arrays counted above one by one share one buffer.
		total -= int64(4 * incompressible.ScratchWords(min(maxChunk, incompressible.MaxLen)))
		if lcp {
			total -= 8 * int64(maxChunk)
		}
		if tree {
			total -= 8 * int64(maxChunk)
		}
		total += 4 * int64(sh)
	}
	return total
}

// Compress compresses src into dst, returning the compressed size, or 0 when
// it would not be smaller than src or does not fit in dst. src is not
// modified.
func (c *Compressor) Compress(dst, src []byte) int {
	return joinParts(dst, c.compress(dst, src, false))
}

// CompressInPlace is Compress with src as its working buffer: the x86
// filter runs on src itself instead of a copy, which saves a chunk of memory
// per compressor (64 MiB with solid resources' chunks; wimlib's compressors
// work in place too). When it returns 0 src holds its bytes again (the
// filter is undone), so the chunk can be stored raw from it; after a
// nonzero result src's bytes are unspecified.
func (c *Compressor) CompressInPlace(dst, src []byte) int {
	return joinParts(dst, c.compress(dst, src, true))
}

// CompressInPlaceParts is CompressInPlace leaving the compressed chunk in
// dst as two parts, the range coder's stream at the front and the bit
// stream where it was written, backwards from the end: the chunk is head
// followed by tail (both nil where CompressInPlace returns 0). Joining them
// moves the bit stream, most of the output (8 of 11 MiB for 64 MiB of Go
// source), onto as many pages again that nothing else touches: --solid's
// writer, which can write two pieces, keeps that memory out of its peak.
func (c *Compressor) CompressInPlaceParts(dst, src []byte) (head, tail []byte) {
	p := c.compress(dst, src, true)
	if p.size() == 0 {
		return nil, nil
	}
	return dst[:p.fwd], dst[p.back:p.end]
}

// parts locates a compressed chunk in its output buffer: dst[:fwd] then
// dst[back:end].
type parts struct{ fwd, back, end int }

func (p parts) size() int { return p.fwd + p.end - p.back }

// joinParts moves the tail of p next to its head and returns the size.
func joinParts(dst []byte, p parts) int {
	copy(dst[p.fwd:], dst[p.back:p.end])
	return p.size()
}

func (c *Compressor) compress(dst, src []byte, inPlace bool) parts {
	n := len(src)
	if n < 1 || n > c.maxChunk {
		return parts{}
	}
	limit := min(len(dst), n-1) &^ 1
	if limit < 4 {
		return parts{}
	}
	in := src
	if !inPlace {
		if len(c.buf) < n {
			c.buf = make([]byte, n)
		}
		in = c.buf[:n]
		copy(in, src)
	}
	x86Filter(in, c.lastTgt, false)
	var p parts
	if !c.hopeless(in) {
		p = c.encodeTo(dst[:limit], in)
	}
	if p.size() == 0 && inPlace {
		x86Filter(in, c.lastTgt, true)
	}
	return p
}

// hopeless reports whether the filtered chunk in cannot shrink, so it is
// stored raw unparsed (already-compressed files). The bound: every literal
// pays at least the main decision's least cost (-log2(63/64) bits, n/352
// bytes in all; n/400 is taken), its literal code can do no better than a
// Huffman code for the chunk's or a 32 KiB part's bytes, and the repeat
// allowance of Hopeless; and, because the literal code adapts every 1,024
// literals and delta matches code byte differences, the bytes must look
// random in every 2 KiB block and their differences at spans 1 to 32 must
// look random too.
func (c *Compressor) hopeless(in []byte) bool {
	n := len(in)
	if n > incompressible.MaxLen || !c.chk.Hopeless(in, n/400, 4096, 0) || !incompressible.LocallyFlat(in) {
		return false
	}
	for span := 1; span <= 32; span *= 2 {
		if !incompressible.DeltaFlat(in, span) {
			return false
		}
	}
	return true
}

// encodeTo codes the filtered chunk in into out and returns where its two
// streams are, or no parts when it does not fit or would be under 4 bytes.
func (c *Compressor) encodeTo(out, in []byte) parts {
	limit := len(out)
	e := &emitter{c: c, st: initialParseState()}
	e.rc.init(out)
	e.bw.init(out)
	c.encode(in, e)
	if !e.bw.finish() || !e.rc.finish() || e.rc.next > e.bw.next {
		return parts{}
	}
	p := parts{e.rc.next, e.bw.next, limit}
	if p.size() < 4 {
		return parts{}
	}
	return p
}

func (c *Compressor) encode(in []byte, e *emitter) {
	n := len(in)
	c.probs.reset()
	nOff := numOffsetSlots(n)
	c.literal.reset(numLiteralSyms)
	c.lzOffset.reset(nOff)
	c.length.reset(numLengthSyms)
	c.deltaOffset.reset(nOff)
	c.deltaPower.reset(numDeltaPowerSyms)
	// Without two offset slots there is no offset code (and no match of
	// useful length fits anyway).
	if nOff < 2 {
		for _, b := range in {
			e.literal(b)
		}
		return
	}
	c.costs.load(c)
	c.in = in
	// A chunk of one byte value repeated (zeroed disk blocks, sparse
	// files) parses as a literal and a repeat match of offset 1 (the
	// initial rep0) over the rest, taken at position 1 since it is longer
	// than nice, before any matchfinder result counts (position 0 is
	// never a source, so they report nothing there). So neither
	// matchfinder is built: its cost dominated such chunks (wimlib's
	// time on 64 MiB of zeros was a fifth of ours).
	c.oneByte = n > c.nice && oneByte(in)
	c.onLCP = !c.oneByte && c.hasLCP && !(c.hasTree && (longRuns(in) || nearUniform(in)))
	c.cb.start, c.cb.end, c.cb.n = 0, 0, 0 // find's batch: none yet
	switch {
	case c.oneByte:
	case c.onLCP:
		c.lf.reset(in, e.rc.out) // nothing is written before the parse
		c.ah.startChunk(n)
	default:
		c.mf.reset(in)
	}
	if c.useDelta {
		c.df.reset(in)
	}
	for pos := 0; pos < n; {
		pos = c.parseBlock(in, pos, e)
	}
	c.ah.endChunk()
}

// finders says which matchfinders a compressor for chunks of up to
// maxChunk bytes has: the lcp-interval tree up to 64 MiB (its 6-bit lcps
// run out beyond), the binary trees beyond that and, up to 1 MiB, also
// for chunks of near-uniform bytes (see nearUniform; at 64 MiB the suffix
// array is faster even there).
func finders(maxChunk int) (lcp, tree bool) {
	lcp = maxChunk <= 1<<26
	return lcp, !lcp || maxChunk <= 1<<20
}

// nearUniform says whether the bytes of in are spread almost evenly (the
// chance that two random bytes of it are equal is under 1.25/256), as in
// random or already compressed data. Building the suffix array costs the
// same on any data, while the tree walks there end after a node or two:
// 20 MB of random bytes took 3.51 s by the trees, 4.44 s by the suffix
// array in 128 KiB chunks, 4.26 / 4.59 s in 1 MiB chunks (text: 4-14% and
// 18% faster by the suffix array).
//
// The sum of squares only grows, so the counts are checked every
// uniformBlock bytes and a sum already over the bound ends the scan (text:
// about a third of the way); four count tables take consecutive bytes
// (one table's increments of a byte repeated wait on each other). Only
// chunks up to 1 MiB are asked (see encode), so neither the uint32 counts
// nor the products overflow.
func nearUniform(in []byte) bool {
	var cnt [4][256]uint32
	n := uint64(len(in))
	for i := 0; i < len(in); {
		end := min(i+uniformBlock, len(in))
		for ; i+4 <= end; i += 4 {
			cnt[0][in[i]]++
			cnt[1][in[i+1]]++
			cnt[2][in[i+2]]++
			cnt[3][in[i+3]]++
		}
		for ; i < end; i++ {
			cnt[0][in[i]]++
		}
		sum := uint64(0)
		for b := range 256 {
			x := uint64(cnt[0][b] + cnt[1][b] + cnt[2][b] + cnt[3][b])
			sum += x * x
		}
		if 256*4*sum >= 5*n*n {
			return false
		}
	}
	return true
}

const uniformBlock = 16 << 10

// longRuns says whether in is mostly long runs of one byte value (on
// average 256 bytes or longer), as disk images' zeroed or filled blocks
// are. The tree skips such runs nearly for free (skip: each position's
// bucket was last entered by the one before), while the suffix array
// costs as on any data: 32 MiB of runs in 128 KiB chunks at level 50,
// 0.55 -> 0.14 s of CPU (and 8 bytes fewer).
//
// Eight neighbour pairs are compared a step (the changes counted as the
// nonzero bytes of two overlapping words' XOR), and the scan ends as soon
// as the count is over the bound (text: within a few hundred bytes).
func longRuns(in []byte) bool {
	limit := len(in) / 256
	changes := 0
	i := 1
	for ; i+8 <= len(in); i += 8 {
		x := binary.LittleEndian.Uint64(in[i:]) ^ binary.LittleEndian.Uint64(in[i-1:])
		// Bit 7 of each byte: set where the byte is nonzero.
		const low7 = 0x7F7F7F7F7F7F7F7F
		changes += bits.OnesCount64(((x & low7) + low7 | x) &^ low7)
		if changes > limit {
			return false
		}
	}
	for ; i < len(in); i++ {
		if in[i] != in[i-1] {
			changes++
		}
	}
	return changes <= limit
}

// oneByte reports whether every byte of in equals the first.
func oneByte(in []byte) bool {
	rep := uint64(in[0]) * 0x0101010101010101
	i := 0
	for ; i+8 <= len(in); i += 8 {
		if binary.LittleEndian.Uint64(in[i:]) != rep {
			return false
		}
	}
	return allBytes(in[i:], in[0])
}

// climbBatch holds the matches of the positions [start, end), climbed in
// one call: those of start+i are ms[lo[i]:lo[i-1]] (to the end for i = 0).
type climbBatch struct {
	start, end int
	// n: the positions after start that find serves inline (none when
	// the matches need measuring).
	n       uint
	measure bool // the lcps share codes (find measures the matches)
	lo      [climbBatchLen]int32
	ms      []match // climbBatchRoom + len(lf.length)
}

// climbBatchLen: find climbs this many positions at a time, then serves
// their matches. A position the parse then skips (inside a long match)
// was climbed as a visit would have, only with its matches written, so
// the bytes are the same. m20 128K, whole codec against one climb a call
// (in-process A/B): L20 16 positions 0.97, 64 0.96-0.97, 256 0.95-0.96,
// 1024 0.95; L50 16 0.98, 64 and 256 0.97. The finder alone (nothing
// between the finds) gains nothing: what the batch saves is the
// climbs' and the parse's loops taking turns at each position (the
// caches and branch predictors they share).
const climbBatchLen = 256

// climbBatchRoom: matches a batch has room for beyond one position's most
// (a batch stops early when they run out): 2 a position on average at 128
// KiB L20.
const climbBatchRoom = 4 * climbBatchLen

// find visits position p in the chunk's matchfinder (see btFinder.find).
// Given an empty out, the matches returned may lie elsewhere (valid
// until the next find or visit).
//
// The lcp finder's common case (no helper thread, no cuts, matches
// recorded, out empty) is lcpFinder.find inline, for climbBatchLen
// positions at a time: one call from the parse to the climb's assembly,
// where the calls through lcpFind and lcpFinder.find took ~5% of the time
// at 128 KiB; the matches stay where the climb wrote them (see
// climbBatch), and the batch's later positions are served first thing.
func (c *Compressor) find(p int, out []match, record bool) []match {
	// A position of the batch past its first.
	if j := uint(p - c.cb.start - 1); j < c.cb.n && record && len(out) == 0 {
		return c.cb.ms[c.cb.lo[(j+1)%climbBatchLen]:c.cb.lo[j%climbBatchLen]]
	}
	if c.onLCP {
		f, b := &c.lf, &c.cb
		if p >= b.end && record && len(out) == 0 && p > 0 && p < c.ah.nextCheck && !c.ah.running && len(f.cuts) == 0 {
			// Up to the helper's next start: a batch never covers a
			// position the helper finds.
			to := min(p+climbBatchLen, len(f.in), c.ah.nextCheck)
			_, b.end = f.climbs(p, to, b.ms, b.lo[:to-p])
			b.start = p
			for i, k := range b.lo[:b.end-p] {
				b.lo[i] = int32(len(b.ms)) - k
			}
			b.n = 0
			if !b.measure {
				b.n = uint(b.end - p - 1)
			}
		}
		if p < b.end {
			// Climbed by this chunk's last batch (positions come in
			// order: p >= b.start).
			if !record {
				return out
			}
			i := p - b.start
			hi := int32(len(b.ms))
			if i > 0 {
				hi = b.lo[i-1]
			}
			ms := b.ms[b.lo[i]:hi]
			if k := len(ms); k > 0 && ms[k-1].length > f.exact {
				f.measure(p, ms)
			}
			if len(out) != 0 {
				return append(out, ms...)
			}
			return ms
		}
		return c.lcpFind(p, out, record)
	}
	if c.oneByte {
		return out
	}
	return c.mf.find(p, out, record)
}
