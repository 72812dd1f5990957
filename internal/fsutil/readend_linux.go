package fsutil

import (
	"unsafe"

	"golang.org/x/sys/unix"
)

// readAtEnd reads p and one byte more with one preadv. The call is made
// here rather than through unix.Preadv, whose iovec slice is allocated
// on every call.
func readAtEnd(fd FD, p []byte, off int64) (int, bool, error) {
	var one [1]byte
	var iov [2]unix.Iovec
	iov[0].SetLen(len(p))
	if len(p) > 0 {
		iov[0].Base = &p[0]
	}
	iov[1].Base = &one[0]
	iov[1].SetLen(1)
	// The offset as preadv(2) takes it: low and high halves of a long.
	lo, hi := uintptr(off), uintptr(uint64(off)>>(unsafe.Sizeof(uintptr(0))*8-1)>>1)
	for {
		r, _, e := unix.Syscall6(unix.SYS_PREADV, uintptr(fd), uintptr(unsafe.Pointer(&iov[0])), 2, lo, hi, 0)
		switch {
		case e == unix.EINTR:
			continue
		case e != 0:
			return 0, false, e
		case int(r) > len(p):
			return len(p), true, nil
		}
		return int(r), false, nil
	}
}
