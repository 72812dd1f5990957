//go:build amd64 && !purego

package lzms

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/wimgo/wimgo/internal/codectest"
)

// TestRelaxExplicitAsm runs relaxExplicitAsm and relaxExplicitGo on the
// same random nodes and matches (offsets in every range of the slot
// lookup and past explicitFar, lengths overlapping, the match+literal+
// rep0 test passing and failing, a nearly full arrival log) and compares
// where they stop, the keys and the arrivals.
func TestRelaxExplicitAsm(t *testing.T) {
	for _, wide := range []bool{false, true} {
		if wide && !explicitAVX512 {
			t.Log("no AVX-512: the eight-lane loop is not checked")
			continue
		}
		t.Run(fmt.Sprintf("avx512=%v", wide), func(t *testing.T) {
			defer func(was bool) { explicitAVX512 = was }(explicitAVX512)
			explicitAVX512 = wide
			checkRelaxExplicitAsm(t)
		})
	}
}

func checkRelaxExplicitAsm(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	const n = 1 << 20
	in := make([]byte, n)
	for i := range in {
		in[i] = byte(r.IntN(3)) // the literal test passes often
	}
	lenKey := make([]uint64, maxNice+1)
	offCost := make([]uint32, maxOffsetSyms)
	for l := range lenKey {
		lenKey[l] = uint64(r.IntN(3000)) << 32
	}
	for s := range offCost {
		offCost[s] = uint32(r.IntN(3000))
	}
	offsets := func() uint32 {
		switch r.IntN(6) {
		case 0:
			return 1 + uint32(r.IntN(nearDirect))
		case 1:
			return 1 + uint32(r.IntN(1<<16))
		case 2:
			return 1<<16 - 2 + uint32(r.IntN(4))
		case 3:
			return 1<<16 + uint32(r.IntN(explicitFar-1<<16))
		case 4:
			return explicitFar - 2 + uint32(r.IntN(4))
		}
		return offsetBase[r.IntN(maxOffsetSyms)] - uint32(r.IntN(2))
	}
	iters := 200000
	if testing.Short() {
		iters = 50000
	}
	for iter := range iters {
		var a parseNodes
		nodes := 2*maxNice + 2
		if iter%7 == 0 {
			nodes = 2 + r.IntN(2*maxNice) // lengths past the keys
		}
		keys := make([]uint64, nodes)
		for j := range keys {
			keys[j] = uint64(r.IntN(1<<20))<<32 | uint64(r.IntN(1<<16))
			if r.IntN(4) == 0 {
				keys[j] = infKey
			}
		}
		a.keys, a.lenKey, a.offCost, a.in = keys, lenKey, offCost, in
		a.node = r.IntN(min(nodes, 5))
		a.start = r.IntN(n - 1)
		a.lit = r.IntN(2) == 0
		a.expBase = uint32(r.IntN(1 << 16))
		ms := make([]match, 0, 16)
		l := 1
		for range r.IntN(12) {
			l += 1 + r.IntN(8)
			if r.IntN(8) == 0 {
				l = max(2, l-5) // not increasing: a range already offered
			}
			p := a.start + a.node
			off := min(offsets(), uint32(max(p, 1)))
			if r.IntN(30) == 0 {
				off = explicitFar + uint32(r.IntN(100))
			}
			ms = append(ms, match{length: uint32(min(l, maxNice)), offset: off})
		}
		a.ms = ms
		a.k = r.IntN(len(ms) + 1)
		a.ll = 2 + r.IntN(4)
		logLen := r.IntN(8)
		logCap := logLen + r.IntN(12)
		a.arrivals = make([]uint64, logLen, logCap)
		for j := range a.arrivals {
			a.arrivals[j] = r.Uint64()
		}
		b := a
		b.keys = make([]uint64, len(a.keys)) // no spare capacity for the Go code to slice into
		copy(b.keys, a.keys)
		b.arrivals = slices.Clone(a.arrivals)
		b.arrivals = slices.Grow(b.arrivals[:len(b.arrivals):len(b.arrivals)], cap(a.arrivals)-len(a.arrivals))
		relaxExplicitAsm(&a)
		func() {
			defer func() {
				if e := recover(); e != nil {
					b.k = -1 // the Go code's bounds check
				}
			}()
			relaxExplicitGo(&b)
		}()
		if b.k == -1 || len(b.arrivals) > logCap {
			// The assembly stops before the match the Go code
			// cannot index or whose arrival needs a bigger log;
			// check it got there and agrees up to it.
			if a.k >= len(ms) {
				t.Fatalf("iter %d: the assembly went past a match the Go code stops at", iter)
			}
			continue
		}
		if a.k != b.k || a.ll != b.ll {
			t.Fatalf("iter %d: asm stopped at match %d of %d, ll %d; Go at %d, ll %d (%v)", iter, a.k, len(ms), a.ll, b.k, b.ll, ms)
		}
		if !slices.Equal(a.arrivals, b.arrivals) {
			t.Fatalf("iter %d: arrivals: asm %x, Go %x", iter, a.arrivals, b.arrivals)
		}
		if !slices.Equal(a.keys, b.keys) {
			t.Fatalf("iter %d: keys differ", iter)
		}
	}
}

// TestExplicitAsmSameBytes compresses chunks at levels 20, 50 and 100
// with the assembly and with relaxExplicitGo and compares the bytes.
func TestExplicitAsmSameBytes(t *testing.T) {
	data := structured(t)
	text, bin := codectest.Corpus(t)
	data = append(data, text[min(len(text), 300<<10):min(len(text), 1<<20)]...)
	data = append(data, bin[min(len(bin), 1<<20):min(len(bin), 2<<20)]...)
	if testing.Short() {
		data = data[:min(len(data), 1<<20)]
	}
	have := explicitAVX512
	defer func() { explicitAsm, explicitAVX512 = true, have }()
	for _, tc := range []struct{ chunk, level int }{{1 << 17, 20}, {1 << 17, 50}, {1 << 17, 100}, {1 << 20, 50}} {
		var out [3][]byte
		// The Go loop, the assembly's scalar loop, its AVX-512 loop
		// (where the CPU has it).
		for v := range 3 {
			explicitAsm, explicitAVX512 = v > 0, v == 2
			if v == 2 && !have {
				out[2] = out[0]
				continue
			}
			c, err := NewCompressor(tc.chunk, tc.level)
			if err != nil {
				t.Fatal(err)
			}
			dst := make([]byte, tc.chunk)
			for off := 0; off < len(data); off += tc.chunk {
				k := c.Compress(dst, data[off:min(len(data), off+tc.chunk)])
				out[v] = append(out[v], dst[:k]...)
			}
		}
		for v := 1; v < 3; v++ {
			if !bytes.Equal(out[v], out[0]) {
				t.Errorf("chunk %d level %d: the assembly's output (loop %d: %d bytes) differs from the Go loop's (%d bytes) at byte %d",
					tc.chunk, tc.level, v, len(out[v]), len(out[0]), firstDiff(out[v], out[0]))
			}
		}
	}
}

// TestRelaxRangeAVX512 compares relaxRangeAVX512 with relaxRange on ranges
// of 1 to 40 keys (unreached ones too) at every alignment.
func TestRelaxRangeAVX512(t *testing.T) {
	if !explicitAVX512 {
		t.Skip("no AVX-512")
	}
	r := rand.New(rand.NewPCG(5, 6))
	for iter := range 20000 {
		n := 1 + iter%40
		lo := r.IntN(9)
		keys := make([]uint64, lo+n+9)
		lens := make([]uint64, lo+n+9)
		for j := range keys {
			keys[j] = uint64(r.IntN(1<<12))<<32 | uint64(r.IntN(1<<16))
			if r.IntN(3) == 0 {
				keys[j] = infKey
			}
			lens[j] = uint64(r.IntN(1<<11)) << 32
		}
		want := slices.Clone(keys)
		bk := uint64(r.IntN(1<<11))<<32 | uint64(r.IntN(1<<16))
		relaxRange(want[lo:lo+n], lens[lo:lo+n], bk)
		relaxRangeAVX512(&keys[lo], &lens[lo], n, bk)
		if !slices.Equal(keys, want) {
			t.Fatalf("iter %d (%d keys from %d): AVX-512 %x, Go %x", iter, n, lo, keys, want)
		}
	}
}

// TestRepLensAsm compares repLensAsm with repLensGo on text with runs and
// repeats: offsets past the position, matches running to the chunk's end,
// fewer than eight bytes left, equal lengths.
func TestRepLensAsm(t *testing.T) {
	if numReps != 3 {
		t.Fatal("repLensAsm measures three entries")
	}
	r := rand.New(rand.NewPCG(7, 8))
	for iter := range 50000 {
		n := 2 + r.IntN(600)
		in := make([]byte, n)
		for i := range in {
			in[i] = byte(r.IntN(2 + iter%5))
		}
		if iter%3 == 0 {
			period := 1 + r.IntN(40)
			for i := period; i < n; i++ {
				if r.IntN(200) != 0 {
					in[i] = in[i-period]
				}
			}
		}
		p := r.IntN(n - 1)
		if iter%4 == 0 {
			p = max(0, n-2-r.IntN(10))
		}
		var q [numReps]uint32
		for k := range q {
			q[k] = uint32(1 + r.IntN(p+3))
			if iter%6 == 0 {
				q[k] = uint32(1 + r.IntN(3))
			}
		}
		var got, want [numReps]int
		gb, gl := repLensAsm(in, p, &q, &got)
		wb, wl := repLensGo(in, p, &q, &want)
		if gb != wb || gl != wl || got != want {
			t.Fatalf("iter %d: p %d of %d, offsets %v: asm %d %d %v, Go %d %d %v", iter, p, n, q, gb, gl, got, wb, wl, want)
		}
	}
}
