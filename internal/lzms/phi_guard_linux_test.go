//go:build linux

package lzms

import (
	"syscall"
	"testing"
	"unsafe"
)

// TestIndexAtPageEnd runs the Φ way of index over texts of 1 to 40 bytes
// whose text, suffix array and links each end where an inaccessible page
// begins: the scans (and their reads ahead for the prefetches) must not
// read past any of them (a read there faults).
func TestIndexAtPageEnd(t *testing.T) {
	page := syscall.Getpagesize()
	guarded := func() []byte {
		mem, err := syscall.Mmap(-1, 0, 2*page, syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_ANON|syscall.MAP_PRIVATE)
		if err != nil {
			t.Skip(err)
		}
		t.Cleanup(func() { syscall.Munmap(mem) })
		if err := syscall.Mprotect(mem[page:], syscall.PROT_NONE); err != nil {
			t.Skip(err)
		}
		return mem[:page]
	}
	textMem, saMem, linksMem := guarded(), guarded(), guarded()
	u32 := func(mem []byte, n int) []uint32 {
		return unsafe.Slice((*uint32)(unsafe.Pointer(&mem[len(mem)-4*n])), n)
	}
	for n := 1; n <= 40; n++ {
		in := textMem[len(textMem)-n:]
		for i := range in {
			in[i] = "abracadabra"[i%11]
		}
		want := buildSA(in)
		for _, nice := range []int{8, 100} {
			var f lcpFinder
			f.init(1<<17, nice)
			sa, links := u32(saMem, n), u32(linksMem, n)
			for r, p := range want {
				sa[r] = uint32(p)
			}
			f.storeLCPPhi(in, sa, links)
			f.buildIntervalsPhi(sa, links)
			// The same links as the direct way's.
			direct, directLinks := make([]uint32, n), make([]uint32, n)
			for r, p := range want {
				direct[r] = uint32(p)
			}
			f.storeLCPDirect(in, direct)
			f.buildIntervals(direct, directLinks)
			if i := firstDiffU32(links, directLinks); i >= 0 {
				t.Fatalf("n %d nice %d: link of %d: %#x, want %#x", n, nice, i, links[i], directLinks[i])
			}
		}
	}
}
