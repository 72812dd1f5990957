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
