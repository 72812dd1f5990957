package resource

import (
	"bytes"
	"crypto/sha1"
	"encoding/binary"
	"testing"

	"github.com/wimgo/wimgo/engine/wimfmt"
)

// TestPipableRoundTrip: pipable resources carry a stream header before them
// and read back through ReadPipable, for every type, with raw and
// compressed chunks, in one or many chunks.
func TestPipableRoundTrip(t *testing.T) {
	for _, typ := range []Type{None, XPRESS, LZX} {
		f := &memFile{}
		w, err := NewWriter(f, 208, Options{Type: typ, Threads: 2, Pipable: true})
		if err != nil {
			t.Fatal(err)
		}
		datas := [][]byte{testData(1, 1), testData(100000, 2), randomData(70000, 3), testData(32768, 4)}
		var blobs []*Blob
		for _, d := range datas {
			b := &Blob{Size: int64(len(d)), Data: d, Hash: sha1.Sum(d), Hashed: true}
			if err := w.Write(b); err != nil {
				t.Fatal(err)
			}
			blobs = append(blobs, b)
		}
		// A blob without its hash is refused in pipable mode.
		if err := w.Write(&Blob{Size: 3, Data: []byte("abc")}); err == nil {
			t.Fatal("pipable blob without a hash accepted")
		}
		w.Close()
		for i, b := range blobs {
			sh := f.b[b.Hdr.Offset-PipableStreamHeaderSize : b.Hdr.Offset]
			if binary.LittleEndian.Uint64(sh) != pipableMagic || int64(binary.LittleEndian.Uint64(sh[8:])) != b.Size || !bytes.Equal(sh[16:36], b.Hash[:]) {
				t.Fatalf("%v blob %d: bad stream header % x", typ, i, sh)
			}
			if typ != None && b.Hdr.Flags&wimfmt.ResFlagCompressed == 0 {
				t.Fatalf("%v blob %d: pipable resources stay compressed", typ, i)
			}
			got, err := ReadPipable(f, b.Hdr, typ, DefaultChunkSize(typ), 1<<30)
			if err != nil || !bytes.Equal(got, datas[i]) {
				t.Fatalf("%v blob %d: read back %v", typ, i, err)
			}
		}
	}
}

// TestCopyConverted: resources move between the regular and the pipable
// layouts without recompression, both ways, and read back.
func TestCopyConverted(t *testing.T) {
	datas := [][]byte{testData(1, 1), testData(100000, 2), randomData(70000, 3), testData(32768, 4)}
	for _, typ := range []Type{None, XPRESS, LZX} {
		write := func(pipable bool) (*memFile, []*Blob) {
			f := &memFile{}
			w, err := NewWriter(f, 208, Options{Type: typ, Pipable: pipable})
			if err != nil {
				t.Fatal(err)
			}
			var bs []*Blob
			for _, d := range datas {
				b := &Blob{Size: int64(len(d)), Data: d, Hash: sha1.Sum(d), Hashed: pipable}
				if err := w.Write(b); err != nil {
					t.Fatal(err)
				}
				bs = append(bs, b)
			}
			if err := w.Close(); err != nil {
				t.Fatal(err)
			}
			return f, bs
		}
		convert := func(src *memFile, bs []*Blob, srcPipable bool) (*memFile, []wimfmt.ResHdr) {
			f := &memFile{}
			w, err := NewWriter(f, 208, Options{Type: typ, Pipable: !srcPipable})
			if err != nil {
				t.Fatal(err)
			}
			var hs []wimfmt.ResHdr
			for _, b := range bs {
				h, err := w.CopyConverted(src, b.Hdr, srcPipable, b.Hash)
				if err != nil {
					t.Fatalf("%v: %v", typ, err)
				}
				hs = append(hs, h)
			}
			w.Close()
			return f, hs
		}
		regular, bs := write(false)
		piped, hs := convert(regular, bs, false)
		for i, h := range hs {
			got, err := ReadPipable(piped, h, typ, DefaultChunkSize(typ), 1<<30)
			if err != nil || !bytes.Equal(got, datas[i]) {
				t.Fatalf("%v blob %d to pipable: %v", typ, i, err)
			}
			bs[i].Hdr = h
		}
		back, hs2 := convert(piped, bs, true)
		for i, h := range hs2 {
			got, err := Read(back, h, typ, DefaultChunkSize(typ), 1<<30)
			if err != nil || !bytes.Equal(got, datas[i]) {
				t.Fatalf("%v blob %d back to regular: %v", typ, i, err)
			}
		}
	}
}
