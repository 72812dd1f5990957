package source

// --snapshot: the capture reads a Volume Shadow Copy (VSS) of the source's
// volume, made for it and released when the WIM is written, as wimlib
// 1.13.5 does on Windows. The parts that are plain logic live here and are
// unit-tested on every OS: where the source sits on its volume, the path
// of the source inside the shadow copy, how messages show paths read from
// it, and the order of the VSS calls with what each failure releases.
// snapshot_windows.go makes the calls.

import (
	"errors"
	"fmt"
	"runtime"
	"strings"
	"sync"
)

// SnapshotSupported reports whether --snapshot works on this OS.
const SnapshotSupported = runtime.GOOS == "windows"

// ErrSnapshotUnsupported is --snapshot anywhere but Windows, in wimlib's
// words.
var ErrSnapshotUnsupported = errors.New("--snapshot: snapshot mode is only supported on Windows, where it uses VSS")

// snapshotVolume splits an absolute Windows path into the volume VSS is
// asked to copy ("C:\") and the path below its root ("dir\sub", "" for the
// root). As in wimlib, only drive-letter paths qualify: VSS copies volumes
// by their mount point, and a UNC share is no local volume.
func snapshotVolume(source, abs string) (volume, rel string, err error) {
	p := strings.ReplaceAll(abs, "/", `\`)
	if len(p) < 3 || !isDriveLetter(p[0]) || p[1] != ':' || p[2] != '\\' {
		return "", "", fmt.Errorf("--snapshot: %s (full path %s): only a path on a drive letter (X:\\...) can be snapshotted", source, abs)
	}
	return strings.ToUpper(p[:1]) + `:\`, strings.Trim(p[3:], `\`), nil
}

// shadowPath is the \\?\ path of rel inside the shadow copy whose device
// object VSS reported (\\?\GLOBALROOT\Device\HarddiskVolumeShadowCopyN).
// The root keeps its trailing backslash: the device without one is the
// volume, not its root directory.
func shadowPath(device, rel string) (string, error) {
	if !strings.HasPrefix(device, `\\?\`) {
		return "", fmt.Errorf("VSS reported an unexpected shadow copy device path %q", device)
	}
	return strings.TrimRight(device, `\`) + `\` + rel, nil
}

// snapshotShow maps a \\?\ path read from a shadow copy (below read, the
// shadow copy's path of the source) to the source's own \\?\ path (show),
// so that messages, progress and blob names speak of the files the user
// named. Paths elsewhere are returned as they are.
func snapshotShow(read, show, p string) string {
	if read == "" || !strings.HasPrefix(p, read) {
		return p
	}
	rest := p[len(read):]
	if rest != "" && rest[0] != '\\' && !strings.HasSuffix(read, `\`) {
		return p // a sibling whose name merely begins like the source
	}
	if rest == "" {
		return show
	}
	if strings.HasSuffix(show, `\`) {
		return show + strings.TrimPrefix(rest, `\`)
	}
	if rest[0] != '\\' {
		rest = `\` + rest
	}
	return show + rest
}

// hresult is a COM status: negative (bit 31 set) is a failure.
type hresult uint32

func (h hresult) failed() bool { return int32(h) < 0 }

// Some of VSS's failures, named as in vsserror.h and winerror.h.
var hresultNames = map[hresult]string{
	0x80004001: "E_NOTIMPL: not implemented",
	0x80004005: "E_FAIL",
	0x80070005: "E_ACCESSDENIED: access denied (run as Administrator)",
	0x80070057: "E_INVALIDARG",
	0x8007000E: "E_OUTOFMEMORY",
	0x80042301: "VSS_E_BAD_STATE",
	0x80042302: "VSS_E_UNEXPECTED",
	0x80042304: "VSS_E_PROVIDER_NOT_REGISTERED",
	0x80042306: "VSS_E_PROVIDER_VETO",
	0x80042308: "VSS_E_OBJECT_NOT_FOUND",
	0x8004230C: "VSS_E_VOLUME_NOT_SUPPORTED",
	0x8004230F: "VSS_E_UNEXPECTED_PROVIDER_ERROR",
	0x80042312: "VSS_E_MAXIMUM_NUMBER_OF_VOLUMES_REACHED",
	0x80042316: "VSS_E_SNAPSHOT_SET_IN_PROGRESS",
	0x80042317: "VSS_E_MAXIMUM_NUMBER_OF_SNAPSHOTS_REACHED",
	0x8004231F: "VSS_E_INSUFFICIENT_STORAGE",
}

func (h hresult) Error() string {
	if n, ok := hresultNames[h]; ok {
		return fmt.Sprintf("HRESULT 0x%08X (%s)", uint32(h), n)
	}
	return fmt.Sprintf("HRESULT 0x%08X", uint32(h))
}

// vssID is a VSS_ID (a GUID) as its 16 bytes.
type vssID [16]byte

// vssSystem is what a snapshot needs of Windows: COM and vssapi.dll
// (start, stop) and a backup components object (create).
type vssSystem interface {
	start() error
	create() (vssBackup, hresult)
	stop()
}

// vssBackup is the IVssBackupComponents methods a snapshot calls, in the
// order it calls them. The asynchronous ones return their IVssAsync.
type vssBackup interface {
	initializeForBackup() hresult
	setBackupState() hresult // a copy backup, no components, no system state
	startSnapshotSet() (vssID, hresult)
	addToSnapshotSet(volume string) (vssID, hresult)
	prepareForBackup() (vssAsync, hresult)
	doSnapshotSet() (vssAsync, hresult)
	// snapshotDevice is GetSnapshotProperties' device object path; the
	// properties are freed before it returns.
	snapshotDevice(id vssID) (string, hresult)
	release()
}

// vssAsync is an IVssAsync: wait waits for the operation and returns its
// outcome (Wait, then QueryStatus), release drops it.
type vssAsync interface {
	wait() hresult
	release()
}

// snapshot is a shadow copy of the volume of one source, held until
// close.
type snapshot struct {
	volume string // "C:\"
	path   string // the source inside the shadow copy, \\?\GLOBALROOT\...
	once   sync.Once
	done   func()
}

// close releases the shadow copy (VSS deletes a backup's snapshot when
// its components object goes) and COM. Safe to call more than once.
func (s *snapshot) close() error {
	s.once.Do(s.done)
	return nil
}

// newSnapshot makes a shadow copy of the volume of source (abs is its
// absolute path) through sys: the calls wimlib makes, in its order. On a
// failure everything made so far is released, and the error names the
// step and the volume.
func newSnapshot(sys vssSystem, source, abs string) (*snapshot, error) {
	volume, rel, err := snapshotVolume(source, abs)
	if err != nil {
		return nil, err
	}
	fail := func(step string, err error) error {
		return fmt.Errorf("--snapshot: cannot create a VSS snapshot of %s (for %s): %s: %w", volume, source, step, err)
	}
	if err := sys.start(); err != nil {
		return nil, fail("initializing VSS (vssapi.dll, COM)", err)
	}
	b, hr := sys.create()
	if hr.failed() {
		sys.stop()
		return nil, fail("CreateVssBackupComponents", hr)
	}
	release := func() {
		b.release()
		sys.stop()
	}
	async := func(a vssAsync, hr hresult) hresult {
		if hr.failed() {
			return hr
		}
		defer a.release()
		return a.wait()
	}
	var id vssID
	steps := []struct {
		name string
		call func() hresult
	}{
		{"IVssBackupComponents.InitializeForBackup", b.initializeForBackup},
		{"IVssBackupComponents.SetBackupState", b.setBackupState},
		{"IVssBackupComponents.StartSnapshotSet", func() hresult { _, hr := b.startSnapshotSet(); return hr }},
		{"IVssBackupComponents.AddToSnapshotSet", func() (hr hresult) { id, hr = b.addToSnapshotSet(volume); return hr }},
		{"IVssBackupComponents.PrepareForBackup", func() hresult { return async(b.prepareForBackup()) }},
		{"IVssBackupComponents.DoSnapshotSet", func() hresult { return async(b.doSnapshotSet()) }},
	}
	for _, s := range steps {
		if hr := s.call(); hr.failed() {
			release()
			return nil, fail(s.name, hr)
		}
	}
	device, hr := b.snapshotDevice(id)
	if hr.failed() {
		release()
		return nil, fail("IVssBackupComponents.GetSnapshotProperties", hr)
	}
	path, err := shadowPath(device, rel)
	if err != nil {
		release()
		return nil, fail("GetSnapshotProperties", err)
	}
	return &snapshot{volume: volume, path: path, done: release}, nil
}
