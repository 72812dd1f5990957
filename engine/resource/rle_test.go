package resource

import (
	"errors"
	"testing"
)

// rle is a trivial codec for testing the pipeline apart from the real ones:
// a chunk is a sequence of (run length - 1, byte) pairs.
type rle struct{}

func (rle) Compress(dst, src []byte) int {
	limit := min(len(dst), len(src)-1)
	n := 0
	for i := 0; i < len(src); {
		j := i + 1
		for j < len(src) && j-i < 256 && src[j] == src[i] {
			j++
		}
		if n+2 > limit {
			return 0
		}
		dst[n], dst[n+1] = byte(j-i-1), src[i]
		n += 2
		i = j
	}
	return n
}

var errRLECorrupt = errors.New("rle: corrupt")

func (rle) Decompress(dst, src []byte) error {
	if len(src)%2 != 0 {
		return errRLECorrupt
	}
	o := 0
	for i := 0; i < len(src); i += 2 {
		n := int(src[i]) + 1
		if o+n > len(dst) {
			return errRLECorrupt
		}
		for k := range n {
			dst[o+k] = src[i+1]
		}
		o += n
	}
	if o != len(dst) {
		return errRLECorrupt
	}
	return nil
}

// rleType is the Type the test codec is registered under while a test
// needs it (LZMS's chunk sizes go from 32K to 1G); useRLE puts the real
// codec back afterwards.
const rleType = LZMS

var rleCodec = &codec{
	newCompressor:   func(int, int) (compressor, error) { return rle{}, nil },
	newDecompressor: func(int) (decompressor, error) { return rle{}, nil },
	memoryNeeded:    func(int, int) int64 { return 1 << 10 },
}

// useRLE registers the test codec as rleType for the duration of t.
func useRLE(t testing.TB) {
	old := codecs[rleType]
	codecs[rleType] = rleCodec
	t.Cleanup(func() { codecs[rleType] = old })
}
