package lzx

import (
	"fmt"
	"testing"

	"github.com/wimgo/wimgo/internal/codectest"
)

// TestReusedCompressor: chunks around smallChunk (where the matchfinders
// switch from zeroing their slots one by one to clearing them whole), at
// the lazy and near-optimal levels, with 16- and 32-bit positions.
func TestReusedCompressor(t *testing.T) {
	sizes := []int{20, 3000, smallChunk, smallChunk + 1, 30000, 5, 700, smallChunk - 1, 32768, 9, 2000}
	for _, chunk := range []int{1 << 15, 1 << 17} {
		for _, level := range []int{20, 50} {
			t.Run(fmt.Sprintf("%d/L%d", chunk, level), func(t *testing.T) {
				codectest.CheckReuse(t, func() codectest.Compressor {
					c, _ := NewCompressor(chunk, level)
					return c
				}, sizes)
			})
		}
	}
}

// TestForMetadata: metadata mode takes level 100's nice length at level 50
// (and changes no parameter where levels already use it or parse lazily;
// there the hash chains skip runs instead, which shrinks these records),
// its output decodes, and switching back gives a fresh compressor's bytes.
func TestForMetadata(t *testing.T) {
	// Dentry-like records: a fixed layout, a counter, a name.
	var meta []byte
	for i := range 3000 {
		rec := make([]byte, 104)
		rec[0], rec[8] = 104, 0x20
		copy(rec[40:], fmt.Sprintf("%08d", i*7919))
		copy(rec[64:], fmt.Sprintf("file-%05d.txt", i))
		meta = append(meta, rec...)
	}
	const chunk = 1 << 15
	src := meta[:chunk]
	compress := func(level int, metaMode bool, c *Compressor) []byte {
		if c == nil {
			c, _ = NewCompressor(chunk, level)
		}
		c.ForMetadata(metaMode)
		dst := make([]byte, chunk)
		return append([]byte(nil), dst[:c.Compress(dst, src)]...)
	}
	for _, level := range []int{20, 50, 100} {
		c, _ := NewCompressor(chunk, level)
		p := c.p
		c.ForMetadata(true)
		want := p.niceLen
		if level == 50 {
			want = 64
		}
		if c.p.niceLen != want || c.p.maxSearchDepth != p.maxSearchDepth || c.p.optimPasses != p.optimPasses {
			t.Errorf("level %d: metadata params %+v, data params %+v", level, c.p, p)
		}
		m := compress(level, true, c)
		if len(m) == 0 {
			t.Fatalf("level %d: metadata mode did not compress", level)
		}
		got := make([]byte, len(src))
		d, _ := NewDecompressor(chunk)
		if err := d.Decompress(got, m); err != nil || string(got) != string(src) {
			t.Fatalf("level %d: metadata mode output does not decode back (%v)", level, err)
		}
		back, fresh := compress(level, false, c), compress(level, false, nil)
		if string(back) != string(fresh) {
			t.Errorf("level %d: back in data mode, %d bytes; a fresh compressor %d", level, len(back), len(fresh))
		}
		if level == 20 && len(m) >= len(fresh) {
			t.Errorf("level 20: metadata mode %d bytes, data mode %d: runs not skipped?", len(m), len(fresh))
		}
	}
}
