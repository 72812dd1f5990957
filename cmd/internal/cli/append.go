package cli

import (
	"errors"
	"fmt"
	"os"

	"github.com/wimgo/wimgo/engine"
	"github.com/wimgo/wimgo/engine/wimfmt"
)

// appendImage adds the image to an existing WIM: in place by default
// (crash-safe: the header is written last), by rebuilding into a temporary
// file with --rebuild, or compacting in place with --unsafe-compact. In
// every mode the WIM is locked (as wimlib locks it) before it is read, and
// with --rebuild the lock is held across the rename.
func appendImage(a *Args, out *output, opts engine.Options, iopts *engine.ImageOptions, rep *reporter) (*summary, error) {
	if out.kind == outNew && a.Create {
		return capture(a, out, opts, iopts, rep)
	}
	if out.kind == outNew {
		return nil, fmt.Errorf("%s does not exist (--create makes a new WIM)", a.WIMFile)
	}
	f, err := openForAppend(out.path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("%s does not exist (--create makes a new WIM)", a.WIMFile)
	}
	if err != nil {
		return nil, fmt.Errorf("cannot open %s: %w", a.WIMFile, unwrapPath(err))
	}
	defer f.Close() // after any rename: the lock lasts until then
	mode := engine.InPlace
	var tmp *os.File
	renamed := false
	pipable := isPipable(f)
	if (pipable || a.Pipable) && a.UnsafeCompact {
		return nil, fmt.Errorf("%w: a pipable WIM cannot be compacted in place; it is rebuilt on every append", ErrUsage)
	}
	opts.NotPipable = a.NotPipable
	// wimlib warns whenever it writes a pipable WIM.
	rep.pipable = (pipable || a.Pipable) && !a.NotPipable
	switch {
	case a.UnsafeCompact:
		// wimlib ignores --rebuild with --unsafe-compact.
		mode = engine.Compact
	case a.Rebuild || pipable || a.Pipable || (a.ChunkSize != 0 && a.ChunkSize != wimChunkSize(f)):
		// A pipable WIM is always rebuilt, as wimlib does; so is one that
		// becomes pipable, or gets another chunk size.
		mode = engine.Rebuild
		removeStaleTemps(out.path, rep.warn)
		tmp, err = createTemp(out.path)
		if err != nil {
			return nil, fmt.Errorf("cannot create a temporary file beside %s: %w", a.WIMFile, unwrapPath(err))
		}
		stop := removeOnSignal(tmp.Name())
		defer stop()
		defer func() {
			tmp.Close()
			if !renamed {
				os.Remove(tmp.Name())
			}
		}()
	}
	opts.Sync = true // the header write (or the rename) is the commit point
	if tmp != nil {
		rep.written = fileSize(tmp, 0)
	} else if fi, err := f.Stat(); err == nil {
		rep.written = fileSize(f, fi.Size())
	}
	w, err := engine.Append(f, tmp, mode, a.Check, opts)
	if err != nil {
		return nil, err
	}
	iopts.Skip = skipIDs(out.path)
	if tmp != nil {
		iopts.Skip = append(iopts.Skip, skipIDs(tmp.Name())...)
	}
	iopts.RPFix = w.RPFixDefault()
	if a.RPFix {
		iopts.RPFix = true
	}
	if a.NoRPFix {
		iopts.RPFix = false
	}
	iopts.Name = a.Name
	if !a.NameSet {
		// The default name gets " (1)", " (2)"... while it is taken.
		base := defaultName(a.Source)
		iopts.Name = base
		for i := 1; base != "" && w.HasImageName(iopts.Name); i++ {
			iopts.Name = fmt.Sprintf("%s (%d)", base, i)
		}
	}
	if err := w.AddImage(a.Source, *iopts); err != nil {
		w.Close()
		return nil, err
	}
	if err := w.Close(); err != nil {
		return nil, err
	}
	rep.freezeWritten()
	if tmp != nil {
		if err := tmp.Chmod(0o644 &^ umask()); err != nil {
			return nil, err
		}
		if err := os.Rename(tmp.Name(), out.path); err != nil {
			return nil, fmt.Errorf("cannot replace %s: %w", a.WIMFile, unwrapPath(err))
		}
		renamed = true
	}
	return newSummary(w, iopts.Name), nil
}

// wimChunkSize is the chunk size in f's header (0 if unreadable: the
// engine reports what is wrong).
func wimChunkSize(f *os.File) int {
	var b [wimfmt.HeaderSize]byte
	if _, err := f.ReadAt(b[:], 0); err != nil {
		return 0
	}
	h, err := wimfmt.ParseHeader(b[:])
	if err != nil {
		return 0
	}
	return int(h.ChunkSize)
}

// isPipable reports whether f starts with the pipable WIM magic.
func isPipable(f *os.File) bool {
	var magic [8]byte
	n, _ := f.ReadAt(magic[:], 0)
	return n == len(magic) && string(magic[:5]) == "WLPWM"
}
