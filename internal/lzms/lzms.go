// Package lzms implements the LZMS compression format as WIM archives use it
// (compression type 3, the default of solid "recovery" ESD resources). There
// is no Microsoft specification; wimlib's decoder is the reference.
//
// A chunk is coded independently: a forward range-coded stream of 16-bit
// little-endian units at the front of the buffer carries the item-type
// decisions, and a backward stream of 16-bit units at the back carries
// adaptive Huffman codewords and verbatim bits. Items are literals, LZ
// matches and delta matches, each kind of match with its own repeat queue.
// An x86 address filter runs over the whole chunk (undone after decoding).
//
// The compressor is a near-optimal parser over a binary-tree matchfinder and
// a delta matchfinder; NOTES.md has its design, its measurements against
// wimlib and what was tried.
package lzms

import (
	"errors"
	"fmt"
)

// ErrCorrupt is wrapped by every error the decompressor returns for bad input.
var ErrCorrupt = errors.New("lzms: corrupt compressed data")

func corrupt(format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{ErrCorrupt}, args...)...)
}

const (
	minChunkOrder = 15 // 32 KiB
	maxChunkOrder = 30 // 1 GiB, wimlib's LZMS_MAX_BUFFER_SIZE

	numLiteralSyms    = 256
	numLengthSyms     = 54
	numDeltaPowerSyms = 8
	maxOffsetSyms     = 799
	maxCodeLen        = 15

	// Symbols coded with a Huffman code between rebuilds of that code.
	literalRebuild     = 1024
	lzOffsetRebuild    = 1024
	lengthRebuild      = 512
	deltaOffsetRebuild = 1024
	deltaPowerRebuild  = 512

	numReps = 3 // visible entries of each repeat queue (plus one overflow)

	maxMatchLen    = 1073809578
	maxMatchOffset = 1180427428
)

// MinChunkSize and MaxChunkSize bound the chunk sizes (powers of two)
// LZMS takes in a WIM.
const (
	MinChunkSize = 1 << minChunkOrder
	MaxChunkSize = 1 << maxChunkOrder
)

// checkChunkSize accepts the chunk sizes wimlib accepts for LZMS.
func checkChunkSize(maxChunk int) error {
	for order := minChunkOrder; order <= maxChunkOrder; order++ {
		if maxChunk == 1<<order {
			return nil
		}
	}
	return fmt.Errorf("lzms: chunk size %d not supported (a power of two from 32768 to 1073741824)", maxChunk)
}
