package resource

import (
	"testing"
)

func TestPlainRoundTrip(t *testing.T) {
	sizes := []int{1, 100, plainBuf - 1, plainBuf, plainBuf + 1, 5<<20 + 3}
	for _, threads := range []int{1, 3} {
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
