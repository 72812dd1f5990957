package engine

import (
	"testing"

	"github.com/wimgo/wimgo/engine/resource"
	"github.com/wimgo/wimgo/engine/wimfmt"
	"github.com/wimgo/wimgo/engine/wimread"
)

// TestSolidDefaultCompression: with Solid and no Compression, the WIM's
// non-solid type is LZMS in 128 KiB chunks (wimlib-imagex's default for
// --solid), whatever the solid type; the header says so and the metadata
// resource reads back with it. An explicit Compression still wins.
func TestSolidDefaultCompression(t *testing.T) {
	for _, c := range []struct {
		opts  Options
		ctype resource.Type
		chunk uint32
	}{
		{Options{Solid: true}, resource.LZMS, 128 << 10},
		{Options{Solid: true, SolidCompression: "XPRESS"}, resource.LZMS, 128 << 10},
		{Options{Solid: true, SolidCompression: "LZX", ChunkSize: 64 << 10}, resource.LZMS, 64 << 10},
		{Options{Solid: true, Compression: "XPRESS"}, resource.XPRESS, 32 << 10},
		{Options{Solid: true, Compression: "none"}, resource.None, 0},
		{Options{}, resource.LZX, 32 << 10},
	} {
		wim, _ := build(t, c.opts)
		w, f, err := wimread.Open(wim)
		if err != nil {
			t.Fatalf("%+v: %v", c.opts, err)
		}
		if w.CType != c.ctype || w.Header.ChunkSize != c.chunk || w.Header.Flags&^wimfmt.HdrFlagRPFix != wimfmt.CompressionFlag(uint8(c.ctype)) {
			t.Errorf("%+v: type %v flags %#x chunk size %d, want %v %#x %d", c.opts, w.CType, w.Header.Flags, w.Header.ChunkSize,
				c.ctype, wimfmt.CompressionFlag(uint8(c.ctype)), c.chunk)
		}
		if _, err := w.ReadMetadata(1); err != nil {
			t.Errorf("%+v: %v", c.opts, err)
		}
		f.Close()
	}
}
