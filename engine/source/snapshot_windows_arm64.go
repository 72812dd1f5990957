//go:build windows

package source

import (
	"syscall"
	"unsafe"

	"golang.org/x/sys/windows"
)

// The ARM64 calling convention passes a 16-byte struct (a VSS_ID given by
// value) in two consecutive general registers, its first and second
// eight bytes.

func guidHalves(g *windows.GUID) (uintptr, uintptr) {
	w := (*[2]uint64)(unsafe.Pointer(g))
	return uintptr(w[0]), uintptr(w[1])
}

func addToSnapshotSet(fn, this uintptr, volume *uint16, provider, id *windows.GUID) uintptr {
	lo, hi := guidHalves(provider)
	r, _, _ := syscall.SyscallN(fn, this, uintptr(unsafe.Pointer(volume)), lo, hi, uintptr(unsafe.Pointer(id)))
	return r
}

func getSnapshotProperties(fn, this uintptr, id *windows.GUID, props *vssSnapshotProp) uintptr {
	lo, hi := guidHalves(id)
	r, _, _ := syscall.SyscallN(fn, this, lo, hi, uintptr(unsafe.Pointer(props)))
	return r
}
