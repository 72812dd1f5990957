package fuzz

import (
	"bytes"
	"io"
	"path/filepath"
	"testing"

	"github.com/wimgo/wimgo/engine"
	"github.com/wimgo/wimgo/engine/resource"
	"github.com/wimgo/wimgo/engine/wimread"
)

// FuzzReadPipable: reading a damaged pipable WIM (both headers, the
// tables, metadata and every blob through the pipable resource reader)
// never panics or allocates without bound.
func FuzzReadPipable(f *testing.F) {
	dir := f.TempDir()
	one, two := tinyTree(f, dir, 5), tinyTree(f, dir, 6)
	for _, c := range []string{"none", "XPRESS", "LZX", "LZMS"} {
		f.Add(writeWIM(f, filepath.Join(dir, c+".wim"), engine.Options{Compression: c, Pipable: true}, one, two))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		w, err := wimread.Read(bytes.NewReader(data), int64(len(data)), "fuzz.wim")
		if err != nil {
			return
		}
		w.AllBlobs()
		for i := 1; i <= int(w.Header.ImageCount); i++ {
			if meta, err := w.ReadMetadata(i); err == nil {
				walkMetadata(meta)
			}
		}
		open := resource.NewReader
		if w.Header.Pipable {
			open = resource.NewPipableReader
		}
		for _, e := range w.Blobs {
			r, err := open(bytes.NewReader(data), e.Hdr, w.CType, int(w.Header.ChunkSize))
			if err != nil {
				continue
			}
			io.Copy(io.Discard, io.LimitReader(r, 1<<22))
		}
	})
}
