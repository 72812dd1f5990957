package lzx

import (
	"bytes"
	"encoding/binary"
	"errors"
	"math/rand/v2"
	"runtime"
	"strings"
	"testing"
)

func TestChunkSizeErrors(t *testing.T) {
	for _, size := range []int{0, 4096, 1 << 14, 40000, 1 << 22} {
		if _, err := NewCompressor(size, 50); err == nil || !strings.Contains(err.Error(), "32768") {
			t.Errorf("NewCompressor(%d): err = %v, want one listing the allowed sizes", size, err)
		}
		if _, err := NewDecompressor(size); err == nil {
			t.Errorf("NewDecompressor(%d) succeeded", size)
		}
		if MemoryNeeded(size, 50) != 0 {
			t.Errorf("MemoryNeeded(%d) != 0", size)
		}
	}
	for _, level := range []int{0, -1} {
		if _, err := NewCompressor(1<<15, level); err == nil {
			t.Errorf("level %d accepted", level)
		}
	}
	for _, level := range []int{1, 20, 34, 35, 50, 100, 1000} {
		if _, err := NewCompressor(1<<15, level); err != nil {
			t.Errorf("level %d: %v", level, err)
		}
		if MemoryNeeded(1<<21, level) <= 0 {
			t.Errorf("MemoryNeeded(2M, %d) not positive", level)
		}
	}
}

func TestCompressBudget(t *testing.T) {
	text, _ := loadCorpus(t)
	src := text[:1<<15]
	c, _ := NewCompressor(1<<15, 50)
	full := make([]byte, len(src))
	n := c.Compress(full, src)
	if n == 0 || n >= len(src) {
		t.Fatalf("text did not compress: %d", n)
	}
	// One byte too little room: nothing may be written beyond it.
	small := make([]byte, n+16)
	for i := range small {
		small[i] = 0xAA
	}
	if got := c.Compress(small[:n-1], src); got != 0 {
		t.Fatalf("Compress into %d bytes returned %d", n-1, got)
	}
	if small[n-1] != 0xAA {
		t.Fatal("Compress wrote past dst")
	}
	if got := c.Compress(small[:n], src); got != n {
		t.Fatalf("Compress into exactly %d bytes returned %d", n, got)
	}
	if got := c.Compress(full, randomBytes(5000, 3)); got != 0 {
		t.Fatalf("random data compressed to %d bytes", got)
	}
}

// compressedChunks returns a few valid compressed chunks and their sources.
func compressedChunks(t testing.TB) (srcs, comps [][]byte) {
	text, bin := loadCorpus(t)
	c, _ := NewCompressor(1<<15, 50)
	dst := make([]byte, 1<<15)
	for _, src := range [][]byte{text[5000:][:1<<15], bin[200000:][:1<<15], text[:300]} {
		n := c.Compress(dst[:len(src)-1], src)
		if n == 0 {
			t.Fatal("test chunk did not compress")
		}
		srcs = append(srcs, src)
		comps = append(comps, bytes.Clone(dst[:n]))
	}
	return srcs, comps
}

func TestDecompressTruncated(t *testing.T) {
	srcs, comps := compressedChunks(t)
	d, _ := NewDecompressor(1 << 15)
	for k, comp := range comps {
		out := make([]byte, len(srcs[k]))
		step := 1
		if testing.Short() {
			step = 97
		}
		for n := 0; n < len(comp); n += step {
			err := d.Decompress(out, comp[:n])
			if err == nil {
				t.Fatalf("chunk %d truncated to %d of %d bytes decoded without error", k, n, len(comp))
			}
			if !errors.Is(err, ErrCorrupt) {
				t.Fatalf("error does not wrap ErrCorrupt: %v", err)
			}
		}
	}
}

func TestDecompressCorrupted(t *testing.T) {
	srcs, comps := compressedChunks(t)
	d, _ := NewDecompressor(1 << 15)
	r := rand.New(rand.NewPCG(1, 2))
	iters := 3000
	if testing.Short() {
		iters = 300
	}
	for it := 0; it < iters; it++ {
		k := it % len(comps)
		bad := bytes.Clone(comps[k])
		for range 1 + r.IntN(4) {
			bad[r.IntN(len(bad))] ^= byte(1 + r.IntN(255))
		}
		out := make([]byte, len(srcs[k])+r.IntN(3)-1)
		if err := d.Decompress(out, bad); err != nil && !errors.Is(err, ErrCorrupt) {
			t.Fatalf("error does not wrap ErrCorrupt: %v", err)
		}
	}
	// Garbage of every small size.
	for n := 0; n < 64; n++ {
		out := make([]byte, 100)
		d.Decompress(out, randomBytes(n, uint64(n)))
	}
	// Output larger than the window is refused.
	if err := d.Decompress(make([]byte, 1<<15+1), comps[0]); err == nil {
		t.Fatal("oversized output accepted")
	}
}

// streamBuilder hand-builds LZX chunks block by block.
type streamBuilder struct {
	w   bitWriter
	bw  blockWriter
	big bool
}

func newStreamBuilder(window int) *streamBuilder {
	order, _ := chunkOrder(window)
	s := &streamBuilder{w: bitWriter{buf: make([]byte, 4*window)}, big: window >= 1<<16}
	s.bw.numMain = numChars + numLenHeaders*numOffsetSlots(order)
	s.bw.bigBlock = s.big
	s.bw.startChunk()
	return s
}

// literals appends a verbatim or aligned block of literals.
func (s *streamBuilder) literals(data []byte) {
	var t tally
	for _, b := range data {
		t.main[b]++
	}
	s.bw.write(&s.w, data, []seq{{litRun: uint32(len(data))}}, &t)
}

// uncompressed appends an uncompressed block holding raw (already E8
// translated) with the given repeat offsets.
func (s *streamBuilder) uncompressed(raw []byte, reps [3]uint32) {
	w := &s.w
	w.put(blockTypeUncompressed, 3)
	switch {
	case len(raw) == defaultBlockSize:
		w.put(1, 1)
	case s.big:
		w.put(0, 1)
		w.put(uint32(len(raw)), 24)
	default:
		w.put(0, 1)
		w.put(uint32(len(raw)), 16)
	}
	w.flush()
	if w.n == 0 {
		w.put(0, 16) // already aligned: a whole unit is skipped
	}
	w.finish()
	for _, r := range reps {
		binary.LittleEndian.PutUint32(w.buf[w.pos:], r)
		w.pos += 4
	}
	w.pos += copy(w.buf[w.pos:], raw)
	if len(raw)%2 == 1 {
		w.buf[w.pos] = 0
		w.pos++
	}
}

func (s *streamBuilder) bytes() []byte {
	s.w.finish()
	return bytes.Clone(s.w.buf[:s.w.pos])
}

func TestUncompressedBlocks(t *testing.T) {
	text, bin := loadCorpus(t)
	type testCase struct {
		name   string
		window int
		chunk  []byte
		build  func(s *streamBuilder, enc []byte)
	}
	var cases []testCase
	// Only uncompressed blocks, odd sizes (pad bytes) and E8 bytes.
	cases = append(cases, testCase{"raw-only", 1 << 15, bytes.Clone(bin[100000:][:20001]),
		func(s *streamBuilder, enc []byte) {
			s.uncompressed(enc[:777], [3]uint32{1, 1, 1})
			s.uncompressed(enc[777:], [3]uint32{5, 6, 7})
		}})
	cases = append(cases, testCase{"raw-24bit", 1 << 16, bytes.Clone(bin[300000:][:50001]),
		func(s *streamBuilder, enc []byte) { s.uncompressed(enc, [3]uint32{9, 9, 9}) }})
	cases = append(cases, testCase{"raw-32768", 1 << 15, bytes.Clone(text[:1<<15]),
		func(s *streamBuilder, enc []byte) { s.uncompressed(enc, [3]uint32{1, 2, 3}) }})
	// A verbatim block that ends exactly on a 16-bit boundary, then an
	// uncompressed block (the skipped-unit quirk), then a verbatim one
	// starting at the byte after the pad.
	for k := 1; k < 200; k++ {
		s := newStreamBuilder(1 << 15)
		s.literals(text[:k])
		if s.w.n == 0 {
			chunk := bytes.Clone(text[:k+301+50])
			cases = append(cases, testCase{"quirk", 1 << 15, chunk,
				func(s *streamBuilder, enc []byte) {
					s.literals(enc[:k])
					s.uncompressed(enc[k:k+301], [3]uint32{1, 1, 1})
					s.literals(enc[k+301:])
				}})
			break
		}
	}
	if len(cases) != 4 {
		t.Fatal("no aligned verbatim block found for the quirk case")
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			enc := bytes.Clone(c.chunk)
			e8Encode(enc)
			s := newStreamBuilder(c.window)
			c.build(s, enc)
			comp := s.bytes()
			d, _ := NewDecompressor(c.window)
			d.strict = true
			out := make([]byte, len(c.chunk))
			if err := d.Decompress(out, comp); err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(out, c.chunk) {
				t.Fatal("mismatch")
			}
			if d.blocks[blockTypeUncompressed] == 0 {
				t.Fatal("no uncompressed block decoded")
			}
			// wimlib agrees on the same stream.
			got := oracleDecompress(t, c.window, []record{{USize: len(c.chunk), Data: comp}})
			if !bytes.Equal(got, c.chunk) {
				t.Fatal("wimlib decoded the hand-built stream differently")
			}
		})
	}
}

// TestAlignedBlocks checks that aligned-offset blocks occur and decode, in
// our output and in wimlib's, on x86 code.
func TestAlignedBlocks(t *testing.T) {
	_, bin := loadCorpus(t)
	data := bin[len(bin)/4:][:8<<15]
	d, _ := NewDecompressor(1 << 15)
	d.strict = true
	c, _ := NewCompressor(1<<15, 50)
	decodeAll := func(recs []record) {
		for _, r := range recs {
			if len(r.Data) == r.USize {
				continue
			}
			out := make([]byte, r.USize)
			if err := d.Decompress(out, r.Data); err != nil {
				t.Fatal(err)
			}
		}
	}
	decodeAll(compressChunks(t, c, 1<<15, data))
	if d.blocks[blockTypeAligned] == 0 {
		t.Errorf("our compressor made no aligned blocks (blocks by type %v)", d.blocks)
	}
	d.blocks = [4]int{}
	decodeAll(oracleCompress(t, 1<<15, 50, data))
	if d.blocks[blockTypeAligned] == 0 {
		t.Errorf("wimlib made no aligned blocks here (blocks by type %v)", d.blocks)
	}
}

// TestMemoryNeeded compares MemoryNeeded with what NewCompressor allocates.
func TestMemoryNeeded(t *testing.T) {
	for _, chunk := range []int{1 << 15, 1 << 16, 1 << 17, 1 << 21} {
		for _, level := range []int{20, 50, 100} {
			var before, after runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			c, _ := NewCompressor(chunk, level)
			runtime.ReadMemStats(&after)
			got := int64(after.TotalAlloc - before.TotalAlloc)
			want := MemoryNeeded(chunk, level)
			if got > want*11/10 || got < want*9/10 { // size-class rounding
				t.Errorf("chunk %d L%d: allocated %d, MemoryNeeded %d", chunk, level, got, want)
			}
			runtime.KeepAlive(c)
		}
	}
}
