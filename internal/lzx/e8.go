package lzx

import (
	"bytes"
	"encoding/binary"
)

// The E8 filter rewrites the 32-bit operand of every x86 CALL opcode (0xE8)
// from a relative to an absolute target before compression, so repeated calls
// to one function become repeated byte strings. Positions are chunk-relative.
// Only E8 bytes starting before len-10 are candidates, and the four operand
// bytes after any candidate E8 are skipped whether or not it was rewritten;
// encoder and decoder must agree on both rules exactly.

const e8Tail = 10 // an E8 within the last e8Tail bytes is never translated

// e8Encode translates relative call operands in b to absolute ones.
func e8Encode(b []byte) {
	if len(b) <= e8Tail {
		return
	}
	end := len(b) - e8Tail
	for i := 0; ; {
		j := bytes.IndexByte(b[i:end], 0xE8)
		if j < 0 {
			return
		}
		i += j
		op := b[i+1 : i+5]
		rel := int32(binary.LittleEndian.Uint32(op))
		if rel >= -int32(i) && rel < e8TranslationSize {
			var abs int32
			if rel < e8TranslationSize-int32(i) {
				abs = rel + int32(i)
			} else {
				abs = rel - e8TranslationSize
			}
			binary.LittleEndian.PutUint32(op, uint32(abs))
		}
		i += 5
		if i >= end {
			return
		}
	}
}

// e8Decode undoes e8Encode.
func e8Decode(b []byte) {
	if len(b) <= e8Tail {
		return
	}
	end := len(b) - e8Tail
	for i := 0; ; {
		j := bytes.IndexByte(b[i:end], 0xE8)
		if j < 0 {
			return
		}
		i += j
		op := b[i+1 : i+5]
		abs := int32(binary.LittleEndian.Uint32(op))
		if abs >= 0 {
			if abs < e8TranslationSize {
				binary.LittleEndian.PutUint32(op, uint32(abs-int32(i)))
			}
		} else if abs >= -int32(i) {
			binary.LittleEndian.PutUint32(op, uint32(abs+e8TranslationSize))
		}
		i += 5
		if i >= end {
			return
		}
	}
}
