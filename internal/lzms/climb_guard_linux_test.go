//go:build linux

package lzms

import (
	"slices"
	"syscall"
	"testing"
	"unsafe"
)

// TestClimbsAtPageEnd climbs texts of 2 to 40 bytes with the finder's
// nodes ending at an inaccessible page and the links' scratch past the
// text (links[n:], which the climbs never need) all ones: climbsAsm's early
// load of the next position's first up must not read past the call (at
// its last position it reads links[p], already 0); an index from the
// scratch would be mask, far past the nodes' end. The matches must be
// climbsGo's.
func TestClimbsAtPageEnd(t *testing.T) {
	page := syscall.Getpagesize()
	mem, err := syscall.Mmap(-1, 0, 2*page, syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_ANON|syscall.MAP_PRIVATE)
	if err != nil {
		t.Skip(err)
	}
	defer syscall.Munmap(mem)
	if err := syscall.Mprotect(mem[page:], syscall.PROT_NONE); err != nil {
		t.Skip(err)
	}
	for n := 2; n <= 40; n++ {
		for _, pattern := range []string{"abracadabra", "aaaaaaaaaaaaaaaa", "abcabcabd"} {
			in := make([]byte, n)
			for i := range in {
				in[i] = pattern[i%len(pattern)]
			}
			var fa, fg lcpFinder
			for _, f := range []*lcpFinder{&fa, &fg} {
				f.init(1<<17, 40)
				f.alloc(n)
				f.reset(in, nil)
				for i := n; i < len(f.links); i++ {
					f.links[i] = ^uint32(0)
				}
			}
			nodes := unsafe.Slice((*uint32)(unsafe.Pointer(&mem[page-4*n])), n)
			copy(nodes, fa.nodes)
			fa.nodes = nodes
			ra := make([]match, n*len(fa.length))
			rg := make([]match, n*len(fg.length))
			ea, eg := make([]int32, n), make([]int32, n)
			ka, enda := fa.climbs(1, n, ra, ea[:n-1])
			kg, endg := fg.climbsGo(1, n, rg, eg[:n-1])
			if ka != kg || enda != endg || !slices.Equal(ea, eg) || !slices.Equal(ra, rg) {
				t.Fatalf("%q: asm %d %d %v %v, Go %d %d %v %v", in, ka, enda, ea, ra[len(ra)-ka:], kg, endg, eg, rg[len(rg)-kg:])
			}
		}
	}
}
