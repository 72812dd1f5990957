//go:build amd64 && !purego

package lzms

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// TestClimbsAsm runs climbsAsm and climbsGo side by side on two finders
// built over the same texts (saisInputs' shapes and small random ones),
// with 17-bit positions (every lcp its own code) and 26-bit ones (64 MiB
// chunks: shared codes), at several nice lengths: one position recorded
// or a stretch visited at a time, in random turns. The matches of each
// recorded position, the nodes, the links and the prefetch state must
// agree.
func TestClimbsAsm(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	inputs := saisInputs([]int{1, 2, 3, 100, 5000, 131072})
	for iter := range 60 {
		inputs["random/"+string(rune('a'+iter%26))+string(rune('0'+iter/26))] = randomText(rng, iter)
	}
	names := make([]string, 0, len(inputs))
	for name := range inputs {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		in := inputs[name]
		for _, c := range []struct{ chunk, nice int }{{1 << 17, 40}, {1 << 17, 200}, {1 << 26, 100}, {1 << 26, 255}} {
			if len(in) > c.chunk {
				continue
			}
			var fa, fg lcpFinder
			for _, f := range []*lcpFinder{&fa, &fg} {
				f.init(c.chunk, c.nice)
				f.alloc(len(in))
				f.reset(in, nil)
				for i := range f.ahead {
					f.ahead[i] = uint32(len(in) / 2)
				}
			}
			ra := make([]match, len(fa.length))
			rg := make([]match, len(fg.length))
			for p := 1; p < len(in); {
				if rng.IntN(4) == 0 {
					to := min(len(in), p+1+rng.IntN(64))
					ka, kg := fa.climbs(p, to, nil), fg.climbsGo(p, to, nil)
					if ka != 0 || kg != 0 {
						t.Fatalf("%s %+v: visit [%d, %d) returned %d (Go %d)", name, c, p, to, ka, kg)
					}
					p = to
				} else {
					ka, kg := fa.climbs(p, p+1, ra), fg.climbsGo(p, p+1, rg)
					if !slices.Equal(ra[len(ra)-ka:], rg[len(rg)-kg:]) {
						t.Fatalf("%s %+v: pos %d: asm %v, Go %v", name, c, p, ra[len(ra)-ka:], rg[len(rg)-kg:])
					}
					p++
				}
				if fa.ahead != fg.ahead {
					t.Fatalf("%s %+v: pos %d: ahead %v, Go %v", name, c, p, fa.ahead, fg.ahead)
				}
			}
			if !slices.Equal(fa.nodes, fg.nodes) || !slices.Equal(fa.links, fg.links) {
				t.Fatalf("%s %+v: the arrays differ after the climbs", name, c)
			}
		}
	}
}
