package xpress

import (
	"bytes"
	"fmt"
	"slices"
	"testing"
)

// These tests compare the assembly hot loops (amd64, not purego) with the
// Go code they replace; elsewhere they compare the Go code with itself.

// asmTestInputs are varied inputs of at least 70000 bytes.
func asmTestInputs(t *testing.T) map[string][]byte {
	text, bin := loadCorpus(t)
	rep := make([]byte, 70000)
	for i := range rep {
		rep[i] = "abcabdabcabcabd"[i%15]
	}
	sparse := randomBytes(70000, 3)
	for i := range sparse {
		sparse[i] &= 3
	}
	runs := randomBytes(70000, 5)
	for i := 0; i+700 < len(runs); i += 700 {
		copy(runs[i+100:i+300], runs[i:i+200])
		clear(runs[i+350 : i+650])
	}
	// Repeats of every length from 1 to 300 (the item format and the
	// extra length bytes change at 18 and 273).
	lengths := randomBytes(140000, 9)
	for i, l := 0, 1; i+2*l+40 < len(lengths); i, l = i+2*l+40, l%300+1 {
		copy(lengths[i+l+20:i+2*l+20], lengths[i:i+l])
	}
	long := bytes.Repeat(text[:3000], 30)
	mixed := append(append([]byte{}, text[:35000]...), randomBytes(35000, 7)...)
	return map[string][]byte{
		"text":     text[:min(len(text), 200000)],
		"binary":   bin[len(bin)/3:][:min(len(bin)-len(bin)/3, 200000)],
		"random":   randomBytes(70000, 1),
		"zeros":    make([]byte, 70000),
		"repeat":   rep,
		"sparse":   sparse,
		"runs":     runs,
		"longrep":  long,
		"lengths":  lengths,
		"mixed":    mixed,
		"periodic": bytes.Repeat([]byte("abcdefghijklmnopq"), 70000/17+1),
	}
}

// TestBTAsmMatchesGo runs findAllMatches with the assembly loop and in Go
// on the same chunks, and compares the cached matches, counts and final
// tables.
func TestBTAsmMatchesGo(t *testing.T) {
	cfgs := []asmCfg{{1, 3}, {2, 4}, {5, 16}, {28, 80}, {42, 120}, {100, 65536}, {8, 9}, {0, 10}, {4000, 300}}
	sizes := []int{4, 5, 7, 100, 4095, 4096, 32768, 32769, 65535, 65536}
	if testing.Short() {
		sizes = []int{100, 32768, 65536}
	}
	runAsmCases(t, cfgs, sizes, compareBT)
}

// asmCfg is a search setting the assembly and Go loops are compared at.
type asmCfg struct{ depth, nice int }

// runAsmCases runs compare on every test input at every setting and chunk
// size, each as a subtest.
func runAsmCases(t *testing.T, cfgs []asmCfg, sizes []int, compare func(t *testing.T, data []byte, chunk, depth, nice int)) {
	for name, data := range asmTestInputs(t) {
		for _, c := range cfgs {
			for _, size := range sizes {
				t.Run(fmt.Sprintf("%s/%d/%d/%d", name, c.depth, c.nice, size), func(t *testing.T) {
					compare(t, data, size, c.depth, c.nice)
				})
			}
		}
	}
}

func compareBT(t *testing.T, data []byte, chunk, depth, nice int) {
	defer func() { useAsm = haveAsm }()
	var cs [2]*Compressor
	size := 4096
	for size < chunk {
		size *= 2
	}
	for k := range cs {
		c, err := NewCompressor(size, 100)
		if err != nil {
			t.Fatal(err)
		}
		c.p.maxSearchDepth, c.p.niceLen = depth, nice
		cs[k] = c
	}
	a, g := cs[0], cs[1]
	if depth == 4000 {
		// A cache that runs short: room is 4096*8-4001.
		a.near.cache = a.near.cache[:4096*8]
		g.near.cache = g.near.cache[:4096*8]
	}
	for p := 0; p < len(data) && p < 3*chunk; p += chunk {
		src := data[p:min(p+chunk, len(data))]
		n := len(src)
		for _, c := range cs {
			copy(c.win[:], src)
			clear(c.win[n:min(n+16, len(c.win))])
		}
		useAsm = haveAsm
		a.findAllMatches(n)
		useAsm = false
		g.findAllMatches(n)
		used := 0
		for _, m := range g.near.counts[:n] {
			used += int(m)
		}
		if !slices.Equal(a.near.counts[:n], g.near.counts[:n]) || !slices.Equal(a.near.cache[:used], g.near.cache[:used]) {
			for pos := range n {
				if a.near.counts[pos] != g.near.counts[pos] {
					t.Fatalf("chunk %d pos %d: asm %d matches, Go %d", p, pos, a.near.counts[pos], g.near.counts[pos])
				}
			}
			t.Fatalf("chunk %d: cached matches differ", p)
		}
		ab, gb := &a.near.bt, &g.near.bt
		if ab.head3 != gb.head3 || ab.head4 != gb.head4 || ab.child != gb.child {
			t.Fatalf("chunk %d: tables differ", p)
		}
		ab.release(a.win, n)
		gb.release(g.win, n)
	}
}

// TestAsmCompressMatchesGo compresses varied inputs with the assembly on
// and off, for every chunk size and several levels, and compares the bytes.
func TestAsmCompressMatchesGo(t *testing.T) {
	levels := []int{20, 50, 60, 100, 150}
	for name, data := range asmTestInputs(t) {
		for _, chunk := range chunkSizes {
			for _, level := range levels {
				for _, size := range []int{1 << 30, chunk - 1, 4097, 100, 6} {
					if testing.Short() && size != 1<<30 {
						continue
					}
					t.Run(fmt.Sprintf("%s/%d/%d/%d", name, chunk, level, size), func(t *testing.T) {
						compareCompress(t, data[:min(len(data), size)], chunk, level)
					})
				}
			}
		}
	}
}

func compareCompress(t *testing.T, data []byte, chunk, level int) {
	defer func() { useAsm = haveAsm }()
	var outs [2][]byte
	for k, asm := range []bool{false, haveAsm} {
		useAsm = asm
		c, err := NewCompressor(chunk, level)
		if err != nil {
			t.Fatal(err)
		}
		dst := make([]byte, chunk+chunk/8+minOutput+16)
		for p := 0; p < len(data) && p < 4*chunk; p += chunk {
			src := data[p:min(p+chunk, len(data))]
			n := c.compress(dst, src)
			outs[k] = append(outs[k], byte(n), byte(n>>8), byte(n>>16))
			outs[k] = append(outs[k], dst[:n]...)
		}
	}
	if !bytes.Equal(outs[0], outs[1]) {
		t.Fatalf("assembly output differs (%d vs %d bytes)", len(outs[1]), len(outs[0]))
	}
}

// TestNearAsmMatchesGo runs minCost with the assembly and in Go over the
// cached matches of varied inputs, with the parser's own costs and with
// random ones (other choices, ties), and compares costs and choices.
func TestNearAsmMatchesGo(t *testing.T) {
	defer func() { useAsm = haveAsm }()
	rng := uint32(1)
	for name, data := range asmTestInputs(t) {
		for _, level := range []int{60, 100, 150, 400} {
			for _, chunk := range chunkSizes {
				c, err := NewCompressor(chunk, level)
				if err != nil {
					t.Fatal(err)
				}
				s := c.near
				for p := 0; p < len(data) && p < 2*chunk; p += chunk {
					src := data[p:min(p+chunk, len(data))]
					n := len(src)
					copy(c.win[:], src)
					clear(c.win[n:min(n+16, len(c.win))])
					useAsm = false
					c.findAllMatches(n)
					s.bt.release(c.win, n)
					for round := range 4 {
						for i := range s.symCost {
							if round == 0 {
								s.symCost[i] = 8
							} else {
								rng = rng*1103515245 + 12345
								s.symCost[i] = 1 + rng>>16%uint32(4*round)
							}
						}
						useAsm = false
						s.minCost(c.win, n)
						costG := slices.Clone(s.cost[:n+1])
						choiceG := slices.Clone(s.choice[:n])
						clear(s.cost)
						clear(s.choice)
						useAsm = haveAsm
						s.minCost(c.win, n)
						if !slices.Equal(costG, s.cost[:n+1]) || !slices.Equal(choiceG, s.choice[:n]) {
							for i := range n {
								if costG[i] != s.cost[i] || choiceG[i] != s.choice[i] {
									t.Fatalf("%s level %d chunk %d round %d: pos %d: asm %d %x, Go %d %x",
										name, level, chunk, round, i, s.cost[i], s.choice[i], costG[i], choiceG[i])
								}
							}
						}
					}
				}
			}
		}
	}
}

// TestLazyAsmMatchesGo runs parseLazy with the assembly loop and in Go on
// the same chunks (several in a row, so the tables carry entries over as
// in a WIM), and compares the items, counts and final tables.
func TestLazyAsmMatchesGo(t *testing.T) {
	cfgs := []asmCfg{{0, 3}, {1, 3}, {2, 4}, {6, 75}, {28, 93}, {5, 16}, {100, 65536}, {8, 9}, {40, 258}}
	sizes := []int{1, 3, 4, 5, 7, 100, 4095, 4096, 4097, 32768, 32769, 65535, 65536}
	if testing.Short() {
		sizes = []int{5, 100, 4097, 32768, 65536}
	}
	runAsmCases(t, cfgs, sizes, compareLazy)
}

func compareLazy(t *testing.T, data []byte, chunk, depth, nice int) {
	defer func() { useAsm = haveAsm }()
	var cs [2]*Compressor
	for k := range cs {
		c, err := NewCompressor(65536, 50)
		if err != nil {
			t.Fatal(err)
		}
		c.p.maxSearchDepth, c.p.niceLen = depth, nice
		cs[k] = c
	}
	a, g := cs[0], cs[1]
	for p := 0; p < len(data) && p < 3*chunk; p += chunk {
		src := data[p:min(p+chunk, len(data))]
		n := len(src)
		for _, c := range cs {
			copy(c.win[:], src)
			clear(c.win[n:min(n+16, len(c.win))])
			c.freqs = [numSymbols]uint32{}
			c.extraBytes = 0
		}
		useAsm = haveAsm
		ka := a.parseLazy(n)
		useAsm = false
		kg := g.parseLazy(n)
		if ka != kg || !slices.Equal(a.items[:ka], g.items[:kg]) {
			for i := range min(ka, kg) {
				if a.items[i] != g.items[i] {
					t.Fatalf("chunk %d item %d: asm %#x, Go %#x", p, i, a.items[i], g.items[i])
				}
			}
			t.Fatalf("chunk %d: asm %d items, Go %d", p, ka, kg)
		}
		if a.freqs != g.freqs || a.extraBytes != g.extraBytes {
			t.Fatalf("chunk %d: counts differ (extra bytes asm %d, Go %d)", p, a.extraBytes, g.extraBytes)
		}
		ah, gh := a.hc, g.hc
		if ah.head3 != gh.head3 || ah.head4 != gh.head4 || ah.next != gh.next || ah.dirty != gh.dirty {
			t.Fatalf("chunk %d: tables differ", p)
		}
	}
}
