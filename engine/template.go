package engine

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/wimgo/wimgo/engine/image"
	"github.com/wimgo/wimgo/engine/wimfmt"
	"github.com/wimgo/wimgo/engine/wimread"
)

// Template is an --update-of hint: an image, in this WIM or another, that
// the new one mostly repeats.
type Template struct {
	WIM   string // path of the WIM; "" means the WIM being appended to
	Image string // 1-based index, name, or negative index from the end
}

// ParseTemplate splits [WIMFILE:]IMAGE at the last colon.
func ParseTemplate(s string) Template {
	if i := strings.LastIndexByte(s, ':'); i >= 0 {
		return Template{WIM: s[:i], Image: s[i+1:]}
	}
	return Template{Image: s}
}

// templateFile is what --update-of compares a new file with.
type templateFile struct {
	creation, lastWrite, lastAccess uint64
	hash                            [20]byte
	size                            int64
}

// templateDir is a directory of the template image: its entries by name.
// The template is kept as a tree, matched against the new image's tree
// level by level: full paths as keys had cost time and memory quadratic in
// the depth (a chain of 300,000 directories took 32 s).
type templateDir map[string]*templateEntry

// templateEntry is a file (dir nil) or a directory of the template.
type templateEntry struct {
	file templateFile
	dir  templateDir
}

// maxTemplateDepth is how deep directories may nest in a template image:
// wimlib 1.13.5 refuses metadata whose directory lists lie 16384 levels
// below the root's (root's list at level 0).
const maxTemplateDepth = 16384

// resolveImage turns an IMAGE argument into a 1-based index.
func resolveImage(x *wimfmt.WIMXML, s string) (int, error) {
	n := x.ImageCount()
	if i, err := strconv.Atoi(s); err == nil {
		if i < 0 {
			i += n + 1
		}
		if i < 1 || i > n {
			return 0, fmt.Errorf("image %s does not exist (the WIM has %d images)", s, n)
		}
		return i, nil
	}
	for i := 1; i <= n; i++ {
		if x.ImageName(i) == s {
			return i, nil
		}
	}
	return 0, fmt.Errorf("there is no image named %q", s)
}

// loadTemplate reads the template image's tree: names, times, unnamed data
// hash and size. Cyclic or shared directory lists and trees deeper than
// wimlib reads are refused; the walk is linear in the metadata's size.
func loadTemplate(wim *wimread.WIM, imageArg string) (templateDir, int, error) {
	index, err := resolveImage(wim.XML, imageArg)
	if err != nil {
		return nil, 0, fmt.Errorf("--update-of: %w", err)
	}
	dir, err := loadTemplateImage(wim, index)
	return dir, index, err
}

func loadTemplateImage(wim *wimread.WIM, index int) (templateDir, error) {
	meta, err := wim.ReadMetadata(index)
	if err != nil {
		return nil, fmt.Errorf("--update-of: %w", err)
	}
	blobs := wim.AllBlobs()
	sizes := make(map[[20]byte]int64, len(blobs))
	for _, e := range blobs {
		sizes[e.Hash] = e.Size
	}
	bad := func(format string, args ...any) error {
		return fmt.Errorf("--update-of: image %d: %w: %s", index, wimfmt.ErrCorrupt, fmt.Sprintf(format, args...))
	}
	_, off, err := wimfmt.ParseSecurityData(meta)
	if err != nil {
		return nil, fmt.Errorf("--update-of: image %d: %w", index, err)
	}
	root, _, _, err := wimfmt.ParseDentry(meta, off)
	if err != nil || root == nil {
		return nil, bad("no root directory")
	}
	type list struct {
		off   uint64
		dir   templateDir
		depth int
	}
	top := templateDir{}
	stack := []list{{root.SubdirOffset, top, 0}}
	// Each non-empty child list is read once: one reached again belongs
	// to an ancestor (a cycle) or to another directory too.
	seen := map[uint64]bool{}
	for len(stack) > 0 {
		l := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if l.off == 0 {
			continue
		}
		if l.depth >= maxTemplateDepth {
			return nil, bad("directories nested more than %d deep", maxTemplateDepth)
		}
		for p := int(l.off); ; {
			e, next, end, err := wimfmt.ParseDentry(meta, p)
			if err != nil {
				return nil, fmt.Errorf("--update-of: image %d: %w", index, err)
			}
			if end {
				break
			}
			if p == int(l.off) {
				if seen[l.off] {
					return nil, bad("the directory entries at offset %d are listed by two directories (a cycle?)", l.off)
				}
				seen[l.off] = true
			}
			p = next
			name := image.FromUTF16(e.Name)
			if e.Attributes&wimfmt.AttrDirectory != 0 && e.Attributes&wimfmt.AttrReparsePoint == 0 {
				d := templateDir{}
				l.dir[name] = &templateEntry{dir: d}
				stack = append(stack, list{e.SubdirOffset, d, l.depth + 1})
				continue
			}
			h := e.Hash
			if len(e.Streams) > 0 {
				// The unnamed data stream is the last unnamed entry.
				h = [20]byte{}
				for _, s := range e.Streams {
					if len(s.Name) == 0 {
						h = s.Hash
					}
				}
			}
			l.dir[name] = &templateEntry{file: templateFile{e.CreationTime, e.LastWriteTime, e.LastAccessTime, h, sizes[h]}}
		}
	}
	return top, nil
}

// applyTemplate gives each unhashed file of the new image that looks
// unchanged since the template (same creation and last-write times, access
// time not older, same size) the template's hash, so that it is not read
// when that blob is already stored.
func applyTemplate(img *image.Image, tmpl templateDir) {
	type pair struct {
		d *image.Dentry
		t templateDir
	}
	stack := []pair{{img.Root, tmpl}}
	for len(stack) > 0 {
		p := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		for _, c := range p.d.Children {
			te := p.t[c.Name]
			if te == nil {
				continue
			}
			if te.dir != nil {
				if c.Inode.IsDir() {
					stack = append(stack, pair{c, te.dir})
				}
				continue
			}
			ino := c.Inode
			b := ino.Data
			if b == nil || b.Hashed || ino.Attributes&wimfmt.AttrReparsePoint != 0 {
				continue
			}
			t := te.file
			if t.size != b.Size || t.hash == ([20]byte{}) ||
				t.creation != ino.CreationTime || t.lastWrite != ino.LastWriteTime || ino.LastAccessTime < t.lastAccess {
				continue
			}
			b.Hash, b.Hashed, b.Assumed = t.hash, true, true
		}
	}
}

// template loads an --update-of image from the WIM it names, or from the
// WIM being appended to, and says which image it is.
func (w *Writer) template(t *Template) (templateDir, int, error) {
	if t.WIM == "" {
		old := w.mode.appended()
		if old == nil {
			return nil, 0, fmt.Errorf("--update-of=%s: name the WIM (WIMFILE:IMAGE)", t.Image)
		}
		return loadTemplate(old, t.Image)
	}
	wim, f, err := wimread.Open(t.WIM)
	if err != nil {
		return nil, 0, fmt.Errorf("--update-of: %w", err)
	}
	defer f.Close()
	return loadTemplate(wim, t.Image)
}
