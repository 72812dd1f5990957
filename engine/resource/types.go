// Package resource writes and reads WIM resources: the raw or chunked,
// compressed form of one blob or metadata buffer. Writing runs a pipeline:
// the caller's goroutine reads and hashes each blob's chunks in order, a
// pool of workers compresses them, and one writer goroutine puts the results
// into the file in submission order, so the bytes do not depend on the
// number of threads.
package resource

import (
	"fmt"
	"strings"
)

// Type is a compression type, numbered as in solid resource headers.
type Type uint8

// Compression types.
const (
	None   Type = 0
	XPRESS Type = 1
	LZX    Type = 2
	LZMS   Type = 3
)

func (t Type) String() string {
	switch t {
	case None:
		return "None"
	case XPRESS:
		return "XPRESS"
	case LZX:
		return "LZX"
	case LZMS:
		return "LZMS"
	}
	return fmt.Sprintf("Type(%d)", uint8(t))
}

// ParseType reads a compression type name, case-insensitively, with
// wimlib's aliases.
func ParseType(s string) (Type, error) {
	switch strings.ToLower(s) {
	case "none":
		return None, nil
	case "xpress", "fast":
		return XPRESS, nil
	case "lzx", "maximum":
		return LZX, nil
	case "lzms", "recovery":
		return LZMS, nil
	}
	return 0, fmt.Errorf("unknown compression type %q (none, XPRESS or fast, LZX or maximum, LZMS or recovery)", s)
}

// DefaultChunkSize is the non-solid chunk size wimlib uses for t.
func DefaultChunkSize(t Type) int {
	switch t {
	case XPRESS, LZX:
		return 32768
	case LZMS:
		return 131072
	}
	return 0
}

// chunkLimits are the powers of two each type accepts.
var chunkLimits = map[Type][2]int{XPRESS: {1 << 12, 1 << 16}, LZX: {1 << 15, 1 << 21}, LZMS: {1 << 15, 1 << 30}}

// CheckChunkSize reports whether size is a valid chunk size for t.
func CheckChunkSize(t Type, size int) error {
	lim, ok := chunkLimits[t]
	if !ok {
		if size == 0 {
			return nil
		}
		return fmt.Errorf("chunk size %d: an uncompressed WIM has no chunks", size)
	}
	if size >= lim[0] && size <= lim[1] && size&(size-1) == 0 {
		return nil
	}
	var list []string
	for s := lim[0]; s <= lim[1]; s <<= 1 {
		list = append(list, sizeName(s))
	}
	return fmt.Errorf("chunk size %d is not valid for %s compression: use one of %s", size, t, strings.Join(list, ", "))
}

func sizeName(s int) string {
	switch {
	case s >= 1<<30:
		return fmt.Sprintf("%dG", s>>30)
	case s >= 1<<20:
		return fmt.Sprintf("%dM", s>>20)
	}
	return fmt.Sprintf("%dK", s>>10)
}
