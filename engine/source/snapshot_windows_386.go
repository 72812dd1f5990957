//go:build windows

package source

import (
	"syscall"
	"unsafe"

	"golang.org/x/sys/windows"
)

// stdcall on x86 pushes a 16-byte struct (a VSS_ID given by value) onto
// the stack: four 32-bit words.

func guidWords(g *windows.GUID) [4]uintptr {
	w := (*[4]uint32)(unsafe.Pointer(g))
	return [4]uintptr{uintptr(w[0]), uintptr(w[1]), uintptr(w[2]), uintptr(w[3])}
}

func addToSnapshotSet(fn, this uintptr, volume *uint16, provider, id *windows.GUID) uintptr {
	p := guidWords(provider)
	r, _, _ := syscall.SyscallN(fn, this, uintptr(unsafe.Pointer(volume)), p[0], p[1], p[2], p[3], uintptr(unsafe.Pointer(id)))
	return r
}

func getSnapshotProperties(fn, this uintptr, id *windows.GUID, props *vssSnapshotProp) uintptr {
	w := guidWords(id)
	r, _, _ := syscall.SyscallN(fn, this, w[0], w[1], w[2], w[3], uintptr(unsafe.Pointer(props)))
	return r
}
