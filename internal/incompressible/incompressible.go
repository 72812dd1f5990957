// Package incompressible predicts, cheaply, that an LZ77 and Huffman coder
// (XPRESS, LZX) cannot make a chunk smaller, so the chunk can be stored raw
// without running the compressor. WIM volumes hold many already-compressed
// files (archives, images, packages), and compressing their chunks costs
// as much time as compressing text only to be thrown away.
//
// The prediction is a conservative estimate over every byte, not a guess
// from a sample: a chunk is declared hopeless only when a Huffman code
// built for its exact byte frequencies (the best any literal coding with
// one code can do; for codecs whose blocks have their own codes, also for
// up to four parts), plus the least header the codec always writes, minus
// a generous allowance for every repeat a coder could use (a near 3-byte
// match or any 4-byte one), is still at least the chunk's size. The
// allowance is an estimate (a repeat's saving depends on the parse), so
// the codecs' tests check the prediction against full compression of every
// file of GOROOT and of inputs built to fool it. Random bytes pass; text,
// code, tables and anything with repeats fail at the first, sampled, look.
package incompressible

import (
	"encoding/binary"
	"math/bits"
	"slices"
)

// minLen is the smallest chunk checked (below it compression is cheap);
// MaxLen the largest (the repeat table must cover the chunk).
const (
	minLen = 1024
	MaxLen = 64 << 10
)

// Checker holds the scratch table of the repeat count, so a compressor
// that checks every chunk allocates it once, in NewChecker.
type Checker struct {
	table []uint16
}

// NewChecker returns a Checker; it holds MemoryNeeded bytes.
func NewChecker() *Checker {
	return &Checker{table: make([]uint16, 1<<tableBits)}
}

// MemoryNeeded is what a Checker holds.
const MemoryNeeded = 2 << tableBits

// Hopeless reports whether compressing p is hopeless. overhead is the least
// the codec adds to p's compressed form when p is random (its tables and
// block headers). split, when positive, is the smallest block the codec may
// code with its own Huffman codes, each paying at least blockOverhead: then
// the chunk is also judged in up to four parts, so local byte statistics
// cannot hide behind a flat whole.
func (c *Checker) Hopeless(p []byte, overhead, split, blockOverhead int) bool {
	n := len(p)
	if n < minLen || n > MaxLen || !flatSample(p) {
		return false
	}
	budget := func(bits uint64, overhead int) int { return int(bits/8) + overhead - n }
	var whole [256]uint32
	histogram(&whole, p)
	slack := budget(huffmanBits(&whole), overhead)
	if split > 0 && n >= 2*split {
		parts := min(4, n/split)
		size := n / parts
		var bits uint64
		for i := range parts {
			var h [256]uint32
			end := (i + 1) * size
			if i == parts-1 {
				end = n
			}
			histogram(&h, p[i*size:end])
			bits += huffmanBits(&h)
		}
		slack = min(slack, budget(bits, parts*blockOverhead))
	}
	if slack < 0 {
		return false
	}
	return c.repeats(p, slack+1) <= slack
}

// flatSample reports whether 512 to 1023 bytes sampled evenly across p
// are spread over the byte values as random bytes would be (2 to 4 a
// value on average: about 35 to 5 values unseen, none seen more than 16
// or 20 times). Text leaves half the values unseen and code is heavy in
// zeros, so they are rejected here at a small fraction of their
// compression's cost.
func flatSample(p []byte) bool {
	stride := max(1, len(p)/512)
	var h [256]uint16
	k := 0
	for i := 0; i < len(p); i += stride {
		h[p[i]]++
		k++
	}
	limit := uint16(4*(k/256) + 8)
	zeros := 0
	for _, c := range h {
		if c == 0 {
			zeros++
		}
		if c > limit {
			return false
		}
	}
	return zeros <= 72
}

func histogram(h *[256]uint32, p []byte) {
	for _, b := range p {
		h[b]++
	}
}

// huffmanBits returns the size in bits of p coded with an optimal Huffman
// code for its byte frequencies h (no length limit, so a lower bound for
// the codecs' limited codes): the sum of the weights of the code tree's
// internal nodes.
func huffmanBits(h *[256]uint32) uint64 {
	var leaves [256]uint64
	m := 0
	for _, c := range h {
		if c != 0 {
			leaves[m] = uint64(c)
			m++
		}
	}
	if m < 2 {
		return 0
	}
	slices.Sort(leaves[:m])
	// Two queues: the sorted leaves and the internal nodes, which are
	// made in increasing order of weight.
	var nodes [256]uint64
	li, ni, nn := 0, 0, 0
	take := func() uint64 {
		if li < m && (ni >= nn || leaves[li] <= nodes[ni]) {
			li++
			return leaves[li-1]
		}
		ni++
		return nodes[ni-1]
	}
	var total uint64
	for range m - 1 {
		w := take() + take()
		nodes[nn] = w
		nn++
		total += w
	}
	return total
}

// repeats bounds what matches could save in p, in bytes: it finds the
// positions that start a match a coder could use, 3 bytes seen at most
// nearDist bytes back or 4 bytes seen anywhere before (at the last earlier
// position with the same 3-byte hash; the table has at least twice as many
// slots as p has bytes, so most entries live long enough). A 4-byte match
// saves about a byte per position it covers and the count misses some, so
// each counts 4 bytes; a 3-byte one at most two. It stops once limit is
// reached.
func (c *Checker) repeats(p []byte, limit int) int {
	order := min(max(bits.Len(uint(len(p)-1))+1, 12), tableBits)
	table := c.table[:1<<order]
	clear(table) // an empty slot says position 0: a false hit only adds
	shift := uint(32 - order)
	mask := uint32(len(table) - 1)
	count := 0
	for i := 0; i+4 <= len(p); i++ {
		v := binary.LittleEndian.Uint32(p[i:])
		h := (v << 8) * 0x9E3779B1 >> shift & mask
		j := int(table[h])
		table[h] = uint16(i)
		if w := binary.LittleEndian.Uint32(p[j:]) ^ v; w<<8 == 0 && j < i {
			if w == 0 {
				count += 4
			} else if i-j <= nearDist {
				count += 2
			}
			if count >= limit {
				return count
			}
		}
	}
	return count
}

// tableBits is the largest repeat table's order (2 entries per byte of a
// MaxLen chunk, whose positions fit 16 bits).
const tableBits = 17

// nearDist is the farthest a 3-byte match can be and still save bits
// (the codecs refuse length-3 matches from 2 or 4 KiB back).
const nearDist = 4096
