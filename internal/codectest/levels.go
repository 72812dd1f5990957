package codectest

import (
	"bytes"
	"fmt"
	"math"
	"testing"
)

// Levels are the compression levels every codec must accept without
// crashing: wimlib takes any level from 1 to 2^32-2, and parameters derived
// from a huge level (search depth, nice length, passes) must saturate.
// (Levels past the int range of 32-bit targets are left out there.)
var Levels = func() (l []int) {
	for _, v := range []int64{1, 2, 19, 20, 21, 50, 99, 100, 101, 1000, 2000000, 1 << 31, 1<<32 - 2} {
		if v <= math.MaxInt {
			l = append(l, int(v))
		}
	}
	return l
}()

// LevelInput is a small input with text, a long run and repeats at
// several distances, so every matchfinder and parser path is exercised.
func LevelInput() []byte {
	var b bytes.Buffer
	for i := range 300 {
		fmt.Fprintf(&b, "line %d: the quick brown fox %d jumps\n", i, i*i%97)
		if i == 150 {
			b.Write(make([]byte, 3000))
		}
	}
	b.Write(RandomBytes(2000, 7))
	b.Write(bytes.Repeat([]byte("abcabcabd"), 500))
	return b.Bytes()
}

// CheckLevels compresses src at every level of Levels and checks that the
// output decodes back to src. newComp returns the compressor for a level
// (or an error); decompress decodes one chunk.
func CheckLevels(t *testing.T, src []byte, newComp func(level int) (Compressor, error), decompress func(dst, src []byte) error) {
	t.Helper()
	for _, level := range Levels {
		c, err := newComp(level)
		if err != nil {
			t.Fatalf("level %d: %v", level, err)
		}
		dst := make([]byte, len(src))
		n := c.Compress(dst, src)
		if n == 0 {
			t.Fatalf("level %d: %d bytes did not compress", level, len(src))
		}
		got := make([]byte, len(src))
		if err := decompress(got, dst[:n]); err != nil {
			t.Fatalf("level %d: decoding: %v", level, err)
		}
		if !bytes.Equal(got, src) {
			t.Fatalf("level %d: round trip differs", level)
		}
	}
}
