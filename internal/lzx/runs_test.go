package lzx

import (
	"bytes"
	"testing"
	"unsafe"

	"github.com/wimgo/wimgo/internal/codectest"
)

// TestRunsSize: 4 MiB of zeros and of long runs of a few byte values code
// no larger than wimlib's (wimlib 1.13.5 through the raw oracle, 32 KiB
// chunks, levels 20, 50 and 100: 9,984 bytes for the zeros, 78 a chunk;
// 10,024 for the runs).
func TestRunsSize(t *testing.T) {
	const chunk = 32768
	codectest.CheckRunsSize(t, 4<<20, chunk, []int{20, 50, 100}, map[string]int{"zeros": 9984, "runs": 10024}, codectest.New(NewCompressor))
}

// TestRunEdgesAsWimlib: chunks where a run ends a few bytes before the
// chunk does, or gives way to another run, code no larger than wimlib's at
// 32 KiB (the short repeat match at the edge cost 2 bytes more than its
// literals before demoteShortReps; the runs benchmark's 32 MiB came out 4
// bytes over wimlib's).
func TestRunEdgesAsWimlib(t *testing.T) {
	const chunk = 32768
	run := func(parts ...int) []byte {
		var b []byte
		for i := 0; i < len(parts); i += 2 {
			b = append(b, bytes.Repeat([]byte{byte(parts[i])}, parts[i+1])...)
		}
		return b
	}
	inputs := [][]byte{
		run(0xff, 32765, 0, 3),
		run(0, 8091, 0xff, 24677),
		run(0x55, 1000, 0xaa, 31000, 0x20, 768),
	}
	for _, level := range []int{20, 50, 100} {
		c, err := NewCompressor(chunk, level)
		if err != nil {
			t.Fatal(err)
		}
		for i, in := range inputs {
			want := len(codectest.OracleCompress(t, "lzx", chunk, level, in)[0].Data)
			if n, _ := codectest.CompressAll(t, c, chunk, in); n > want {
				t.Errorf("input %d, level %d: %d bytes, wimlib %d", i, level, n, want)
			}
		}
	}
}

// TestRunsSkipTree: inside long runs the near-optimal parser gives the
// binary trees only the positions it searches and a run's last ones, not
// every position (every position took a tree walk: 4 MiB of zeros cost
// 4 Mi visits, and long runs were 1.7x wimlib's time).
func TestRunsSkipTree(t *testing.T) {
	const chunk = 32768
	zeros := make([]byte, 4<<20)
	for _, level := range []int{50, 100} {
		c, err := NewCompressor(chunk, level)
		if err != nil {
			t.Fatal(err)
		}
		codectest.CompressAll(t, c, chunk, zeros)
		// A search every maxMatchLen bytes, the position before it, and
		// each chunk's last maxMatchLen+1 positions.
		limit := len(zeros)/maxMatchLen*2 + len(zeros)/chunk*(maxMatchLen+4)
		if v := c.no.treeVisits; v > limit {
			t.Errorf("level %d: %d tree visits for %d zeros, want at most %d", level, v, len(zeros), limit)
		}
	}
}

// BenchmarkRuns: bytes and time on the repetitive inputs, beside wimlib's
// bytes (see codectest.BenchRuns for the CODEC_RUNS_* settings).
func BenchmarkRuns(b *testing.B) {
	codectest.BenchRuns(b, "lzx", 32768, codectest.New(NewCompressor))
}

// BenchmarkFileSizes: bytes and CPU speed at levels 20/50/100 of the files
// $CODEC_SIZE_FILES names, beside wimlib's bytes (codectest.BenchFileSizes),
// with $LZX_PARAMS applied.
func BenchmarkFileSizes(b *testing.B) {
	codectest.BenchFileSizes(b, "lzx", 32768, func(chunk, level int) (codectest.Compressor, error) {
		c, err := NewCompressor(chunk, level)
		if err == nil {
			overrideParams(c, chunk) // $LZX_PARAMS
		}
		return c, err
	})
}

// TestDemotionKeepsItemsRoom: a kept demotion trial swaps the items
// buffer with the trial's; the next chunks must still find it at full
// size, or level 20's assembly, which needs room for all of a chunk's
// items, is skipped for the Go loop on every chunk after (2% of the Go
// tree's LZX:20 CPU).
func TestDemotionKeepsItemsRoom(t *testing.T) {
	const chunk = 32768
	c, err := NewCompressor(chunk, 20)
	if err != nil {
		t.Fatal(err)
	}
	full := cap(c.seqs)
	// Two short runs and a tail: the repeat match at the second run's
	// start costs more than its literals, and the trial without it is kept.
	in := append(bytes.Repeat([]byte{0}, 8), bytes.Repeat([]byte{0xff}, 9)...)
	in = append(in, "   "...)
	was := unsafe.SliceData(c.seqs)
	c.Compress(make([]byte, chunk), in)
	if unsafe.SliceData(c.seqs) == was {
		t.Fatal("no demotion trial was kept; the test needs one")
	}
	if cap(c.seqs) < full {
		t.Fatalf("the items buffer holds %d after a demotion, want %d", cap(c.seqs), full)
	}
}
