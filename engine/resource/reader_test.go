package resource

import (
	"encoding/binary"
	"errors"
	"testing"

	"github.com/wimgo/wimgo/engine/wimfmt"
)

// compressedFixture writes one RLE resource of size bytes and returns the file
// and its header.
func compressedFixture(t testing.TB, size int) (*memFile, wimfmt.ResHdr, []byte) {
	useRLE(t)
	data := testData(size, 5)
	f, blobs, _ := writeAll(t, Options{Type: rleType, ChunkSize: 32768, Threads: 1}, "Data", [][]byte{data})
	if blobs[0].Hdr.Flags != wimfmt.ResFlagCompressed {
		t.Fatalf("fixture not compressed: %+v", blobs[0].Hdr)
	}
	return f, blobs[0].Hdr, data
}

func TestReadCorrupt(t *testing.T) {
	f, h, _ := compressedFixture(t, 3*32768+100)
	table := func(i int) int64 { return h.Offset + int64(4*i) }
	for _, c := range []struct {
		name string
		hdr  func(wimfmt.ResHdr) wimfmt.ResHdr
		file func([]byte)
		want error
	}{
		{"solid", func(h wimfmt.ResHdr) wimfmt.ResHdr { h.Flags |= wimfmt.ResFlagSolid; return h }, nil, ErrUnsupported},
		{"past end of file", func(h wimfmt.ResHdr) wimfmt.ResHdr { h.StoredSize += 1000; return h }, nil, ErrCorrupt},
		{"huge size", func(h wimfmt.ResHdr) wimfmt.ResHdr { h.OriginalSize = 1 << 60; return h }, nil, ErrCorrupt},
		{"table bigger than resource", func(h wimfmt.ResHdr) wimfmt.ResHdr { h.StoredSize = 8; return h }, nil, ErrCorrupt},
		{"uncompressed size mismatch", func(h wimfmt.ResHdr) wimfmt.ResHdr { h.Flags = 0; return h }, nil, ErrCorrupt},
		{"offsets decrease", nil, func(b []byte) { binary.LittleEndian.PutUint32(b[table(1):], 1) }, ErrCorrupt},
		{"chunk larger than its size", nil, func(b []byte) { binary.LittleEndian.PutUint32(b[table(0):], 40000) }, ErrCorrupt},
		{"bad chunk data", nil, func(b []byte) { binary.LittleEndian.PutUint32(b[table(0):], 3) }, ErrCorrupt},
	} {
		t.Run(c.name, func(t *testing.T) {
			ff := &memFile{b: append([]byte(nil), f.b...)}
			hh := h
			if c.hdr != nil {
				hh = c.hdr(h)
			}
			if c.file != nil {
				c.file(ff.b)
			}
			_, err := Read(ff, hh, rleType, 32768, 1<<61)
			if !errors.Is(err, c.want) {
				t.Fatalf("err %v, want %v", err, c.want)
			}
			t.Log(err)
		})
	}
	if _, err := Read(f, h, rleType, 32768, h.OriginalSize-1); !errors.Is(err, ErrCorrupt) {
		t.Errorf("over limit: %v", err)
	}
	if _, err := Read(f, h, LZMS+1, 32768, 1<<30); err == nil {
		t.Error("unknown type accepted")
	}
}

// FuzzRead: any header and file bytes give data or an error, never a
// panic or a huge allocation.
func FuzzRead(f *testing.F) {
	file, h, _ := compressedFixture(f, 32768+100)
	file.b = file.b[h.Offset:]
	h.Offset = 0
	f.Add(file.b, h.StoredSize, h.OriginalSize, h.Offset, uint8(h.Flags))
	f.Fuzz(func(t *testing.T, b []byte, stored, orig, off int64, flags uint8) {
		useRLE(t)
		hdr := wimfmt.ResHdr{StoredSize: stored & (1<<56 - 1), OriginalSize: orig, Offset: off, Flags: flags}
		Read(&memFile{b: b}, hdr, rleType, 32768, 1<<20)
	})
}
