package xpress

import (
	"fmt"
	"math/bits"

	"github.com/wimgo/wimgo/internal/incompressible"
)

// Compressor compresses XPRESS chunks. One goroutine per instance; nothing
// is allocated after construction.
type Compressor struct {
	p        levelParams
	maxChunk int

	win   *window
	out   *outBuf
	items []uint64 // the chosen parse (see literalItem, addMatch)

	// Per-chunk statistics gathered by the parser, from which the exact
	// output size is known before anything is written.
	freqs      [numSymbols]uint32
	extraBytes int // interleaved length bytes of all matches

	lens [numSymbols]uint8
	enc  [numSymbols]uint32 // codeword<<4 | length
	huff huffBuilder

	hc   *hcMatchfinder
	chk  *incompressible.Checker
	near *nearState
}

// Items are packed as symbol<<32 | (length-3)<<16 | offset; literals have
// symbol < 256 and nothing else.
func literalItem(b byte) uint64 { return uint64(b) << 32 }

// farLen3 is the offset from which the greedy and lazy parsers refuse a
// length-3 match for an input of n bytes: its offset bits and rare match
// symbol then cost more than three literals. Literal codes are flatter in
// small inputs, so the limit scales with the size (n/32: 1024 for a 32 KiB
// chunk, measured on the Go tree; wimlib uses 2048 up to 8 KiB, else 4096).
func farLen3(n int) int { return min(4096, max(256, n/32)) }

// NewCompressor returns a compressor for chunks of at most maxChunk bytes at
// the given level (wimlib's scale: 20 quick, 50 default, 100 high; any
// positive integer). maxChunk must be 4096, 8192, 16384, 32768 or 65536.
func NewCompressor(maxChunk, level int) (*Compressor, error) {
	if err := checkChunk(maxChunk); err != nil {
		return nil, err
	}
	if level < 1 {
		return nil, fmt.Errorf("xpress: compression level %d out of range (must be >= 1)", level)
	}
	c := &Compressor{
		p:        params(level),
		maxChunk: maxChunk,
		win:      new(window),
		out:      new(outBuf),
		items:    make([]uint64, maxChunk+1),
		chk:      incompressible.NewChecker(maxChunk),
	}
	if c.p.useBT {
		c.near = newNearState(maxChunk)
	} else {
		c.hc = new(hcMatchfinder)
	}
	return c, nil
}

// MemoryNeeded is the memory one Compressor holds, for sizing the worker pool.
// The matchfinders' arrays have fixed sizes (they are indexed by uint16
// positions); the item list and match cache scale with maxChunk.
func MemoryNeeded(maxChunk, level int) int64 {
	const fixed = 40 << 10 // the Compressor itself, and allocation rounding
	n := fixed + incompressible.MemoryNeeded(maxChunk) + int64(8*(maxChunk+1)) + int64(len(window{})) + int64(len(outBuf{}))
	if params(level).useBT {
		return n + nearMemory(maxChunk)
	}
	return n + 2*int64(len(hcMatchfinder{}.head3)+len(hcMatchfinder{}.head4)+len(hcMatchfinder{}.next))
}

// Compress compresses src (1 <= len(src) <= maxChunk) into dst and returns
// the compressed length, or 0 when the result would not be smaller than src
// or does not fit in dst (the chunk is then stored raw). It writes at most
// min(len(dst), len(src)-1) bytes and never modifies src.
func (c *Compressor) Compress(dst, src []byte) int {
	if len(src) == 0 || len(src) > c.maxChunk {
		return 0
	}
	limit := min(len(dst), len(src)-1)
	if limit < minOutput {
		return 0
	}
	// Random-looking chunks (already-compressed files) are stored raw
	// without being parsed: the 256-byte code table alone outweighs what
	// their literals and rare repeats could save.
	if c.chk.Hopeless(src, tableBytes, 0, 0) {
		return 0
	}
	return c.compress(dst[:limit], src)
}

// compress parses src and writes it to dst if it fits, returning the size
// written or 0. It has no "smaller than src" rule, so tests can encode tiny
// inputs.
func (c *Compressor) compress(dst, src []byte) int {
	n := len(src)
	copy(c.win[:], src)
	// Zero the slack so hashes and word compares past the end are the same
	// whatever the previous chunk held: output depends on src alone.
	clear(c.win[n:min(n+16, len(c.win))])
	c.freqs = [numSymbols]uint32{}
	c.extraBytes = 0

	var k int
	switch c.p.parser {
	case parseGreedy:
		k = c.parseGreedy(n)
	case parseLazy:
		k = c.parseLazy(n)

	default:
		k = c.parseNear(n)
	}
	c.freqs[eodSymbol]++
	c.huff.build(&c.freqs, &c.lens, &c.enc)
	size := c.outputSize()
	if size > len(dst) {
		return 0
	}
	c.write(dst[:size], c.items[:k])
	return size
}

// addMatch counts a match and returns its item. (Offset bits are
// summed from the symbol counts when the size is computed.)
func (c *Compressor) addMatch(length, off int) uint64 {
	adj := length - minMatchLen
	lo := bits.Len16(uint16(off)) - 1
	sym := numChars | lo<<4 | min(adj, 15)
	c.freqs[sym]++
	if adj >= 15 {
		if adj-15 < 255 {
			c.extraBytes++
		} else {
			c.extraBytes += 3
		}
	}
	return uint64(sym)<<32 | uint64(adj)<<16 | uint64(off)
}
