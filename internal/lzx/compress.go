package lzx

import (
	"fmt"
	"unsafe"

	"github.com/wimgo/wimgo/internal/incompressible"
)

// Compressor compresses LZX chunks of one WIM resource at one level. All of
// its state is allocated by NewCompressor and reused for every chunk.
type Compressor struct {
	maxChunk int
	level    int
	p        levelParams

	in  []byte // the chunk after E8 translation, plus inputSlack zeros
	w   bitWriter
	bw  blockWriter
	t   tally
	spl splitter

	limit int // give up once the output reaches this many bytes
	seqs  []seq
	// demoteShortReps' scratch: the trial item list and output.
	demoteSeqs []seq
	demoteBuf  []byte
	blockStart int // first byte of the block being parsed
	litStart   int // first byte of the pending literal run

	hc16 *hcMatchfinder[uint16] // lazy parser, chunks up to 64K
	hc32 *hcMatchfinder[uint32] // lazy parser, larger chunks
	no   *nearOptimal
	chk  *incompressible.Checker // random-looking chunks are stored raw
}

// minCompressLen is the size below which Compress does not try: such chunks
// cannot shrink enough to matter.
const minCompressLen = 16

// NewCompressor returns a compressor for chunks of at most maxChunk bytes at
// the given level (wimlib's scale: 20 quick, 50 default, 100 high; any
// positive integer). maxChunk must be an LZX chunk size (32K to 2M).
func NewCompressor(maxChunk, level int) (*Compressor, error) {
	order, err := chunkOrder(maxChunk)
	if err != nil {
		return nil, err
	}
	if level < 1 {
		return nil, fmt.Errorf("lzx: compression level %d out of range (must be at least 1)", level)
	}
	c := &Compressor{
		maxChunk: maxChunk,
		level:    level,
		p:        params(level),
		in:       make([]byte, maxChunk+inputSlack),
		w:        bitWriter{buf: make([]byte, outBufSize(maxChunk))},
		seqs:     make([]seq, 0, maxChunk/minMatchLen+1),
		chk:      incompressible.NewChecker(maxChunk),
	}
	c.bw.numMain = numChars + numLenHeaders*numOffsetSlots(order)
	c.bw.bigBlock = maxChunk >= 1<<16
	switch {
	case c.p.nearOptimal:
		c.no = newNearOptimal(maxChunk, c.p)
	case maxChunk <= maxPos16Chunk:
		c.hc16 = newHC[uint16](maxChunk)
	default:
		c.hc32 = newHC[uint32](maxChunk)
	}
	return c, nil
}

// ForMetadata tunes c for a WIM metadata resource (on) or for file data
// (off, the default). Metadata is dentries: records of the same layout whose
// names, times and hashes differ a little from one to the next, so long
// matches a record back are everywhere; with the nice length levels from 100
// use (64*L/50 instead of 48*L/50) level 50 codes it 0.5-1% smaller
// (32K chunks: 100,000 numbered tiny files 2,334,394 -> 2,311,052 bytes,
// wimlib 2,329,888; 200,000 5,350,004 -> 5,338,638, wimlib 5,349,988; the
// Go tree's 484,376 -> 480,474, wimlib 484,644) for 6-37% more time there.
// File data keeps the shorter one: the longer cost 6% time on the Go tree
// for little gain (NOTES.md). At levels up to lazyMaxLevel the hash chains
// skip runs of one byte value instead (see hcMatchfinder.skipRuns): level
// 20 codes the metadata of 100,000 numbered files 2,398,586 -> 2,299,270
// bytes (wimlib 2,398,740), the Go tree's 490,182 -> 487,606 (wimlib
// 490,458), for 6-19% more time there.
func (c *Compressor) ForMetadata(on bool) {
	p := params(c.level)
	if on && p.nearOptimal {
		p.niceLen = max(p.niceLen, clampNice(64*c.level/50))
	}
	c.p = p
	if c.no != nil {
		c.no.p = p
	}
	if c.hc16 != nil {
		c.hc16.skipRuns = on
	}
	if c.hc32 != nil {
		c.hc32.skipRuns = on
	}
}

// outBufSize bounds the output of one chunk. A block is only started while
// the output is shorter than the chunk (endBlock gives up otherwise), and a
// block adds at most 33 bits per 2 input bytes (a length-2 match with a
// 16-bit main codeword and 17 footer bits) plus its trees (under 2.5 KiB).
func outBufSize(maxChunk int) int {
	return maxChunk + maxChunk*33/16 + 4096
}

// MemoryNeeded is the memory one Compressor holds, for sizing worker pools.
// It is 0 for a chunk size LZX does not support.
func MemoryNeeded(maxChunk, level int) int64 {
	if _, err := chunkOrder(maxChunk); err != nil {
		return 0
	}
	p := params(max(level, 1))
	n := int64(unsafe.Sizeof(Compressor{}))
	n += int64(maxChunk + inputSlack + outBufSize(maxChunk))
	n += int64(maxChunk/minMatchLen+1) * int64(unsafe.Sizeof(seq{}))
	n += incompressible.MemoryNeeded(maxChunk)
	pos := int64(4)
	if maxChunk <= maxPos16Chunk {
		pos = 2
	}
	if p.nearOptimal {
		return n + nearOptimalMemory(maxChunk, p, pos)
	}
	return n + (1<<hc3Bits+1<<hc4Bits+int64(maxChunk))*pos
}

// Compress compresses src (1 <= len(src) <= maxChunk) into dst and returns
// the compressed length, or 0 when the result would not be smaller than src
// or does not fit in dst; the chunk is then stored raw. src is not modified.
func (c *Compressor) Compress(dst, src []byte) int {
	n := len(src)
	if n < minCompressLen || n > c.maxChunk {
		return 0
	}
	size := c.compress(src, n)
	if size >= n || size > len(dst) || size < 0 {
		return 0
	}
	copy(dst, c.w.buf[:size])
	return size
}

// minBlockHeader is less than the headers of any block this compressor
// writes (block type and size, three pretrees and the code lengths they
// code); random chunks come out at least 64 bytes larger than they went
// in, and a chunk has a block per softMaxBlock bytes at least.
const minBlockHeader = 48

// hopeless reports whether the chunk in (E8-translated) cannot shrink.
func (c *Compressor) hopeless(in []byte) bool {
	blocks := (len(in) + softMaxBlock - 1) / softMaxBlock
	return c.chk.Hopeless(in, blocks*minBlockHeader, minBlockSize, minBlockHeader)
}

// compress codes src into c.w.buf and returns the length, or -1 when it
// became clear early that the result cannot be shorter than limit bytes.
func (c *Compressor) compress(src []byte, limit int) int {
	c.limit = min(limit, c.maxChunk) // outBufSize relies on it
	n := len(src)
	in := c.in[:n+inputSlack]
	copy(in, src)
	clear(in[n:])
	e8Encode(in[:n])
	// Random-looking chunks (already-compressed files) are stored raw
	// without being parsed: a block's headers outweigh what their literals
	// and rare repeats could save. Judged after the E8 translation, on
	// what the parser would see.
	if limit <= n && c.hopeless(in[:n]) {
		return -1
	}
	c.w.pos, c.w.acc, c.w.n = 0, 0, 0
	c.bw.startChunk()
	c.seqs = c.seqs[:0]
	c.blockStart, c.litStart = 0, 0
	c.t = tally{}
	c.spl.reset()
	var ok bool
	switch {
	case c.no != nil:
		ok = c.no.compress(c, in, n)
	case c.hc16 != nil:
		c.hc16.begin()
		ok = compressLazy(c, c.hc16, in, n)
		c.hc16.release(in, n)
	default:
		c.hc32.begin()
		ok = compressLazy(c, c.hc32, in, n)
		c.hc32.release(in, n)
	}
	if !ok {
		return -1
	}
	c.w.finish()
	return c.w.pos
}

// match counts the symbols of a match of length at offSym in t and
// returns its item, after litRun literals.
func (t *tally) match(litRun uint32, length int, offSym uint32) seq {
	slot := offsetSlot(offSym)
	extra := offSym - slotBase[slot]
	hdr := uint32(length - minMatchLen)
	if hdr >= numLenHeaders-1 {
		t.length[hdr-(numLenHeaders-1)]++
		hdr = numLenHeaders - 1
	}
	ms := numChars + slot*numLenHeaders + hdr
	t.main[ms]++
	if slot >= minAlignedSlot {
		t.aligned[extra&7]++
	}
	return seq{litRun: litRun, mainSym: ms, length: uint32(length), extra: extra}
}

// countMatch tallies a match as match does, without making its item.
func (t *tally) countMatch(length, offSym uint32) {
	slot := offsetSlot(offSym)
	hdr := length - minMatchLen
	if hdr >= numLenHeaders-1 {
		t.length[hdr-(numLenHeaders-1)]++
		hdr = numLenHeaders - 1
	}
	t.main[numChars+slot*numLenHeaders+hdr]++
	if slot >= minAlignedSlot {
		// Such slots' bases are multiples of 8: the footer's low bits
		// are offSym's.
		t.aligned[offSym&7]++
	}
}

// matchSeq is the item of a match after litRun literals.
func matchSeq(litRun uint32, length int, offSym uint32) seq {
	slot := offsetSlot(offSym)
	hdr := min(uint32(length-minMatchLen), numLenHeaders-1)
	return seq{litRun: litRun, mainSym: numChars + slot*numLenHeaders + hdr, length: uint32(length), extra: offSym - slotBase[slot]}
}

// endBlock writes the block [blockStart, end) with the recorded items; the
// pending literals up to end close it. It reports false once the output
// has reached c.limit.
func (c *Compressor) endBlock(in []byte, end int) bool {
	// The closing literals are tallied without the splitter, which is
	// reset below.
	for _, b := range in[c.litStart:end] {
		c.t.main[b]++
	}
	c.seqs = append(c.seqs, seq{litRun: uint32(end - c.litStart)})
	c.demoteShortReps(in[c.blockStart:end])
	c.bw.write(&c.w, in[c.blockStart:end], c.seqs, &c.t)
	c.seqs = c.seqs[:0]
	c.t = tally{}
	c.spl.reset()
	c.blockStart, c.litStart = end, end
	return c.w.pos < c.limit
}

// recordPath makes the block's items (c.seqs) from path (lengths |
// offSym<<matchLenBits, last item first; length 1 is a literal), the path
// from start on, and sets c.litStart after the last match. The tally is
// the caller's (tallyPath counted the same items).
func (c *Compressor) recordPath(start int, path []uint32) {
	seqs := c.seqs[:0]
	lit, p := start, start
	for k := len(path) - 1; k >= 0; k-- {
		it := path[k]
		l := int(it & matchLenMask)
		if l < minMatchLen {
			p += l
			continue
		}
		seqs = append(seqs, matchSeq(uint32(p-lit), l, it>>matchLenBits))
		p += l
		lit = p
	}
	c.seqs = seqs
	c.litStart = lit
}
