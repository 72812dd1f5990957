package pages

import (
	"os"
	"testing"
	"unsafe"
)

// TestReleasePages: the whole pages inside the range leave memory (mincore),
// the partial ones at its ends stay, with their bytes.
func TestReleasePages(t *testing.T) {
	ps := os.Getpagesize()
	buf := make([]byte, 66*ps)
	// Page-aligned in buf, whatever the allocator gives.
	off := (ps - int(uintptr(unsafe.Pointer(&buf[0]))%uintptr(ps))) % ps
	pages := buf[off : off+64*ps]
	for i := range pages {
		pages[i] = 1
	}
	if r, n, err := Resident(pages); err != nil || r != n || n != 64 {
		t.Fatalf("written: %d of %d pages resident (%v), want 64 of 64", r, n, err)
	}
	Release(pages[ps/2 : len(pages)-ps/2]) // starts and ends inside a page
	for i := range 64 {
		r, _, err := Resident(pages[i*ps : (i+1)*ps])
		if err != nil {
			t.Fatal(err)
		}
		if edge := i == 0 || i == 63; (r == 1) != edge {
			t.Errorf("page %d of 64: resident %v after release", i, r == 1)
		}
	}
	if pages[ps/2] != 1 || pages[len(pages)-ps/2-1] != 1 {
		t.Error("bytes of the partial pages at the ends changed")
	}
}
