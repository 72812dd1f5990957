package resource

import (
	"bytes"
	"encoding/binary"
	"io"
	"testing"

	"github.com/wimgo/wimgo/engine/wimfmt"
)

func TestEntrySize(t *testing.T) {
	for _, c := range []struct {
		size  int64
		chunk int
		es    int
		table int64
	}{
		{1, 32768, 4, 0},
		{32768, 32768, 4, 0},
		{32769, 32768, 4, 4},
		{0xFFFFFFFF, 32768, 4, 131071 * 4},
		{0x100000000, 32768, 8, 131071 * 8},
		{0x100000001, 32768, 8, 131072 * 8},
		{0x100000001, 1 << 30, 8, 4 * 8},
	} {
		if es := entrySize(c.size); es != c.es {
			t.Errorf("entrySize(%#x) = %d, want %d", c.size, es, c.es)
		}
		if ts := tableSize(c.size, c.chunk); ts != c.table {
			t.Errorf("tableSize(%#x, %d) = %d, want %d", c.size, c.chunk, ts, c.table)
		}
	}
}

// TestHugeResource drives the emitter with a resource of more than 4 GiB of
// zeros without reading or storing that much: each 1 MiB chunk of zeros is
// the same tiny RLE chunk, fed as an already compressed batch. The file
// holds only the chunk table and the compressed chunks; reading it back
// checks the 8-byte entries at both ends of the table.
func TestHugeResource(t *testing.T) {
	useRLE(t)
	const chunk = 1 << 20
	size := int64(1)<<32 + 12345
	zeros := make([]byte, chunk)
	comp := make([]byte, chunk)
	csize := rle{}.Compress(comp, zeros)
	lastN := int(size % chunk)
	lastC := rle{}.Compress(comp[csize:], zeros[:lastN])

	f := &memFile{}
	w := &Writer{f: f, opts: Options{Type: rleType, ChunkSize: chunk}}
	e := newEmitter(w, chunk, 208)
	bj := &blobJob{b: &Blob{Size: size}, nchunks: numChunks(size, chunk)}
	// One batch per chunk, all pointing at the same compressed bytes.
	for i := int64(0); i < bj.nchunks; i++ {
		r := chunkRef{blob: bj, n: chunk, csize: csize}
		if i == bj.nchunks-1 {
			r = chunkRef{blob: bj, ostart: csize, n: lastN, csize: lastC}
		}
		e.emit(&batch{out: comp, chunks: []chunkRef{r}})
	}
	e.flushStage()
	if err := w.Err(); err != nil {
		t.Fatal(err)
	}
	h := bj.b.Hdr
	n := bj.nchunks
	wantStored := (n-1)*8 + (n-1)*int64(csize) + int64(lastC)
	if h.Flags != wimfmt.ResFlagCompressed || h.Offset != 208 || h.OriginalSize != size || h.StoredSize != wantStored {
		t.Fatalf("hdr %+v, want stored %d", h, wantStored)
	}
	if e.off != h.End() || int64(len(f.b)) != h.End() {
		t.Fatalf("end %d, file %d, hdr end %d", e.off, len(f.b), h.End())
	}
	// Entries are 8 bytes: the last one is offset (n-1)*csize.
	last := binary.LittleEndian.Uint64(f.b[208+(n-2)*8:])
	if last != uint64((n-1)*int64(csize)) {
		t.Fatalf("last entry %d, want %d", last, (n-1)*int64(csize))
	}

	rd, err := NewReader(f, h, rleType, chunk)
	if err != nil {
		t.Fatal(err)
	}
	got := make([]byte, 3*chunk)
	if _, err := io.ReadFull(rd, got); err != nil || !bytes.Equal(got, make([]byte, 3*chunk)) {
		t.Fatalf("first chunks: %v", err)
	}
	// Jump to the last chunks, past the first table window.
	cr := rd.(*chunkReader)
	cr.next, cr.out = n-2, nil
	rest, err := io.ReadAll(cr)
	if err != nil || len(rest) != chunk+lastN || !bytes.Equal(rest, make([]byte, len(rest))) {
		t.Fatalf("last chunks: %d bytes, %v", len(rest), err)
	}
	if _, err := Read(f, h, rleType, chunk, 1<<30); err == nil {
		t.Fatal("Read ignored its limit")
	}
}
