package lzms

import (
	"bytes"
	"slices"
	"testing"

	"github.com/wimgo/wimgo/internal/codectest"
)

// TestRunsSize: 4 MiB of zeros and of long runs of a few byte values code
// no larger than wimlib's (wimlib 1.13.5 through the raw oracle, 128 KiB
// chunks, levels 20, 50 and 100: 448 bytes for the zeros,
// 3.5 a chunk; 526 for the runs).
func TestRunsSize(t *testing.T) {
	const chunk = 1 << 17
	codectest.CheckRunsSize(t, 4<<20, chunk, []int{20, 50, 100}, map[string]int{"zeros": 448, "runs": 526}, codectest.New(NewCompressor))
}

// TestOneByteChunk: a chunk of one byte value repeated builds no
// matchfinder (building the suffix array was most of the time on zeros:
// 64 MiB took 4.7 s of CPU against wimlib's 0.8 s) and round-trips, at
// 128 KiB and at a solid-sized chunk. (Its bytes equal the full parse's:
// TestRunsSize's bounds and the measurements in NOTES.md.)
func TestOneByteChunk(t *testing.T) {
	for _, chunk := range []int{1 << 17, 4 << 20} {
		for _, b := range []byte{0, 0xff} {
			src := bytes.Repeat([]byte{b}, chunk)
			for _, level := range []int{20, 50} {
				c, err := NewCompressor(chunk, level)
				if err != nil {
					t.Fatal(err)
				}
				got := make([]byte, chunk)
				n := c.Compress(got[:chunk-1], src)
				if n == 0 || c.lf.in != nil || c.mf.in != nil {
					t.Fatalf("chunk %d level %d: %d bytes, matchfinder built: %v", chunk, level, n, c.lf.in != nil || c.mf.in != nil)
				}
				d, _ := NewDecompressor(chunk)
				out := make([]byte, chunk)
				if err := d.Decompress(out, got[:n]); err != nil || !bytes.Equal(out, src) {
					t.Fatalf("chunk %d level %d: round trip failed: %v", chunk, level, err)
				}
			}
		}
	}
}

// TestDeltaSkip: deltaFinder.skip leaves the table as find(q, nil, false)
// over the same positions does (it only drops the look-ahead hashing, and
// run interiors, which this text has none of).
func TestDeltaSkip(t *testing.T) {
	text, _ := codectest.Corpus(t)
	in := text[:1<<16]
	var a, b deltaFinder
	a.table, b.table = make([]int32, 1<<deltaHashBits), make([]int32, 1<<deltaHashBits)
	a.reset(in)
	b.reset(in)
	for _, r := range [][2]int{{0, 1000}, {1000, 1300}, {1300, 40000}, {40000, len(in)}} {
		for q := r[0]; q < r[1]; q++ {
			a.find(q, nil, false)
		}
		b.skip(r[0], r[1], 0, 0, 0)
	}
	if !slices.Equal(a.table, b.table) {
		t.Fatal("skip and find left different tables")
	}
}

// BenchmarkRuns: bytes and time on the repetitive inputs, beside wimlib's
// bytes (see codectest.BenchRuns for the CODEC_RUNS_* settings).
func BenchmarkRuns(b *testing.B) {
	codectest.BenchRuns(b, "lzms", 131072, codectest.New(NewCompressor))
}

// BenchmarkFileSizes: bytes and CPU speed at levels 20/50/100 of the files
// $CODEC_SIZE_FILES names, beside wimlib's bytes (codectest.BenchFileSizes).
func BenchmarkFileSizes(b *testing.B) {
	codectest.BenchFileSizes(b, "lzms", 131072, codectest.New(NewCompressor))
}
