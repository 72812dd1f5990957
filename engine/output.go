package engine

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/signal"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"

	"github.com/wimgo/wimgo/engine/source"
	"github.com/wimgo/wimgo/engine/wimfmt"
)

// This file: putting a WIM where the user named it, as wimlib does. An
// Output is that name resolved; its Create or Append gives an
// OutputWriter, which is the Writer plus the file handling around it:
//
//	new name, or a regular file replaced: a temporary file beside it,
//	    renamed over it by Close (the old file stays locked until then)
//	regular file appended to: written in place (the header last), or
//	    rebuilt into a temporary file renamed over it
//	device: written in place; one that cannot seek streams a pipable WIM
//	FIFO, standard output ("-"): a pipable WIM streamed
//
// Temporary files are named .NAME.wimgo-tmp.PID.RANDOM beside the file
// NAME they will replace, and locked (flock) by their writer for as long
// as it runs: one whose lock is free and whose PID is gone was left by a
// killed run, and the next run writing NAME removes it. A failure, Abort,
// or SIGINT, SIGTERM or SIGHUP removes the run's own.

// ErrOptions marks a refusal of options that cannot go together for this
// output or this WIM: a command-line error.
var ErrOptions = errors.New("incompatible options")

// optionsError is an ErrOptions refusal, whose text is its message alone.
type optionsError string

func (e optionsError) Error() string      { return string(e) }
func (optionsError) Is(target error) bool { return target == ErrOptions }

// outKind is what an Output names.
type outKind int

const (
	outNew     outKind = iota // nothing yet: a new regular file
	outRegular                // a regular file: replaced by rename, or appended to
	outDevice                 // a character or block device: written in place
	outFIFO                   // a named pipe: streamed to, pipable only
	outStdout                 // "-": standard output, pipable only
)

// OutputOptions say what will be done to an Output, so that what can
// never be written is refused before anything is read.
type OutputOptions struct {
	// Append: images go into the existing WIM (wimappend), which must be
	// a regular file.
	Append bool
	// Pipable: a pipable WIM will be written, the only kind a FIFO takes.
	Pipable bool
	// Integrity: an integrity table is asked for, which a WIM written to
	// a FIFO cannot have.
	Integrity bool
	// Interrupted, when set, is called when SIGINT, SIGTERM or SIGHUP
	// arrives while a temporary file is written, after that file is
	// removed; the process then exits with status 130.
	Interrupted func(sig os.Signal, removed string)
}

// Output is the file a WIM is written to, as the user named it ("-" is
// standard output). Symbolic links are followed, so that a link stays a
// link and its target is what changes, as with wimlib.
type Output struct {
	name    string // as given, in messages
	path    string // the file really written
	kind    outKind
	oo      OutputOptions
	pipable bool
}

// ResolveOutput says what name is, refusing, before anything is read, what
// can never take the WIM: a directory, a socket, a FIFO without Pipable
// (which cannot seek) or with Integrity, anything but a regular file to
// append to.
func ResolveOutput(name string, oo OutputOptions) (*Output, error) {
	o := &Output{name: name, path: name, oo: oo, pipable: oo.Pipable}
	if name == "-" {
		o.kind, o.pipable = outStdout, true
		return o, nil
	}
	path, err := followLinks(name)
	if err != nil {
		return nil, err
	}
	o.path = path
	st, err := os.Stat(path)
	if errors.Is(err, fs.ErrNotExist) {
		o.kind = outNew
		return o, nil
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, unwrapPath(err))
	}
	named := name
	if path != name {
		named = fmt.Sprintf("%s (-> %s)", name, path)
	}
	m := st.Mode()
	switch {
	case m.IsRegular():
		o.kind = outRegular
		return o, nil
	case m.IsDir():
		return nil, fmt.Errorf("%s is a directory, not a WIM file: name a file (e.g. %s)", named, filepath.Join(name, "image.wim"))
	case oo.Append:
		return nil, fmt.Errorf("%s is not a regular file: wimappend needs an existing WIM file", named)
	case m&fs.ModeNamedPipe != 0:
		if !oo.Pipable {
			return nil, fmt.Errorf("%s is a FIFO, which cannot seek: only a pipable WIM can be written to it (--pipable)", named)
		}
		if oo.Integrity {
			return nil, optionsError(fmt.Sprintf("%s is a FIFO: a WIM written to a pipe cannot have an integrity table (--check)", named))
		}
		o.kind = outFIFO
		return o, nil
	case m&fs.ModeDevice != 0:
		o.kind = outDevice
		return o, nil
	}
	return nil, fmt.Errorf("%s is not a regular file, device or FIFO (%v): cannot write a WIM to it", named, m.Type())
}

// Pipable reports whether the WIM written to o is pipable, as far as
// known: after Append has read the WIM, whether it was pipable or is made
// so (wimlib warns whenever it writes one).
func (o *Output) Pipable() bool { return o.pipable }

// OutputWriter adds images to the WIM an Output's Create or Append began
// (it is that Writer) and puts the WIM in place on Close. Abort, or a
// failed Close, leaves the output as it was.
type OutputWriter struct {
	*Writer
	out  *Output
	tmp  *os.File // renamed over the output by Close (nil: written in place, or streamed)
	file *os.File // the WIM appended to (locked), the device or the FIFO
	held *os.File // the file a new WIM replaces, locked until the rename
	seq  *seqWriter
	// named: errors name the output (a device written in place).
	named bool
	// renameErr words a failed rename ("cannot create %s").
	renameErr   string
	skip        []source.FileID
	written     func() int64
	stopSignals func()
	committed   bool // the temporary file is in place
	done        bool // Close or Abort ran
}

// Create starts a new WIM in o. A new name or a regular file gets a
// temporary file beside it, stale ones of killed runs removed first
// (reported through opts.Warn); a regular file is locked, as wimlib locks
// a WIM it writes, so that it is not replaced under a process appending to
// it, and the new WIM is synced before the rename. A FIFO is opened (which
// waits for a reader) and streamed to; so is a device that cannot seek.
// On error nothing is left behind.
func (o *Output) Create(opts Options) (*OutputWriter, error) {
	switch o.kind {
	case outStdout:
		return o.stream(os.Stdout, "standard output", nil, opts)
	case outFIFO:
		f, err := os.OpenFile(o.path, os.O_WRONLY, 0)
		if err != nil {
			return nil, fmt.Errorf("cannot open %s: %w", o.name, unwrapPath(err))
		}
		return o.stream(f, o.name, f, opts)
	case outDevice:
		return o.createDevice(opts)
	}
	ow := &OutputWriter{out: o, renameErr: "cannot create %s"}
	if err := ow.startTemp(opts.Warn); err != nil {
		return nil, fmt.Errorf("cannot create %s: %w", o.name, unwrapPath(err))
	}
	if o.kind == outRegular {
		old, err := lockExisting(o.path)
		if err != nil {
			ow.release()
			return nil, err
		}
		ow.held = old
		opts.Sync = true
	}
	ow.skip = skipIDs(ow.tmp.Name(), o.path)
	ow.written = fileGrowth(ow.tmp, 0)
	w, err := Create(ow.tmp, opts)
	if err != nil {
		ow.release()
		return nil, err
	}
	ow.Writer = w
	return ow, nil
}

// deviceFile is a device opened for writing a WIM in place: positioned
// reads and writes only (a device can be neither truncated nor synced).
type deviceFile struct{ f *os.File }

func (d deviceFile) ReadAt(p []byte, off int64) (int, error)  { return d.f.ReadAt(p, off) }
func (d deviceFile) WriteAt(p []byte, off int64) (int, error) { return d.f.WriteAt(p, off) }

// createDevice writes the WIM into a character or block device in place,
// as wimlib does (/dev/null discards it, /dev/full fails with "no space
// left on device"); one that cannot seek, like a pipe, takes only a
// pipable WIM.
func (o *Output) createDevice(opts Options) (*OutputWriter, error) {
	f, err := os.OpenFile(o.path, os.O_RDWR, 0)
	if err != nil {
		return nil, fmt.Errorf("cannot open %s: %w", o.name, unwrapPath(err))
	}
	if _, err := f.Seek(0, io.SeekCurrent); err != nil {
		if !opts.Pipable {
			f.Close()
			return nil, fmt.Errorf("%s cannot seek: only a pipable WIM can be written to it (--pipable)", o.name)
		}
		return o.stream(f, o.name, f, opts)
	}
	w, err := Create(deviceFile{f}, opts)
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("%s: %w", o.name, err)
	}
	return &OutputWriter{Writer: w, out: o, file: f, named: true, written: func() int64 { return 0 }}, nil
}

// stream writes a pipable WIM to w (closing c, if any, when done).
func (o *Output) stream(w io.Writer, name string, c *os.File, opts Options) (*OutputWriter, error) {
	seq := newSeqWriter(w)
	seq.name = name
	opts.Pipable = true
	wr, err := Create(seq, opts)
	if err != nil {
		if c != nil {
			c.Close()
		}
		return nil, err
	}
	return &OutputWriter{Writer: wr, out: o, file: c, seq: seq, written: seq.written}, nil
}

// AppendOptions say how Append adds to an existing WIM.
type AppendOptions struct {
	// Create makes a new WIM when the output does not exist yet
	// (--create), as Create does.
	Create bool
	// Check verifies the WIM's integrity table and metadata first
	// (--check); a mismatch refuses the append, changing nothing.
	Check bool
	// Rebuild writes the WIM anew into a temporary file renamed over it
	// (--rebuild). A pipable WIM, or one made pipable, is always rebuilt,
	// as wimlib does.
	Rebuild bool
	// Compact moves the WIM's resources down over the holes earlier
	// appends left, in place (--unsafe-compact); it overrides Rebuild.
	Compact bool
	// ChunkSize is the chunk size asked for (--chunk-size; 0 for none):
	// another than the WIM's rebuilds it.
	ChunkSize int
}

// Append opens the WIM o names for adding images: locked (as wimlib locks
// it) before it is read, and locked on the file o names now (a writer that
// rebuilt it may have renamed a new file over the one opened). It is
// written in place (the header last: an interruption leaves the old WIM),
// rebuilt into a temporary file, or compacted, as ao says. On error
// nothing is changed.
func (o *Output) Append(opts Options, ao AppendOptions) (*OutputWriter, error) {
	if o.kind == outNew {
		if ao.Create {
			return o.Create(opts)
		}
		return nil, fmt.Errorf("%s does not exist (--create makes a new WIM)", o.name)
	}
	f, err := openForAppend(o.path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("%s does not exist (--create makes a new WIM)", o.name)
	}
	if err != nil {
		return nil, fmt.Errorf("cannot open %s: %w", o.name, unwrapPath(err))
	}
	ow := &OutputWriter{out: o, file: f, renameErr: "cannot replace %s"}
	pipable, chunk := peekHeader(f)
	if (pipable || opts.Pipable) && ao.Compact {
		ow.release()
		return nil, optionsError("a pipable WIM cannot be compacted in place; it is rebuilt on every append")
	}
	o.pipable = (pipable || opts.Pipable) && !opts.NotPipable
	mode := InPlace
	switch {
	case ao.Compact:
		// wimlib ignores --rebuild with --unsafe-compact.
		mode = Compact
	case ao.Rebuild || pipable || opts.Pipable || (ao.ChunkSize != 0 && ao.ChunkSize != chunk):
		mode = Rebuild
		if err := ow.startTemp(opts.Warn); err != nil {
			ow.release()
			return nil, fmt.Errorf("cannot create a temporary file beside %s: %w", o.name, unwrapPath(err))
		}
	}
	opts.Sync = true // the header write (or the rename) is the commit point
	if ow.tmp != nil {
		ow.written = fileGrowth(ow.tmp, 0)
	} else if fi, err := f.Stat(); err == nil {
		ow.written = fileGrowth(f, fi.Size())
	} else {
		ow.written = func() int64 { return 0 }
	}
	w, err := Append(f, ow.tmp, mode, ao.Check, opts)
	if err != nil {
		ow.release()
		return nil, err
	}
	ow.Writer = w
	ow.skip = skipIDs(o.path)
	if ow.tmp != nil {
		ow.skip = append(ow.skip, skipIDs(ow.tmp.Name())...)
	}
	return ow, nil
}

// peekHeader reads what decides how an append writes: whether f starts
// with the pipable magic, and the chunk size its header gives (0 if
// unreadable: Append then says what is wrong).
func peekHeader(f io.ReaderAt) (pipable bool, chunk int) {
	var b [wimfmt.HeaderSize]byte
	n, _ := f.ReadAt(b[:], 0)
	pipable = n >= len(wimfmt.PipableMagic) && [8]byte(b[:8]) == wimfmt.PipableMagic
	if n == len(b) {
		if h, err := wimfmt.ParseHeader(b[:]); err == nil {
			chunk = int(h.ChunkSize)
		}
	}
	return pipable, chunk
}

// AddImage adds an image as Writer.AddImage does, never capturing the
// output itself or its temporary file (they may lie inside src).
func (w *OutputWriter) AddImage(src string, io ImageOptions) error {
	io.Skip = slices.Concat(io.Skip, w.skip)
	return w.nameErr(w.Writer.AddImage(src, io))
}

// Close finishes the WIM (Writer.Close), then puts it in place: the
// temporary file made readable as a new file would be (0644 less the
// umask) and renamed over the output. On error the output is left as it
// was.
func (w *OutputWriter) Close() error {
	if w.done {
		return ErrClosed
	}
	err := w.nameErr(w.Writer.Close())
	if err == nil && w.seq != nil {
		err = w.seq.finish()
	}
	if err == nil && w.tmp != nil {
		err = w.commit()
	}
	w.release()
	return err
}

// Abort gives the WIM up, unless Close ran: nothing more is written, an
// in-place append is undone (not a compaction, which cannot be), the
// temporary file removed. Deferring it after Create or Append is the way
// to clean up after any failure.
func (w *OutputWriter) Abort() {
	if w.done {
		return
	}
	w.Writer.abort()
	w.release()
}

// Written reports the bytes written to the output so far (0 for a device
// written in place); after Close or Abort, the run's total.
func (w *OutputWriter) Written() int64 { return w.written() }

func (w *OutputWriter) nameErr(err error) error {
	if err != nil && w.named {
		return fmt.Errorf("%s: %w", w.out.name, err)
	}
	return err
}

// startTemp removes the temporary files killed runs left beside the
// output, and makes and locks this run's, removed on a signal.
func (w *OutputWriter) startTemp(warn func(string)) error {
	removeStaleTemps(w.out.path, warn)
	tmp, err := createTemp(w.out.path)
	if err != nil {
		return err
	}
	w.tmp = tmp
	w.stopSignals = removeOnSignal(tmp.Name(), w.out.oo.Interrupted)
	return nil
}

// commit puts the finished temporary file in place.
func (w *OutputWriter) commit() error {
	if err := w.tmp.Chmod(0o644 &^ umask()); err != nil {
		return err
	}
	if err := os.Rename(w.tmp.Name(), w.out.path); err != nil {
		return fmt.Errorf(w.renameErr+": %w", w.out.name, unwrapPath(err))
	}
	w.committed = true
	return nil
}

// release ends the run's hold on its files: the count of bytes written
// kept, an uncommitted temporary file removed (while still locked),
// signals no longer watched, the files closed (the locks with them: the
// temporary file's after its rename, since the lock marks a live writer).
func (w *OutputWriter) release() {
	w.done = true
	if w.written != nil {
		n := w.written()
		w.written = func() int64 { return n }
	}
	if w.tmp != nil && !w.committed {
		os.Remove(w.tmp.Name())
	}
	if w.stopSignals != nil {
		w.stopSignals()
	}
	for _, f := range []*os.File{w.held, w.tmp, w.file} {
		if f != nil {
			f.Close()
		}
	}
}

// fileGrowth reports how far f has grown past base: the bytes written to
// it.
func fileGrowth(f *os.File, base int64) func() int64 {
	return func() int64 {
		fi, err := f.Stat()
		if err != nil {
			return 0
		}
		return max(fi.Size()-base, 0)
	}
}

// skipIDs lists the files a capture must never read: the WIM and its
// temporary file, which may lie inside the source.
func skipIDs(paths ...string) []source.FileID {
	var ids []source.FileID
	for _, p := range paths {
		if id, err := source.FileIDOf(p); err == nil {
			ids = append(ids, id)
		}
	}
	return ids
}

// removeOnSignal deletes path if the process is interrupted, so that no
// half-written file stays behind, tells then (if set), and exits with
// status 130; the returned function stops watching.
func removeOnSignal(path string, then func(os.Signal, string)) func() {
	ch := make(chan os.Signal, 1)
	signal.Notify(ch, os.Interrupt, syscall.SIGTERM, syscall.SIGHUP)
	done := make(chan struct{})
	go func() {
		select {
		case s := <-ch:
			os.Remove(path)
			if then != nil {
				then(s, path)
			}
			os.Exit(130)
		case <-done:
		}
	}()
	return func() { signal.Stop(ch); close(done) }
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
			if os.Remove(name) == nil && warn != nil {
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
	if err := LockWIM(f); err != nil {
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
		if err := LockWIM(f); err != nil {
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

func unwrapPath(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}
