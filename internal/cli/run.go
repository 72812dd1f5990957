package cli

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/wimgo/wimgo/engine"
	"github.com/wimgo/wimgo/engine/resource"
	"github.com/wimgo/wimgo/engine/source"
)

// Run runs wimcapture or wimappend with args (without the program name) and
// returns the exit status: 0, 2 for a command-line error, 1 for any other
// failure.
func Run(cmd Command, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	defer startProfile()()
	a, err := Parse(cmd, args)
	switch {
	case errors.Is(err, flag.ErrHelp):
		printHelp(cmd, stdout)
		return 0
	case errors.Is(err, ErrVersion):
		printVersion(cmd, stdout)
		return 0
	case err == nil && len(a.CompareLevels) > 0:
		err = compareLevels(cmd, a, stdout, stderr)
	case err == nil:
		err = run(cmd, a, stdin, stdout, stderr)
	}
	if err != nil {
		fmt.Fprintf(stderr, "ERROR: %s\n", userMessage(err))
		if errors.Is(err, ErrUsage) {
			fmt.Fprintf(stderr, "Run '%s --help' for the options.\n", cmd)
			return 2
		}
		return 1
	}
	return 0
}

// internalWords are the package names some of the engine's errors begin
// with, and what a user reads instead.
var internalWords = strings.NewReplacer(
	"resource: corrupt resource: wimfmt: corrupt WIM", "corrupt resource",
	"wimfmt: corrupt WIM", "corrupt WIM",
	"wimfmt: not a WIM file", "not a WIM file",
	"resource: wimfmt: unsupported WIM feature", "unsupported WIM feature",
	"wimfmt: unsupported WIM feature", "unsupported WIM feature",
	"wimfmt: invalid image property", "invalid image property",
	"source: invalid capture configuration", "invalid capture configuration",
	"engine: writer closed", "writer closed",
	"resource: writer closed", "writer closed",
	"resource: cannot store", "cannot store",
	"resource: solid resource", "solid resource",
	"lzx: chunk size", "LZX chunk size",
	"lzms: chunk size", "LZMS chunk size",
	"lzx: compression level", "LZX compression level",
	"lzx: corrupt compressed data", "corrupt LZX data",
	"lzms: corrupt compressed data", "corrupt LZMS data",
)

// userMessage is err's text as the user should read it: about the file,
// the image, the option, without our package names.
func userMessage(err error) string {
	return internalWords.Replace(strings.TrimPrefix(err.Error(), "usage: "))
}

// checkArgs refuses what this version does not do, clearly.
func checkArgs(cmd Command, a *Args) error {
	switch {
	case cmd == Append && a.WIMFile == "-":
		return fmt.Errorf("%w: wimappend needs a WIM file, not standard output", ErrUsage)
	case a.NoCheck && (a.Check || a.IncludeIntegrity):
		return fmt.Errorf("%w: --nocheck contradicts --check and --include-integrity", ErrUsage)
	case a.WIMFile == "-" && (a.Check || a.IncludeIntegrity):
		return fmt.Errorf("%w: a WIM written to standard output cannot have an integrity table (--check)", ErrUsage)
	case a.Solid && (a.Pipable || a.WIMFile == "-"):
		return fmt.Errorf("%w: a pipable WIM cannot be solid (as in wimlib)", ErrUsage)
	case a.NotPipable && (a.Pipable || a.WIMFile == "-"):
		return fmt.Errorf("%w: --pipable (or WIMFILE \"-\") and --not-pipable contradict each other", ErrUsage)
	case a.Snapshot:
		return errors.New("--snapshot is only supported on Windows")
	case a.RPFix && a.NoRPFix:
		return fmt.Errorf("%w: --rpfix and --norpfix contradict each other", ErrUsage)
	}
	// wimcapture takes --rebuild and --not-pipable and ignores them, as
	// wimlib does; wimappend takes --compress and ignores its type (the
	// WIM's stays), and --unsafe-compact overrides --rebuild.
	if cmd == Capture {
		for _, o := range []struct {
			set  bool
			name string
		}{{a.UnsafeCompact, "--unsafe-compact"}, {a.Create, "--create"}} {
			if o.set {
				return fmt.Errorf("%w: %s is an option of wimappend", ErrUsage, o.name)
			}
		}
	}
	return nil
}

// ParseCompress splits TYPE[:LEVEL] and checks both.
func ParseCompress(s string) (string, int, error) { return resource.ParseCompress(s) }

const recoveryWarning = `Warning: use of '--compress=recovery' is discouraged because it behaves
   differently from DISM.  Instead, you typically want to use '--solid' to
   create a solid LZMS-compressed WIM or "ESD file", similar to DISM's
   /compress:recovery.  But if you really want *non-solid* LZMS compression,
   then you may suppress this warning by specifying '--compress=lzms' instead
   of '--compress=recovery'.
`

// defaultName is wimlib's default image name: the last component of
// SOURCE, ignoring trailing slashes.
func defaultName(src string) string {
	s := strings.TrimRight(src, `/\`)
	if i := strings.LastIndexAny(s, `/\`); i >= 0 {
		s = s[i+1:]
	}
	return s
}

func run(cmd Command, a *Args, stdin io.Reader, stdout, stderr io.Writer) error {
	if err := checkArgs(cmd, a); err != nil {
		return err
	}
	// What WIMFILE is decides how it is written; what it can never be is
	// refused before anything is read.
	out := &output{path: a.WIMFile}
	if a.WIMFile != "-" {
		var err error
		if out, err = resolveOutput(cmd, a); err != nil {
			return err
		}
	}
	rep := newReporter(a, stdout, stderr)
	opts, err := engineOptions(a, stderr)
	if err != nil {
		return err
	}
	opts.Progress = rep.update
	opts.Warn = rep.warn
	rep.pipable = opts.Pipable

	iopts, err := imageOptions(cmd, a, stdin, rep)
	if err != nil {
		return err
	}
	if iopts.UpdateOf != nil {
		rep.templateWIM = iopts.UpdateOf.WIM
		if rep.templateWIM == "" {
			rep.templateWIM = a.WIMFile
		}
	}
	announce(a, iopts, rep)

	start := time.Now()
	var res *summary
	if cmd == Capture {
		res, err = capture(a, out, opts, iopts, rep)
	} else {
		res, err = appendImage(a, out, opts, iopts, rep)
	}
	rep.done()
	if err != nil {
		return err
	}
	rep.summary(a, res, time.Since(start))
	return nil
}

// engineOptions turns the options into the engine's.
func engineOptions(a *Args, stderr io.Writer) (engine.Options, error) {
	opts := engine.Options{Threads: a.Threads, Integrity: a.Check || a.IncludeIntegrity, NoIntegrity: a.NoCheck, ChunkSize: a.ChunkSize, DeltaFrom: a.DeltaFrom,
		Pipable: a.Pipable || a.WIMFile == "-"}
	if a.Compress != "" {
		t, level, err := ParseCompress(a.Compress)
		if err != nil {
			return opts, err
		}
		opts.Compression, opts.Level = t, level
		if strings.EqualFold(t, "recovery") {
			// wimlib's warning, word for word: users of DISM's
			// /compress:recovery usually want an ESD.
			fmt.Fprint(stderr, recoveryWarning)
		}
	}
	if a.Solid {
		opts.Solid, opts.SolidChunkSize = true, a.SolidChunkSize
		t := "LZMS"
		if a.SolidCompress != "" {
			var err error
			if t, opts.SolidLevel, err = ParseCompress(a.SolidCompress); err != nil {
				return opts, err
			}
		}
		opts.SolidCompression = t
	}
	if a.WIMBoot {
		if opts.Compression == "" {
			opts.Compression = "XPRESS"
		}
		if opts.ChunkSize == 0 && strings.EqualFold(opts.Compression, "xpress") {
			opts.ChunkSize = 4096
		}
	}
	if v := os.Getenv("SOURCE_DATE_EPOCH"); v != "" {
		sec, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return opts, fmt.Errorf("SOURCE_DATE_EPOCH=%q: not a number of seconds", v)
		}
		t := time.Unix(sec, 0).UTC()
		opts.Time = &t
	}
	return opts, nil
}

// imageOptions checks the source and the configuration and describes the
// image to add.
func imageOptions(cmd Command, a *Args, stdin io.Reader, rep *reporter) (*engine.ImageOptions, error) {
	iopts := &engine.ImageOptions{
		Description: a.Description,
		Properties:  a.Properties,
		Boot:        a.Boot,
		Dereference: a.Dereference,
		UnixData:    a.UnixData,
		NoACLs:      a.NoACLs,
		StrictACLs:  a.StrictACLs,
		SourceList:  a.SourceList,
		WIMBoot:     a.WIMBoot,
	}
	if a.UpdateOf != "" {
		t := engine.ParseTemplate(a.UpdateOf)
		if t.WIM == "" && len(a.DeltaFrom) == 1 {
			t.WIM = a.DeltaFrom[0]
		}
		if t.WIM == "" && cmd == Capture {
			return nil, fmt.Errorf("%w: --update-of=%s: give the WIM as WIMFILE:IMAGE (or one --delta-from)", ErrUsage, a.UpdateOf)
		}
		iopts.UpdateOf = &t
	}
	// The source must exist before any output is made.
	if a.SourceList {
		var data []byte
		var err error
		if a.Source == "-" {
			data, err = io.ReadAll(stdin)
		} else {
			data, err = os.ReadFile(a.Source)
		}
		if err != nil {
			return nil, fmt.Errorf("reading source list %s: %w", a.Source, err)
		}
		iopts.SourceListData = data
		if err := checkListRPFix(a, data); err != nil {
			return nil, err
		}
	} else if _, err := os.Stat(a.Source); err != nil {
		return nil, fmt.Errorf("SOURCE %s: %w", a.Source, unwrapPath(err))
	}
	cfg, err := loadConfig(a, rep)
	if err != nil {
		return nil, err
	}
	iopts.Config = cfg
	if a.WIMBoot && a.Config != "" {
		// wimlib stores the given configuration in the image, over any
		// WimBootCompress.ini the source has.
		iopts.WIMBootConfigFile = a.Config
	}
	return iopts, nil
}

// announce prints what wimlib prints before it scans: the delta's bases,
// an NTFS volume capture, each source scanned.
func announce(a *Args, iopts *engine.ImageOptions, rep *reporter) {
	switch len(a.DeltaFrom) {
	case 0:
	case 1:
		rep.println("Capturing delta WIM based on \"%s\"", a.DeltaFrom[0])
	default:
		rep.println("Capturing delta WIM based on %d WIMs", len(a.DeltaFrom))
	}
	if !a.SourceList {
		if fi, err := os.Stat(a.Source); err == nil && (fi.Mode().IsRegular() || fi.Mode()&fs.ModeDevice != 0 && fi.Mode()&fs.ModeCharDevice == 0) {
			rep.println("Capturing WIM image from NTFS filesystem on \"%s\"", a.Source)
		}
		rep.println("Scanning \"%s\"", a.Source)
		return
	}
	entries, err := source.ParseSourceList(a.Source, iopts.SourceListData)
	if err != nil {
		return // reported when the list is scanned
	}
	for _, e := range entries {
		if e.Target == "" {
			rep.println("Scanning \"%s\"", e.Source)
		} else {
			rep.println("Scanning \"%s\" (loading as WIM path: \"/%s\")...", e.Source, e.Target)
		}
	}
}

// checkListRPFix refuses --rpfix with a source list putting something
// elsewhere than at the image root, as wimlib does: fixups are defined
// for a whole image only.
func checkListRPFix(a *Args, list []byte) error {
	if !a.RPFix {
		return nil
	}
	entries, err := source.ParseSourceList(a.Source, list)
	if err != nil {
		return nil // reported when the list is scanned
	}
	for _, e := range entries {
		if e.Target != "" {
			return fmt.Errorf("%w: --rpfix: cannot do reparse point fixups when not capturing a full image (%s: %s goes to /%s, not to the image root)", ErrUsage, a.Source, e.Source, e.Target)
		}
	}
	return nil
}

func unwrapPath(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

func loadConfig(a *Args, rep *reporter) (*source.Config, error) {
	path := a.Config
	if path == "" && a.WIMBoot && !a.SourceList {
		p := filepath.Join(a.Source, "Windows", "System32", "WimBootCompress.ini")
		if _, err := os.Stat(p); err == nil {
			path = p
		} else {
			rep.libWarn(fmt.Sprintf("\"%s/Windows/System32/WimBootCompress.ini\" does not exist.\n          Using default capture configuration!", a.Source))
		}
	}
	if path == "" {
		return source.DefaultConfig(), nil
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("--config: %w", err)
	}
	cfg, err := source.ParseConfig(path, data)
	if err != nil {
		return nil, err
	}
	// wimlib warns and goes on: unknown sections, lines outside a section,
	// drive letters removed.
	for _, w := range cfg.Warnings {
		rep.libWarn(w)
	}
	return cfg, nil
}

type summary struct {
	index int
	name  string
	st    engine.Stats
}

// newSummary describes w's last image, named name.
func newSummary(w *engine.Writer, name string) *summary {
	return &summary{index: w.ImageCount(), name: name, st: w.Stats()}
}

// skipIDs lists the files a capture must never read: the WIM and its
// temporary file, which may lie inside SOURCE.
func skipIDs(paths ...string) []source.FileID {
	var ids []source.FileID
	for _, p := range paths {
		if p == "" {
			continue
		}
		if id, err := source.FileIDOf(p); err == nil {
			ids = append(ids, id)
		}
	}
	return ids
}

// capture writes a new WIM. A new name or a regular file gets a temporary
// file beside it, renamed into place only when complete; a device is
// written in place and a FIFO streamed to (with --pipable), as wimlib
// does: neither is ever replaced by a regular file.
func capture(a *Args, out *output, opts engine.Options, iopts *engine.ImageOptions, rep *reporter) (*summary, error) {
	if a.WIMFile == "-" {
		return captureToStream(os.Stdout, "standard output", a, opts, iopts, rep)
	}
	iopts.RPFix = !a.NoRPFix
	switch out.kind {
	case outFIFO:
		// Blocks until a reader opens the other end, like any writer.
		f, err := os.OpenFile(out.path, os.O_WRONLY, 0)
		if err != nil {
			return nil, fmt.Errorf("cannot open %s: %w", a.WIMFile, unwrapPath(err))
		}
		defer f.Close()
		return captureToStream(f, a.WIMFile, a, opts, iopts, rep)
	case outDevice:
		return captureToDevice(a, out, opts, iopts, rep)
	}
	removeStaleTemps(out.path, rep.warn)
	tmp, err := createTemp(out.path)
	if err != nil {
		return nil, fmt.Errorf("cannot create %s: %w", a.WIMFile, unwrapPath(err))
	}
	defer tmp.Close() // after the rename: the lock marks a live writer
	cleanup := removeOnSignal(tmp.Name())
	defer cleanup()
	ok := false
	defer func() {
		if !ok {
			os.Remove(tmp.Name())
		}
	}()
	if out.kind == outRegular {
		// Replacing a file: not while another process appends to it; and
		// synced before the rename, so that a crash leaves the old file or
		// the whole new one. A new name risks nothing good.
		old, err := lockExisting(out.path)
		if err != nil {
			return nil, err
		}
		if old != nil {
			defer old.Close()
		}
		opts.Sync = true
	}
	iopts.Skip = skipIDs(tmp.Name(), out.path)
	rep.written = fileSize(tmp, 0)
	w, err := createWIM(tmp, a, opts, iopts)
	if err != nil {
		return nil, err
	}
	rep.freezeWritten()
	if err := tmp.Chmod(0o644 &^ umask()); err != nil {
		return nil, err
	}
	if err := os.Rename(tmp.Name(), out.path); err != nil {
		return nil, fmt.Errorf("cannot create %s: %w", a.WIMFile, unwrapPath(err))
	}
	ok = true
	return newSummary(w, iopts.Name), nil
}

// deviceFile is a device opened for writing a WIM in place: positioned
// reads and writes only (a device can be neither truncated nor synced).
type deviceFile struct{ f *os.File }

func (d deviceFile) ReadAt(p []byte, off int64) (int, error)  { return d.f.ReadAt(p, off) }
func (d deviceFile) WriteAt(p []byte, off int64) (int, error) { return d.f.WriteAt(p, off) }

// captureToDevice writes the WIM into a character or block device in
// place, as wimlib does (/dev/null discards it, /dev/full fails with "no
// space left on device"); one that cannot seek, like a pipe, takes only a
// pipable WIM.
func captureToDevice(a *Args, out *output, opts engine.Options, iopts *engine.ImageOptions, rep *reporter) (*summary, error) {
	f, err := os.OpenFile(out.path, os.O_RDWR, 0)
	if err != nil {
		return nil, fmt.Errorf("cannot open %s: %w", a.WIMFile, unwrapPath(err))
	}
	defer f.Close()
	if _, err := f.Seek(0, io.SeekCurrent); err != nil {
		if !a.Pipable {
			return nil, fmt.Errorf("%s cannot seek: only a pipable WIM can be written to it (--pipable)", a.WIMFile)
		}
		return captureToStream(f, a.WIMFile, a, opts, iopts, rep)
	}
	w, err := createWIM(deviceFile{f}, a, opts, iopts)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", a.WIMFile, err)
	}
	return newSummary(w, iopts.Name), nil
}

// removeOnSignal deletes path if the process is interrupted, so that no
// half-written file stays behind; the returned function stops watching.
func removeOnSignal(path string) func() {
	ch := make(chan os.Signal, 1)
	signal.Notify(ch, os.Interrupt, syscall.SIGTERM, syscall.SIGHUP)
	done := make(chan struct{})
	go func() {
		select {
		case s := <-ch:
			os.Remove(path)
			fmt.Fprintf(os.Stderr, "\nERROR: interrupted (%v); removed the unfinished %s\n", s, path)
			os.Exit(130)
		case <-done:
		}
	}()
	return func() { signal.Stop(ch); close(done) }
}

// captureToStream streams a pipable WIM to standard output or a pipe.
func captureToStream(f io.Writer, name string, a *Args, opts engine.Options, iopts *engine.ImageOptions, rep *reporter) (*summary, error) {
	iopts.RPFix = !a.NoRPFix
	out := newSeqWriter(f)
	out.name = name
	rep.written = out.written
	opts.Pipable = true
	w, err := createWIM(out, a, opts, iopts)
	if err != nil {
		return nil, err
	}
	if err := out.finish(); err != nil {
		return nil, err
	}
	return newSummary(w, iopts.Name), nil
}

// createWIM writes a new WIM holding the one image wimcapture adds, named
// as given or after SOURCE.
func createWIM(f engine.File, a *Args, opts engine.Options, iopts *engine.ImageOptions) (*engine.Writer, error) {
	iopts.Name = a.Name
	if !a.NameSet {
		iopts.Name = defaultName(a.Source)
	}
	w, err := engine.Create(f, opts)
	if err != nil {
		return nil, err
	}
	if err := w.AddImage(a.Source, *iopts); err != nil {
		w.Close()
		return nil, err
	}
	return w, w.Close()
}

// fileSize reports how far f has grown past base: the bytes written to it.
func fileSize(f *os.File, base int64) func() int64 {
	return func() int64 {
		fi, err := f.Stat()
		if err != nil {
			return 0
		}
		return max(fi.Size()-base, 0)
	}
}
