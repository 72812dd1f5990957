package lzx

import (
	"bytes"
	"encoding/binary"
	"testing"
)

func e8At(b []byte, i int, v int32) {
	b[i] = 0xE8
	binary.LittleEndian.PutUint32(b[i+1:], uint32(v))
}

func operand(b []byte, i int) int32 { return int32(binary.LittleEndian.Uint32(b[i+1:])) }

func TestE8Encode(t *testing.T) {
	const size = e8TranslationSize
	cases := []struct {
		name     string
		pos      int
		rel, abs int32
	}{
		{"forward", 100, 50, 150},
		{"backward within chunk", 100, -100, 0},
		{"backward before chunk", 100, -101, -101},
		{"far forward", 100, size - 101, size - 1},
		{"wraps negative", 100, size - 100, -100},
		{"at translation size", 100, size, size},
		{"at position zero", 0, 7, 7},
	}
	for _, c := range cases {
		b := make([]byte, 200)
		e8At(b, c.pos, c.rel)
		e8Encode(b)
		if got := operand(b, c.pos); got != c.abs {
			t.Errorf("%s: encode(%d at %d) = %d, want %d", c.name, c.rel, c.pos, got, c.abs)
		}
		e8Decode(b)
		if got := operand(b, c.pos); got != c.rel {
			t.Errorf("%s: decode gave %d, want %d", c.name, got, c.rel)
		}
	}
}

func TestE8Tail(t *testing.T) {
	// Candidates start before len-10; an E8 at len-10 or later is left alone.
	for n := 11; n < 40; n++ {
		for i := 1; i+5 <= n; i++ { // at i=0 a translated operand is unchanged
			b := make([]byte, n)
			e8At(b, i, 1)
			e8Encode(b)
			translated := operand(b, i) != 1
			if want := i < n-e8Tail; translated != want {
				t.Fatalf("n=%d i=%d: translated=%v, want %v", n, i, translated, want)
			}
		}
	}
	// Chunks of at most 10 bytes are never translated.
	b := []byte{0xE8, 1, 0, 0, 0, 0xE8, 1, 0, 0, 0}
	orig := bytes.Clone(b)
	e8Encode(b)
	if !bytes.Equal(b, orig) {
		t.Fatal("10-byte chunk was translated")
	}
}

func TestE8SkipsOperand(t *testing.T) {
	// The operand of the first E8 holds an E8 byte, which must not start a
	// translation of its own, even though the first call is not translated.
	b := make([]byte, 64)
	e8At(b, 4, -1000) // before the chunk start: kept, but its operand is skipped
	b[6] = 0xE8
	e8At(b, 9, 3)
	orig := bytes.Clone(b)
	e8Encode(b)
	if !bytes.Equal(b[4:9], orig[4:9]) {
		t.Fatalf("operand bytes changed: % x", b[4:9])
	}
	if got := operand(b, 9); got != 12 {
		t.Fatalf("second call: got %d, want 12", got)
	}
	e8Decode(b)
	if !bytes.Equal(b, orig) {
		t.Fatal("decode did not invert encode")
	}
}

func TestE8RoundTrip(t *testing.T) {
	for _, n := range []int{11, 12, 15, 100, 1 << 15} {
		b := e8Stress(n, n)
		orig := bytes.Clone(b)
		e8Encode(b)
		e8Decode(b)
		if !bytes.Equal(b, orig) {
			t.Fatalf("n=%d: round trip mismatch", n)
		}
	}
}
