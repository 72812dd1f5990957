package resource

import (
	"strings"
	"testing"
)

// TestSettingsLikeWimlib: the one settings table gives wimlib's defaults
// for each use (ordinary resources, those of a --solid WIM, solid ones),
// takes every alias, and refuses what wimlib refuses.
func TestSettingsLikeWimlib(t *testing.T) {
	for _, c := range []struct {
		name         string
		level, chunk int
		use          Use
		want         Settings
	}{
		{"", 0, 0, Ordinary, Settings{LZX, 50, 32768}},
		{"", 0, 0, SolidWIM, Settings{LZMS, 50, 131072}},
		{"", 0, 0, Solid, Settings{LZMS, 50, 64 << 20}},
		{"fast", 20, 0, Solid, Settings{XPRESS, 20, 32768}},
		{"MAX", 100, 1 << 21, Ordinary, Settings{LZX, 100, 1 << 21}},
		{"Recovery", 0, 0, Ordinary, Settings{LZMS, 50, 131072}},
		{"none", 0, 0, Ordinary, Settings{None, 50, 0}},
		{"xpress", 0, 4096, Ordinary, Settings{XPRESS, 50, 4096}},
	} {
		got, err := ParseSettings(c.name, c.level, c.chunk, c.use)
		if err != nil || got != c.want {
			t.Errorf("ParseSettings(%q, %d, %d, %d) = %+v, %v; want %+v", c.name, c.level, c.chunk, c.use, got, err, c.want)
		}
	}
	for _, c := range []struct {
		name         string
		level, chunk int
		use          Use
		msg          string
	}{
		{"zip", 0, 0, Ordinary, `invalid compression type "zip"`},
		{"none", 0, 0, Solid, "solid resources are compressed"},
		{"none", 0, 4096, Ordinary, "uncompressed WIMs have no chunks"},
		{"lzx", 0, 4096, Ordinary, "invalid chunk size 4096 for LZX compression (allowed: 32768, 65536, 131072, 262144, 524288, 1048576, 2097152)"},
		{"xpress", 0, 1 << 17, Ordinary, "allowed: 4096, 8192, 16384, 32768, 65536)"},
		{"lzms", 0, 3 << 29, Solid, "invalid chunk size 1610612736 for LZMS"},
		{"lzx", -1, 0, Ordinary, "compression level -1: must be a positive integer"},
	} {
		if _, err := ParseSettings(c.name, c.level, c.chunk, c.use); err == nil || !strings.Contains(err.Error(), c.msg) {
			t.Errorf("ParseSettings(%q, %d, %d, %d): %v, want %q", c.name, c.level, c.chunk, c.use, err, c.msg)
		}
	}
	// The table's limits are the codecs': each accepts the table's extremes
	// and refuses a size past them.
	for _, typ := range []Type{XPRESS, LZX} {
		c, _ := codecFor(typ)
		l := typeTable[typ]
		for _, size := range []int{l.minChunk, l.maxChunk} {
			if _, err := c.newCompressor(size, 50); err != nil {
				t.Errorf("%v: the table allows %d, the codec refuses it: %v", typ, size, err)
			}
		}
		for _, size := range []int{l.minChunk / 2, l.maxChunk * 2} {
			if _, err := c.newCompressor(size, 50); err == nil {
				t.Errorf("%v: the table refuses %d, the codec takes it", typ, size)
			}
		}
	}
}
