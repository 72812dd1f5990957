package resource

import (
	"bytes"
	"fmt"
	"testing"

	"github.com/wimgo/wimgo/engine/wimfmt"
)

// codecCase is one compression setting under test. Real codecs get less
// data than the test codec: they are tested for themselves elsewhere, and
// here they only show the pipeline drives them right.
type codecCase struct {
	name  string
	typ   Type
	chunk int
	real  bool
}

func codecCases(t testing.TB) []codecCase {
	useRLE(t)
	cs := []codecCase{
		{"rle-32K", rleType, 32768, false},
		{"rle-128K", rleType, 131072, false},
		{"xpress-32K", XPRESS, 32768, true},
		{"xpress-4K", XPRESS, 4096, true},
		{"lzx-32K", LZX, 32768, true},
	}
	if !testing.Short() {
		cs = append(cs, codecCase{"lzx-64K", LZX, 65536, true})
	}
	return cs
}

// writeAll writes blobs made from datas with opts and returns the file.
func writeAll(t testing.TB, opts Options, kind string, datas [][]byte) (*memFile, []*Blob, *Writer) {
	t.Helper()
	f := &memFile{}
	w, err := NewWriter(f, 208, opts)
	if err != nil {
		t.Fatal(err)
	}
	blobs := make([]*Blob, len(datas))
	for i, d := range datas {
		blobs[i] = makeBlob(t, kind, d)
		if err := w.Write(blobs[i]); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return f, blobs, w
}

func TestCompressedRoundTrip(t *testing.T) {
	for _, cc := range codecCases(t) {
		t.Run(cc.name, func(t *testing.T) {
			c := cc.chunk
			big := 3<<20 + 5
			if cc.real {
				big = 1<<20 + 5
			}
			sizes := []int{1, 2, c - 1, c, c + 1, 3*c + 17, big}
			var datas [][]byte
			for i, n := range sizes {
				datas = append(datas, testData(n, uint64(i)))
			}
			for _, kind := range blobKinds {
				for _, threads := range []int{1, 3} {
					opts := Options{Type: cc.typ, ChunkSize: c, Threads: threads}
					f, blobs, w := writeAll(t, opts, kind, datas)
					end := int64(208)
					for i, b := range blobs {
						if b.Hdr.Offset != end {
							t.Fatalf("%s/%d: blob %d at %d, want %d", kind, threads, i, b.Hdr.Offset, end)
						}
						end = b.Hdr.End()
						compressed := b.Hdr.Flags&wimfmt.ResFlagCompressed != 0
						if compressed != (b.Hdr.StoredSize < b.Hdr.OriginalSize) {
							t.Fatalf("blob %d: hdr %+v: COMPRESSED must be set exactly when the resource shrank", i, b.Hdr)
						}
						checkBlob(t, f, b, datas[i], cc.typ, c)
					}
					if w.Offset() != end {
						t.Fatalf("Offset %d, want %d", w.Offset(), end)
					}
				}
			}
		})
	}
}

// TestManySmall mixes many small blobs (several per batch) with a few
// multi-chunk ones.
func TestManySmall(t *testing.T) {
	useRLE(t)
	var datas [][]byte
	for i := range 3000 {
		n := 1 + (i*7919)%20000
		if i%500 == 0 {
			n = 200000 + i
		}
		if i%3 == 0 {
			datas = append(datas, randomData(n, uint64(i)))
		} else {
			datas = append(datas, testData(n, uint64(i)))
		}
	}
	for _, typ := range []Type{None, rleType} {
		f, blobs, _ := writeAll(t, Options{Type: typ, Threads: 2}, "Data", datas)
		for i, b := range blobs {
			checkBlob(t, f, b, datas[i], typ, DefaultChunkSize(typ))
		}
	}
}

// TestDeterminism: the same blobs give the same bytes for any thread count.
func TestDeterminism(t *testing.T) {
	mix := func(count, bigEvery int) [][]byte {
		var datas [][]byte
		for i := range count {
			n := 1 + (i*104729)%70000
			if i%bigEvery == 0 {
				n = 1<<20 + i
			}
			if i%4 == 0 {
				datas = append(datas, randomData(n, uint64(i)))
			} else {
				datas = append(datas, testData(n, uint64(i)))
			}
		}
		return datas
	}
	for _, cc := range codecCases(t) {
		t.Run(cc.name, func(t *testing.T) {
			datas := mix(300, 50)
			if cc.real {
				datas = mix(100, 1000)
			}
			var ref []byte
			for _, threads := range []int{1, 2, 4, 8} {
				f, _, _ := writeAll(t, Options{Type: cc.typ, ChunkSize: cc.chunk, Threads: threads}, "Data", datas)
				if ref == nil {
					ref = f.b
				} else if !bytes.Equal(ref, f.b) {
					t.Fatalf("threads=%d: output differs from threads=1", threads)
				}
			}
		})
	}
}

// TestIncompressible: random data is stored raw chunk by chunk, and the
// resource is then rewritten uncompressed; a partly compressible resource
// keeps raw chunks inside a compressed resource.
func TestIncompressible(t *testing.T) {
	for _, cc := range codecCases(t) {
		t.Run(cc.name, func(t *testing.T) {
			c := cc.chunk
			random := randomData(5*c+100, 1)
			mixed := append(randomData(2*c, 2), bytes.Repeat([]byte("x"), 3*c)...)
			small := randomData(c/2, 3)
			datas := [][]byte{random, mixed, small, testData(3*c, 4)}
			for _, kind := range blobKinds {
				for _, threads := range []int{1, 2} {
					f, blobs, _ := writeAll(t, Options{Type: cc.typ, ChunkSize: c, Threads: threads}, kind, datas)
					for i, b := range blobs {
						h := b.Hdr
						wantRaw := i == 0 || i == 2
						if wantRaw && (h.Flags != 0 || h.StoredSize != h.OriginalSize) {
							t.Fatalf("blob %d: hdr %+v, want uncompressed", i, h)
						}
						if !wantRaw && h.Flags != wimfmt.ResFlagCompressed {
							t.Fatalf("blob %d: hdr %+v, want compressed", i, h)
						}
						checkBlob(t, f, b, datas[i], cc.typ, c)
					}
					// The uncompressed rewrite replaced the chunked form in place.
					if !bytes.Equal(f.b[208:208+len(random)], random) {
						t.Fatal("rewritten resource does not hold the raw bytes")
					}
					// The mixed blob's first two chunks are raw inside.
					h := blobs[1].Hdr
					ts := tableSize(h.OriginalSize, c)
					if !bytes.Equal(f.b[h.Offset+ts:h.Offset+ts+int64(c)], mixed[:c]) {
						t.Fatal("raw chunk not stored verbatim")
					}
				}
			}
		})
	}
}

func TestWriteBuffer(t *testing.T) {
	for _, cc := range append(codecCases(t), codecCase{"none", None, 0, false}) {
		t.Run(cc.name, func(t *testing.T) {
			f := &memFile{}
			w, err := NewWriter(f, 0, Options{Type: cc.typ, ChunkSize: cc.chunk, Threads: 2})
			if err != nil {
				t.Fatal(err)
			}
			blob := &Blob{Size: 100000, Data: testData(100000, 9)}
			if err := w.Write(blob); err != nil {
				t.Fatal(err)
			}
			meta := testData(300000, 10)
			hdr, sum, err := w.WriteBuffer(meta, wimfmt.ResFlagMetadata)
			if err != nil {
				t.Fatal(err)
			}
			want := uint8(wimfmt.ResFlagMetadata)
			if cc.typ != None {
				want |= wimfmt.ResFlagCompressed
			}
			if hdr.Flags != want || hdr.Offset != blob.Hdr.End() || w.Offset() != hdr.End() {
				t.Fatalf("hdr %+v (blob ends at %d, Offset %d)", hdr, blob.Hdr.End(), w.Offset())
			}
			checkBlob(t, f, &Blob{Hdr: hdr, Hash: sum}, meta, cc.typ, cc.chunk)
			// Incompressible metadata is stored uncompressed, keeping its flag.
			hdr, _, err = w.WriteBuffer(randomData(70000, 11), wimfmt.ResFlagMetadata)
			if err != nil || hdr.Flags != wimfmt.ResFlagMetadata || hdr.StoredSize != 70000 {
				t.Fatalf("hdr %+v, err %v", hdr, err)
			}
			if err := w.Close(); err != nil {
				t.Fatal(err)
			}
		})
	}
}

func TestCopyRaw(t *testing.T) {
	useRLE(t)
	datas := [][]byte{testData(200000, 1), randomData(50000, 2), testData(10, 3)}
	for _, typ := range []Type{None, rleType} {
		src, blobs, _ := writeAll(t, Options{Type: typ, Threads: 2}, "Data", datas)
		f := &memFile{}
		w, err := NewWriter(f, 1000, Options{Type: typ, Threads: 2})
		if err != nil {
			t.Fatal(err)
		}
		for i := len(blobs) - 1; i >= 0; i-- {
			h, err := w.CopyRaw(src, blobs[i].Hdr)
			if err != nil {
				t.Fatal(err)
			}
			if h.Offset < 1000 || h.StoredSize != blobs[i].Hdr.StoredSize || h.Flags != blobs[i].Hdr.Flags {
				t.Fatalf("hdr %+v from %+v", h, blobs[i].Hdr)
			}
			checkBlob(t, f, &Blob{Hdr: h, Hash: blobs[i].Hash}, datas[i], typ, DefaultChunkSize(typ))
		}
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
	}
}

func TestProgress(t *testing.T) {
	useRLE(t)
	for _, typ := range []Type{None, rleType} {
		for _, threads := range []int{1, 4} {
			var total int64
			f := &memFile{}
			w, err := NewWriter(f, 0, Options{Type: typ, Threads: threads, Progress: func(n int64) { total += n }})
			if err != nil {
				t.Fatal(err)
			}
			var want int64
			for i := range 100 {
				n := 1 + i*i*50
				want += int64(n)
				if err := w.Write(&Blob{Size: int64(n), Data: testData(n, uint64(i))}); err != nil {
					t.Fatal(err)
				}
			}
			if _, _, err := w.WriteBuffer(testData(1000, 1), 0); err != nil {
				t.Fatal(err)
			}
			if err := w.Close(); err != nil {
				t.Fatal(err)
			}
			if total != want {
				t.Errorf("%v threads=%d: progress %d, want %d", typ, threads, total, want)
			}
		}
	}
}

func TestOptionErrors(t *testing.T) {
	for _, o := range []Options{
		{Type: LZX, ChunkSize: 4096},
		{Type: XPRESS, ChunkSize: 3 << 12},
		{Type: LZMS, ChunkSize: 1 << 12},
		{Type: 9},
		{Type: LZX, Level: -1},
	} {
		if _, err := NewWriter(&memFile{}, 0, o); err == nil {
			t.Errorf("%+v: no error", o)
		} else {
			t.Logf("%+v: %v", o, err)
		}
	}
}

func ExampleCheckChunkSize() {
	fmt.Println(CheckChunkSize(XPRESS, 1000))
	// Output: invalid chunk size 1000 for XPRESS compression (allowed: 4096, 8192, 16384, 32768, 65536)
}

func TestFitThreads(t *testing.T) {
	for _, c := range []struct {
		threads         int
		perThread, have int64
		want            int
	}{
		{8, 100 << 20, 1 << 30, 8},
		{16, 100 << 20, 1 << 30, 10},
		{4, 2 << 30, 1 << 30, 1}, // never below one
		{4, 0, 1 << 30, 4},
	} {
		if got := fitThreads(c.threads, c.perThread, c.have); got != c.want {
			t.Errorf("fitThreads(%d, %d, %d) = %d, want %d", c.threads, c.perThread, c.have, got, c.want)
		}
	}
	if memBudget() < 1<<20 {
		t.Errorf("memBudget %d", memBudget())
	}
}
