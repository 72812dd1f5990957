package resource

import (
	"fmt"

	"github.com/wimgo/wimgo/internal/lzms"
	"github.com/wimgo/wimgo/internal/lzx"
	"github.com/wimgo/wimgo/internal/xpress"
)

// compressor and decompressor are the per-chunk halves of a codec
// (internal/codecshape.md). The interface call happens once per chunk, so
// it costs nothing next to the codec's work.
type compressor interface {
	Compress(dst, src []byte) int
}

// inPlaceCompressor is a compressor that can work in its source buffer
// (internal/lzms: its x86 filter), leaving it intact only when it returns
// 0. The pipelines own their input buffers, hash them as they fill them and
// read them back only to store a chunk raw, so they let it.
type inPlaceCompressor interface {
	CompressInPlace(dst, src []byte) int
}

// partsCompressor is an inPlaceCompressor that can leave a chunk in two
// parts of dst, for a writer that writes them one after the other: joining
// them would touch more of dst (internal/lzms: its two streams, written
// from either end; the solid resources' 64 MiB chunks).
type partsCompressor interface {
	CompressInPlaceParts(dst, src []byte) (head, tail []byte)
}

// metadataTuner is a compressor with settings of its own for WIM metadata
// resources (internal/lzx: a longer nice length; internal/lzms: the
// literal+repeat step from level 50), switched per batch.
type metadataTuner interface {
	ForMetadata(on bool)
}

// compressOwned compresses src, a buffer the caller owns, in place when c
// can.
func compressOwned(c compressor, dst, src []byte) int {
	if ip, ok := c.(inPlaceCompressor); ok {
		return ip.CompressInPlace(dst, src)
	}
	return c.Compress(dst, src)
}

// compressOwnedParts is compressOwned giving the chunk as head then tail;
// both empty when it is to be stored raw.
func compressOwnedParts(c compressor, dst, src []byte) (head, tail []byte) {
	if pc, ok := c.(partsCompressor); ok {
		return pc.CompressInPlaceParts(dst, src)
	}
	return dst[:compressOwned(c, dst, src)], nil
}

type decompressor interface {
	Decompress(dst, src []byte) error
}

// codec is one registry entry.
type codec struct {
	newCompressor   func(maxChunk, level int) (compressor, error)
	newDecompressor func(maxChunk int) (decompressor, error)
	memoryNeeded    func(maxChunk, level int) int64
}

// codecs maps a Type to its codec; nil means not supported yet. Tests swap
// entries to drive the pipeline with a codec of their own.
var codecs = [...]*codec{
	XPRESS: {
		newCompressor: func(maxChunk, level int) (compressor, error) {
			return xpress.NewCompressor(maxChunk, level)
		},
		newDecompressor: func(maxChunk int) (decompressor, error) {
			return xpress.NewDecompressor(maxChunk)
		},
		memoryNeeded: xpress.MemoryNeeded,
	},
	LZX: {
		newCompressor: func(maxChunk, level int) (compressor, error) {
			return lzx.NewCompressor(maxChunk, level)
		},
		newDecompressor: func(maxChunk int) (decompressor, error) {
			return lzx.NewDecompressor(maxChunk)
		},
		memoryNeeded: lzx.MemoryNeeded,
	},
	LZMS: {
		newCompressor: func(maxChunk, level int) (compressor, error) {
			return lzms.NewCompressor(maxChunk, level)
		},
		newDecompressor: func(maxChunk int) (decompressor, error) {
			return lzms.NewDecompressor(maxChunk)
		},
		memoryNeeded: lzms.MemoryNeeded,
	},
}

// codecFor returns t's codec or an ErrUnsupported error naming t.
func codecFor(t Type) (*codec, error) {
	if t != None && int(t) < len(codecs) && codecs[t] != nil {
		return codecs[t], nil
	}
	return nil, fmt.Errorf("%w: compression type %v not supported yet", ErrUnsupported, t)
}
