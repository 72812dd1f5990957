package source

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode"

	"github.com/wimgo/wimgo/engine/blob"
	"github.com/wimgo/wimgo/engine/image"
	"github.com/wimgo/wimgo/engine/wimfmt"
)

// ListEntry is one line of a source list: a path to capture and where it
// goes in the image.
type ListEntry struct {
	Source string
	Target string // "/"-separated, no leading or trailing "/"; "" is the root
}

// ParseSourceList parses a source list (--source-list) as wimlib does: per
// line SOURCE and an optional TARGET, whitespace-separated, each
// optionally in single or double quotes (no escapes); anything after them
// is ignored; blank lines and lines whose first non-blank character is '#'
// or ';' are comments. The target defaults to the source; leading and
// trailing slashes of the target are dropped, so "/" means the image root.
// A list naming nothing is valid: it makes an empty image.
func ParseSourceList(name string, data []byte) ([]ListEntry, error) {
	var out []ListEntry
	for i, line := range strings.Split(string(data), "\n") {
		line = strings.TrimRightFunc(line, unicode.IsSpace)
		trimmed := strings.TrimLeftFunc(line, unicode.IsSpace)
		if trimmed == "" || trimmed[0] == '#' || trimmed[0] == ';' {
			continue
		}
		fields, err := splitQuoted(trimmed, 2)
		if err != nil {
			return nil, fmt.Errorf("%s:%d: %w", name, i+1, err)
		}
		e := ListEntry{Source: fields[0], Target: fields[0]}
		if len(fields) == 2 {
			e.Target = fields[1]
		}
		e.Target = strings.Trim(strings.ReplaceAll(e.Target, `\`, "/"), "/")
		out = append(out, e)
	}
	return out, nil
}

// splitQuoted returns up to max fields of s; the rest of s is not read.
func splitQuoted(s string, max int) ([]string, error) {
	var out []string
	for {
		s = strings.TrimLeftFunc(s, unicode.IsSpace)
		if s == "" || len(out) == max {
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

// ScanSourceList captures every entry of a source list into one tree, as
// wimlib lays each over what the earlier ones made: directories merge,
// keeping the first one's metadata; a non-directory given again keeps the
// last, whose blob is then the only one stored; a directory and a
// non-directory at one path is an error. Directories made for a target's
// parents, and the root when no entry fills it, are fillers. Reparse-point
// fixups apply only to entries whose target is the image root.
func ScanSourceList(name string, data []byte, opts *Options) (*Result, error) {
	entries, err := ParseSourceList(name, data)
	if err != nil {
		return nil, err
	}
	if opts == nil {
		opts = &Options{}
	}
	if opts.Snapshot && !SnapshotSupported {
		return nil, ErrSnapshotUnsupported
	}
	inodes := make(map[FileID]*image.Inode)
	total := &Result{}
	// Each entry's Close (a snapshot per entry with --snapshot, as
	// wimlib makes): all run by the total's, or here on failure.
	var closes []func() error
	closeAll := func() error {
		var errs []error
		for _, c := range closes {
			errs = append(errs, c())
		}
		closes = nil
		return errors.Join(errs...)
	}
	sds := &sdSet{}
	adopted := make(map[*image.Inode]bool)
	for _, e := range entries {
		o := *opts
		o.RPFix = opts.RPFix && e.Target == ""
		res, err := scanReported(e.Source, &o, func(o *Options) (*Result, error) { return scanDir(e.Source, o, inodes) })
		if err != nil {
			closeAll()
			return nil, err
		}
		if res.Close != nil {
			closes = append(closes, res.Close)
		}
		total.Blobs = append(total.Blobs, res.Blobs...)
		total.RPFixed = total.RPFixed || res.RPFixed
		adoptSecurity(sds, res, adopted)
		total.Security = sds.list
		if err := place(total, res.Root, e.Target); err != nil {
			closeAll()
			return nil, fmt.Errorf("%s: %s: %w", name, e.Source, err)
		}
	}
	if len(closes) > 0 {
		total.Close = closeAll
	}
	if total.Root == nil {
		total.Root = image.NewDentry("", nil, fillerDir())
	}
	if len(entries) > 1 {
		pruneBlobs(total)
	}
	return total, nil
}

// AttachFile captures path (a file, or a directory with everything below
// it; followed if a symbolic link) with default options and places it at
// target ("/"-separated, from the root) in res's tree as a source-list
// entry would be: --wimboot --config=FILE stores FILE in the image this
// way, as wimlib does.
func AttachFile(res *Result, path, target string) error {
	sub, err := ScanDir(path, &Options{})
	if err != nil {
		return err
	}
	res.Blobs = append(res.Blobs, sub.Blobs...)
	sds := &sdSet{}
	for _, sd := range res.Security {
		sds.add(sd)
	}
	adoptSecurity(sds, sub, make(map[*image.Inode]bool))
	res.Security = sds.list
	if err := place(res, sub.Root, strings.Trim(target, "/")); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	pruneBlobs(res)
	return nil
}

// adoptSecurity moves the security descriptors of res (one entry of a
// source list, with its own numbering) into sds, renumbering the
// SecurityID of each of res's inodes not adopted before: a file reached
// again through an earlier entry (a hard link) already has its number in
// sds.
func adoptSecurity(sds *sdSet, res *Result, adopted map[*image.Inode]bool) {
	if len(res.Security) == 0 {
		return
	}
	res.Root.Walk(func(d *image.Dentry) error {
		ino := d.Inode
		if adopted[ino] {
			return nil
		}
		adopted[ino] = true
		if id := ino.SecurityID; id != wimfmt.NoSecurityID && int(id) < len(res.Security) {
			ino.SecurityID = sds.add(res.Security[id])
		}
		return nil
	})
}

// fillerDir is a directory the capture makes, dated now as in wimlib.
func fillerDir() *image.Inode {
	now := time.Now()
	t := image.FileTime(now.Unix(), int64(now.Nanosecond()))
	return &image.Inode{Attributes: wimfmt.AttrDirectory, SecurityID: wimfmt.NoSecurityID,
		CreationTime: t, LastWriteTime: t, LastAccessTime: t, Filler: true}
}

// place lays the captured tree sub at target ("" is the root) in res's
// tree, making filler directories for missing parents.
func place(res *Result, sub *image.Dentry, target string) error {
	if target == "" {
		if !sub.Inode.IsDir() {
			return errors.New("only a directory can become the image root")
		}
		if res.Root == nil {
			res.Root = sub
			return nil
		}
		// The first root stays, as any directory laid over another.
		for _, c := range sub.Children {
			if err := res.Root.AddChild(c); err != nil {
				return fmt.Errorf("target %q: %w", "/", err)
			}
		}
		return nil
	}
	if res.Root == nil {
		res.Root = image.NewDentry("", nil, fillerDir())
	}
	parts := strings.Split(target, "/")
	parent := res.Root
	for _, p := range parts[:len(parts)-1] {
		if p == "" {
			continue
		}
		c := parent.Child(p)
		if c == nil {
			n16, err := image.ToUTF16(p)
			if err != nil {
				return fmt.Errorf("target %q is %w", target, err)
			}
			c = image.NewDentry(p, n16, fillerDir())
			parent.AddChild(c) // new name: cannot clash
		} else if !c.Inode.IsDir() {
			return fmt.Errorf("target %q: %q is a file in the image, not a directory", target, c.Path())
		}
		parent = c
	}
	last := parts[len(parts)-1]
	n16, err := image.ToUTF16(last)
	if err != nil {
		return fmt.Errorf("target %q is %w", target, err)
	}
	sub.SetName(last, n16)
	if err := parent.AddChild(sub); err != nil {
		return fmt.Errorf("target %q: %w", target, err)
	}
	return nil
}

// pruneBlobs drops from res.Blobs those no inode of the tree uses any
// more (a file replaced by a later entry): stored, they would be blobs
// no image references.
func pruneBlobs(res *Result) {
	used := make(map[*blob.Blob]bool)
	image.Blobs(&image.Image{Root: res.Root}, func(b *blob.Blob, _ int) { used[b] = true })
	res.Blobs = slices.DeleteFunc(res.Blobs, func(b *blob.Blob) bool { return !used[b] })
}
