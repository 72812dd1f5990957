package source

// The capture configuration file (wimcapture --config, wim-format.md 12.2-12.4):
// INI-style sections of path globs saying which files to leave out.

import (
	"encoding/binary"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"
)

// ErrBadConfig is wrapped by every error ParseConfig returns.
var ErrBadConfig = errors.New("source: invalid capture configuration")

// ConfigError reports a problem in a configuration file; Line is 0 when the
// problem is not tied to one line (an encoding error).
type ConfigError struct {
	File string
	Line int
	Msg  string
}

func (e *ConfigError) Error() string {
	if e.Line == 0 {
		return fmt.Sprintf("%s: %s", e.File, e.Msg)
	}
	return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg)
}

// Unwrap returns ErrBadConfig.
func (e *ConfigError) Unwrap() error { return ErrBadConfig }

// Config is a parsed capture configuration. Patterns are canonical: "/" is
// the only separator, runs of separators are collapsed, a trailing
// separator and a drive letter are removed. A pattern starting with "/" is
// absolute (matched from the capture root, component by component); any
// other pattern is a single component matched against the last component
// of a path at any depth. "*" matches any run of bytes within a component
// and "?" exactly one byte (wimlib compares bytes on UNIX, so a two-byte
// UTF-8 character needs "??"); matching is case-sensitive.
type Config struct {
	ExclusionList      []string
	ExclusionException []string
	// PrepopulateList is kept for completeness; it matters only when an
	// image is applied in WIMBoot mode.
	PrepopulateList []string
	// Warnings are wimlib's non-fatal diagnostics ("FILE:LINE: ..."):
	// unknown sections, lines outside a section, stripped drive letters.
	Warnings []string
	// onExclude, when set, is told each path ExcludedEntry excludes.
	onExclude func(path string)
	// foldCase matches ignoring case, as wimlib does on Windows (the
	// Windows scanner sets it).
	foldCase bool
}

// defaultExclusions is wimlib's built-in [ExclusionList], used when no
// configuration file is given.
var defaultExclusions = []string{
	"/$ntfs.log",
	"/hiberfil.sys",
	"/pagefile.sys",
	"/swapfile.sys",
	"/System Volume Information",
	"/RECYCLER",
	"/$RECYCLE.BIN",
	"/$Recycle.Bin",
	"/Windows/CSC",
}

// DefaultConfig returns wimlib's built-in configuration (used when --config
// is absent).
func DefaultConfig() *Config {
	return &Config{ExclusionList: append([]string(nil), defaultExclusions...)}
}

// ParseConfig parses the bytes of a configuration file: UTF-16LE when they
// start with FF FE or when the first byte is ASCII and the second 00,
// otherwise UTF-8 (an EF BB BF BOM is skipped). name is used in errors and
// warnings.
func ParseConfig(name string, data []byte) (*Config, error) {
	text, err := configText(data)
	if err != nil {
		return nil, &ConfigError{File: name, Msg: err.Error()}
	}
	c := &Config{}
	var cur *[]string  // list of the current section; nil outside one
	inSection := false // false before the first section header
	for lineNo, line := range strings.Split(text, "\n") {
		lineNo++
		line = strings.Trim(line, " \t\n\v\f\r")
		if line == "" || line[0] == '#' || line[0] == ';' {
			continue
		}
		if len(line) >= 2 && line[0] == '[' && line[len(line)-1] == ']' {
			inSection = true
			switch line[1 : len(line)-1] {
			case "ExclusionList":
				cur = &c.ExclusionList
			case "ExclusionException":
				cur = &c.ExclusionException
			case "PrepopulateList":
				cur = &c.PrepopulateList
			case "CompressionExclusionList", "CompressionFolderList":
				cur = nil // known to wimlib, and ignored by it
			default:
				cur = nil
				c.Warnings = append(c.Warnings,
					fmt.Sprintf("%s:%d: Unrecognized section \"%s\"", name, lineNo, line))
			}
			continue
		}
		if cur == nil {
			if !inSection {
				c.Warnings = append(c.Warnings,
					fmt.Sprintf("%s:%d: Not in a bracketed section!", name, lineNo))
			}
			continue
		}
		pat, warning, err := canonicalPattern(unquote(line))
		if err != nil {
			return nil, &ConfigError{File: name, Line: lineNo, Msg: err.Error()}
		}
		if warning != "" {
			c.Warnings = append(c.Warnings, fmt.Sprintf("%s:%d: %s", name, lineNo, warning))
		}
		*cur = append(*cur, pat)
	}
	return c, nil
}

// unquote removes one pair of matching ' or " quotes around the whole line.
// Nothing inside is special.
func unquote(s string) string {
	if len(s) >= 2 && (s[0] == '"' || s[0] == '\'') && s[len(s)-1] == s[0] {
		return s[1 : len(s)-1]
	}
	return s
}

// canonicalPattern strips a drive letter, turns "\" into "/", collapses
// separator runs, drops a trailing separator and rejects relative patterns
// of more than one component.
func canonicalPattern(p string) (pat, warning string, err error) {
	if i := strings.IndexByte(p, 0); i >= 0 {
		p = p[:i] // wimlib holds patterns in C strings
	}
	if len(p) >= 2 && !isSep(p[0]) && p[1] == ':' {
		if len(p) == 2 || !isSep(p[2]) {
			return "", "", fmt.Errorf("invalid pattern %q: patterns including drive letters "+
				"must be absolute (maybe try \"%c:/%s\"?)", p, p[0], p[2:])
		}
		warning = fmt.Sprintf("Pattern \"%s\" starts with a drive letter, which is being removed.", p)
		p = p[2:]
	}
	var b strings.Builder
	b.Grow(len(p))
	for i := 0; i < len(p); i++ {
		if !isSep(p[i]) {
			b.WriteByte(p[i])
			continue
		}
		b.WriteByte('/')
		for i+1 < len(p) && isSep(p[i+1]) {
			i++
		}
	}
	pat = b.String()
	if len(pat) > 1 && pat[len(pat)-1] == '/' {
		pat = pat[:len(pat)-1]
	}
	if pat != "" && pat[0] != '/' && strings.IndexByte(pat, '/') >= 0 {
		return "", "", fmt.Errorf("invalid pattern %q: relative patterns can only include "+
			"one path component (maybe try %q?)", pat, "/"+pat)
	}
	return pat, warning, nil
}

func isSep(c byte) bool { return c == '/' || c == '\\' }

// configText decodes the file to a string of UTF-8 (or, for UTF-8 input,
// the bytes as they are: wimlib does not validate them on UNIX, and file
// names are bytes too) with a final newline.
func configText(b []byte) (string, error) {
	switch {
	case len(b) >= 2 && b[0] == 0xFF && b[1] == 0xFE:
		return utf16leText(b[2:])
	case len(b) >= 2 && b[0] <= 0x7F && b[1] == 0:
		return utf16leText(b)
	case len(b) >= 3 && b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF:
		b = b[3:]
	}
	return string(b) + "\n", nil
}

// utf16leText converts UTF-16LE to UTF-8 as wimlib does: an unpaired
// surrogate is encoded on its own (3 bytes, "WTF-8") rather than rejected;
// an odd trailing byte is an error.
func utf16leText(b []byte) (string, error) {
	if len(b)%2 != 0 {
		return "", errors.New("invalid UTF-16LE: odd number of bytes")
	}
	out := make([]byte, 0, len(b)/2*3/2+1)
	for i := 0; i < len(b); i += 2 {
		r := rune(binary.LittleEndian.Uint16(b[i:]))
		if r >= 0xD800 && r < 0xDC00 && i+4 <= len(b) {
			if l := rune(binary.LittleEndian.Uint16(b[i+2:])); l >= 0xDC00 && l < 0xE000 {
				r = 0x10000 + (r-0xD800)<<10 + (l - 0xDC00)
				i += 2
			}
		}
		if r >= 0xD800 && r < 0xE000 {
			// utf8.AppendRune would write U+FFFD; keep the surrogate.
			out = append(out, 0xE0|byte(r>>12), 0x80|byte(r>>6)&0x3F, 0x80|byte(r)&0x3F)
			continue
		}
		out = utf8.AppendRune(out, r)
	}
	return string(out) + "\n", nil
}

// Excluded reports whether a path is left out of the capture. path is
// relative to the capture root with a leading "/" and "/" separators; the
// root itself ("") is never excluded here (see ExcludesRoot).
//
// wimlib tests each entry as its scan reaches it and does not descend into
// an excluded directory. An entry is excluded when an ExclusionList pattern
// matches it or one of its ancestors (the only way a relative pattern,
// which looks at the last component, matches is on the entry itself) and no
// ExclusionException pattern matches it, an ancestor or a descendant (so
// that "/dir/keep*" keeps "/dir" open for scanning). Excluded applies that
// test to the path and each of its ancestors, so its answer is the same
// whether or not the caller prunes excluded directories. A nil Config
// excludes nothing.
func (c *Config) Excluded(path string) bool {
	if c == nil || path == "" {
		return false
	}
	for i := 1; i < len(path); i++ {
		if path[i] == '/' && path[i-1] != '/' && c.excludedEntry(path[:i]) {
			return true
		}
	}
	return c.excludedEntry(path)
}

// ExcludesRoot reports whether the patterns match the capture root itself
// (an empty pattern, or "/"). wimlib then captures nothing but an empty
// root directory.
func (c *Config) ExcludesRoot() bool { return c != nil && c.excludedEntry("") }

// ExcludedEntry is Excluded for a walk that descends only into directories
// that were not excluded: it tests the entry alone, not its ancestors again.
func (c *Config) ExcludedEntry(path string) bool {
	if c == nil || path == "" || !c.excludedEntry(path) {
		return false
	}
	if c.onExclude != nil {
		c.onExclude(path)
	}
	return true
}

// excludedEntry is wimlib's test for one entry whose ancestors were not
// excluded.
func (c *Config) excludedEntry(path string) bool {
	fold := func(s string) string { return s }
	if c.foldCase {
		fold = strings.ToLower
		path = fold(path)
	}
	hit := false
	for _, p := range c.ExclusionList {
		if patternMatches(path, fold(p), false) {
			hit = true
			break
		}
	}
	if !hit {
		return false
	}
	for _, p := range c.ExclusionException {
		if patternMatches(path, fold(p), true) {
			return false
		}
	}
	return true
}

// patternMatches matches a canonical pattern against a path. The pattern
// may match the path or a prefix of it (an ancestor); with descendants it
// also matches when the path is a prefix of the pattern. Leading, trailing
// and repeated separators are not significant.
func patternMatches(path, pattern string, descendants bool) bool {
	if !strings.HasPrefix(pattern, "/") {
		path = lastComponent(path)
	}
	for {
		var pc, fc string
		pc, pattern = nextComponent(pattern)
		if pc == "" {
			return true // pattern exhausted: path equal or a descendant
		}
		fc, path = nextComponent(path)
		if fc == "" {
			return descendants // path exhausted: it is an ancestor
		}
		if !componentMatches(fc, pc) {
			return false
		}
	}
}

// nextComponent returns the first component of s, skipping separators, and
// the rest after it; "" when there is none.
func nextComponent(s string) (comp, rest string) {
	s = strings.TrimLeft(s, "/")
	if i := strings.IndexByte(s, '/'); i >= 0 {
		return s[:i], s[i:]
	}
	return s, ""
}

// lastComponent returns the last non-empty component of path.
func lastComponent(path string) string {
	path = strings.TrimRight(path, "/")
	return path[strings.LastIndexByte(path, '/')+1:]
}

// componentMatches reports whether name matches the glob pat, where "*"
// matches any run of bytes and "?" any one byte. It backtracks only to the
// most recent "*", so it runs in O(len(name)*len(pat)) at worst.
func componentMatches(name, pat string) bool {
	n, p := 0, 0
	star, starN := -1, 0
	for n < len(name) {
		switch {
		case p < len(pat) && pat[p] == '*':
			star, starN = p, n
			p++
		case p < len(pat) && (pat[p] == '?' || pat[p] == name[n]):
			n++
			p++
		case star >= 0:
			// Let the last "*" swallow one more byte and retry.
			starN++
			n, p = starN, star+1
		default:
			return false
		}
	}
	for p < len(pat) && pat[p] == '*' {
		p++
	}
	return p == len(pat)
}
