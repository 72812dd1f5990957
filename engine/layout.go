package engine

import (
	"github.com/wimgo/wimgo/engine/blob"
	"github.com/wimgo/wimgo/engine/image"
	"github.com/wimgo/wimgo/engine/source"
	"github.com/wimgo/wimgo/engine/wimfmt"
)

// A layout is how a WIM's resources lie in its file: how the blobs and
// metadata of each image are stored, and how the WIM is finished. The
// Writer picks one when it is made and leaves the rest to it:
//
//	plain    one chunked resource per blob, written as images are added (layout_plain.go)
//	solid    each image's new blobs in one solid resource (--solid; layout_solid.go)
//	pipable  wimlib's pipable stream, written whole at Close (--pipable; layout_pipable.go)
type layout interface {
	// begin starts writing once the Writer is set up, by asking the mode
	// to ready the file; a pipable WIM writes nothing before Close.
	begin() error
	// store writes the blobs an image adds (dedup done, their source in
	// res), or keeps them for Close, adding them to the blob table.
	store(todo []*blob.Blob, res *source.Result) error
	// metadata writes an image's metadata resource, or keeps it for Close.
	metadata(img *image.Image) (imageRec, error)
	// flush writes what was kept for Close, ends the resource writer and
	// returns where the blob table goes.
	flush() (int64, error)
	// entries appends the blob table entries only the layout knows of
	// (the solid run) after the others.
	entries(tbl []byte) []byte
	// putRaw writes an uncompressed resource (the blob table, the XML) at
	// off and returns its header and the offset past it.
	putRaw(what string, data []byte, off int64) (wimfmt.ResHdr, int64, error)
	// putHeader writes the final header, the commit point, given the end
	// of everything else, and returns the end of the WIM.
	putHeader(off int64) (int64, error)
	// held lists the resources the layout took over from the WIM appended
	// to (its solid resources), for a rebuild to copy or a compaction to
	// move: they are not in the blob table.
	held() []*wimfmt.ResHdr
	// release lets go of the sources kept for Close.
	release()
}
