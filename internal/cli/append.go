package cli

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/wimgo/wimgo/engine"
)

// appendImage adds the image to an existing WIM: in place by default
// (crash-safe: the header is written last), by rebuilding into a temporary
// file with --rebuild, or compacting in place with --unsafe-compact.
func appendImage(a *Args, opts engine.Options, iopts *engine.ImageOptions, prog *progress) (*summary, error) {
	f, err := os.OpenFile(a.WIMFile, os.O_RDWR, 0)
	if errors.Is(err, os.ErrNotExist) && a.Create {
		return capture(a, opts, iopts, prog)
	}
	if errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("%s does not exist (--create makes a new WIM)", a.WIMFile)
	}
	if err != nil {
		return nil, fmt.Errorf("cannot open %s: %w", a.WIMFile, unwrapPath(err))
	}
	defer f.Close()
	mode := engine.InPlace
	var tmp *os.File
	pipable := isPipable(f)
	if (pipable || a.Pipable) && a.UnsafeCompact {
		return nil, fmt.Errorf("%w: a pipable WIM cannot be compacted in place; it is rebuilt on every append", ErrUsage)
	}
	opts.NotPipable = a.NotPipable
	switch {
	case a.Rebuild || pipable || a.Pipable:
		// A pipable WIM is always rebuilt, as wimlib does; so is one that
		// becomes pipable.
		mode = engine.Rebuild
		tmp, err = os.CreateTemp(filepath.Dir(a.WIMFile), "."+filepath.Base(a.WIMFile)+".tmp*")
		if err != nil {
			return nil, fmt.Errorf("cannot create a temporary file beside %s: %w", a.WIMFile, unwrapPath(err))
		}
		stop := removeOnSignal(tmp.Name())
		defer stop()
		defer func() {
			if tmp != nil {
				tmp.Close()
				os.Remove(tmp.Name())
			}
		}()
	case a.UnsafeCompact:
		mode = engine.Compact
	}
	opts.Sync = true // the header write (or the rename) is the commit point
	w, err := engine.Append(f, tmp, mode, a.Check, opts)
	if err != nil {
		return nil, err
	}
	iopts.Skip = skipIDs(a.WIMFile)
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
	if tmp != nil {
		if err := tmp.Close(); err != nil {
			return nil, err
		}
		if err := os.Chmod(tmp.Name(), 0o644&^umask()); err != nil {
			return nil, err
		}
		if err := os.Rename(tmp.Name(), a.WIMFile); err != nil {
			return nil, err
		}
		tmp = nil
	}
	st := w.Stats()
	return &summary{index: w.ImageCount(), name: iopts.Name, dirs: st.DirCount, files: st.FileCount, dataBytes: int64(st.TotalBytes), wimBytes: st.Size}, nil
}

// isPipable reports whether f starts with the pipable WIM magic.
func isPipable(f *os.File) bool {
	var magic [8]byte
	n, _ := f.ReadAt(magic[:], 0)
	return n == len(magic) && string(magic[:5]) == "WLPWM"
}
