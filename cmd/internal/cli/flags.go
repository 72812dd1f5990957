// Package cli holds what wimcapture and wimappend share: option parsing
// (wimlib's getopt_long_only rules), progress display and error wording.
package cli

import (
	"errors"
	"flag"
	"fmt"
	"math"
	"os"
	"strconv"
	"strings"

	"github.com/wimgo/wimgo/engine"
)

// Command says which program is running.
type Command int

const (
	Capture Command = iota
	Append
)

func (c Command) String() string {
	if c == Append {
		return "wimappend"
	}
	return "wimcapture"
}

// Args is the parsed command line.
type Args struct {
	Source, WIMFile         string
	Name, Description       string
	NameSet, DescriptionSet bool

	Boot, Check, IncludeIntegrity bool
	NoCheck                       bool
	Compress                      string // TYPE[:LEVEL] as given
	ChunkSize                     int
	Solid                         bool
	SolidCompress                 string
	SolidChunkSize                int
	Threads                       int
	Rebuild                       bool
	Properties                    []engine.Property
	Dereference                   bool
	Config                        string
	UnixData, NoACLs, StrictACLs  bool
	RPFix, NoRPFix                bool
	SourceList                    bool
	Pipable, NotPipable           bool
	UpdateOf                      string
	DeltaFrom                     []string
	WIMBoot, UnsafeCompact        bool
	Snapshot, Create              bool

	// Beyond wimlib: --quiet (wimlib has it too, undocumented),
	// --progress=json and --compare-levels.
	Quiet         bool
	ProgressJSON  bool
	CompareLevels []string // TYPE[:LEVEL] settings, checked
}

// ParseSize parses a byte count with an optional K, M, G, KiB, MiB or GiB
// suffix (powers of 1024, case-insensitive).
func ParseSize(v string) (int, error) {
	s := strings.ToUpper(strings.TrimSpace(v))
	mult := 1
	for _, suf := range []struct {
		s string
		m int
	}{{"KIB", 1 << 10}, {"MIB", 1 << 20}, {"GIB", 1 << 30}, {"K", 1 << 10}, {"M", 1 << 20}, {"G", 1 << 30}} {
		if strings.HasSuffix(s, suf.s) {
			s, mult = strings.TrimSuffix(s, suf.s), suf.m
			break
		}
	}
	n, err := strconv.ParseUint(s, 10, 40)
	if err != nil || n == 0 {
		return 0, fmt.Errorf("invalid size %q: give a number of bytes, optionally with K, M, G, KiB, MiB or GiB", v)
	}
	if n > math.MaxInt/uint64(mult) {
		// Would wrap around ("17179869185G" was 1G).
		return 0, fmt.Errorf("invalid size %q: too large", v)
	}
	return int(n) * mult, nil
}

// ErrUsage marks a command-line error (exit status 2, with a hint to
// --help).
var ErrUsage = errors.New("usage")

// ErrVersion is returned by Parse for --version (flag.ErrHelp for --help).
var ErrVersion = errors.New("version")

// option is one command-line option. arg is the value's placeholder ("" for
// an option without a value); set stores a value (a boolean option gets
// "true").
type option struct {
	name  string
	arg   string
	group string
	// help[0] is the text for both commands; help[1], when set, is
	// wimappend's. A "-" text hides the option from that command's --help
	// (it is still accepted, as wimlib accepts it).
	help [2]string
	set  func(a *Args, v string) error
	// extra marks our options, absent from wimlib's table: an abbreviation
	// is resolved among wimlib's options first, so that every abbreviation
	// wimlib accepts means the same here.
	extra bool
}

func flagOpt(f func(a *Args) *bool) func(*Args, string) error {
	return func(a *Args, v string) error {
		b, err := strconv.ParseBool(v)
		if err != nil {
			return fmt.Errorf("expected true or false")
		}
		*f(a) = b
		return nil
	}
}

func sizeOpt(f func(a *Args) *int) func(*Args, string) error {
	return func(a *Args, v string) error {
		n, err := ParseSize(v)
		*f(a) = n
		return err
	}
}

func compressOpt(f func(a *Args) *string) func(*Args, string) error {
	return func(a *Args, v string) error {
		if _, _, err := ParseCompress(v); err != nil {
			return err
		}
		*f(a) = v
		return nil
	}
}

// Help groups, in the order --help shows them.
const (
	grpImage    = "Image"
	grpSource   = "Source"
	grpCompress = "Compression"
	grpWIM      = "WIM file"
	grpDelta    = "Updates and deltas"
	grpOutput   = "Output and reports"
	grpCompat   = "Accepted for wimlib's command lines"
)

var groups = []string{grpImage, grpSource, grpCompress, grpWIM, grpDelta, grpOutput, grpCompat}

// options is wimlib's table for capture and append, in wimlib's order
// (which its ambiguity messages follow), then ours.
var options = []option{
	{name: "boot", group: grpImage, help: [2]string{"mark the new image as the WIM's bootable image"},
		set: flagOpt(func(a *Args) *bool { return &a.Boot })},
	{name: "check", group: grpWIM, help: [2]string{"write an integrity table", "verify the WIM's integrity table first, and write one"},
		set: flagOpt(func(a *Args) *bool { return &a.Check })},
	// wimlib's undocumented spellings and leftovers, so that its command
	// lines keep working: --no-check, --noacls, --verbose (does nothing, as
	// in wimlib) and --no-solid-sort (solid resources here keep the scan
	// order anyway: on the Go tree and /usr/include it compressed smaller
	// than wimlib's sort by extension).
	{name: "no-check", group: grpCompat, help: [2]string{"same as --nocheck"},
		set: flagOpt(func(a *Args) *bool { return &a.NoCheck })},
	{name: "nocheck", group: grpWIM, help: [2]string{"write no integrity table", "write no integrity table, and drop the WIM's"},
		set: flagOpt(func(a *Args) *bool { return &a.NoCheck })},
	{name: "include-integrity", group: grpWIM, help: [2]string{"write an integrity table (no verification first)"},
		set: flagOpt(func(a *Args) *bool { return &a.IncludeIntegrity })},
	{name: "compress", arg: "=TYPE[:LEVEL]", group: grpCompress,
		help: [2]string{"none, XPRESS (fast), LZX (maximum, the default) or LZMS (recovery); LEVEL 1-100+ (default 50)",
			"LEVEL of what is written (the WIM keeps its compression TYPE, as in wimlib)"},
		set: compressOpt(func(a *Args) *string { return &a.Compress })},
	{name: "chunk-size", arg: "=SIZE", group: grpCompress, help: [2]string{"compression chunk size, e.g. 32K (default: the type's)", "chunk size of what is written; another than the WIM's rebuilds it"},
		set: sizeOpt(func(a *Args) *int { return &a.ChunkSize })},
	{name: "solid", group: grpCompress, help: [2]string{"compress file data in solid resources (an ESD-like WIM)"},
		set: flagOpt(func(a *Args) *bool { return &a.Solid })},
	{name: "solid-compress", arg: "=TYPE[:LEVEL]", group: grpCompress, help: [2]string{"compression of solid resources (default LZMS)"},
		set: compressOpt(func(a *Args) *string { return &a.SolidCompress })},
	{name: "solid-chunk-size", arg: "=SIZE", group: grpCompress, help: [2]string{"chunk size of solid resources (default 64M for LZMS)"},
		set: sizeOpt(func(a *Args) *int { return &a.SolidChunkSize })},
	{name: "no-solid-sort", group: grpCompat, help: [2]string{"accepted; solid resources keep the scan order"},
		set: func(*Args, string) error { return nil }},
	{name: "config", arg: "=FILE", group: grpSource, help: [2]string{"capture configuration FILE ([ExclusionList] etc.)"},
		set: func(a *Args, v string) error { a.Config = v; return nil }},
	{name: "dereference", group: grpSource, help: [2]string{"follow symbolic links instead of storing them"},
		set: flagOpt(func(a *Args) *bool { return &a.Dereference })},
	// --flags is a property like the others: wimlib writes it in
	// command-line order among the --image-property elements.
	{name: "flags", arg: "=EDITIONID", group: grpImage, help: [2]string{"the <FLAGS> element of the new image"},
		set: func(a *Args, v string) error {
			a.Properties = append(a.Properties, engine.Property{Name: "FLAGS", Value: v})
			return nil
		}},
	{name: "image-property", arg: " NAME=VALUE", group: grpImage, help: [2]string{"a property of the new image, e.g. DISPLAYNAME=X (repeatable)"},
		set: func(a *Args, v string) error {
			name, value, ok := strings.Cut(v, "=")
			if !ok || name == "" {
				return fmt.Errorf("%q: expected NAME=VALUE", v)
			}
			a.Properties = append(a.Properties, engine.Property{Name: name, Value: value})
			return nil
		}},
	{name: "verbose", group: grpCompat, help: [2]string{"accepted; does nothing (as in wimlib)"},
		set: func(*Args, string) error { return nil }},
	{name: "threads", arg: "=NUM_THREADS", group: grpCompress, help: [2]string{"compression threads (default 0: one per CPU)"},
		set: func(a *Args, v string) error {
			n, err := strconv.Atoi(v)
			if err != nil || n < 0 {
				return errors.New("the number of threads must be a non-negative integer (0: one per CPU)")
			}
			a.Threads = n
			return nil
		}},
	{name: "rebuild", group: grpWIM, help: [2]string{"-", "rebuild the whole WIM instead of appending in place"},
		set: flagOpt(func(a *Args) *bool { return &a.Rebuild })},
	{name: "unix-data", group: grpSource, help: [2]string{"store UNIX owners, modes, special files and xattrs"},
		set: flagOpt(func(a *Args) *bool { return &a.UnixData })},
	{name: "source-list", group: grpSource, help: [2]string{"SOURCE is a file (\"-\": standard input) of SOURCE [TARGET] lines"},
		set: flagOpt(func(a *Args) *bool { return &a.SourceList })},
	{name: "noacls", group: grpCompat, help: [2]string{"same as --no-acls"},
		set: flagOpt(func(a *Args) *bool { return &a.NoACLs })},
	{name: "no-acls", group: grpSource, help: [2]string{"capture no security descriptors"},
		set: flagOpt(func(a *Args) *bool { return &a.NoACLs })},
	{name: "strict-acls", group: grpSource, help: [2]string{"fail if a security descriptor cannot be read"},
		set: flagOpt(func(a *Args) *bool { return &a.StrictACLs })},
	{name: "rpfix", group: grpSource, help: [2]string{"make absolute symbolic links into the tree relative to it (the default)",
		"make absolute symbolic links into the tree relative to it"},
		set: flagOpt(func(a *Args) *bool { return &a.RPFix })},
	{name: "norpfix", group: grpSource, help: [2]string{"store absolute symbolic link targets as they are"},
		set: flagOpt(func(a *Args) *bool { return &a.NoRPFix })},
	{name: "pipable", group: grpWIM, help: [2]string{"write wimlib's pipable format (WIMFILE \"-\" implies it)", "rebuild the WIM in wimlib's pipable format"},
		set: flagOpt(func(a *Args) *bool { return &a.Pipable })},
	{name: "not-pipable", group: grpWIM, help: [2]string{"-", "rebuild a pipable WIM in the regular format"},
		set: flagOpt(func(a *Args) *bool { return &a.NotPipable })},
	{name: "update-of", arg: "=[WIMFILE:]IMAGE", group: grpDelta, help: [2]string{"the image is mostly that one: unchanged files are not read again",
		"the image is mostly that one (default WIMFILE: the WIM appended to)"},
		set: func(a *Args, v string) error { a.UpdateOf = v; return nil }},
	{name: "delta-from", arg: "=WIMFILE", group: grpDelta, help: [2]string{"leave out data WIMFILE holds (repeatable)"},
		set: func(a *Args, v string) error { a.DeltaFrom = append(a.DeltaFrom, v); return nil }},
	{name: "wimboot", group: grpSource, help: [2]string{"mark the image WIMBoot-compatible (XPRESS, 4K chunks by default)", "mark the image WIMBoot-compatible"},
		set: flagOpt(func(a *Args) *bool { return &a.WIMBoot })},
	{name: "unsafe-compact", group: grpWIM, help: [2]string{"-", "compact the WIM in place (unsafe if interrupted)"},
		set: flagOpt(func(a *Args) *bool { return &a.UnsafeCompact })},
	{name: "snapshot", group: grpSource, help: [2]string{"capture from a file system snapshot (Windows only)"},
		set: flagOpt(func(a *Args) *bool { return &a.Snapshot })},
	{name: "create", group: grpWIM, help: [2]string{"-", "create WIMFILE if it does not exist"},
		set: flagOpt(func(a *Args) *bool { return &a.Create })},

	{name: "progress", arg: "=json", group: grpOutput, extra: true,
		help: [2]string{"progress as JSON objects, one a line, on standard error"},
		set: func(a *Args, v string) error {
			switch strings.ToLower(v) {
			case "json":
				a.ProgressJSON = true
			case "text":
				a.ProgressJSON = false
			default:
				return fmt.Errorf("unknown progress format %q (json or text)", v)
			}
			return nil
		}},
	{name: "compare-levels", arg: "=TYPE:LEVEL,...", group: grpOutput, extra: true,
		help: [2]string{"compress SOURCE with each setting and print a table (no WIM is written)", "-"},
		set: func(a *Args, v string) error {
			a.CompareLevels = a.CompareLevels[:0]
			for _, s := range strings.Split(v, ",") {
				if _, _, err := ParseCompress(strings.TrimSpace(s)); err != nil {
					return err
				}
				a.CompareLevels = append(a.CompareLevels, strings.TrimSpace(s))
			}
			return nil
		}},
}

// commonHelp lists the options wimlib handles before the others (exact
// spellings only, anywhere before "--").
var commonHelp = []struct{ name, help string }{
	{"quiet", "print no progress or informational messages"},
	{"help", "print this help and exit"},
	{"version", "print the version, and the codecs' assembly in use, and exit"},
}

// lookupEnv is os.LookupEnv, apart for tests.
var lookupEnv = os.LookupEnv

// Parse parses args (without the program name) as wimlib does, with
// getopt_long_only: options may stand anywhere among the positional
// arguments, "--" ends them, a long option takes one or two dashes and may
// be abbreviated to any unique prefix, and its value follows "=" or comes
// as the next argument. Options can also be given as environment variables
// WIMCAPTURE_<NAME> / WIMAPPEND_<NAME> (e.g. WIMCAPTURE_THREADS=4, or
// WIMAPPEND_UNIX_DATA=true); the command line wins.
func Parse(cmd Command, args []string) (*Args, error) {
	a := &Args{}
	// wimlib's common options: exact spellings, anywhere before "--".
	var rest []string
	for i, arg := range args {
		if arg == "--" {
			rest = append(rest, args[i:]...)
			break
		}
		switch arg {
		case "--help":
			return nil, flag.ErrHelp
		case "--version":
			return nil, ErrVersion
		case "--quiet":
			a.Quiet = true
			continue
		}
		rest = append(rest, arg)
	}
	given := make(map[string]bool)
	var pos []string
	for i := 0; i < len(rest); i++ {
		arg := rest[i]
		if arg == "--" {
			pos = append(pos, rest[i+1:]...)
			break
		}
		if len(arg) < 2 || arg[0] != '-' {
			pos = append(pos, arg)
			continue
		}
		dashes := "-"
		if arg[1] == '-' {
			dashes = "--"
		}
		name, value, hasValue := strings.Cut(arg[len(dashes):], "=")
		o, err := findOption(dashes, name, arg)
		if err != nil {
			return nil, err
		}
		typed := dashes + name
		switch {
		case o.arg == "" && hasValue:
			return nil, fmt.Errorf("%w: option '%s%s' doesn't allow an argument", ErrUsage, dashes, o.name)
		case o.arg == "":
			value = "true"
		case !hasValue:
			if i+1 >= len(rest) {
				return nil, fmt.Errorf("%w: option '%s%s' requires an argument (%s%s%s)", ErrUsage, dashes, o.name, dashes, o.name, o.arg)
			}
			i++
			value = rest[i]
			typed += " " + value
		default:
			typed += "=" + value
		}
		if err := o.set(a, value); err != nil {
			return nil, fmt.Errorf("%w: %s: %v", ErrUsage, typed, err)
		}
		given[o.name] = true
	}
	if err := parseEnv(cmd, a, given); err != nil {
		return nil, err
	}
	if len(pos) < 2 || len(pos) > 4 {
		return nil, fmt.Errorf("%w: expected SOURCE WIMFILE [IMAGE_NAME [IMAGE_DESC]], got %d arguments", ErrUsage, len(pos))
	}
	a.Source, a.WIMFile = pos[0], pos[1]
	if len(pos) > 2 {
		a.Name, a.NameSet = pos[2], true
	}
	if len(pos) > 3 {
		a.Description, a.DescriptionSet = pos[3], true
	}
	return a, nil
}

// findOption resolves an option name as getopt_long_only does: an exact
// name wins, else a prefix of exactly one name (among wimlib's options
// first, then ours); several are ambiguous.
func findOption(dashes, name, arg string) (*option, error) {
	for i := range options {
		if options[i].name == name {
			return &options[i], nil
		}
	}
	for _, extra := range []bool{false, true} {
		var matches []*option
		for i := range options {
			if options[i].extra == extra && name != "" && strings.HasPrefix(options[i].name, name) {
				matches = append(matches, &options[i])
			}
		}
		if len(matches) == 1 {
			return matches[0], nil
		}
		if len(matches) > 1 {
			var b strings.Builder
			for _, m := range matches {
				fmt.Fprintf(&b, " '%s%s'", dashes, m.name)
			}
			return nil, fmt.Errorf("%w: option '%s%s' is ambiguous; possibilities:%s", ErrUsage, dashes, name, b.String())
		}
	}
	return nil, fmt.Errorf("%w: unrecognized option '%s'", ErrUsage, arg)
}

// parseEnv sets the options not given on the command line from the
// environment: PREFIX_NAME, NAME upper-cased with "-" as "_"; an empty
// value is no value (as the ff package, which read them before, did).
func parseEnv(cmd Command, a *Args, given map[string]bool) error {
	prefix := strings.ToUpper(cmd.String()) + "_"
	for i := range options {
		o := &options[i]
		if given[o.name] {
			continue
		}
		key := prefix + strings.ToUpper(strings.ReplaceAll(o.name, "-", "_"))
		v, ok := lookupEnv(key)
		if !ok || v == "" {
			continue
		}
		if err := o.set(a, v); err != nil {
			return fmt.Errorf("%w: environment variable %s=%s: %v", ErrUsage, key, v, err)
		}
	}
	if v, ok := lookupEnv(prefix + "QUIET"); ok && v != "" && !a.Quiet {
		b, err := strconv.ParseBool(v)
		if err != nil {
			return fmt.Errorf("%w: environment variable %sQUIET=%s: expected true or false", ErrUsage, prefix, v)
		}
		a.Quiet = b
	}
	return nil
}
