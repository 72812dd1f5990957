// Package xpress implements WIM's XPRESS codec: the LZ77+Huffman variant of
// [MS-XCA] with one Huffman code per chunk (a WIM chunk is at most 64 KiB,
// exactly one MS-XCA block).
//
// A compressed chunk is a 256-byte table of 512 four-bit codeword lengths
// followed by a bitstream of 16-bit little-endian units read MSB first, with
// the extra match-length bytes interleaved between units. The compressor
// always ends the stream with the end-of-data symbol 256, zero padding and
// one trailing zero unit, and builds complete codes of at most 15 bits, so
// 7-Zip's strict decoder accepts its output.
package xpress

import (
	"errors"
	"fmt"
)

// ErrCorrupt is wrapped by every error the decompressor returns for bad input.
var ErrCorrupt = errors.New("xpress: corrupt compressed data")

const (
	numChars   = 256
	numSymbols = 512
	eodSymbol  = 256 // end-of-data: a match header with length 0 and offset order 0

	minMatchLen = 3
	maxCodeLen  = 15
	maxOffset   = 65535

	tableBytes = numSymbols / 2 // the nibble-packed code-length table

	minChunk = 4096
	maxChunk = 65536

	// minOutput is the smallest possible compressed chunk: the table and
	// two units (the EOD symbol alone needs one, plus the trailing unit).
	minOutput = tableBytes + 4
)

// MinChunkSize and MaxChunkSize bound the chunk sizes (powers of two)
// XPRESS takes in a WIM (wimlib's bounds).
const (
	MinChunkSize = 1 << 12
	MaxChunkSize = 1 << 16
)

// checkChunk returns an error naming maxChunk unless it is a chunk size WIM
// allows for XPRESS.
func checkChunk(maxChunk int) error {
	if maxChunk >= MinChunkSize && maxChunk <= MaxChunkSize && maxChunk&(maxChunk-1) == 0 {
		return nil
	}
	return fmt.Errorf("xpress: chunk size %d not supported (allowed: 4096, 8192, 16384, 32768, 65536)", maxChunk)
}
