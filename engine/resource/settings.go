package resource

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/wimgo/wimgo/internal/lzms"
	"github.com/wimgo/wimgo/internal/lzx"
	"github.com/wimgo/wimgo/internal/xpress"
)

// Compression settings are parsed and checked here and nowhere else: the
// type names wimlib accepts, the level range, and each type's chunk size
// limits (its codec's) and defaults. The command line (ParseCompress), the
// engine (ParseSettings) and the Writer (CheckSettings) all come here.

// typeInfo is one type's row of the settings table.
type typeInfo struct {
	names []string // accepted names, lower case (case-insensitive)
	// Chunk sizes: the powers of two from minChunk to maxChunk, and the
	// defaults in ordinary and in solid resources.
	minChunk, maxChunk, chunk, solidChunk int
}

var typeTable = [...]typeInfo{
	None:   {names: []string{"none"}},
	XPRESS: {[]string{"xpress", "fast"}, xpress.MinChunkSize, xpress.MaxChunkSize, 1 << 15, 1 << 15},
	LZX:    {[]string{"lzx", "maximum", "max"}, lzx.MinChunkSize, lzx.MaxChunkSize, 1 << 15, 1 << 15},
	// wimlib's solid LZMS chunk is 64 MiB: matches reach across many files.
	LZMS: {[]string{"lzms", "recovery"}, lzms.MinChunkSize, lzms.MaxChunkSize, 1 << 17, 64 << 20},
}

// Levels are on wimlib's scale (20 quick, 50 default, 100 high) and may be
// anything from 1 to MaxLevel: the codecs saturate their parameters
// themselves, as wimlib's do.
const (
	DefaultLevel = 50
	MaxLevel     = 1<<32 - 2
)

// Use is what resources settings are for; it decides the defaults.
type Use uint8

const (
	// Ordinary resources: LZX by default.
	Ordinary Use = iota
	// The ordinary resources (metadata) of a --solid WIM: LZMS by default,
	// as wimlib-imagex (its header says so).
	SolidWIM
	// Solid resources: LZMS by default, never None.
	Solid
)

// lookupType finds a type by any of its names.
func lookupType(s string) (Type, bool) {
	s = strings.ToLower(s)
	for t, info := range typeTable {
		for _, n := range info.names {
			if s == n {
				return Type(t), true
			}
		}
	}
	return 0, false
}

// ParseType parses a compression type name as wimcapture's --compress takes
// it: case-insensitive, with wimlib's aliases fast, maximum (max) and recovery.
func ParseType(s string) (Type, error) {
	if t, ok := lookupType(s); ok {
		return t, nil
	}
	return 0, fmt.Errorf("invalid compression type %q (use none, xpress/fast, lzx/maximum/max or lzms/recovery)", s)
}

// ParseCompress splits --compress's TYPE[:LEVEL] and checks both, returning
// TYPE as given and LEVEL (0 when absent).
func ParseCompress(s string) (string, int, error) {
	t, lv, hasLevel := strings.Cut(s, ":")
	level := 0
	if hasLevel {
		n, err := strconv.ParseInt(lv, 10, 64)
		if err != nil || n < 1 || n > MaxLevel || int64(int(n)) != n {
			return "", 0, fmt.Errorf("the compression level %q must be an integer from 1 to %d", lv, int64(MaxLevel))
		}
		level = int(n)
	}
	if _, ok := lookupType(t); !ok {
		return "", 0, fmt.Errorf("unknown compression type %q (none, XPRESS, LZX, LZMS)", t)
	}
	return t, level, nil
}

// Settings are checked compression settings, defaults filled in.
type Settings struct {
	Type      Type
	Level     int
	ChunkSize int // 0 for None
}

// ParseSettings is CheckSettings for a type name ("" for use's default).
func ParseSettings(name string, level, chunk int, use Use) (Settings, error) {
	if name == "" {
		name = "LZX"
		if use != Ordinary {
			name = "LZMS"
		}
	}
	t, err := ParseType(name)
	if err != nil {
		return Settings{}, err
	}
	return CheckSettings(t, level, chunk, use)
}

// CheckSettings fills in the defaults (level 0 is DefaultLevel, chunk size
// 0 the type's default for use) and checks the settings as wimlib does.
func CheckSettings(t Type, level, chunk int, use Use) (Settings, error) {
	if int(t) >= len(typeTable) {
		return Settings{}, fmt.Errorf("%w: compression type %v", ErrUnsupported, t)
	}
	if t == None && use == Solid {
		return Settings{}, errors.New("--solid-compress=none: solid resources are compressed")
	}
	if level == 0 {
		level = DefaultLevel
	}
	if level < 0 {
		return Settings{}, fmt.Errorf("compression level %d: must be a positive integer", level)
	}
	if chunk == 0 {
		chunk = typeTable[t].chunk
		if use == Solid {
			chunk = typeTable[t].solidChunk
		}
	}
	if err := CheckChunkSize(t, chunk); err != nil {
		return Settings{}, err
	}
	return Settings{Type: t, Level: level, ChunkSize: chunk}, nil
}

// DefaultChunkSize is the chunk size wimlib uses for non-solid resources of
// type t (0 for None or an unknown type).
func DefaultChunkSize(t Type) int {
	if int(t) < len(typeTable) {
		return typeTable[t].chunk
	}
	return 0
}

// CheckChunkSize reports whether size is a chunk size wimlib accepts for t.
func CheckChunkSize(t Type, size int) error {
	if int(t) >= len(typeTable) {
		return fmt.Errorf("%w: compression type %v", ErrUnsupported, t)
	}
	l := typeTable[t]
	if t == None {
		if size != 0 {
			return fmt.Errorf("invalid chunk size %d for compression type None: uncompressed WIMs have no chunks (chunk size 0)", size)
		}
		return nil
	}
	if size >= l.minChunk && size <= l.maxChunk && size&(size-1) == 0 {
		return nil
	}
	var allowed []string
	for s := l.minChunk; s <= l.maxChunk; s <<= 1 {
		allowed = append(allowed, strconv.Itoa(s))
	}
	return fmt.Errorf("invalid chunk size %d for %v compression (allowed: %s)", size, t, strings.Join(allowed, ", "))
}
