package pages

import (
	"os"
	"unsafe"

	"golang.org/x/sys/unix"
)

// Resident says how many of the pages b touches are in memory (mincore),
// and how many it touches: for tests of what Release and its callers keep.
func Resident(b []byte) (resident, total int, err error) {
	if len(b) == 0 {
		return 0, 0, nil
	}
	ps := uintptr(os.Getpagesize())
	addr := uintptr(unsafe.Pointer(unsafe.SliceData(b)))
	first := addr &^ (ps - 1)
	end := addr + uintptr(len(b))
	vec := make([]byte, (end-first+ps-1)/ps)
	if _, _, e := unix.Syscall(unix.SYS_MINCORE, first, end-first, uintptr(unsafe.Pointer(&vec[0]))); e != 0 {
		return 0, 0, e
	}
	for _, v := range vec {
		resident += int(v & 1)
	}
	return resident, len(vec), nil
}
