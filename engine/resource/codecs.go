package resource

import (
	"fmt"

	"github.com/wimgo/wimgo/internal/lzx"
	"github.com/wimgo/wimgo/internal/xpress"
)

// compressor and decompressor are the codec shape (internal/codecshape.md).
// The interface is crossed once per chunk, never per byte.
type compressor interface{ Compress(dst, src []byte) int }
type decompressor interface{ Decompress(dst, src []byte) error }

// codec is one entry of the registry.
type codec struct {
	newCompressor   func(maxChunk, level int) (compressor, error)
	newDecompressor func(maxChunk int) (decompressor, error)
	memoryNeeded    func(maxChunk, level int) int64
}

var codecs = map[Type]codec{
	XPRESS: {
		newCompressor: func(c, l int) (compressor, error) {
			x, err := xpress.NewCompressor(c, l)
			if err != nil {
				return nil, err
			}
			return x, nil
		},
		newDecompressor: func(c int) (decompressor, error) {
			x, err := xpress.NewDecompressor(c)
			if err != nil {
				return nil, err
			}
			return x, nil
		},
		memoryNeeded: xpress.MemoryNeeded,
	},
	LZX: {
		newCompressor: func(c, l int) (compressor, error) {
			x, err := lzx.NewCompressor(c, l)
			if err != nil {
				return nil, err
			}
			return x, nil
		},
		newDecompressor: func(c int) (decompressor, error) {
			x, err := lzx.NewDecompressor(c)
			if err != nil {
				return nil, err
			}
			return x, nil
		},
		memoryNeeded: lzx.MemoryNeeded,
	},
}

func lookup(t Type) (codec, error) {
	c, ok := codecs[t]
	if !ok {
		return codec{}, fmt.Errorf("%s compression is not supported yet", t)
	}
	return c, nil
}
