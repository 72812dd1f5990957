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
func e8Encode(b []byte) { e8Filter(b, false) }

// e8Decode undoes e8Encode.
func e8Decode(b []byte) { e8Filter(b, true) }

func e8Filter(b []byte, decode bool) {
	if len(b) <= e8Tail {
		return
	}
	end := len(b) - e8Tail
	for i := 0; i < end; i += 5 {
		j := bytes.IndexByte(b[i:end], 0xE8)
		if j < 0 {
			return
		}
		i += j
		op := b[i+1 : i+5]
		v, pos := int32(binary.LittleEndian.Uint32(op)), int32(i)
		switch {
		case decode && v >= 0 && v < e8TranslationSize:
			v -= pos // absolute target inside the file
		case decode && v < 0 && v >= -pos:
			v += e8TranslationSize // was a relative target beyond the size
		case !decode && v >= -pos && v < e8TranslationSize:
			if v < e8TranslationSize-pos {
				v += pos
			} else {
				v -= e8TranslationSize
			}
		default:
			continue
		}
		binary.LittleEndian.PutUint32(op, uint32(v))
	}
}
