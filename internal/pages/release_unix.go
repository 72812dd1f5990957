//go:build unix

package pages

import (
	"os"
	"unsafe"

	"golang.org/x/sys/unix"
)

// Release hands the whole pages inside b back to the system: they read as
// zeros or as before when touched again, and count in no peak until then.
// The partial pages at b's ends are kept.
func Release(b []byte) {
	ps := uintptr(os.Getpagesize())
	if uintptr(len(b)) < 2*ps {
		return
	}
	start := uintptr(unsafe.Pointer(unsafe.SliceData(b)))
	first := (start+ps-1)&^(ps-1) - start
	last := (start+uintptr(len(b)))&^(ps-1) - start
	if last > first {
		// Advice only: on failure the pages just stay.
		_ = unix.Madvise(b[first:last], unix.MADV_DONTNEED)
	}
}
