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

// CheckAllLevels runs CheckLevels at each chunk size, with the codec's
// compressor, its MemoryNeeded (which must be positive and saturate with
// the level: at most four times level 100's) and its decompressor.
func CheckAllLevels(t *testing.T, chunks []int, newComp NewFunc, memoryNeeded func(chunk, level int) int64, newDecomp func(chunk int) (func(dst, src []byte) error, error)) {
	src := LevelInput()
	for _, chunk := range chunks {
		t.Run(fmt.Sprint(chunk), func(t *testing.T) {
			decompress, err := newDecomp(chunk)
			if err != nil {
				t.Fatal(err)
			}
			CheckLevels(t, src, func(level int) (Compressor, error) {
				if m := memoryNeeded(chunk, level); m <= 0 || m > memoryNeeded(chunk, 100)*4 {
					return nil, fmt.Errorf("MemoryNeeded(%d, %d) = %d", chunk, level, m)
				}
				return newComp(chunk, level)
			}, decompress)
		})
	}
}

// Decoder is a codec's chunk decompressor.
type Decoder interface {
	Decompress(dst, src []byte) error
}

// NewDecoder adapts a codec's NewDecompressor for CheckAllLevels.
func NewDecoder[D Decoder](f func(chunk int) (D, error)) func(chunk int) (func(dst, src []byte) error, error) {
	return func(chunk int) (func(dst, src []byte) error, error) {
		d, err := f(chunk)
		if err != nil {
			return nil, err
		}
		return d.Decompress, nil
	}
}
