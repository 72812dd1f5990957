package cli

import (
	"fmt"
	"io"
	"runtime"
	"runtime/debug"
	"strings"
)

// printHelp writes cmd's --help: the options cmd takes, grouped, each with
// its value's placeholder.
func printHelp(cmd Command, w io.Writer) {
	fmt.Fprintf(w, "Usage: %s SOURCE WIMFILE [IMAGE_NAME [IMAGE_DESC]] [OPTION...]\n\n", cmd)
	if cmd == Capture {
		fmt.Fprint(w, `Capture SOURCE (a directory, an NTFS volume or image, or with --source-list
a list of sources) as the one image of a new WIM archive WIMFILE ("-" writes
a pipable WIM to standard output). IMAGE_NAME defaults to SOURCE's last
component.
`)
	} else {
		fmt.Fprint(w, `Capture SOURCE (a directory, an NTFS volume or image, or with --source-list
a list of sources) as a new image appended to the WIM archive WIMFILE.
IMAGE_NAME defaults to SOURCE's last component, made unique with " (N)".
`)
	}
	fmt.Fprint(w, `
Options go anywhere among the arguments ("--" ends them), with one dash or
two, abbreviated to any unique prefix (--comp=xpress), their value after "="
or as the next argument.
`)
	idx := 0
	if cmd == Append {
		idx = 1
	}
	for _, g := range groups {
		var lines []string
		for _, o := range options {
			text := o.help[0]
			if o.help[idx] != "" {
				text = o.help[idx]
			}
			if o.group != g || text == "-" {
				continue
			}
			lines = append(lines, helpLine("--"+o.name+o.arg, text))
		}
		if g == grpOutput {
			for _, c := range commonHelp {
				lines = append(lines, helpLine("--"+c.name, c.help))
			}
		}
		if len(lines) > 0 {
			fmt.Fprintf(w, "\n%s:\n%s", g, strings.Join(lines, ""))
		}
	}
	up := strings.ToUpper(cmd.String())
	fmt.Fprintf(w, `
Environment: %[1]s_<OPTION> sets an option not on the command line
(%[1]s_THREADS=4, %[1]s_UNIX_DATA=true). SOURCE_DATE_EPOCH fixes the
image times for reproducible WIMs.

Exit status: 0 success, 1 failure, 2 command-line error (wimlib: 255).
`, up)
}

func helpLine(opt, text string) string {
	if len(opt) > 30 {
		return fmt.Sprintf("  %s\n  %-30s %s\n", opt, "", text)
	}
	return fmt.Sprintf("  %-30s %s\n", opt, text)
}

// printVersion writes the program, its version from the build's module
// information, and which codec implementation this build runs.
func printVersion(cmd Command, w io.Writer) {
	version := "(unknown)"
	if bi, ok := debug.ReadBuildInfo(); ok {
		version = bi.Main.Version
		var rev, modified string
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				rev = s.Value
			case "vcs.modified":
				if s.Value == "true" {
					modified = ", modified"
				}
			}
		}
		if len(rev) > 12 {
			rev = rev[:12]
		}
		if rev != "" {
			version += " (commit " + rev + modified + ")"
		}
	}
	fmt.Fprintf(w, "%s (wimgo) %s\n", cmd, version)
	fmt.Fprintf(w, "codecs: %s\n", codecAsm())
	fmt.Fprintf(w, "%s %s/%s; writes WIMs as wimlib 1.13.5 does\n", runtime.Version(), runtime.GOOS, runtime.GOARCH)
}

func joinComma(s []string) string { return strings.Join(s, ", ") }
