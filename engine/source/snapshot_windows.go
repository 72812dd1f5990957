//go:build windows

package source

import (
	"fmt"
	"runtime"
	"syscall"
	"unsafe"

	"golang.org/x/sys/windows"
)

// The VSS requester API: vssapi.dll's flat entry points (those wimlib
// uses on Vista and later) and the IVssBackupComponents and IVssAsync
// COM interfaces, called through their vtables.
var (
	vssapi                      = windows.NewLazySystemDLL("vssapi.dll")
	procCreateVssBackup         = vssapi.NewProc("CreateVssBackupComponentsInternal")
	procFreeSnapshotPropsIntern = vssapi.NewProc("VssFreeSnapshotPropertiesInternal")
	procFreeSnapshotProps       = vssapi.NewProc("VssFreeSnapshotProperties")
)

// Vtable slots (vsbackup.h, vss.h).
const (
	slotRelease               = 2
	slotInitializeForBackup   = 5
	slotSetBackupState        = 6
	slotPrepareForBackup      = 14
	slotStartSnapshotSet      = 36
	slotAddToSnapshotSet      = 37
	slotDoSnapshotSet         = 38
	slotGetSnapshotProperties = 42

	slotAsyncWait        = 4
	slotAsyncQueryStatus = 5
)

// vssBackupCopy is VSS_BT_COPY: a backup that leaves the files' backup
// history alone (as wimlib asks).
const vssBackupCopy = 5

// comObject is a COM interface pointer's target: its vtable first.
type comObject struct{ vtbl *[64]uintptr }

func (o *comObject) release() {
	syscall.SyscallN(o.vtbl[slotRelease], uintptr(unsafe.Pointer(o)))
}

// vssSnapshotProp is VSS_SNAPSHOT_PROP (the same layout on 32- and 64-bit
// Windows as C gives it: windows.GUID aligns as GUID does).
type vssSnapshotProp struct {
	snapshotID, snapshotSetID windows.GUID
	snapshotsCount            int32
	snapshotDeviceObject      *uint16
	originalVolumeName        *uint16
	originatingMachine        *uint16
	serviceMachine            *uint16
	exposedName               *uint16
	exposedPath               *uint16
	providerID                windows.GUID
	snapshotAttributes        int32
	creationTimestamp         int64
	status                    int32
}

// winVSS runs every VSS call on one OS thread that initialized COM
// (multithreaded apartment) for them, from start to stop: COM's state is
// per thread, and goroutines change threads.
type winVSS struct {
	calls chan func()
}

// do runs f on the COM thread.
func (v *winVSS) do(f func()) {
	done := make(chan struct{})
	v.calls <- func() { f(); close(done) }
	<-done
}

func (v *winVSS) start() error {
	if err := procCreateVssBackup.Find(); err != nil {
		return err
	}
	v.calls = make(chan func())
	res := make(chan error)
	go func() {
		// Never unlocked: the thread ends with the goroutine, and
		// its COM state with it.
		runtime.LockOSThread()
		err := windows.CoInitializeEx(0, windows.COINIT_MULTITHREADED)
		if err != nil && err != syscall.Errno(1) { // S_FALSE: already initialized
			res <- fmt.Errorf("CoInitializeEx: %w", err)
			return
		}
		res <- nil
		for f := range v.calls {
			f()
		}
		windows.CoUninitialize()
	}()
	return <-res
}

func (v *winVSS) stop() { close(v.calls) }

func (v *winVSS) create() (vssBackup, hresult) {
	var obj *comObject
	var hr hresult
	v.do(func() {
		r, _, _ := syscall.SyscallN(procCreateVssBackup.Addr(), uintptr(unsafe.Pointer(&obj)))
		hr = hresult(r)
	})
	if hr.failed() {
		return nil, hr
	}
	if obj == nil {
		return nil, 0x80004003 // E_POINTER
	}
	return &winBackup{v: v, obj: obj}, 0
}

// winBackup is an IVssBackupComponents.
type winBackup struct {
	v   *winVSS
	obj *comObject
}

// call calls a method of the object on the COM thread.
func (b *winBackup) call(slot int, args ...uintptr) hresult {
	var hr hresult
	b.v.do(func() {
		r, _, _ := syscall.SyscallN(b.obj.vtbl[slot], append([]uintptr{uintptr(unsafe.Pointer(b.obj))}, args...)...)
		hr = hresult(r)
	})
	return hr
}

func (b *winBackup) initializeForBackup() hresult {
	return b.call(slotInitializeForBackup, 0) // no XML: a new backup
}

func (b *winBackup) setBackupState() hresult {
	// No component selection, bootable system state (as wimlib), a copy
	// backup, no partial files.
	return b.call(slotSetBackupState, 0, 1, vssBackupCopy, 0)
}

func (b *winBackup) startSnapshotSet() (vssID, hresult) {
	id := new(windows.GUID)
	hr := b.call(slotStartSnapshotSet, uintptr(unsafe.Pointer(id)))
	return idOf(id), hr
}

func (b *winBackup) addToSnapshotSet(volume string) (vssID, hresult) {
	vol, err := windows.UTF16PtrFromString(volume)
	if err != nil {
		return vssID{}, 0x80070057 // E_INVALIDARG
	}
	provider := new(windows.GUID) // GUID_NULL: the system chooses
	id := new(windows.GUID)
	var hr hresult
	b.v.do(func() {
		hr = hresult(addToSnapshotSet(b.obj.vtbl[slotAddToSnapshotSet], uintptr(unsafe.Pointer(b.obj)), vol, provider, id))
	})
	runtime.KeepAlive(vol)
	return idOf(id), hr
}

func (b *winBackup) async(slot int) (vssAsync, hresult) {
	var a *comObject
	hr := b.call(slot, uintptr(unsafe.Pointer(&a)))
	if hr.failed() {
		return nil, hr
	}
	if a == nil {
		return nil, 0x80004003 // E_POINTER
	}
	return &winAsync{v: b.v, obj: a}, hr
}

func (b *winBackup) prepareForBackup() (vssAsync, hresult) { return b.async(slotPrepareForBackup) }
func (b *winBackup) doSnapshotSet() (vssAsync, hresult)    { return b.async(slotDoSnapshotSet) }

func (b *winBackup) snapshotDevice(id vssID) (string, hresult) {
	g := guidOf(id)
	props := new(vssSnapshotProp)
	var hr hresult
	var device string
	b.v.do(func() {
		hr = hresult(getSnapshotProperties(b.obj.vtbl[slotGetSnapshotProperties], uintptr(unsafe.Pointer(b.obj)), g, props))
		if hr.failed() {
			return
		}
		if props.snapshotDeviceObject != nil {
			device = windows.UTF16PtrToString(props.snapshotDeviceObject)
		}
		free := procFreeSnapshotPropsIntern
		if free.Find() != nil {
			free = procFreeSnapshotProps
		}
		if free.Find() == nil {
			syscall.SyscallN(free.Addr(), uintptr(unsafe.Pointer(props)))
		}
	})
	return device, hr
}

func (b *winBackup) release() { b.v.do(b.obj.release) }

// winAsync is an IVssAsync.
type winAsync struct {
	v   *winVSS
	obj *comObject
}

func (a *winAsync) wait() hresult {
	var hr hresult
	a.v.do(func() {
		r, _, _ := syscall.SyscallN(a.obj.vtbl[slotAsyncWait], uintptr(unsafe.Pointer(a.obj)), windows.INFINITE)
		if hr = hresult(r); hr.failed() {
			return
		}
		// Wait only says the wait worked; the operation's outcome is
		// QueryStatus's.
		var status int32
		r, _, _ = syscall.SyscallN(a.obj.vtbl[slotAsyncQueryStatus], uintptr(unsafe.Pointer(a.obj)), uintptr(unsafe.Pointer(&status)), 0)
		if hr = hresult(r); !hr.failed() {
			hr = hresult(status)
		}
	})
	return hr
}

func (a *winAsync) release() { a.v.do(a.obj.release) }

func idOf(g *windows.GUID) vssID {
	return *(*vssID)(unsafe.Pointer(g))
}

func guidOf(id vssID) *windows.GUID {
	g := new(windows.GUID)
	*(*vssID)(unsafe.Pointer(g)) = id
	return g
}

// snapshotWindows makes the shadow copy for a directory capture of
// source (abs: its absolute path).
func snapshotWindows(source, abs string) (*snapshot, error) {
	return newSnapshot(&winVSS{}, source, abs)
}
