package lzms

import (
	"bytes"
	"slices"
	"testing"

	"github.com/wimgo/wimgo/internal/codectest"
	"github.com/wimgo/wimgo/internal/pages"
)

// TestIdleArraysReleased: after a big chunk, a compressor of big chunks
// given a much shorter one (a solid resource's last) leaves its arrays'
// pages past that chunk out of memory, and still compresses it right.
func TestIdleArraysReleased(t *testing.T) {
	text, bin := codectest.Corpus(t)
	big := make([]byte, 2<<20) // the arrays are made for it
	for i := 0; i < len(big); {
		i += copy(big[i:], text)
		i += copy(big[i:], bin)
	}
	const maxChunk = 2 * eagerAlloc // over eagerAlloc: arrays made on demand
	c, err := NewCompressor(maxChunk, 20)
	if err != nil {
		t.Fatal(err)
	}
	dst := make([]byte, len(big))
	if c.Compress(dst, big) == 0 {
		t.Fatal("did not compress")
	}
	if r, n, _ := pages.Resident(u32Bytes(c.lf.nodes)); r < n*9/10 {
		t.Fatalf("after a full chunk only %d of %d pages of the arrays resident", r, n)
	}
	short := big[:64<<10]
	n := c.Compress(dst, short)
	want := make([]byte, len(short))
	ref, _ := NewCompressor(maxChunk, 20)
	if nw := ref.Compress(want, short); n == 0 || nw != n || string(want[:n]) != string(dst[:n]) {
		t.Fatalf("short chunk: %d bytes, a fresh compressor %d (or they differ)", n, nw)
	}
	for name, idle := range map[string][]uint32{"nodes": c.lf.nodes[len(short):], "links": c.lf.links[len(short)+256:]} {
		// The partial pages at the ends stay, and the kernel may bring a
		// few back meanwhile (khugepaged); not hundreds.
		if r, total, err := pages.Resident(u32Bytes(idle)); err != nil || r > 2+total/64 {
			t.Errorf("%s past the short chunk: %d of %d pages resident (%v)", name, r, total, err)
		}
	}
}

// residentShare is the share of b's pages in memory.
func residentShare(t *testing.T, b []uint32) float64 {
	t.Helper()
	r, n, err := pages.Resident(u32Bytes(b))
	if err != nil || n == 0 {
		t.Fatalf("mincore: %v (%d pages)", err, n)
	}
	return float64(r) / float64(n)
}

// probeGate is a gate that looks at its compressor's arrays as it is
// taken and given back.
type probeGate struct {
	t                  *testing.T
	f                  *lcpFinder
	n                  int
	locks, unlocks     int
	linksAtLock        float64
	linksAtUnlock      float64
	nodesFilledAtEntry float64
}

func (g *probeGate) Lock() {
	g.locks++
	if g.locks == 1 {
		g.linksAtLock = residentShare(g.t, g.f.links[:g.n])
		g.nodesFilledAtEntry = residentShare(g.t, g.f.nodes[:g.n])
	}
}

func (g *probeGate) Unlock() {
	g.unlocks++
	if g.unlocks == 1 {
		g.linksAtUnlock = residentShare(g.t, g.f.links[:g.n])
	}
}

// TestTreeTailReleased: at big chunks, the entries of nodes the interval
// tree leaves unused are out of memory through the parse, the bytes stay
// those of a compressor that keeps them, and the gate is held across the
// stretch where links fills while nodes is whole.
func TestTreeTailReleased(t *testing.T) {
	text, _ := codectest.Corpus(t) // Go source: about 0.45 intervals a byte
	const maxChunk = 2 * eagerAlloc
	in := text[:min(len(text), eagerAlloc)]
	n := len(in)
	c, err := NewCompressor(maxChunk, 50)
	if err != nil {
		t.Fatal(err)
	}
	// The arrays out of memory before the chunk, as fresh ones from the
	// system would be (the heap may hand out reused, cleared memory).
	c.lf.alloc(n)
	pages.Release(u32Bytes(c.lf.nodes))
	pages.Release(u32Bytes(c.lf.links))
	g := &probeGate{t: t, f: &c.lf, n: n}
	c.SetGate(g)
	dst := make([]byte, n)
	csize := c.Compress(dst, slices.Clone(in))
	if csize == 0 {
		t.Fatal("did not compress")
	}
	if g.locks != 1 || g.unlocks != 1 {
		t.Fatalf("gate taken %d times, given back %d, want 1 and 1", g.locks, g.unlocks)
	}
	if g.nodesFilledAtEntry < 0.9 || g.linksAtLock > 0.5 || g.linksAtUnlock < 0.9 {
		t.Errorf("at the gate: nodes %.2f resident, links %.2f; at its release links %.2f (want the fill of links inside)",
			g.nodesFilledAtEntry, g.linksAtLock, g.linksAtUnlock)
	}
	mask := uint32(1)<<c.lf.posBits - 1
	m := 0
	for _, l := range c.lf.links[:n] {
		m = max(m, int(l&mask)+1)
	}
	if n-m < idleMin {
		t.Fatalf("%d intervals of %d positions: too many for the test", m, n)
	}
	const page = 1024 // entries
	if s := residentShare(t, c.lf.nodes[m+page:n]); s > 1.0/64 {
		t.Errorf("nodes past the %d intervals: %.3f resident", m, s)
	}
	if s := residentShare(t, c.lf.nodes[:m]); s < 0.9 {
		t.Errorf("the %d intervals: only %.3f resident", m, s)
	}
	// A compressor for chunks up to eagerAlloc keeps its arrays whole.
	ref, _ := NewCompressor(eagerAlloc, 50)
	want := make([]byte, n)
	if nw := ref.Compress(want, slices.Clone(in)); nw != csize || !bytes.Equal(want[:nw], dst[:csize]) {
		t.Fatalf("%d bytes, with the arrays whole %d (or they differ)", csize, nw)
	}
	d, _ := NewDecompressor(maxChunk)
	out := make([]byte, n)
	if err := d.Decompress(out, dst[:csize]); err != nil || !bytes.Equal(out, in) {
		t.Fatalf("round trip: %v", err)
	}
}
