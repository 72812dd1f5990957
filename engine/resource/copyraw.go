package resource

import (
	"fmt"
	"io"

	"github.com/wimgo/wimgo/engine/wimfmt"
)

// CopyRaw flushes, then copies the resource hdr describes from src byte for
// byte to the current offset, and returns its new header (same sizes and
// flags, new offset). The resource must use this Writer's compression type
// and chunk size; nothing is decompressed or checked.
func (w *Writer) CopyRaw(src io.ReaderAt, hdr wimfmt.ResHdr) (wimfmt.ResHdr, error) {
	if err := w.Flush(); err != nil {
		return wimfmt.ResHdr{}, err
	}
	if hdr.StoredSize < 0 || hdr.Offset < 0 {
		return wimfmt.ResHdr{}, fmt.Errorf("%w: resource header with negative size or offset", ErrCorrupt)
	}
	at, err := w.pipe.copyFrom(src, hdr.Offset, hdr.StoredSize)
	if err != nil {
		w.fail(err)
		return wimfmt.ResHdr{}, err
	}
	hdr.Offset = at
	return hdr, nil
}

// copyBuf is the piece size CopyRaw moves at a time.
const copyBuf = 1 << 20

// copyAt copies n bytes from src at off to w's file at dst.
func (w *Writer) copyAt(dst int64, src io.ReaderAt, off, n int64) error {
	buf := make([]byte, min(n, copyBuf))
	for n > 0 {
		k := int(min(n, int64(len(buf))))
		got, err := src.ReadAt(buf[:k], off)
		if got < k {
			if err == nil || err == io.EOF {
				err = errShortCopy
			}
			return fmt.Errorf("copying resource at offset %d: %w", off, err)
		}
		if _, err := w.f.WriteAt(buf[:k], dst); err != nil {
			return fmt.Errorf("writing WIM at offset %d: %w", dst, err)
		}
		off += int64(k)
		dst += int64(k)
		n -= int64(k)
	}
	return nil
}
