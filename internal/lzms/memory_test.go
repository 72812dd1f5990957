package lzms

import (
	"bytes"
	"math/rand/v2"
	"runtime"
	"testing"
	"unsafe"

	"github.com/wimgo/wimgo/internal/codectest"
	"github.com/wimgo/wimgo/internal/incompressible"
)

// TestMemoryNeeded checks MemoryNeeded against what NewCompressor and
// compressing a full chunk actually allocate (the engine sizes its worker
// pool with it): never less, and not wildly more. It must not run in
// parallel with other tests: TotalAlloc counts every goroutine.
func TestMemoryNeeded(t *testing.T) {
	text, bin := codectest.Corpus(t)
	data := append(append([]byte(nil), text...), bin...)
	for _, tc := range []struct{ chunk, level int }{
		{1 << 15, 50}, {1 << 17, 50}, {1 << 20, 50}, {8 << 20, 1},
	} {
		if tc.chunk > 1<<20 && testing.Short() {
			continue // compressing 12 MiB: the full run checks it
		}
		src := make([]byte, tc.chunk)
		for i := 0; i < len(src); i += len(data) {
			copy(src[i:], data)
		}
		dst := make([]byte, tc.chunk)
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		c, err := NewCompressor(tc.chunk, tc.level)
		if err != nil {
			t.Fatal(err)
		}
		c.Compress(dst, src)
		c.Compress(dst, src[:tc.chunk/2])
		runtime.ReadMemStats(&after)
		runtime.KeepAlive(c)
		got := int64(after.TotalAlloc - before.TotalAlloc)
		need := MemoryNeeded(tc.chunk, tc.level)
		t.Logf("chunk %d level %d: allocated %d, MemoryNeeded %d", tc.chunk, tc.level, got, need)
		if got > need {
			t.Errorf("chunk %d level %d: allocated %d > MemoryNeeded %d", tc.chunk, tc.level, got, need)
		}
		if need > got+got/4+1<<20 {
			t.Errorf("chunk %d level %d: MemoryNeeded %d far above the %d allocated", tc.chunk, tc.level, need, got)
		}
	}
}

// TestSharedArrays: a compressor for chunks of up to 1 MiB keeps its
// matchfinders' position arrays and its checker's larger tables in one
// buffer (sharedLen), and compresses chunk after chunk, whichever of them
// the last chunk used, to the same bytes as one with arrays of their own.
func TestSharedArrays(t *testing.T) {
	const chunk = 1 << 17
	c, err := NewCompressor(chunk, 50)
	if err != nil {
		t.Fatal(err)
	}
	shared := func(p unsafe.Pointer, what string) {
		if p != unsafe.Pointer(&c.lf.nodes[0]) {
			t.Errorf("%s not in the shared buffer", what)
		}
	}
	shared(unsafe.Pointer(&c.mf.children[0]), "the trees' children")
	shared(unsafe.Pointer(c.chk.Wide()), "the checker's table")
	base := uintptr(unsafe.Pointer(&c.lf.nodes[0]))
	if links := uintptr(unsafe.Pointer(&c.lf.links[0])); links != base+4*chunk || links+uintptr(4*len(c.lf.links)) > base+uintptr(4*sharedLen(chunk)) {
		t.Errorf("the lcp finder's links do not follow its nodes in the shared buffer")
	}

	own, err := NewCompressor(chunk, 50)
	if err != nil {
		t.Fatal(err)
	}
	own.lf.alloc(chunk)
	own.mf.children = make([]int32, 2*chunk)
	own.chk = incompressible.NewChecker(chunk)

	rng := rand.New(rand.NewPCG(1, 2))
	words := []string{"func ", "return ", "if err != nil ", "{\n", "}\n", "x := ", "range ", "for ", "\t", "nil", "len(p)"}
	var text []byte
	for len(text) < chunk {
		text = append(text, words[rng.IntN(len(words))]...)
	}
	text = text[:chunk]
	random := make([]byte, chunk)
	for i := range random {
		random[i] = byte(rng.Uint32())
	}
	repeated := bytes.Repeat(random[:chunk/4], 4) // looks random, but repeats: the trees
	for i, in := range [][]byte{text, random, repeated, text[:chunk/2], repeated, random, text} {
		a, b := make([]byte, chunk), make([]byte, chunk)
		na := c.Compress(a, in)
		nb := own.Compress(b, in)
		if na != nb || !bytes.Equal(a[:na], b[:nb]) {
			t.Fatalf("chunk %d: %d bytes with shared arrays, %d with own ones, or they differ", i, na, nb)
		}
		switch {
		case &in[0] == &random[0] && na != 0:
			t.Fatalf("chunk %d: random bytes compressed to %d", i, na)
		case &in[0] == &repeated[0] && (na == 0 || c.onLCP):
			t.Fatalf("chunk %d: repeated random bytes: %d bytes, on the lcp finder %v", i, na, c.onLCP)
		case &in[0] == &text[0] && (na == 0 || !c.onLCP):
			t.Fatalf("chunk %d: text: %d bytes, on the lcp finder %v", i, na, c.onLCP)
		}
	}
}
