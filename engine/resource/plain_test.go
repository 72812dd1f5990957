package resource

import (
	"testing"
)

func TestPlainRoundTrip(t *testing.T) {
	sizes := []int{1, 100, plainBufMin - 1, plainBufMin, plainBufMin + 1, plainBuf - 1, plainBuf, plainBuf + 1, 5<<20 + 3}
	// 64 threads: workers' buffers of plainBufMin.
	for _, threads := range []int{1, 3, 64} {
		for _, kind := range blobKinds {
			f := &memFile{}
			w, err := NewWriter(f, 208, Options{Threads: threads})
			if err != nil {
				t.Fatal(err)
			}
			var blobs []*Blob
			var datas [][]byte
			for i, n := range sizes {
				d := testData(n, uint64(i))
				b := makeBlob(t, kind, d)
				if err := w.Write(b); err != nil {
					t.Fatal(err)
				}
				blobs = append(blobs, b)
				datas = append(datas, d)
			}
			if err := w.Close(); err != nil {
				t.Fatal(err)
			}
			off := int64(208)
			for i, b := range blobs {
				if b.Hdr.Offset != off || b.Hdr.StoredSize != int64(sizes[i]) || b.Hdr.Flags != 0 {
					t.Fatalf("blob %d: hdr %+v, want offset %d", i, b.Hdr, off)
				}
				off += b.Hdr.StoredSize
				checkBlob(t, f, b, datas[i], None, 0)
			}
			if w.Offset() != off {
				t.Fatalf("Offset %d, want %d", w.Offset(), off)
			}
		}
	}
}

// TestPlainBufFor: a worker's buffer is plainBuf up to 16 threads, then
// the buffers share plainBudget, down to plainBufMin.
func TestPlainBufFor(t *testing.T) {
	for threads, want := range map[int]int{0: plainBuf, 1: plainBuf, 16: plainBuf, 32: 512 << 10, 64: plainBufMin, 1000: plainBufMin} {
		if got := plainBufFor(threads); got != want {
			t.Errorf("plainBufFor(%d) = %d, want %d", threads, got, want)
		}
	}
	w, err := NewWriter(&memFile{}, 208, Options{Threads: 64})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	if err := w.Write(&Blob{Size: 1, Data: []byte{1}}); err != nil {
		t.Fatal(err)
	}
	if p, ok := w.pipe.(*plainPipe); !ok {
		t.Errorf("a writer without compression has a %T", w.pipe)
	} else if p.buf != plainBufMin {
		t.Errorf("a 64-thread writer's workers have buffers of %d bytes, want %d", p.buf, plainBufMin)
	}
}
