package cli

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/wimgo/wimgo/engine"
)

// outKind is what WIMFILE names.
type outKind int

const (
	outNew     outKind = iota // nothing yet: a new regular file
	outRegular                // a regular file: replaced by rename, or appended to
	outDevice                 // a character or block device: written in place
	outFIFO                   // a named pipe: streamed to, pipable only
)

// output is WIMFILE resolved: path is the file really written (symbolic
// links followed, so that a link stays a link and its target is what
// changes, as with wimlib).
type output struct {
	path string
	kind outKind
}

// resolveOutput follows WIMFILE's symbolic links and says what it names,
// refusing before anything is read what can never be written: a
// directory, a socket, a FIFO without --pipable (which cannot seek).
func resolveOutput(cmd Command, a *Args) (*output, error) {
	path, err := followLinks(a.WIMFile)
	if err != nil {
		return nil, err
	}
	st, err := os.Stat(path)
	if errors.Is(err, fs.ErrNotExist) {
		return &output{path: path, kind: outNew}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", a.WIMFile, unwrapPath(err))
	}
	named := a.WIMFile
	if path != a.WIMFile {
		named = fmt.Sprintf("%s (-> %s)", a.WIMFile, path)
	}
	m := st.Mode()
	switch {
	case m.IsRegular():
		return &output{path: path, kind: outRegular}, nil
	case m.IsDir():
		return nil, fmt.Errorf("%s is a directory, not a WIM file: name a file (e.g. %s)", named, filepath.Join(a.WIMFile, "image.wim"))
	case cmd == Append:
		return nil, fmt.Errorf("%s is not a regular file: wimappend needs an existing WIM file", named)
	case m&fs.ModeNamedPipe != 0:
		if !a.Pipable {
			return nil, fmt.Errorf("%s is a FIFO, which cannot seek: only a pipable WIM can be written to it (--pipable)", named)
		}
		if a.Check || a.IncludeIntegrity {
			return nil, fmt.Errorf("%w: %s is a FIFO: a WIM written to a pipe cannot have an integrity table (--check)", ErrUsage, named)
		}
		return &output{path: path, kind: outFIFO}, nil
	case m&fs.ModeDevice != 0:
		return &output{path: path, kind: outDevice}, nil
	}
	return nil, fmt.Errorf("%s is not a regular file, device or FIFO (%v): cannot write a WIM to it", named, m.Type())
}

// followLinks resolves the symbolic links of path's last component (the
// directories are left as given: renaming within them works either way).
func followLinks(path string) (string, error) {
	for range 40 {
		fi, err := os.Lstat(path)
		if err != nil || fi.Mode()&fs.ModeSymlink == 0 {
			return path, nil
		}
		target, err := os.Readlink(path)
		if err != nil {
			return "", fmt.Errorf("%s: %w", path, unwrapPath(err))
		}
		if !filepath.IsAbs(target) {
			target = filepath.Join(filepath.Dir(path), target)
		}
		path = target
	}
	return "", fmt.Errorf("%s: too many levels of symbolic links", path)
}

// Temporary files are named .NAME.wimgo-tmp.PID.RANDOM beside the file
// NAME they will replace, and locked (flock) by their writer for as long
// as it runs: one whose lock is free and whose PID is gone was left by a
// killed run, and the next run writing NAME removes it.
const tmpMarker = ".wimgo-tmp."

func tmpPrefix(path string) string {
	return filepath.Join(filepath.Dir(path), "."+filepath.Base(path)+tmpMarker)
}

// createTemp makes and locks a new temporary file for path.
func createTemp(path string) (*os.File, error) {
	for range 100 {
		var r [6]byte
		rand.Read(r[:])
		name := tmpPrefix(path) + strconv.Itoa(os.Getpid()) + "." + hex.EncodeToString(r[:])
		f, err := createNew(name)
		if errors.Is(err, fs.ErrExist) {
			continue
		}
		if err != nil {
			return nil, err
		}
		// Held until the file is closed, after its rename: the mark of a
		// live writer (see removeStaleTemps).
		if err := tryLock(f); err != nil && !lockUnsupported(err) {
			f.Close()
			os.Remove(name)
			return nil, fmt.Errorf("locking %s: %w", name, err)
		}
		return f, nil
	}
	return nil, fmt.Errorf("cannot find a free temporary name beside %s", path)
}

// removeStaleTemps removes the temporary files earlier runs writing path
// left behind when killed: those whose writer is gone (its PID no longer
// runs and nobody holds the file's lock). It reports what it removed.
func removeStaleTemps(path string, warn func(string)) {
	prefix := tmpPrefix(path)
	names, _ := filepath.Glob(globEscape(prefix) + "*")
	for _, name := range names {
		pidStr, _, ok := strings.Cut(strings.TrimPrefix(name, prefix), ".")
		pid, err := strconv.Atoi(pidStr)
		if !ok || err != nil || pid <= 0 || pid == os.Getpid() {
			continue
		}
		if processRuns(pid) {
			continue // that process still runs (or the PID was reused): leave it
		}
		f, err := os.Open(name)
		if err != nil {
			continue
		}
		if fi, err := f.Stat(); err == nil && fi.Mode().IsRegular() &&
			tryLock(f) == nil {
			if os.Remove(name) == nil {
				warn(fmt.Sprintf("removed %s, a temporary file left by an interrupted run (process %d)", name, pid))
			}
		}
		f.Close()
	}
}

// globEscape quotes the glob metacharacters of a literal path.
func globEscape(s string) string {
	var b strings.Builder
	for _, r := range s {
		if strings.ContainsRune(`*?[\`, r) {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// lockExisting locks the regular file a capture is about to replace, so
// that it does not replace a WIM another process is appending to. The
// returned file (nil if there is nothing to lock) holds the lock until it
// is closed.
func lockExisting(path string) (*os.File, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil // nothing there, or unreadable: nothing to guard
	}
	if err := engine.LockWIM(f); err != nil {
		f.Close()
		return nil, err
	}
	return f, nil
}

// openForAppend opens the WIM at path read-write and locks it, making sure
// the lock is on the file path names now: a writer that rebuilt the WIM
// may have renamed a new file over the one opened, and appending to the
// old, unlinked one would lose the image.
func openForAppend(path string) (*os.File, error) {
	for range 20 {
		f, err := os.OpenFile(path, os.O_RDWR, 0)
		if err != nil {
			return nil, err
		}
		if err := engine.LockWIM(f); err != nil {
			f.Close()
			return nil, err
		}
		if a, err := f.Stat(); err == nil {
			if b, err := os.Stat(path); err == nil && os.SameFile(a, b) {
				return f, nil
			}
		}
		f.Close()
	}
	return nil, fmt.Errorf("%s keeps being replaced by another process", path)
}
