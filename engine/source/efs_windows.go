//go:build windows

package source

import (
	"sync"
	"sync/atomic"
	"syscall"
	"unsafe"

	"golang.org/x/sys/windows"
)

var (
	advapi32                  = windows.NewLazySystemDLL("advapi32.dll")
	procOpenEncryptedFileRaw  = advapi32.NewProc("OpenEncryptedFileRawW")
	procReadEncryptedFileRaw  = advapi32.NewProc("ReadEncryptedFileRaw")
	procCloseEncryptedFileRaw = advapi32.NewProc("CloseEncryptedFileRaw")
)

// createForDir is OpenEncryptedFileRaw's CREATE_FOR_DIR: the path is a
// directory.
const createForDir = 2

// winEFS is the raw EFS API of advapi32.
type winEFS struct{}

func (winEFS) open(path string, dir bool) (uintptr, error) {
	p, err := windows.UTF16PtrFromString(path)
	if err != nil {
		return 0, err
	}
	if err := procOpenEncryptedFileRaw.Find(); err != nil {
		return 0, err
	}
	var flags uintptr
	if dir {
		flags = createForDir
	}
	var ctx uintptr
	r, _, _ := syscall.SyscallN(procOpenEncryptedFileRaw.Addr(), uintptr(unsafe.Pointer(p)), flags, uintptr(unsafe.Pointer(&ctx)))
	if r != 0 {
		return 0, syscall.Errno(r)
	}
	return ctx, nil
}

// The export callback is made once (Windows callbacks are never freed);
// its context argument is a number naming the export in efsExports.
var (
	efsCallbackOnce sync.Once
	efsCallback     uintptr
	efsExports      sync.Map // uintptr -> func([]byte) error
	efsNextID       atomic.Uintptr
)

// efsExportCB is a PFE_EXPORT_FUNC: DWORD (PBYTE data, PVOID context,
// ULONG length).
func efsExportCB(data *byte, ctx, length uintptr) uintptr {
	f, ok := efsExports.Load(ctx)
	if !ok {
		return uintptr(windows.ERROR_INVALID_PARAMETER)
	}
	n := int(uint32(length))
	var b []byte
	if n > 0 {
		b = unsafe.Slice(data, n)
	}
	if f.(func([]byte) error)(b) != nil {
		return uintptr(windows.ERROR_READ_FAULT) // any failure stops the export
	}
	return 0
}

func (winEFS) read(ctx uintptr, export func([]byte) error) error {
	efsCallbackOnce.Do(func() { efsCallback = windows.NewCallback(efsExportCB) })
	id := efsNextID.Add(1)
	efsExports.Store(id, export)
	defer efsExports.Delete(id)
	r, _, _ := syscall.SyscallN(procReadEncryptedFileRaw.Addr(), efsCallback, id, ctx)
	if r != 0 {
		return syscall.Errno(r)
	}
	return nil
}

func (winEFS) close(ctx uintptr) {
	syscall.SyscallN(procCloseEncryptedFileRaw.Addr(), ctx)
}
