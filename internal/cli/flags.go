// Package cli holds what wimcapture and wimappend share: option parsing
// (options anywhere among the positionals, --opt=value and --opt value),
// progress display and error wording.
package cli

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/peterbourgon/ff/v3"

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
}

// properties collects repeated --image-property NAME=VALUE.
type properties struct{ list *[]engine.Property }

func (p properties) String() string { return "" }
func (p properties) Set(s string) error {
	name, value, ok := strings.Cut(s, "=")
	if !ok || name == "" {
		return fmt.Errorf("%q: expected NAME=VALUE", s)
	}
	*p.list = append(*p.list, engine.Property{Name: name, Value: value})
	return nil
}

// strings collects a repeated string option.
type stringList struct{ list *[]string }

func (s stringList) String() string     { return "" }
func (s stringList) Set(v string) error { *s.list = append(*s.list, v); return nil }

// sizeValue parses --chunk-size with K, M, G, KiB, MiB, GiB suffixes.
type sizeValue struct{ n *int }

func (s sizeValue) String() string { return "" }
func (s sizeValue) Set(v string) error {
	n, err := ParseSize(v)
	if err != nil {
		return err
	}
	*s.n = n
	return nil
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

// ErrUsage marks a command-line error (exit status 2... printed with usage).
var ErrUsage = errors.New("usage")

func newFlagSet(cmd Command, a *Args, out io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(cmd.String(), flag.ContinueOnError)
	fs.SetOutput(out)
	fs.BoolVar(&a.Boot, "boot", false, "mark the new image as the bootable image")
	fs.BoolVar(&a.Check, "check", false, "include an integrity table (wimappend: verify the existing one first)")
	fs.BoolVar(&a.IncludeIntegrity, "include-integrity", false, "include an integrity table without verifying first")
	// wimlib's undocumented spellings and leftovers, so its command lines
	// keep working: --nocheck (no integrity table, even one the WIM had),
	// --noacls, --verbose (does nothing, as in wimlib) and --no-solid-sort
	// (solid resources here keep the scan order anyway: on the Go tree and
	// /usr/include it compressed smaller than wimlib's sort by extension).
	for _, name := range []string{"nocheck", "no-check"} {
		fs.BoolVar(&a.NoCheck, name, false, "write no integrity table (wimappend: drop the WIM's)")
	}
	fs.BoolVar(&a.NoACLs, "noacls", false, "same as --no-acls")
	fs.Bool("verbose", false, "accepted for wimlib's command lines; does nothing")
	fs.Bool("no-solid-sort", false, "accepted for wimlib's command lines; solid resources keep the scan order")
	fs.StringVar(&a.Compress, "compress", "", "compression TYPE[:LEVEL]: none, XPRESS (fast), LZX (maximum), LZMS (recovery)")
	fs.Var(sizeValue{&a.ChunkSize}, "chunk-size", "compression chunk size (e.g. 32K)")
	fs.BoolVar(&a.Solid, "solid", false, "create a solid WIM")
	fs.StringVar(&a.SolidCompress, "solid-compress", "", "compression TYPE[:LEVEL] of solid resources")
	fs.Var(sizeValue{&a.SolidChunkSize}, "solid-chunk-size", "chunk size of solid resources")
	fs.IntVar(&a.Threads, "threads", 0, "compression threads (default: number of CPUs)")
	fs.BoolVar(&a.Rebuild, "rebuild", false, "wimappend: rebuild the whole WIM")
	// --flags is a property like the others: wimlib writes it in command-line
	// order among the --image-property elements.
	fs.Func("flags", "the <FLAGS> element of the new image (EDITIONID)", func(s string) error {
		a.Properties = append(a.Properties, engine.Property{Name: "FLAGS", Value: s})
		return nil
	})
	fs.Var(properties{&a.Properties}, "image-property", "NAME=VALUE property of the new image (repeatable)")
	fs.BoolVar(&a.Dereference, "dereference", false, "follow symbolic links")
	fs.StringVar(&a.Config, "config", "", "capture configuration FILE")
	fs.BoolVar(&a.UnixData, "unix-data", false, "store UNIX owner, mode, special files and xattrs")
	fs.BoolVar(&a.NoACLs, "no-acls", false, "do not capture security descriptors")
	fs.BoolVar(&a.StrictACLs, "strict-acls", false, "fail if a security descriptor cannot be read")
	fs.BoolVar(&a.RPFix, "rpfix", false, "fix absolute symlink targets inside the tree")
	fs.BoolVar(&a.NoRPFix, "norpfix", false, "store absolute symlink targets as they are")
	fs.BoolVar(&a.SourceList, "source-list", false, "SOURCE is a file listing sources and targets")
	fs.BoolVar(&a.Pipable, "pipable", false, "create a pipable WIM")
	fs.BoolVar(&a.NotPipable, "not-pipable", false, "wimappend: rebuild a pipable WIM as a regular one")
	fs.StringVar(&a.UpdateOf, "update-of", "", "[WIMFILE:]IMAGE the new image is mostly the same as")
	fs.Var(stringList{&a.DeltaFrom}, "delta-from", "capture as a delta from WIMFILE (repeatable)")
	fs.BoolVar(&a.WIMBoot, "wimboot", false, "mark the image WIMBoot-compatible")
	fs.BoolVar(&a.UnsafeCompact, "unsafe-compact", false, "wimappend: compact the WIM in place (unsafe)")
	fs.BoolVar(&a.Snapshot, "snapshot", false, "capture from a filesystem snapshot (Windows only)")
	fs.BoolVar(&a.Create, "create", false, "wimappend: create WIMFILE if it does not exist")
	return fs
}

// Parse parses args (without the program name). Options may stand anywhere
// among the positional arguments; "--" ends the options. Options can also
// be given as environment variables WIMCAPTURE_<NAME> / WIMAPPEND_<NAME>
// (e.g. WIMCAPTURE_THREADS=4); the command line wins.
func Parse(cmd Command, args []string, out io.Writer) (*Args, error) {
	a := &Args{}
	fs := newFlagSet(cmd, a, out)
	fs.Usage = func() { usage(cmd, fs, out) }
	var pos []string
	cur := args
	for {
		err := ff.Parse(fs, cur, ff.WithEnvVarPrefix(strings.ToUpper(cmd.String())))
		if err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, err
			}
			return nil, fmt.Errorf("%w: %v", ErrUsage, err)
		}
		rest := fs.Args()
		if len(rest) == 0 {
			break
		}
		// flag stops at the first positional, or after "--".
		if consumed := len(cur) - len(rest); consumed > 0 && cur[consumed-1] == "--" {
			pos = append(pos, rest...)
			break
		}
		pos = append(pos, rest[0])
		cur = rest[1:]
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

func usage(cmd Command, fs *flag.FlagSet, out io.Writer) {
	fmt.Fprintf(out, "Usage: %s SOURCE WIMFILE [IMAGE_NAME [IMAGE_DESC]] [OPTION...]\n\n", cmd)
	if cmd == Capture {
		fmt.Fprintln(out, "Capture SOURCE (a directory, a source list with --source-list, or an NTFS volume) into a new WIM archive.")
	} else {
		fmt.Fprintln(out, "Capture SOURCE as a new image appended to the existing WIM archive WIMFILE.")
	}
	fmt.Fprintln(out, "\nOptions:")
	fs.VisitAll(func(f *flag.Flag) {
		fmt.Fprintf(out, "  --%-20s %s\n", f.Name, f.Usage)
	})
}
