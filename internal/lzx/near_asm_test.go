//go:build amd64 && !purego

package lzx

import (
	"bytes"
	"fmt"
	"testing"
	"unsafe"
)

func TestNearAsmLayout(t *testing.T) {
	var c costModel
	var n optNode
	if unsafe.Offsetof(c.match) != 1024 || unsafe.Sizeof(c.match[0]) != 1024 || unsafe.Offsetof(c.aligned) != 52224 ||
		unsafe.Sizeof(n) != 8 || unsafe.Offsetof(n.item) != 4 || queueRing != 1024 || qBits != 21 ||
		minAlignedSlot != 8 || maxMatchLen != 257 || nodeReach != 514 || matchLenBits != 9 || gapItem != 1<<31 {
		t.Fatal("layout or constants changed; near_amd64.s must follow")
	}
}

// TestNearAsmMatchesGo compresses varied inputs with the assembly and the
// Go main loop of minCostPath and compares the output.
func TestNearAsmMatchesGo(t *testing.T) {
	inputs := asmTestInputs(t)
	text, bin := loadCorpus(t)
	big := append(append([]byte{}, bin[:min(len(bin), 1<<20)]...), bin[:min(len(bin), 1<<20)]...)
	type cfg struct{ chunk, level, size int }
	cfgs := []cfg{{1 << 15, 50, 1 << 30}, {1 << 15, 35, 1 << 30}, {1 << 15, 100, 1 << 30}, {1 << 16, 60, 1 << 30},
		{1 << 15, 50, 4097}, {1 << 15, 50, 100}, {1 << 15, 50, 6}}
	for name, data := range inputs {
		for _, c := range cfgs {
			t.Run(fmt.Sprintf("%s/%d/%d/%d", name, c.chunk, c.level, c.size), func(t *testing.T) {
				compareNear(t, data[:min(len(data), c.size)], c.chunk, c.level)
			})
		}
	}
	// Large windows: positions past 16 bits, matches from far back.
	long := 3 << 20
	if testing.Short() {
		long = 600 << 10 // one part-chunk each (the full run covers 2 MiB windows whole)
	}
	t.Run("text/2M", func(t *testing.T) { compareNear(t, text[:min(len(text), long)], 2<<20, 50) })
	t.Run("bin/2M", func(t *testing.T) { compareNear(t, big[:min(len(big), long)], 2<<20, 50) })
	t.Run("bin/1M", func(t *testing.T) { compareNear(t, big[:min(len(big), long)], 1<<20, 100) })
}

func compareNear(t *testing.T, data []byte, chunk, level int) {
	haveAVX512 := nearAVX512
	defer func() { nearAsm, nearAVX512 = haveNearAsm, haveAVX512 }()
	// The Go loop, the assembly one length at a time, and eight at a time
	// where the CPU can.
	type variant struct{ asm, avx512 bool }
	variants := []variant{{false, false}, {true, false}}
	if haveAVX512 {
		variants = append(variants, variant{true, true})
	}
	var outs [][]byte
	for _, v := range variants {
		nearAsm, nearAVX512 = v.asm, v.avx512
		c, err := NewCompressor(chunk, level)
		if err != nil {
			t.Fatal(err)
		}
		dst := make([]byte, chunk)
		var out []byte
		for p := 0; p < len(data); p += chunk {
			src := data[p:min(p+chunk, len(data))]
			n := c.Compress(dst[:len(src)-1], src)
			out = append(out, byte(n), byte(n>>8), byte(n>>16))
			out = append(out, dst[:n]...)
		}
		outs = append(outs, out)
	}
	for k := 1; k < len(outs); k++ {
		if !bytes.Equal(outs[0], outs[k]) {
			t.Fatalf("assembly %+v output differs (%d vs %d bytes)", variants[k], len(outs[k]), len(outs[0]))
		}
	}
}

// asmTestInputs are varied chunks for comparing matchfinder implementations.
func asmTestInputs(t *testing.T) map[string][]byte {
	text, bin := loadCorpus(t)
	rep := make([]byte, 70000)
	for i := range rep {
		rep[i] = "abcabdabcabcabd"[i%15]
	}
	sparse := randomBytes(65536, 3)
	for i := range sparse {
		sparse[i] &= 3
	}
	runs := randomBytes(40000, 5)
	for i := 0; i+300 < len(runs); i += 700 {
		copy(runs[i+100:i+300], runs[i:i+200])
		clear(runs[i+350 : i+650])
	}
	return map[string][]byte{
		"random": randomBytes(65536, 1),
		"text":   text[:min(len(text), 200000)],
		"bin":    bin[:min(len(bin), 200000)],
		"rep":    rep,
		"zero":   make([]byte, 65536),
		"sparse": sparse,
		"runs":   runs,
	}
}
