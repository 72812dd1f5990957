package lzms

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"testing"

	"github.com/wimgo/wimgo/internal/codectest"
)

// structured is data the parser's every item kind should show up in: text
// and code, a table of records whose counters step by a fixed amount
// (delta matches at several spans), and long exact repeats.
func structured(t testing.TB) []byte {
	text, bin := codectest.Corpus(t)
	var b bytes.Buffer
	b.Write(text[:min(len(text), 256<<10)])
	b.Write(bin[min(len(bin), 64<<10):min(len(bin), 320<<10)])
	rec := make([]byte, 16)
	for i := range 8192 {
		binary.LittleEndian.PutUint32(rec, uint32(i*7))
		binary.LittleEndian.PutUint32(rec[4:], uint32(100000-i*3))
		binary.LittleEndian.PutUint16(rec[8:], uint16(i))
		copy(rec[10:], "abcdef")
		rec[15] = byte(i * 5 >> 3)
		b.Write(rec)
	}
	b.Write(ramp(64 << 10))
	b.Write(text[:min(len(text), 64<<10)]) // a long repeat
	return b.Bytes()
}

// TestParserItemKinds checks the parser writes every kind of item on
// structured data and that both decoders read the result back.
func TestParserItemKinds(t *testing.T) {
	codectest.OraclePath(t)
	data := structured(t)
	const chunk = 1 << 20
	c, err := NewCompressor(chunk, 50)
	if err != nil {
		t.Fatal(err)
	}
	c.stats = new(itemStats)
	recs := compressAll(t, c, chunk, data)
	names := [numKinds]string{"literal", "LZ", "LZ repeat", "delta", "delta repeat", "long"}
	for k, n := range c.stats {
		if n == 0 {
			t.Errorf("no %s items (%v)", names[k], *c.stats)
		}
	}
	t.Logf("items by kind: %v; %d -> %d bytes", *c.stats, len(data), compSize(recs))
	if got := decodeRecords(t, chunk, recs); !bytes.Equal(got, data) {
		t.Fatalf("ours: mismatch at byte %d of %d", firstDiff(got, data), len(data))
	}
	if got := codectest.OracleDecompress(t, "lzms", chunk, recs); !bytes.Equal(got, data) {
		t.Fatalf("wimlib: mismatch at byte %d of %d", firstDiff(got, data), len(data))
	}
}

// TestCompressChunkSizes samples chunk sizes from 32 KiB to the 64 MiB of
// solid resources (the data need not fill a chunk) through both decoders,
// and levels up to where nice is the longest length priced one by one.
func TestCompressChunkSizes(t *testing.T) {
	codectest.OraclePath(t)
	data := structured(t)
	for _, tc := range []struct{ chunk, level int }{
		{1 << 15, 50}, {1 << 16, 300}, {1 << 18, 20}, {1 << 18, 100}, {4 << 20, 50}, {64 << 20, 50},
	} {
		t.Run(fmt.Sprintf("%dK/L%d", tc.chunk>>10, tc.level), func(t *testing.T) {
			t.Parallel()
			c, err := NewCompressor(tc.chunk, tc.level)
			if err != nil {
				t.Fatal(err)
			}
			recs := compressAll(t, c, tc.chunk, data)
			if got := decodeRecords(t, tc.chunk, recs); !bytes.Equal(got, data) {
				t.Fatalf("ours: mismatch at byte %d of %d", firstDiff(got, data), len(data))
			}
			if got := codectest.OracleDecompress(t, "lzms", tc.chunk, recs); !bytes.Equal(got, data) {
				t.Fatalf("wimlib: mismatch at byte %d of %d", firstDiff(got, data), len(data))
			}
		})
	}
}

// TestParseStateMatchesDecoder replays random items through parseState
// and checks the repeat queues against the format's rule written out
// directly: a repeat match takes its entry out of the queue, and the source
// of every match joins the front only once the next item is done.
func TestParseStateMatchesDecoder(t *testing.T) {
	st := initialParseState()
	lz := []uint32{1, 2, 3, 4}
	dq := []uint32{1, 2, 3, 4}
	var pendLZ, pendDelta uint32 // sources of the previous item
	push := func(q []uint32, v uint32) []uint32 {
		if v == 0 {
			return q
		}
		return append([]uint32{v}, q[:len(q)-1]...)
	}
	take := func(q []uint32, k uint32) ([]uint32, uint32) {
		v := q[k]
		return append(append(q[:k:k], q[k+1:]...), 0), v
	}
	seed := uint32(12345)
	rnd := func(n uint32) uint32 { seed = seed*1103515245 + 12345; return (seed >> 16) % n }
	for i := range 20000 {
		var newLZ, newDelta uint32
		switch rnd(5) {
		case 0:
			st.advance(itemLiteral)
		case 1:
			newLZ = 1 + rnd(1000)
			st.advance(itemExplicit + newLZ)
		case 2:
			k := rnd(3)
			lz, newLZ = take(lz, k)
			st.advance(itemRep + k)
			if st.lzQ[0] != newLZ {
				t.Fatalf("item %d: LZ repeat %d: got %d want %d", i, k, st.lzQ[0], newLZ)
			}
		case 3:
			newDelta = uint32(rnd(6))<<deltaPowerShift | (1 + rnd(500))
			st.advance(itemDelta | (numReps + newDelta))
		case 4:
			k := rnd(3)
			dq, newDelta = take(dq, k)
			st.advance(itemDelta | k)
			if st.deltaQ[0] != newDelta {
				t.Fatalf("item %d: delta repeat %d: got %x want %x", i, k, st.deltaQ[0], newDelta)
			}
		}
		lz, dq = push(lz, pendLZ), push(dq, pendDelta)
		pendLZ, pendDelta = newLZ, newDelta
	}
}
