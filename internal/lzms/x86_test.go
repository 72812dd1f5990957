package lzms

import (
	"bytes"
	"encoding/binary"
	"math"
	"testing"
)

// The vector from wimlib commit 4ad95e3a: treating byte 0 as an opcode
// would mark position 12 as x86 code and translate the calls at 16 and 24.
// Ignoring byte 0, the call at 16 is what marks the code, so only the call
// at 24 (operand at 25) is translated: 0xfffbe853 + 24 = 0xfffbe86b.
func TestX86FilterIgnoresByteZero(t *testing.T) {
	in := make([]byte, 64)
	copy(in, []byte{
		0xe8, 0x6b, 0xe8, 0xfb, 0xff, 0x5e, 0x1f, 0x03, 0xe8, 0x63, 0xe8, 0xfb, 0xff, 0x5e, 0xc0, 0x02,
		0xe8, 0x5b, 0xe8, 0xfb, 0xff, 0x5e, 0x51, 0x01, 0xe8, 0x53, 0xe8, 0xfb, 0xff, 0x5e, 0xc4, 0x00,
	})
	want := bytes.Clone(in)
	want[25] = 0x6b
	var scratch x86Targets
	got := bytes.Clone(in)
	x86Filter(got, &scratch, false)
	if !bytes.Equal(got, want) {
		t.Fatalf("filter:\n got % x\nwant % x", got[:32], want[:32])
	}
	x86Filter(got, &scratch, true)
	if !bytes.Equal(got, in) {
		t.Fatalf("undo did not restore the input:\n got % x", got[:32])
	}
}

// Opcodes in the last 16 bytes are never considered, and chunks of at most
// 17 bytes are left alone.
func TestX86FilterTail(t *testing.T) {
	var scratch x86Targets
	mk := func(n int) []byte {
		b := make([]byte, n)
		for i := 1; i+5 <= n; i += 5 {
			copy(b[i:], []byte{0xe8, 0x10, 0x00, 0x00, 0x00})
		}
		return b
	}
	for _, n := range []int{1, 17, 18, 40, 1000} {
		in := mk(n)
		got := bytes.Clone(in)
		x86Filter(got, &scratch, false)
		for i := max(n-16, 0) + 3; i < n; i++ { // operands wholly in the tail
			if i >= 5 && got[i] != in[i] {
				t.Errorf("n=%d: byte %d changed in the tail", n, i)
			}
		}
		if n <= 17 && !bytes.Equal(got, in) {
			t.Errorf("n=%d: short chunk changed", n)
		}
		x86Filter(got, &scratch, true)
		if !bytes.Equal(got, in) {
			t.Errorf("n=%d: undo did not restore", n)
		}
	}
}

// The target table is kept between calls (see x86Targets); each call's
// output must still depend on its own data alone. Dense calls of one
// target tempt a stale entry to mark code, and the bases must also
// survive being reset when they would overflow.
func TestX86FilterIgnoresEarlierCalls(t *testing.T) {
	// call rel32 at i whose target (i + operand, 16 bits) is target.
	call := func(b []byte, i int, target uint16) {
		b[i] = 0xe8
		binary.LittleEndian.PutUint32(b[i+1:], uint32(target-uint16(i)))
	}
	code := make([]byte, 4096)
	for i := 1; i+5 <= len(code)-16; i += 5 {
		call(code, i, 0x7000)
	}
	// One call to that target, then one to another: alone, the first
	// marks nothing, so the second is left as it is.
	lone := make([]byte, 4096)
	call(lone, 200, 0x7000)
	call(lone, 300, 0x1234)
	var fresh x86Targets
	want := bytes.Clone(lone)
	x86Filter(want, &fresh, false)

	var used x86Targets
	for round := range 3 {
		x86Filter(bytes.Clone(code), &used, false)
		got := bytes.Clone(lone)
		x86Filter(got, &used, false)
		if !bytes.Equal(got, want) {
			t.Fatalf("round %d: the output depends on an earlier call", round)
		}
		// Next round, start near overflow: the table is refilled.
		used.next = math.MaxInt32 - int64(len(code))
	}
}
