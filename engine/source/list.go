package source

import (
	"fmt"
	"strings"
	"time"
	"unicode"

	"github.com/wimgo/wimgo/engine/image"
	"github.com/wimgo/wimgo/engine/wimfmt"
)

// ListEntry is one line of a source list: a path to capture and where it
// goes in the image.
type ListEntry struct {
	Source string
	Target string // "/"-separated, no leading or trailing "/"; "" is the root
}

// ParseSourceList parses a source list (--source-list): per line one or two
// whitespace-separated paths, each optionally in single or double quotes
// (no escapes); blank lines and lines starting with '#' are ignored. The
// target defaults to the source; leading and trailing slashes of the target
// are dropped, so "/" means the image root.
func ParseSourceList(name string, data []byte) ([]ListEntry, error) {
	var out []ListEntry
	for i, line := range strings.Split(string(data), "\n") {
		line = strings.TrimRightFunc(line, unicode.IsSpace)
		trimmed := strings.TrimLeftFunc(line, unicode.IsSpace)
		if trimmed == "" || trimmed[0] == '#' {
			continue
		}
		fields, err := splitQuoted(trimmed)
		if err != nil {
			return nil, fmt.Errorf("%s:%d: %w", name, i+1, err)
		}
		if len(fields) > 2 {
			return nil, fmt.Errorf("%s:%d: expected SOURCE [TARGET], found %d paths", name, i+1, len(fields))
		}
		e := ListEntry{Source: fields[0], Target: fields[0]}
		if len(fields) == 2 {
			e.Target = fields[1]
		}
		e.Target = strings.Trim(strings.ReplaceAll(e.Target, `\`, "/"), "/")
		out = append(out, e)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%s: the source list names no files", name)
	}
	return out, nil
}

func splitQuoted(s string) ([]string, error) {
	var out []string
	for {
		s = strings.TrimLeftFunc(s, unicode.IsSpace)
		if s == "" {
			return out, nil
		}
		if q := s[0]; q == '"' || q == '\'' {
			end := strings.IndexByte(s[1:], q)
			if end < 0 {
				return nil, fmt.Errorf("unterminated quote in %q", s)
			}
			out = append(out, s[1:1+end])
			s = s[2+end:]
			continue
		}
		end := strings.IndexFunc(s, unicode.IsSpace)
		if end < 0 {
			end = len(s)
		}
		out = append(out, s[:end])
		s = s[end:]
	}
}

// ScanSourceList captures every entry of a source list into one tree. Later
// entries overlay earlier ones: directories merge, and a non-directory added
// twice keeps the last. Reparse-point fixups apply only to entries whose
// target is the image root.
func ScanSourceList(name string, data []byte, opts *Options) (*Result, error) {
	entries, err := ParseSourceList(name, data)
	if err != nil {
		return nil, err
	}
	if opts == nil {
		opts = &Options{}
	}
	now := time.Now()
	filler := func() *image.Inode {
		t := image.FileTime(now.Unix(), int64(now.Nanosecond()))
		return &image.Inode{Attributes: wimfmt.AttrDirectory, SecurityID: wimfmt.NoSecurityID,
			CreationTime: t, LastWriteTime: t, LastAccessTime: t}
	}
	inodes := make(map[FileID]*image.Inode)
	root := image.NewDentry("", nil, filler())
	total := &Result{Root: root}
	for _, e := range entries {
		o := *opts
		o.RPFix = opts.RPFix && e.Target == ""
		res, err := scanDir(e.Source, &o, inodes)
		if err != nil {
			return nil, err
		}
		total.Blobs = append(total.Blobs, res.Blobs...)
		total.RPFixed = total.RPFixed || res.RPFixed
		if e.Target == "" {
			if !res.Root.Inode.IsDir() {
				return nil, fmt.Errorf("%s: only a directory can become the image root", e.Source)
			}
			total.Root = overlayRoot(total.Root, res.Root)
			continue
		}
		parts := strings.Split(e.Target, "/")
		parent := total.Root
		for _, p := range parts[:len(parts)-1] {
			if p == "" {
				continue
			}
			c := parent.Child(p)
			if c == nil {
				n16, err := image.ToUTF16(p)
				if err != nil {
					return nil, fmt.Errorf("%s: target %q is %w", name, e.Target, err)
				}
				c = image.NewDentry(p, n16, filler())
				parent.AddChild(c)
			} else if !c.Inode.IsDir() {
				return nil, fmt.Errorf("%s: target %q: %q is not a directory", name, e.Target, c.Path())
			}
			parent = c
		}
		last := parts[len(parts)-1]
		n16, err := image.ToUTF16(last)
		if err != nil {
			return nil, fmt.Errorf("%s: target %q is %w", name, e.Target, err)
		}
		res.Root.SetName(last, n16)
		parent.AddChild(res.Root)
	}
	return total, nil
}

// overlayRoot lays a captured directory over the image root: its metadata
// replaces the root's and its children merge in.
func overlayRoot(root, nw *image.Dentry) *image.Dentry {
	root.Inode = nw.Inode
	for _, c := range nw.Children {
		root.AddChild(c)
	}
	return root
}
