package resource

import (
	"bytes"
	"sync/atomic"
	"testing"

	"github.com/wimgo/wimgo/engine/wimfmt"
)

// tunedRLE is rle that implements metadataTuner and counts the chunks it
// was asked to compress in the wrong mode: file data is all 'D' bytes and
// metadata all 'M' bytes, so each chunk says which it is.
type tunedRLE struct {
	rle
	meta  bool
	wrong *atomic.Int64
	seen  *atomic.Int64
}

func (c *tunedRLE) ForMetadata(on bool) { c.meta = on }

func (c *tunedRLE) Compress(dst, src []byte) int {
	c.seen.Add(1)
	if (src[0] == 'M') != c.meta {
		c.wrong.Add(1)
	}
	return c.rle.Compress(dst, src)
}

// TestMetadataTuning checks that the chunks of a resource written with the
// metadata flag, and only those, are compressed with the compressor tuned
// for metadata, whatever the thread count and however the resources
// alternate.
func TestMetadataTuning(t *testing.T) {
	var wrong, seen atomic.Int64
	old := codecs[rleType]
	codecs[rleType] = &codec{
		newCompressor: func(int, int) (compressor, error) {
			return &tunedRLE{wrong: &wrong, seen: &seen}, nil
		},
		newDecompressor: func(int) (decompressor, error) { return rle{}, nil },
		memoryNeeded:    func(int, int) int64 { return 1 << 10 },
	}
	t.Cleanup(func() { codecs[rleType] = old })
	const chunk = 1 << 15
	for _, threads := range []int{1, 2, 3} {
		f := &memFile{}
		w, err := NewWriter(f, 0, Options{Type: rleType, ChunkSize: chunk, Threads: threads})
		if err != nil {
			t.Fatal(err)
		}
		for i := range 4 {
			// Small file blobs share batches; the metadata resource comes
			// between them, as each image's does.
			for range 5 {
				data := bytes.Repeat([]byte{'D'}, 3000+i)
				if err := w.Write(&Blob{Size: int64(len(data)), Data: data}); err != nil {
					t.Fatal(err)
				}
			}
			meta := bytes.Repeat([]byte{'M'}, 3*chunk+100)
			if _, _, err := w.WriteBuffer(meta, wimfmt.ResFlagMetadata); err != nil {
				t.Fatal(err)
			}
		}
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
	}
	if seen.Load() == 0 || wrong.Load() != 0 {
		t.Fatalf("%d of %d chunks compressed in the wrong mode", wrong.Load(), seen.Load())
	}
}
