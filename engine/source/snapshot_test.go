package source

import (
	"errors"
	"fmt"
	"strings"
	"testing"
)

func TestSnapshotVolume(t *testing.T) {
	for _, c := range []struct{ abs, vol, rel string }{
		{`C:\`, `C:\`, ""},
		{`c:\Users\me\`, `C:\`, `Users\me`},
		{`D:\data`, `D:\`, "data"},
		{`E:/a/b`, `E:\`, `a\b`},
	} {
		vol, rel, err := snapshotVolume("src", c.abs)
		if err != nil || vol != c.vol || rel != c.rel {
			t.Errorf("snapshotVolume(%q) = %q, %q, %v; want %q, %q", c.abs, vol, rel, err, c.vol, c.rel)
		}
	}
	for _, abs := range []string{`\\server\share\dir`, `\\?\C:\dir`, `C:`, `1:\x`, ""} {
		_, _, err := snapshotVolume("SRC", abs)
		if err == nil || !strings.Contains(err.Error(), "--snapshot: SRC") || !strings.Contains(err.Error(), "drive letter") {
			t.Errorf("snapshotVolume(%q): error %v, want one naming --snapshot, the source and drive letters", abs, err)
		}
	}
}

func TestShadowPath(t *testing.T) {
	const dev = `\\?\GLOBALROOT\Device\HarddiskVolumeShadowCopy7`
	for _, c := range []struct{ dev, rel, want string }{
		{dev, "", dev + `\`},
		{dev + `\`, "", dev + `\`},
		{dev, `Users\me`, dev + `\Users\me`},
	} {
		if got, err := shadowPath(c.dev, c.rel); err != nil || got != c.want {
			t.Errorf("shadowPath(%q, %q) = %q, %v; want %q", c.dev, c.rel, got, err, c.want)
		}
	}
	if _, err := shadowPath(`\Device\HarddiskVolumeShadowCopy7`, "x"); err == nil {
		t.Error("a device path without \\\\?\\ was accepted")
	}
}

func TestSnapshotShow(t *testing.T) {
	const dev = `\\?\GLOBALROOT\Device\HarddiskVolumeShadowCopy7`
	for _, c := range []struct{ read, show, p, want string }{
		// The volume's root: paths below it are joined without a "\".
		{dev + `\`, `\\?\C:\`, dev + `\`, `\\?\C:\`},
		{dev + `\`, `\\?\C:\`, dev + `\Windows\x`, `\\?\C:\Windows\x`},
		// A directory.
		{dev + `\Users\me`, `\\?\C:\Users\me`, dev + `\Users\me`, `\\?\C:\Users\me`},
		{dev + `\Users\me`, `\\?\C:\Users\me`, dev + `\Users\me\a:stream`, `\\?\C:\Users\me\a:stream`},
		// Not below the source: unchanged.
		{dev + `\Users\me`, `\\?\C:\Users\me`, dev + `\Users\meg`, dev + `\Users\meg`},
		{dev + `\Users\me`, `\\?\C:\Users\me`, `\\?\D:\x`, `\\?\D:\x`},
		// No snapshot.
		{"", "", `\\?\C:\x`, `\\?\C:\x`},
	} {
		if got := snapshotShow(c.read, c.show, c.p); got != c.want {
			t.Errorf("snapshotShow(%q, %q, %q) = %q, want %q", c.read, c.show, c.p, got, c.want)
		}
	}
}

// fakeVSS records the calls a snapshot makes and fails the one named.
type fakeVSS struct {
	calls  []string
	failAt string
	hr     hresult
	device string
	live   int // objects made and not yet released (COM counts too)
}

func (f *fakeVSS) call(name string) hresult {
	f.calls = append(f.calls, name)
	if name == f.failAt {
		return f.hr
	}
	return 0
}

func (f *fakeVSS) start() error {
	if f.call("start") != 0 {
		return errors.New("vssapi.dll not found")
	}
	f.live++
	return nil
}
func (f *fakeVSS) stop() { f.calls = append(f.calls, "stop"); f.live-- }
func (f *fakeVSS) create() (vssBackup, hresult) {
	if hr := f.call("create"); hr != 0 {
		return nil, hr
	}
	f.live++
	return (*fakeBackup)(f), 0
}

type fakeBackup fakeVSS

func (b *fakeBackup) f() *fakeVSS                  { return (*fakeVSS)(b) }
func (b *fakeBackup) initializeForBackup() hresult { return b.f().call("InitializeForBackup") }
func (b *fakeBackup) setBackupState() hresult      { return b.f().call("SetBackupState") }
func (b *fakeBackup) startSnapshotSet() (vssID, hresult) {
	return vssID{1}, b.f().call("StartSnapshotSet")
}
func (b *fakeBackup) addToSnapshotSet(volume string) (vssID, hresult) {
	return vssID{2}, b.f().call("AddToSnapshotSet " + volume)
}
func (b *fakeBackup) async(name string) (vssAsync, hresult) {
	if hr := b.f().call(name); hr != 0 {
		return nil, hr
	}
	b.live++
	return &fakeAsync{b.f(), name}, 0
}
func (b *fakeBackup) prepareForBackup() (vssAsync, hresult) { return b.async("PrepareForBackup") }
func (b *fakeBackup) doSnapshotSet() (vssAsync, hresult)    { return b.async("DoSnapshotSet") }
func (b *fakeBackup) snapshotDevice(id vssID) (string, hresult) {
	return b.device, b.f().call(fmt.Sprintf("GetSnapshotProperties %d", id[0]))
}
func (b *fakeBackup) release() { b.calls = append(b.calls, "release"); b.live-- }

type fakeAsync struct {
	f    *fakeVSS
	name string
}

func (a *fakeAsync) wait() hresult { return a.f.call(a.name + ".wait") }
func (a *fakeAsync) release() {
	a.f.calls = append(a.f.calls, a.name+".release")
	a.f.live--
}

// TestNewSnapshot: the VSS calls in wimlib's order, the snapshot's path,
// and, when any call fails, an error naming it and the volume with
// everything made so far released (and nothing released twice).
func TestNewSnapshot(t *testing.T) {
	const dev = `\\?\GLOBALROOT\Device\HarddiskVolumeShadowCopy3`
	order := []string{"start", "create", "InitializeForBackup", "SetBackupState", "StartSnapshotSet",
		`AddToSnapshotSet D:\`, "PrepareForBackup", "PrepareForBackup.wait", "PrepareForBackup.release",
		"DoSnapshotSet", "DoSnapshotSet.wait", "DoSnapshotSet.release", "GetSnapshotProperties 2"}
	f := &fakeVSS{device: dev}
	s, err := newSnapshot(f, `d:\src`, `d:\src\dir`)
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(f.calls, "|"); got != strings.Join(order, "|") {
		t.Fatalf("calls:\n%s\nwant:\n%s", got, strings.Join(order, "|"))
	}
	if s.path != dev+`\src\dir` || s.volume != `D:\` {
		t.Errorf("snapshot at %q of %q", s.path, s.volume)
	}
	s.close()
	s.close()
	if got := strings.Join(f.calls[len(order):], "|"); got != "release|stop" || f.live != 0 {
		t.Errorf("close: calls %q, %d objects left", got, f.live)
	}

	// Each step failing. What was made is released in reverse.
	for i, step := range order {
		if strings.HasSuffix(step, ".release") {
			continue // returns nothing
		}
		f := &fakeVSS{device: dev, failAt: step, hr: 0x80004001}
		s, err := newSnapshot(f, `d:\src`, `d:\src\dir`)
		if err == nil {
			s.close()
			t.Errorf("%s failing: no error", step)
			continue
		}
		if f.live != 0 {
			t.Errorf("%s failing: %d objects not released (calls %q)", step, f.live, f.calls)
		}
		msg := err.Error()
		name := strings.TrimSuffix(strings.Fields(step)[0], ".wait")
		switch name {
		case "start":
			name = "vssapi.dll"
		case "create":
			name = "CreateVssBackupComponents"
		}
		for _, want := range []string{"--snapshot", `VSS snapshot of D:\`, `d:\src`, name} {
			if !strings.Contains(msg, want) {
				t.Errorf("%s failing: error %q does not say %q", step, msg, want)
			}
		}
		if i > 0 && !strings.Contains(msg, "0x80004001 (E_NOTIMPL") {
			t.Errorf("%s failing: error %q does not give the HRESULT", step, msg)
		}
		if !strings.HasPrefix(strings.Join(f.calls, "|"), strings.Join(order[:i+1], "|")) {
			t.Errorf("%s failing: calls %q", step, f.calls)
		}
	}

	// A device path that is not \\?\: refused, released.
	f = &fakeVSS{device: `\Device\HarddiskVolumeShadowCopy3`}
	if _, err := newSnapshot(f, `d:\`, `d:\`); err == nil || f.live != 0 || !strings.Contains(err.Error(), "unexpected shadow copy device path") {
		t.Errorf("bad device path: %v, %d objects left", err, f.live)
	}
	// A path not on a drive letter: nothing is started.
	f = &fakeVSS{device: dev}
	if _, err := newSnapshot(f, `\\srv\share`, `\\srv\share`); err == nil || len(f.calls) != 0 {
		t.Errorf("UNC path: %v, calls %q", err, f.calls)
	}
}

// TestSnapshotElsewhere: off Windows a directory capture or a source list
// with Snapshot set fails with wimlib's reason before reading anything.
func TestSnapshotElsewhere(t *testing.T) {
	if SnapshotSupported {
		t.Skip("Windows: the snapshot is made")
	}
	dir := t.TempDir()
	if _, err := Scan(dir, &Options{Snapshot: true}); !errors.Is(err, ErrSnapshotUnsupported) {
		t.Errorf("Scan: %v", err)
	}
	if _, err := ScanSourceList("list", []byte(dir+" /\n"), &Options{Snapshot: true}); !errors.Is(err, ErrSnapshotUnsupported) {
		t.Errorf("ScanSourceList: %v", err)
	}
	if !strings.Contains(ErrSnapshotUnsupported.Error(), "snapshot mode is only supported on Windows, where it uses VSS") {
		t.Errorf("message %q is not wimlib's", ErrSnapshotUnsupported)
	}
}
