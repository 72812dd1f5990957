package engine

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/wimgo/wimgo/engine/image"
	"github.com/wimgo/wimgo/engine/wimfmt"
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

// loadTemplate reads the template image's files: path → times, unnamed data
// hash and size.
func loadTemplate(wim *WIM, imageArg string) (map[string]templateFile, error) {
	index, err := resolveImage(wim.XML, imageArg)
	if err != nil {
		return nil, fmt.Errorf("--update-of: %w", err)
	}
	meta, err := wim.ReadMetadata(index)
	if err != nil {
		return nil, fmt.Errorf("--update-of: %w", err)
	}
	blobs := wim.AllBlobs()
	sizes := make(map[[20]byte]int64, len(blobs))
	for _, e := range blobs {
		sizes[e.Hash] = e.Size
	}
	_, off, err := wimfmt.ParseSecurityData(meta)
	if err != nil {
		return nil, err
	}
	root, _, _, err := wimfmt.ParseDentry(meta, off)
	if err != nil || root == nil {
		return nil, fmt.Errorf("--update-of: image %d: %w: no root directory", index, wimfmt.ErrCorrupt)
	}
	files := make(map[string]templateFile)
	type dir struct {
		off  uint64
		path string
	}
	queue := []dir{{root.SubdirOffset, ""}}
	visited := map[uint64]bool{}
	for len(queue) > 0 {
		d := queue[len(queue)-1]
		queue = queue[:len(queue)-1]
		if d.off == 0 || visited[d.off] || len(visited) > 1<<24 {
			continue
		}
		visited[d.off] = true
		for p := int(d.off); ; {
			e, next, end, err := wimfmt.ParseDentry(meta, p)
			if err != nil {
				return nil, fmt.Errorf("--update-of: image %d: %w", index, err)
			}
			if end {
				break
			}
			p = next
			path := d.path + "/" + image.FromUTF16(e.Name)
			if e.Attributes&wimfmt.AttrDirectory != 0 && e.Attributes&wimfmt.AttrReparsePoint == 0 {
				queue = append(queue, dir{e.SubdirOffset, path})
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
			files[path] = templateFile{e.CreationTime, e.LastWriteTime, e.LastAccessTime, h, sizes[h]}
		}
	}
	return files, nil
}

// applyTemplate gives each unhashed file of the new image that looks
// unchanged since the template (same creation and last-write times, access
// time not older, same size) the template's hash, so that it is not read
// when that blob is already stored.
func applyTemplate(img *image.Image, tmpl map[string]templateFile) {
	img.Root.Walk(func(d *image.Dentry) error {
		ino := d.Inode
		b := ino.Data
		if b == nil || b.Hashed || ino.Attributes&wimfmt.AttrReparsePoint != 0 {
			return nil
		}
		t, ok := tmpl[d.Path()]
		if !ok || t.size != b.Size || t.hash == ([20]byte{}) ||
			t.creation != ino.CreationTime || t.lastWrite != ino.LastWriteTime || ino.LastAccessTime < t.lastAccess {
			return nil
		}
		b.Hash, b.Hashed, b.Assumed = t.hash, true, true
		return nil
	})
}

// template loads an --update-of image from the WIM it names, or from the
// WIM being appended to.
func (w *Writer) template(t *Template) (map[string]templateFile, error) {
	if t.WIM == "" {
		if w.old == nil {
			return nil, fmt.Errorf("--update-of=%s: name the WIM (WIMFILE:IMAGE)", t.Image)
		}
		return loadTemplate(w.old, t.Image)
	}
	wim, f, err := OpenWIM(t.WIM)
	if err != nil {
		return nil, fmt.Errorf("--update-of: %w", err)
	}
	defer f.Close()
	return loadTemplate(wim, t.Image)
}
