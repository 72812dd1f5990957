// Package resource writes and reads WIM resources: the chunked, optionally
// compressed byte runs that blobs, metadata and other tables are stored in.
//
// The Writer runs wimlib's pipeline for compressed resources: one goroutine
// reads each blob in order and hashes it, a pool of workers each owning a
// compressor compresses batches of chunks, and one writer lays the results
// down strictly in submission order (pipeline.go, emit.go). Uncompressed
// resources have their offsets known up front, so workers read, hash and
// write whole batches of blobs in parallel (plain.go). Either way the output
// is identical for any thread count.
//
// Files: type.go (types, chunk sizes), writer.go (the Writer API),
// source.go (reading a blob), plain.go, pipeline.go, emit.go, layout.go
// (chunk tables), copyraw.go, reader.go, codecs.go (the codec registry).
package resource

import (
	"fmt"
	"strings"

	"github.com/wimgo/wimgo/internal/lzx"
)

// Type is a WIM compression type, numbered as in solid resource headers and
// WIMGAPI.
type Type uint8

const (
	None   Type = 0
	XPRESS Type = 1
	LZX    Type = 2
	LZMS   Type = 3
)

var typeNames = [...]string{None: "None", XPRESS: "XPRESS", LZX: "LZX", LZMS: "LZMS"}

func (t Type) String() string {
	if int(t) < len(typeNames) {
		return typeNames[t]
	}
	return fmt.Sprintf("Type(%d)", uint8(t))
}

// ParseType parses a compression type name as wimcapture's --compress takes
// it: case-insensitive, with wimlib's aliases fast, maximum (max) and recovery.
func ParseType(s string) (Type, error) {
	switch strings.ToLower(s) {
	case "none":
		return None, nil
	case "xpress", "fast":
		return XPRESS, nil
	case "lzx", "maximum", "max":
		return LZX, nil
	case "lzms", "recovery":
		return LZMS, nil
	}
	return 0, fmt.Errorf("invalid compression type %q (use none, xpress/fast, lzx/maximum/max or lzms/recovery)", s)
}

// chunkLimits are wimlib's per-type chunk size bounds (powers of two) and
// non-solid defaults; None has no chunks.
var chunkLimits = [...]struct{ min, max, def int }{
	None:   {0, 0, 0},
	XPRESS: {1 << 12, 1 << 16, 1 << 15},
	LZX:    {lzx.MinChunkSize, lzx.MaxChunkSize, 1 << 15},
	LZMS:   {1 << 15, 1 << 30, 1 << 17},
}

// DefaultChunkSize is the chunk size wimlib uses for non-solid resources of
// type t (0 for None or an unknown type).
func DefaultChunkSize(t Type) int {
	if int(t) < len(chunkLimits) {
		return chunkLimits[t].def
	}
	return 0
}

// CheckChunkSize reports whether size is a chunk size wimlib accepts for t.
func CheckChunkSize(t Type, size int) error {
	if int(t) >= len(chunkLimits) {
		return fmt.Errorf("%w: compression type %v", ErrUnsupported, t)
	}
	l := chunkLimits[t]
	if t == None {
		if size != 0 {
			return fmt.Errorf("invalid chunk size %d for compression type None: uncompressed WIMs have no chunks (chunk size 0)", size)
		}
		return nil
	}
	if size >= l.min && size <= l.max && size&(size-1) == 0 {
		return nil
	}
	var allowed []string
	for s := l.min; s <= l.max; s <<= 1 {
		allowed = append(allowed, fmt.Sprint(s))
	}
	return fmt.Errorf("invalid chunk size %d for %v compression (allowed: %s)", size, t, strings.Join(allowed, ", "))
}
