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
// rep0 step passing and failing, nodes and an arrival log too short for
// it), each followed by the parser's Go code for what it leaves
// (relaxRest), and compares the keys, the arrivals and the opened nodes.
func TestRelaxExplicitAsm(t *testing.T) {
	forEachLoopWidth(t, checkRelaxExplicitAsm)
}

// forEachLoopWidth runs check with the assembly's one-lane loop, then, on
// a CPU with AVX-512, with its eight-lane one.
func forEachLoopWidth(t *testing.T, check func(*testing.T)) {
	for _, wide := range []bool{false, true} {
		if wide && !explicitAVX512 {
			t.Log("no AVX-512: the eight-lane loop is not checked")
			continue
		}
		t.Run(fmt.Sprintf("avx512=%v", wide), func(t *testing.T) {
			defer func(was bool) { explicitAVX512 = was }(explicitAVX512)
			explicitAVX512 = wide
			check(t)
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
	litCost := new([numLiteralSyms]uint32)
	for b := range litCost {
		litCost[b] = uint32(r.IntN(600))
	}
	lenCost := make([]uint32, maxNice+1)
	for l := range lenCost {
		lenCost[l] = uint32(r.IntN(3000))
	}
	iters := 200000
	if testing.Short() {
		iters = 50000
	}
	for iter := range iters {
		var a parseNodes
		nodes := 3*maxNice + 2
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
		a.lenCost, a.litCost = lenCost, litCost
		a.niceLen = 3 + r.IntN(maxNice-2)
		a.node = r.IntN(min(nodes, 5))
		a.reach = a.node + r.IntN(min(nodes-a.node, 40))
		a.start = r.IntN(n-1) - a.node
		if iter%5 == 0 {
			a.start = n - 2 - a.node - r.IntN(300) // the chunk's end
		}
		a.start = max(a.start, 0)
		a.lit = r.IntN(2) == 0
		a.expBase = uint32(r.IntN(1 << 16))
		a.mlrCost = uint32(r.IntN(1 << 12))
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
		okA := goOnly(a.relaxRest)
		okB := goOnly(func() { relaxExplicitGo(&b); b.relaxRest() })
		if !okB {
			continue // the Go code's bounds check: no position the parser has
		}
		if !okA {
			t.Fatalf("iter %d: the Go code after the assembly failed where the Go code alone did not", iter)
		}
		compareNodes(t, iter, &a, &b)
	}
}

// goOnly runs f with the Go twins and tells whether it ran without a
// panic (an index out of range).
func goOnly(f func()) (ok bool) {
	defer func(was bool) {
		explicitAsm = was
		if recover() != nil {
			ok = false
		}
	}(explicitAsm)
	explicitAsm = false
	f()
	return true
}

func compareNodes(t *testing.T, iter int, a, b *parseNodes) {
	t.Helper()
	if a.k != b.k || a.ll != b.ll || a.reach != b.reach {
		t.Fatalf("iter %d: asm stopped at match %d of %d, ll %d, reach %d; Go at %d, ll %d, reach %d (%v)",
			iter, a.k, len(a.ms), a.ll, a.reach, b.k, b.ll, b.reach, a.ms)
	}
	if !slices.Equal(a.arrivals, b.arrivals) {
		t.Fatalf("iter %d: arrivals: asm %x, Go %x", iter, a.arrivals, b.arrivals)
	}
	if !slices.Equal(a.keys, b.keys) {
		for j := range a.keys {
			if a.keys[j] != b.keys[j] {
				t.Fatalf("iter %d: keys differ from node %d (the position's %d): asm %x, Go %x", iter, j, a.node, a.keys[j], b.keys[j])
			}
		}
	}
}

// TestRelaxPositionAsm runs relaxPositionAsm and relaxPositionGo on the
// same random positions (the literal, literal+rep0 with its offset past
// the chunk's start or not, repeat matches of every length up to nice,
// explicit matches, each step on and off, near the chunk's end) that
// parseBlock would give the assembly, each followed by relaxRest, and
// compares the keys, the arrivals and the opened nodes.
func TestRelaxPositionAsm(t *testing.T) {
	forEachLoopWidth(t, checkRelaxPositionAsm)
}

func checkRelaxPositionAsm(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 10))
	const n = 1 << 16
	in := make([]byte, n)
	for i := range in {
		in[i] = byte(r.IntN(2))
		if i > 8 && r.IntN(3) == 0 {
			in[i] = in[i-1-r.IntN(8)] // runs and short repeats
		}
	}
	lenKey, lenCost, offCost, litCost := randomPrices(r)
	iters := 100000
	if testing.Short() {
		iters = 30000
	}
	for iter := range iters {
		var a parseNodes
		a.niceLen = 3 + r.IntN(maxNice-2)
		if iter%3 == 0 {
			a.niceLen = 3 + r.IntN(20)
		}
		nice := a.niceLen
		a.node = r.IntN(40)
		a.keys = make([]uint64, a.node+2*nice+2+r.IntN(3))
		a.reach = a.node + r.IntN(min(len(a.keys)-a.node, 60))
		for j := range a.reach + 1 {
			a.keys[j] = uint64(r.IntN(1<<14))<<32 | uint64(r.IntN(1<<16))
			if r.IntN(5) == 0 {
				a.keys[j] = infKey
			}
		}
		for j := a.reach + 1; j < len(a.keys); j++ {
			a.keys[j] = r.Uint64() // not opened yet: openTo's to set
		}
		a.lenKey, a.lenCost, a.offCost, a.litCost, a.in = lenKey, lenCost, offCost, litCost, in
		a.start = max(0, r.IntN(n-1)-a.node)
		if iter%4 == 0 {
			a.start = max(0, n-2-a.node-r.IntN(2*nice))
		}
		p := a.start + a.node
		a.open = a.node + 1 + r.IntN(nice)
		a.litKey = uint32(r.IntN(1 << 14))
		a.doLitRep, a.doRepLitRep, a.lit = r.IntN(2) == 0, r.IntN(2) == 0, r.IntN(2) == 0
		a.litRepCost = uint32(r.IntN(1 << 14))
		a.litRepOff = 1 + r.IntN(10)
		if r.IntN(6) == 0 {
			a.litRepOff = 1 + r.IntN(p+3) // past the chunk's start too
		}
		if iter%9 == 0 {
			a.litRepOff = p + 1 // the chunk's first byte
		}
		for k := range a.repLen {
			if r.IntN(3) > 0 && p > 0 {
				a.repLen[k] = r.IntN(min(nice, n-p) + 1)
				a.repOff[k] = 1 + r.IntN(min(p, 12))
			}
			a.repCost[k] = uint32(r.IntN(1 << 14))
			a.repMLR[k] = uint32(r.IntN(1 << 14))
		}
		a.expBase = uint32(r.IntN(1 << 14))
		a.mlrCost = uint32(r.IntN(1 << 12))
		var ms []match
		l := 1
		for range r.IntN(8) {
			l += 1 + r.IntN(6)
			if l > min(nice-1, n-p) || p == 0 {
				break
			}
			off := 1 + uint32(r.IntN(min(p, 1<<20)))
			if r.IntN(20) == 0 {
				off = explicitFar + uint32(r.IntN(100))
			}
			ms = append(ms, match{length: uint32(l), offset: off})
		}
		a.ms, a.k, a.ll = ms, 0, 2
		logLen := r.IntN(40)
		a.arrivals = make([]uint64, logLen, logLen+maxArrivals+r.IntN(4))
		for j := range a.arrivals {
			a.arrivals[j] = r.Uint64()
		}
		b := a
		b.keys = slices.Clone(a.keys)
		b.arrivals = slices.Clone(a.arrivals)
		relaxPositionAsm(&a)
		if !goOnly(a.relaxRest) {
			t.Fatalf("iter %d: relaxRest failed after the assembly", iter)
		}
		if !goOnly(func() { relaxPositionGo(&b); b.relaxRest() }) {
			t.Fatalf("iter %d: the Go code failed", iter)
		}
		compareNodes(t, iter, &a, &b)
	}
}

// TestSetRoom checks the parser's blocks get the assembly at every level
// (TestRelaxPositionAsm's positions keep setRoom's invariants).
func TestSetRoom(t *testing.T) {
	for level := 1; level <= 100; level++ {
		c, err := NewCompressor(1<<17, level)
		if err != nil {
			t.Fatal(err)
		}
		c.costs.load(c)
		c.lenKey, c.lenCost, c.niceLen = c.costs.lenKey, c.costs.length, c.nice
		if c.setRoom(); !c.room {
			t.Fatalf("level %d: no room for the assembly", level)
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
		got, want := [numReps]int{-1, -1, -1}, [numReps]int{-2, -2, -2} // every entry set
		gb, gl := repLensAsm(in, p, &q, &got)
		wb, wl := repLensGo(in, p, &q, &want)
		if gb != wb || gl != wl || got != want {
			t.Fatalf("iter %d: p %d of %d, offsets %v: asm %d %d %v, Go %d %d %v", iter, p, n, q, gb, gl, got, wb, wl, want)
		}
	}
}

// TestRelaxFusedAsm runs relaxFusedAsm and relaxPositionGo on random
// positions as parseBlock gives them to it (no match+literal+rep0 steps,
// open at the longest range, offsets below explicitFar, nodes past reach
// holding garbage) and compares the keys, the arrivals and the opened
// nodes.
func TestRelaxFusedAsm(t *testing.T) {
	checkFused(t, false)
}

// TestPositionAsm runs positionAsm and positionGo the same way, the
// repeat matches measured from random queues (offsets past the position,
// matches of nice or longer, positions near the chunk's end) on text with
// runs and repeats, and compares what TestRelaxFusedAsm does and the
// longest repeat.
func TestPositionAsm(t *testing.T) {
	checkFused(t, true)
}

func checkFused(t *testing.T, whole bool) {
	if !explicitAVX512 {
		t.Skip("no AVX-512")
	}
	r := rand.New(rand.NewPCG(11, 12))
	const n = 1 << 17
	in := make([]byte, n)
	for i := range in {
		in[i] = byte(r.IntN(2))
		if whole && i > 40 && r.IntN(4) > 0 {
			in[i] = in[i-1-r.IntN(40)] // runs and repeats
		}
	}
	lenKey, lenCost, offCost, litCost := randomPrices(r)
	iters := 200000
	if testing.Short() {
		iters = 50000
	}
	for iter := range iters {
		var a parseNodes
		a.niceLen = 3 + r.IntN(maxNice-2)
		if iter%3 != 0 {
			a.niceLen = 3 + r.IntN(40)
		}
		nice := a.niceLen
		a.node = r.IntN(40)
		a.keys = make([]uint64, a.node+2*nice+2+r.IntN(3))
		a.reach = a.node + r.IntN(min(len(a.keys)-a.node, 60))
		if a.node > 0 && r.IntN(4) == 0 {
			a.reach = a.node // node 0's position, or the block's end
		}
		for j := range a.reach + 1 {
			a.keys[j] = uint64(r.IntN(1<<14))<<32 | uint64(r.IntN(1<<16))
			if r.IntN(5) == 0 {
				a.keys[j] = infKey
			}
		}
		for j := a.reach + 1; j < len(a.keys); j++ {
			a.keys[j] = r.Uint64() >> r.IntN(64) // not opened yet: often below any cost
		}
		a.lenKey, a.lenCost, a.offCost, a.litCost, a.in = lenKey, lenCost, offCost, litCost, in
		a.start = max(0, r.IntN(n-1)-a.node)
		if whole && iter%5 == 0 {
			a.start = max(0, n-1-a.node-r.IntN(12)) // near the end
		}
		p := a.start + a.node
		if whole {
			a.nodeStates = make([]parseState, a.node+1)
			st := &a.nodeStates[a.node]
			for k := range st.lzQ {
				st.lzQ[k] = uint32(1 + r.IntN(min(p+3, 1+r.IntN(50))))
			}
			st.prevLZ = uint8(r.IntN(2))
			a.open = r.Int()
			a.repBest, a.repBestLen = -1, -1
		}
		a.litKey = uint32(r.IntN(1 << 14))
		a.doLitRep = r.IntN(3) == 0
		a.litRepCost = uint32(r.IntN(1 << 14))
		a.litRepOff = 1 + r.IntN(10)
		edge := 1
		for k := range a.repLen {
			a.repLen[k] = 0
			if whole {
				a.repLen[k] = -1 // measured
			} else if r.IntN(3) > 0 && p > 0 {
				a.repLen[k] = r.IntN(min(nice, n-p))
				if a.repLen[k] >= 2 {
					edge = max(edge, a.repLen[k])
				}
			}
			a.repCost[k] = uint32(r.IntN(1 << 14))
		}
		a.expBase = uint32(r.IntN(1 << 14))
		var ms []match
		l := 1
		for range r.IntN(10) {
			l += 1 + r.IntN(1+r.IntN(12))
			if l > min(nice-1, n-p) || p == 0 {
				break
			}
			// Offsets of the slot table's three ranges.
			lim := []int{nearDirect, 1 << 16, p}[r.IntN(3)]
			ms = append(ms, match{length: uint32(l), offset: 1 + uint32(r.IntN(min(p, lim)))})
			edge = max(edge, l)
		}
		if !whole {
			a.open = a.node + edge
		}
		a.ms, a.k, a.ll = ms, 0, 2
		logLen := r.IntN(40)
		a.arrivals = make([]uint64, logLen, logLen+maxArrivals)
		for j := range a.arrivals {
			a.arrivals[j] = r.Uint64()
		}
		b := a
		b.keys = slices.Clone(a.keys)
		b.arrivals = slices.Clone(a.arrivals)
		if whole {
			positionAsm(&a)
			if !goOnly(func() { positionGo(&b) }) {
				t.Fatalf("iter %d: the Go code failed", iter)
			}
			if a.repLen != b.repLen || a.repBest != b.repBest || a.repBestLen != b.repBestLen || a.open != b.open {
				t.Fatalf("iter %d: p %d of %d, queue %v: asm repeats %v, longest %d %d, open %d; Go %v, %d %d, %d",
					iter, p, n, a.nodeStates[a.node].lzQ, a.repLen, a.repBest, a.repBestLen, a.open, b.repLen, b.repBest, b.repBestLen, b.open)
			}
		} else {
			relaxFusedAsm(&a)
			if !goOnly(func() { relaxPositionGo(&b) }) {
				t.Fatalf("iter %d: the Go code failed", iter)
			}
		}
		compareNodes(t, iter, &a, &b)
	}
}

// randomPrices makes the length keys and costs, offset-slot costs and
// literal costs the relax tests price items with.
func randomPrices(r *rand.Rand) (lenKey []uint64, lenCost, offCost []uint32, litCost *[numLiteralSyms]uint32) {
	lenKey = make([]uint64, maxNice+1)
	lenCost = make([]uint32, maxNice+1)
	for l := range lenKey {
		lenCost[l] = uint32(r.IntN(3000))
		lenKey[l] = uint64(lenCost[l]) << 32
	}
	offCost = make([]uint32, maxOffsetSyms)
	for s := range offCost {
		offCost[s] = uint32(r.IntN(3000))
	}
	litCost = new([numLiteralSyms]uint32)
	for b := range litCost {
		litCost[b] = uint32(r.IntN(600))
	}
	return lenKey, lenCost, offCost, litCost
}
