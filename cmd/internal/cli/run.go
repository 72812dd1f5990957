package cli

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/wimgo/wimgo/engine"
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
		if errors.Is(err, ErrUsage) || errors.Is(err, engine.ErrOptions) {
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
	case a.Snapshot && !engine.SnapshotSupported:
		return engine.ErrSnapshotUnsupported
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
func ParseCompress(s string) (string, int, error) { return engine.ParseCompress(s) }

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
	out, err := engine.ResolveOutput(a.WIMFile, engine.OutputOptions{
		Append:      cmd == Append,
		Pipable:     a.Pipable,
		Integrity:   a.Check || a.IncludeIntegrity,
		Interrupted: interrupted,
	})
	if err != nil {
		return err
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
	res, err := write(cmd, a, out, opts, iopts, rep)
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
		Pipable: a.Pipable || a.WIMFile == "-", NotPipable: a.NotPipable}
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
		Snapshot:    a.Snapshot,
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
	entries, err := engine.ParseSourceList(a.Source, iopts.SourceListData)
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
	entries, err := engine.ParseSourceList(a.Source, list)
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

func loadConfig(a *Args, rep *reporter) (*engine.Config, error) {
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
		return engine.DefaultConfig(), nil
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("--config: %w", err)
	}
	cfg, err := engine.ParseConfig(path, data)
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

// write adds the image to WIMFILE, a new WIM (wimcapture, or wimappend
// --create on a new name) or an existing one, and puts the WIM in place:
// how is the engine's (engine.Output).
func write(cmd Command, a *Args, out *engine.Output, opts engine.Options, iopts *engine.ImageOptions, rep *reporter) (*summary, error) {
	var w *engine.OutputWriter
	var err error
	if cmd == Capture {
		w, err = out.Create(opts)
	} else {
		w, err = out.Append(opts, engine.AppendOptions{Create: a.Create, Check: a.Check,
			Rebuild: a.Rebuild, Compact: a.UnsafeCompact, ChunkSize: a.ChunkSize})
	}
	// wimlib warns whenever it writes a pipable WIM, or one it makes so.
	rep.pipable = out.Pipable()
	if err != nil {
		return nil, err
	}
	defer w.Abort()
	rep.written = w.Written
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
		return nil, err
	}
	if err := w.Close(); err != nil {
		return nil, err
	}
	return newSummary(w.Writer, iopts.Name), nil
}

// interrupted says what a signal did to a run writing a temporary file
// (the engine removed it; the process exits with status 130).
func interrupted(s os.Signal, removed string) {
	fmt.Fprintf(os.Stderr, "\nERROR: interrupted (%v); removed the unfinished %s\n", s, removed)
}
