// Package lzx implements the LZX compression format as WIM archives use it:
// no stream header, a window equal to the resource chunk size, every chunk
// coded independently (fresh repeat offsets and code-length history), and
// x86 E8 call translation always on with a fixed translation size of
// 12,000,000.
//
// The bitstream is a sequence of 16-bit little-endian units read MSB first.
// A chunk is a sequence of blocks (verbatim, aligned-offset or uncompressed)
// that exactly tile it. The compressor emits verbatim and aligned blocks
// whose Huffman codes satisfy 7-Zip's strict decoder (complete main and
// aligned codes, zero padding, no trailing input); the decompressor reads all
// three block types.
package lzx

import (
	"errors"
	"fmt"
	"math/bits"
	"strconv"
	"strings"
)

// ErrCorrupt is wrapped by every error the decompressor returns for bad input.
var ErrCorrupt = errors.New("lzx: corrupt compressed data")

const (
	minMatchLen = 2
	maxMatchLen = 257

	numChars       = 256
	numLenHeaders  = 8 // main-symbol length headers 0..7; 7 escapes to the length code
	numLenSyms     = 249
	numAlignedSyms = 8
	numPreSyms     = 20
	numRepeats     = 3
	maxOffsetSlots = 50
	maxMainSyms    = numChars + numLenHeaders*maxOffsetSlots

	alignedBits = 3 // low offset bits coded by the aligned code
	// minAlignedSlot is the first offset slot whose footer has at least
	// alignedBits bits, so aligned blocks code its low bits with the aligned code.
	minAlignedSlot = 8

	maxMainCodeLen    = 16
	maxLenCodeLen     = 16
	maxAlignedCodeLen = 7
	maxPreCodeLen     = 15

	blockTypeVerbatim     = 1
	blockTypeAligned      = 2
	blockTypeUncompressed = 3
	defaultBlockSize      = 32768 // coded with a single 1 bit

	// e8TranslationSize is the fixed "file size" WIM uses for the E8 filter.
	e8TranslationSize = 12000000

	// MinChunkSize and MaxChunkSize bound the chunk sizes (powers of two)
	// LZX takes in a WIM: its window is the chunk.
	MinChunkSize = 1 << 15
	MaxChunkSize = 1 << 21
)

// slotBase[s] is the smallest formatted offset (real offset + 2) coded by
// offset slot s; slotFooter[s] is its number of extra bits. Both follow from
// footer[s] = 0 for s < 4, else min(s/2-1, 17), base[s+1] = base[s] + 2^footer[s].
var (
	slotBase   [maxOffsetSlots + 1]uint32
	slotFooter [maxOffsetSlots]uint8
)

func init() {
	for s := 0; s < maxOffsetSlots; s++ {
		f := 0
		if s >= 4 {
			f = min(s/2-1, 17)
		}
		slotFooter[s] = uint8(f)
		slotBase[s+1] = slotBase[s] + 1<<f
	}
}

// chunkOrder returns log2 of maxChunk when it is a chunk size WIM allows for
// LZX, or an error naming the size and the allowed list.
func chunkOrder(maxChunk int) (uint, error) {
	var allowed []string
	for size := MinChunkSize; size <= MaxChunkSize; size <<= 1 {
		if maxChunk == size {
			return uint(bits.TrailingZeros(uint(size))), nil
		}
		allowed = append(allowed, strconv.Itoa(size))
	}
	return 0, fmt.Errorf("lzx: chunk size %d not supported (allowed: %s)", maxChunk, strings.Join(allowed, ", "))
}

// numOffsetSlots is the number of offset slots needed for a window of
// 1<<order bytes: enough to code the largest formatted offset, window-1.
func numOffsetSlots(order uint) int {
	return int(offsetSlot(uint32(1)<<order-1)) + 1
}

// offsetSlot returns the slot coding formatted offset f (f >= 0).
func offsetSlot(f uint32) uint32 {
	// Slots come in pairs sharing a footer size, so the slot follows from the
	// position of the top bit and the bit below it; above 2^18 every slot has
	// 17 footer bits.
	if f < 4 {
		return f
	}
	if f >= 1<<18 {
		return 36 + (f-1<<18)>>17
	}
	hb := uint32(bits.Len32(f) - 1)
	return 2*hb + (f>>(hb-1))&1
}
