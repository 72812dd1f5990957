//go:build amd64 && !purego

package lzx

import (
	"fmt"
	"slices"
	"testing"
	"unsafe"
)

func TestBTAsmLayout(t *testing.T) {
	var m btMatchfinder[uint16]
	if unsafe.Offsetof(m.head3) != btHead3Off16 || unsafe.Offsetof(m.head4) != btHead4Off16 ||
		btHead3Off16 != 8192 || btHead4Off16 != 139264 {
		t.Fatalf("head offsets %d %d, assembly expects 8192 139264", unsafe.Offsetof(m.head3), unsafe.Offsetof(m.head4))
	}
	var s nearScan
	var e tally
	var sp splitter
	got := []uintptr{unsafe.Offsetof(s.pos), unsafe.Offsetof(s.end), unsafe.Offsetof(s.start), unsafe.Offsetof(s.n),
		unsafe.Offsetof(s.niceLen), unsafe.Offsetof(s.depth), unsafe.Offsetof(s.nextObs), unsafe.Offsetof(s.nextSearch),
		unsafe.Offsetof(s.room), unsafe.Offsetof(s.visits), unsafe.Offsetof(s.cache), unsafe.Offsetof(s.counts),
		unsafe.Offsetof(s.est), unsafe.Offsetof(s.spl), unsafe.Offsetof(s.m), unsafe.Offsetof(s.in), unsafe.Offsetof(s.child),
		unsafe.Offsetof(e.aligned), unsafe.Offsetof(sp.newObs) + 8*4, unsafe.Offsetof(sp.newN), matchLenBits}
	// NS_* and the other #defines of bt_amd64.s, the shift by matchLenBits.
	asm := []uintptr{0, 8, 16, 24, 32, 40, 48, 56, 64, 72, 80, 104, 128, 136, 144, 152, 160, 3620, 72, 84, 9}
	if !slices.Equal(got, asm) || nsCacheOff != 80 || nsCountsOff != 104 || nsEstOff != 128 || nsSplOff != 136 || nsMOff != 144 {
		t.Fatalf("nearScan/tally/splitter offsets %v, assembly expects %v", got, asm)
	}
}

// TestNearScanAsmMatchesGo runs nearScan16 and nearScanGo side by side
// over chunks, driven as compressNear drives them (skips up to the next
// search, blocks ended by a full cache, the block length or the
// splitter), and compares the state after every call: position, cached
// matches and counts, the greedy observations, the next search.
func TestNearScanAsmMatchesGo(t *testing.T) {
	// split false leaves the splitter's checks undone, so that one is
	// due at every position from the first until n-minBlockSize.
	type cfg struct {
		depth, nice, block, cache int
		split                     bool
	}
	cfgs := []cfg{{24, 48, 32768, 1 << 20, true}, {48, 128, 32768, 1 << 20, true}, {5, 16, 7000, 1 << 20, true},
		{24, 48, 32768, 3000, true}, {1, 3, 100, 1 << 20, true}, {100, 257, 65536, 1 << 20, true},
		{8, 9, 9000, 20000, true}, {24, 48, 65536, 1 << 20, false}}
	sizes := []int{5, 100, 4097, 32768, 65536}
	if testing.Short() {
		sizes = []int{4097, 32768, 65536}
	}
	for name, data := range asmTestInputs(t) {
		for _, c := range cfgs {
			for _, size := range sizes {
				t.Run(fmt.Sprintf("%s/%d/%d/%d/%d/%v/%d", name, c.depth, c.nice, c.block, c.cache, c.split, size), func(t *testing.T) {
					compareNearScan(t, data, size, c.depth, c.nice, c.block, c.cache, c.split)
				})
			}
		}
	}
}

func compareNearScan(t *testing.T, data []byte, chunk, depth, nice, block, cacheCap int, split bool) {
	a, g := newBT[uint16](chunk), newBT[uint16](chunk)
	in := make([]byte, chunk+inputSlack)
	var estA, estG tally
	var splA, splG splitter
	cacheA, cacheG := make([]uint32, 0, cacheCap), make([]uint32, 0, cacheCap)
	countsA, countsG := make([]uint16, block), make([]uint16, block)
	room := depth + 3
	for p := 0; p < len(data); p += chunk {
		n := copy(in, data[p:min(p+chunk, len(data))])
		clear(in[n:])
		a.reset()
		g.reset()
		sa := nearScan{n: n, niceLen: nice, depth: depth, room: room, counts: countsA, est: &estA, spl: &splA,
			m: unsafe.Pointer(a), in: unsafe.SliceData(in), child: unsafe.SliceData(a.child)}
		sg := nearScan{n: n, niceLen: nice, depth: depth, room: room, counts: countsG, est: &estG, spl: &splG}
		start, nextSearch, nextObs := 0, 0, 0
		newBlock := func(pos int) {
			start, nextObs = pos, pos
			sa.cache, sg.cache = cacheA[:0], cacheG[:0]
			estA, estG, splA, splG = tally{}, tally{}, splitter{}, splitter{}
		}
		newBlock(0)
		for pos := 0; pos+btMinBytes <= n; {
			if pos-start >= block {
				newBlock(pos)
			}
			if pos < nextSearch {
				nc := min(nice, maxMatchLen, n-pos)
				a.skip(in, pos, nc, depth)
				g.skip(in, pos, nc, depth)
				pos++
				continue
			}
			end := min(start+block, n-btMinBytes+1)
			sa.pos, sa.end, sa.start, sa.nextObs, sa.nextSearch = pos, end, start, nextObs, nextSearch
			sg.pos, sg.end, sg.start, sg.nextObs, sg.nextSearch = pos, end, start, nextObs, nextSearch
			cached := len(sg.cache) // earlier entries were compared before
			nearScan16(&sa)
			nearScanGo(g, in, &sg)
			if sa.pos != sg.pos || sa.nextObs != sg.nextObs || sa.nextSearch != sg.nextSearch || sa.visits != sg.visits ||
				!slices.Equal(sa.cache[cached:], sg.cache[cached:]) || len(sa.cache) != len(sg.cache) || !slices.Equal(countsA[pos-start:sa.pos-start], countsG[pos-start:sg.pos-start]) ||
				estA != estG || splA != splG {
				t.Fatalf("chunk %d from %d: asm pos %d obs %d search %d visits %d %d cached, Go %d %d %d %d %d; observations equal %v %v",
					p, pos, sa.pos, sa.nextObs, sa.nextSearch, sa.visits, len(sa.cache),
					sg.pos, sg.nextObs, sg.nextSearch, sg.visits, len(sg.cache), estA == estG, splA == splG)
			}
			pos, nextObs, nextSearch = sg.pos, sg.nextObs, sg.nextSearch
			if cap(sg.cache)-len(sg.cache) < room {
				newBlock(pos)
			} else if split && splG.newN >= obsPerCheck && pos-start >= minBlockSize && n-pos >= minBlockSize {
				ea, eg := splA.shouldEnd(pos-start, &estA.main), splG.shouldEnd(pos-start, &estG.main)
				if ea != eg {
					t.Fatal("splitters differ")
				}
				if eg {
					newBlock(pos)
				}
			}
		}
		if a.head2 != g.head2 || a.head3 != g.head3 || a.head4 != g.head4 || !slices.Equal(a.child, g.child) {
			t.Fatalf("chunk %d: tables differ", p)
		}
		if p >= 4*chunk {
			break
		}
	}
}

// TestBTAsmMatchesGo runs the assembly and Go tree walks side by side, the
// way compressNear drives them, and compares every result and the final
// tables.
func TestBTAsmMatchesGo(t *testing.T) {
	inputs := asmTestInputs(t)
	type cfg struct{ depth, nice int }
	cfgs := []cfg{{1, 3}, {2, 4}, {5, 16}, {24, 48}, {48, 96}, {100, 257}, {24, 257}, {8, 9}}
	sizes := []int{4, 5, 7, 100, 4095, 32768, 32769, 65535, 65536}
	if testing.Short() {
		sizes = []int{100, 32768, 65536}
	}
	for name, data := range inputs {
		for _, c := range cfgs {
			for _, size := range sizes {
				if size > len(data) {
					continue
				}
				t.Run(fmt.Sprintf("%s/%d/%d/%d", name, c.depth, c.nice, size), func(t *testing.T) {
					compareBT(t, data, size, c.depth, c.nice)
				})
			}
		}
	}
}

func compareBT(t *testing.T, data []byte, chunk, depth, nice int) {
	a, g := newBT[uint16](chunk), newBT[uint16](chunk)
	outA := make([]uint32, depth+2)
	outG := make([]uint32, depth+2)
	in := make([]byte, chunk+inputSlack)
	for p := 0; p < len(data); p += chunk {
		n := copy(in, data[p:min(p+chunk, len(data))])
		clear(in[n:])
		a.reset()
		g.reset()
		next := 0
		for pos := 0; pos+btMinBytes <= n; pos++ {
			maxLen := min(maxMatchLen, n-pos)
			nc := min(nice, maxLen)
			if pos < next {
				a.skip(in, pos, nc, depth)
				g.skipGo(in, pos, nc, depth)
				continue
			}
			na, ba := a.getMatches(in, pos, maxLen, nc, depth, outA)
			ng, bg := g.getMatchesGo(in, pos, maxLen, nc, depth, outG)
			if na != ng || ba != bg || !slices.Equal(outA[:na], outG[:ng]) {
				t.Fatalf("chunk %d pos %d: asm %d %d %x, Go %d %d %x", p, pos, na, ba, outA[:na], ng, bg, outG[:ng])
			}
			if bg >= nc {
				next = pos + bg
			}
		}
		if a.head2 != g.head2 || a.head3 != g.head3 || a.head4 != g.head4 || !slices.Equal(a.child, g.child) {
			t.Fatalf("chunk %d: tables differ", p)
		}
		if p+chunk >= 200000 || p >= 8*chunk {
			break
		}
	}
}
