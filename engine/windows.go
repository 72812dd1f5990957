package engine

import (
	"github.com/wimgo/wimgo/engine/image"
	"github.com/wimgo/wimgo/engine/wimfmt"
	"github.com/wimgo/wimgo/engine/wininfo"
)

// windowsInfo describes the Windows installation in a scanned tree (if
// any) for the image's XML, as wimlib does when it adds an image; what
// cannot be read is only warned about. It reads the files from the source,
// so it runs before the blobs are written.
func (w *Writer) windowsInfo(root *image.Dentry) []wimfmt.ImageProperty {
	props, warnings := wininfo.Read(root)
	if w.opts.Warn != nil {
		for _, m := range warnings {
			w.opts.Warn(m)
		}
	}
	return props
}
