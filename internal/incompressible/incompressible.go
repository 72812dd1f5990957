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
// MaxLen the largest (LZX's largest chunk).
const (
	minLen = 1024
	MaxLen = 2 << 20
)

// smallLen is the largest chunk whose positions fit the 16-bit table.
const smallLen = 64 << 10

// Checker holds the scratch tables of the repeat count, so a compressor
// that checks every chunk allocates them once, in NewChecker.
type Checker struct {
	table []uint16 // chunks up to smallLen
	// Larger chunks: near repeats in wide, far ones (whose entries in
	// wide are likely overwritten) in sampled.
	wide, sampled []uint32
}

// NewChecker returns a Checker for chunks of at most maxLen bytes; it
// holds MemoryNeeded(maxLen) bytes.
func NewChecker(maxLen int) *Checker {
	return NewCheckerIn(maxLen, nil)
}

// NewCheckerIn is NewChecker keeping its larger tables in scratch when it
// has ScratchWords(maxLen) words: memory its owner uses only between
// checks (the tables are cleared at each), so that it holds MemoryNeeded
// less ScratchWords(maxLen)*4 bytes of its own.
func NewCheckerIn(maxLen int, scratch []uint32) *Checker {
	c := &Checker{table: make([]uint16, 1<<tableBits)}
	if maxLen > smallLen {
		if len(scratch) >= ScratchWords(maxLen) {
			c.wide = scratch[: 1<<wideBits : 1<<wideBits]
			c.sampled = scratch[1<<wideBits : 1<<wideBits+1<<sampledBits : 1<<wideBits+1<<sampledBits]
		} else {
			c.wide = make([]uint32, 1<<wideBits)
			c.sampled = make([]uint32, 1<<sampledBits)
		}
	}
	return c
}

// Wide is the first word of c's wide table (nil if it has none), for tests
// of where it lives.
func (c *Checker) Wide() *uint32 {
	if len(c.wide) == 0 {
		return nil
	}
	return &c.wide[0]
}

// ScratchWords is how much of a Checker for chunks of at most maxLen bytes
// NewCheckerIn can keep in its scratch.
func ScratchWords(maxLen int) int {
	if maxLen > smallLen {
		return 1<<wideBits + 1<<sampledBits
	}
	return 0
}

// MemoryNeeded is what a Checker for chunks of at most maxLen bytes holds.
func MemoryNeeded(maxLen int) int64 {
	n := int64(2 << tableBits)
	if maxLen > smallLen {
		n += 4<<wideBits + 4<<sampledBits
	}
	return n
}

// Hopeless reports whether compressing p is hopeless. overhead is the least
// the codec adds to p's compressed form when p is random (its tables and
// block headers). split, when positive, is the smallest block the codec may
// code with its own Huffman codes, each paying at least blockOverhead: then
// the chunk is also judged in parts (four, or one per 64 KiB of a larger
// chunk), so local byte statistics cannot hide behind a flat whole.
func (c *Checker) Hopeless(p []byte, overhead, split, blockOverhead int) bool {
	n := len(p)
	if n < minLen || n > MaxLen || n > smallLen && c.wide == nil || !flatSample(p) {
		return false
	}
	budget := func(bits uint64, overhead int) int { return int(bits/8) + overhead - n }
	var whole [256]uint32
	histogram(&whole, p)
	slack := budget(huffmanBits(&whole), overhead)
	if split > 0 && n >= 2*split {
		parts := min(max(4, n/smallLen), n/split)
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
		// Split, the chunk still pays at least the whole's overhead.
		slack = min(slack, budget(bits, max(parts*blockOverhead, overhead)))
	}
	if slack < 0 {
		return false
	}
	if n > smallLen {
		return c.repeatsWide(p, slack+1) <= slack
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
	return flatHistogram(&h, k)
}

// flatHistogram is flatSample's test on a histogram of k samples.
func flatHistogram(h *[256]uint16, k int) bool {
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
// each counts 4 bytes (2 from over 64 KiB back); a 3-byte one (whose
// offset bits eat most of what it saves over three literals) 2 bytes within
// 256 bytes, 1 farther. It stops once limit is reached.
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
			if count += repeatWorth(w, i-j); count >= limit {
				return count
			}
		}
	}
	return count
}

// repeatWorth is what a match of 3 bytes (w != 0, the 4th differs) or more
// (w == 0) from dist bytes back may save, in bytes. Offsets past 64 KiB
// cost 15 bits and more, half of what four literals do.
func repeatWorth(w uint32, dist int) int {
	switch {
	case w == 0 && dist <= 64<<10:
		return 4
	case w == 0:
		return 2
	case dist <= 256:
		return 2
	case dist <= nearDist:
		return 1
	}
	return 0
}

// repeatsWide is repeats for chunks over smallLen bytes. The table of
// 3-byte hashes (wide) keeps entries for about its size in positions, so
// 4-byte repeats from farther back are found through a second table
// (sampled) that holds every farStep-th position under a hash of its 8
// bytes: any repeat of farStep+8 bytes or more, however far back its
// source, has a position whose source was sampled. Such a hit stands for
// farStep positions of a long match, so it counts farStep bytes.
func (c *Checker) repeatsWide(p []byte, limit int) int {
	wide, sampled := c.wide, c.sampled
	clear(wide)
	clear(sampled)
	const wideShift, sampledShift = 32 - wideBits, 64 - sampledBits
	count := 0
	for i := 0; i+8 <= len(p); i++ {
		v := binary.LittleEndian.Uint32(p[i:])
		h := (v << 8) * 0x9E3779B1 >> wideShift
		j := int(wide[h])
		wide[h] = uint32(i)
		if w := binary.LittleEndian.Uint32(p[j:]) ^ v; w<<8 == 0 && j < i {
			if count += repeatWorth(w, i-j); count >= limit {
				return count
			}
		}
		v8 := binary.LittleEndian.Uint64(p[i:])
		h8 := v8 * 0x9E3779B97F4A7C15 >> sampledShift
		if j := int(sampled[h8]); j+farStep <= i && binary.LittleEndian.Uint64(p[j:]) == v8 {
			if count += farStep; count >= limit {
				return count
			}
		}
		if i%farStep == 0 {
			sampled[h8] = uint32(i)
		}
	}
	return count
}

const (
	wideBits    = 18 // 1 MiB of positions
	sampledBits = 16 // 256 KiB: 2 MiB chunks sample 131,072 positions
	farStep     = 16
)

// tableBits is the largest repeat table's order (2 entries per byte of a
// MaxLen chunk, whose positions fit 16 bits).
const tableBits = 17

// nearDist is the farthest a 3-byte match can be and still save bits
// (the codecs refuse length-3 matches from 2 or 4 KiB back).
const nearDist = 4096

// For adaptive coders (LZMS: its Huffman codes are rebuilt every 1,024
// literals, and it matches byte differences as well as bytes), Hopeless's
// bound needs two more conditions: the bytes must look random at the scale
// the codes adapt at, and so must their differences at the spans a delta
// match can use.

// LocallyFlat reports whether every 2 KiB block of p uses nearly all byte
// values (random bytes leave about one value in ten blocks unseen; a block
// of text, or of random bytes from half the alphabet, leaves a hundred or
// more), so no block's statistics differ from the whole's.
func LocallyFlat(p []byte) bool {
	const block = 2048
	for i := 0; i+block <= len(p); i += block {
		var seen [256]bool
		for _, b := range p[i : i+block] {
			seen[b] = true
		}
		unseen := 0
		for _, s := range seen {
			if !s {
				unseen++
			}
		}
		if unseen > 8 {
			return false
		}
	}
	return true
}

// DeltaFlat reports whether the differences p[i]-p[i-span] look random to
// the same sampled test that screens the bytes (smooth signals, counters
// and tables of close numbers have differences bunched near zero).
func DeltaFlat(p []byte, span int) bool {
	if len(p) <= span {
		return false
	}
	stride := max(1, (len(p)-span)/512)
	var h [256]uint16
	k := 0
	for i := span; i < len(p); i += stride {
		h[p[i]-p[i-span]]++
		k++
	}
	return flatHistogram(&h, k)
}
