//go:build amd64 && !purego

package lzms

import (
	"maps"
	"math/rand/v2"
	"slices"
	"testing"
)

// TestClimbsAsm runs climbsAsm and climbsGo side by side on two finders
// built over the same texts (saisInputs' shapes and small random ones),
// with 17-bit positions (every lcp its own code) and 26-bit ones (64 MiB
// chunks: shared codes), at several nice lengths: one position recorded,
// a batch of up to 16 recorded (with each one's count in ends) or a
// stretch visited at a time, in random turns. The matches and counts of
// each recorded call (and the room around them), the nodes, the links
// and the prefetch state must agree.
func TestClimbsAsm(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	inputs := saisInputs([]int{1, 2, 3, 100, 5000, 131072})
	for iter := range 60 {
		inputs["random/"+string(rune('a'+iter%26))+string(rune('0'+iter/26))] = randomText(rng, iter)
	}
	for _, name := range slices.Sorted(maps.Keys(inputs)) {
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
			const most = 16 // positions a recorded call climbs
			ra := make([]match, most*len(fa.length))
			rg := make([]match, most*len(fg.length))
			var ea, eg [most]int32
			for p := 1; p < len(in); {
				switch rng.IntN(4) {
				case 0:
					to := min(len(in), p+1+rng.IntN(64))
					ka, enda := fa.climbs(p, to, nil, nil)
					kg, endg := fg.climbsGo(p, to, nil, nil)
					if ka != 0 || kg != 0 || enda != to || endg != to {
						t.Fatalf("%s %+v: visit [%d, %d) returned %d, %d (Go %d, %d)", name, c, p, to, ka, enda, kg, endg)
					}
					p = to
				case 1:
					// A batch, each position's count in ends, in a
					// room of one position's most and a few more
					// entries: it stops when the room runs short
					// (the head must stay as it was).
					to := min(len(in), p+1+rng.IntN(most))
					room := len(fa.length) + rng.IntN(8)
					if rng.IntN(2) == 0 {
						room = (to - p) * len(fa.length)
					}
					for i := range ra {
						ra[i], rg[i] = match{uint32(i), 1}, match{uint32(i), 1}
					}
					ka, enda := fa.climbs(p, to, ra[len(ra)-room:], ea[:to-p])
					kg, endg := fg.climbsGo(p, to, rg[len(rg)-room:], eg[:to-p])
					if ka != kg || enda != endg || enda <= p || ea != eg || !slices.Equal(ra, rg) {
						t.Fatalf("%s %+v: batch [%d, %d) in %d: asm %d %d %v %v, Go %d %d %v %v", name, c, p, to, room, ka, enda, ea, ra[len(ra)-ka:], kg, endg, eg, rg[len(rg)-kg:])
					}
					p = enda
				default:
					r1, g1 := ra[:len(fa.length)], rg[:len(fg.length)]
					ka, _ := fa.climbs(p, p+1, r1, nil)
					kg, _ := fg.climbsGo(p, p+1, g1, nil)
					if !slices.Equal(r1[len(r1)-ka:], g1[len(g1)-kg:]) {
						t.Fatalf("%s %+v: pos %d: asm %v, Go %v", name, c, p, r1[len(r1)-ka:], g1[len(g1)-kg:])
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
