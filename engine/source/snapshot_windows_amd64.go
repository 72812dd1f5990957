//go:build windows

package source

import (
	"syscall"
	"unsafe"

	"golang.org/x/sys/windows"
)

// The x64 calling convention passes a 16-byte struct (a VSS_ID given by
// value) as a pointer to a copy.

func addToSnapshotSet(fn, this uintptr, volume *uint16, provider, id *windows.GUID) uintptr {
	r, _, _ := syscall.SyscallN(fn, this, uintptr(unsafe.Pointer(volume)), uintptr(unsafe.Pointer(provider)), uintptr(unsafe.Pointer(id)))
	return r
}

func getSnapshotProperties(fn, this uintptr, id *windows.GUID, props *vssSnapshotProp) uintptr {
	r, _, _ := syscall.SyscallN(fn, this, uintptr(unsafe.Pointer(id)), uintptr(unsafe.Pointer(props)))
	return r
}
