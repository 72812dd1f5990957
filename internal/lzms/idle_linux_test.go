package lzms

import (
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
