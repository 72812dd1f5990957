package lzms

import (
	"encoding/binary"
	"math"
)

// The x86 filter turns relative addresses in likely x86 instructions into
// absolute ones (chunk-relative) before compression and back after
// decompression. It is always on. Positions count from the chunk start.
const (
	x86IDWindow  = 65535 // two uses of one target this close mark code
	x86MaxOffset = 1023  // translate only this far after the last mark
)

// x86Opcode marks the first bytes of the instructions the filter looks at.
var x86Opcode = [256]bool{0x48: true, 0x4C: true, 0xE8: true, 0xE9: true, 0xF0: true, 0xFF: true}

// x86Filter translates data in place (undo false: relative -> absolute, as
// the compressor does; undo true: the inverse). t carries the target
// table from call to call; no call sees another's entries.
//
// Which bytes count as opcodes follows wimlib, including two rules wimlib
// adopted to match Microsoft: byte 0 is never an opcode, and no opcode is
// considered in the last 16 bytes (so chunks of <= 17 bytes are untouched).
func x86Filter(data []byte, t *x86Targets, undo bool) {
	size := len(data)
	if size <= 17 {
		return
	}
	base := t.begin(size)
	lastTarget := &t.last
	lastMark := int32(-x86MaxOffset - 1)
	end := size - 16
	for i := 1; i < end; {
		// Most bytes are not candidate opcodes; skip them quickly.
		if !x86Opcode[data[i]] {
			i++
			for i < end && !x86Opcode[data[i]] {
				i++
			}
			if i >= end {
				break
			}
		}
		var n int // opcode bytes before the 32-bit operand
		window := int32(x86MaxOffset)
		switch data[i] {
		case 0xE8: // call rel32: common, so demand closer evidence
			n = 1
			window >>= 1
		case 0xE9: // jmp rel32: deliberately never translated
			i += 5
			continue
		case 0xFF: // call [rip+disp32]
			if data[i+1] == 0x15 {
				n = 2
			}
		case 0xF0: // lock add [rip+disp32], imm8
			if data[i+1] == 0x83 && data[i+2] == 0x05 {
				n = 3
			}
		case 0x48, 0x4C: // REX.W lea / mov with ModR/M r/m == 101
			op, modrm := data[i+1], data[i+2]
			if modrm&7 == 5 && (op == 0x8D || (op == 0x8B && data[i] == 0x48 && modrm&0xF0 == 0)) {
				n = 3
			}
		}
		if n == 0 {
			i++
			continue
		}
		pos := int32(i)
		operand := data[i+n : i+n+4]
		var target uint16
		if !undo {
			target = uint16(pos) + binary.LittleEndian.Uint16(operand)
		}
		if pos-lastMark <= window {
			v := binary.LittleEndian.Uint32(operand)
			if undo {
				v -= uint32(pos)
			} else {
				v += uint32(pos)
			}
			binary.LittleEndian.PutUint32(operand, v)
		}
		if undo {
			target = uint16(pos) + binary.LittleEndian.Uint16(operand)
		}
		last := pos + int32(n) + 3 // the operand's last byte
		if base+last-lastTarget[target] <= x86IDWindow {
			lastMark = last
		}
		lastTarget[target] = base + last
		i += n + 4
	}
}

// x86Targets is the filter's table of where each 16-bit target was last
// used, kept from call to call: entries hold base+position, and each call
// takes a base more than the window past the previous call's positions, so
// every older entry reads as too far back to count and the 256 KiB table
// is filled only when the bases would overflow (small files' chunks would
// otherwise pay for the whole table each).
type x86Targets struct {
	last [65536]int32
	next int64 // the next call's base; 0 until the table is first filled
}

// begin returns the base for a call on size bytes.
func (t *x86Targets) begin(size int) int32 {
	if t.next == 0 || t.next+int64(size)+x86IDWindow+1 > math.MaxInt32 {
		for i := range t.last {
			t.last[i] = -x86IDWindow - 1
		}
		t.next = 1
	}
	base := int32(t.next)
	t.next += int64(size) + x86IDWindow + 1
	return base
}
