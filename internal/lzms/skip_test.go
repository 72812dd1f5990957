package lzms

import (
	"bytes"
	"slices"
	"testing"

	"github.com/wimgo/wimgo/internal/codectest"
)

// skipInput is a chunk whose bytes from start on repeat off back (off 0:
// text, no copy).
type skipInput struct {
	name       string
	in         []byte
	start, off int
}

// skipInputs: a 4 KiB page repeated (the skips' shortcut), text (none),
// and text that from 20000 on repeats at an offset of 1000 or 3 bytes (not
// a multiple of the delta hash's 32; 3: the shortcut begins inside the
// match).
func skipInputs(t *testing.T) []skipInput {
	text, _ := codectest.Corpus(t)
	odd := slices.Clone(text[:1<<16])
	for i := 20000; i < len(odd); i++ {
		odd[i] = odd[i-1000]
	}
	short := slices.Clone(text[:1<<16])
	for i := 20000; i < len(short); i++ {
		short[i] = short[i-3]
	}
	return []skipInput{
		{"page", bytes.Repeat(codectest.RandomBytes(4096, 7), 32), 4096, 4096},
		{"text", text[:1<<17], 4096, 0},
		{"odd", odd, 20000, 1000},
		{"short", short, 20000, 3},
	}
}

// TestSkipLongMatch: skipping the positions inside a long match (after a
// literal page) leaves the binary tree and the delta table exactly as
// inserting each position does, and on a repeated page the shortcuts take
// over: a page of positions is hashed, and only those whose 3-byte hash
// bucket another position of the page entered since (about one in 16 at
// 16 hash bits) walk the tree (before, all of the 124 KiB did both: 0.8 of
// the CPU time on 32 MiB of pages).
func TestSkipLongMatch(t *testing.T) {
	for _, si := range skipInputs(t) {
		name, in, start, off := si.name, si.in, si.start, si.off
		length := len(in) - start
		if off == 0 {
			// The plain path: the stretch that happens to repeat 4096
			// bytes back, passed as no copy.
			length = 0
			for length < len(in)-start && in[start+length] == in[start+length-4096] {
				length++
			}
		}
		var a, b btFinder
		var da, db deltaFinder
		for _, f := range []*btFinder{&a, &b} {
			f.init(len(in), 16)
			f.nice, f.depth = 100, 50
			f.reset(in)
		}
		for _, f := range []*deltaFinder{&da, &db} {
			f.table = make([]int32, 1<<deltaHashBits)
			f.reset(in)
		}
		for q := 0; q <= start; q++ {
			a.find(q, nil, false)
			b.find(q, nil, false)
			da.find(q, nil, false)
			db.find(q, nil, false)
		}
		end := start + max(length, 1)
		for q := start + 1; q < end; q++ {
			a.find(q, nil, false)
		}
		da.skip(start+1, end, 0, 0, 0)
		walked := b.skip(start+1, end, off)
		hashed := db.skip(start+1, end, start, length, off)
		if !slices.Equal(a.children[:2*end], b.children[:2*end]) || !slices.Equal(a.head2, b.head2) || !slices.Equal(a.head3, b.head3) {
			t.Errorf("%s: skip and find left different trees", name)
		}
		if !slices.Equal(da.table, db.table) {
			t.Errorf("%s: delta skips left different tables", name)
		}
		if name == "page" && (walked > len(in)/10 || hashed > 4200) {
			t.Errorf("page: %d positions walked, %d hashed, want about a page", walked, hashed)
		}
	}
}

// TestRunsRoundTrip: the repetitive inputs, whose long matches take the
// skips' shortcuts, decode to themselves.
func TestRunsRoundTrip(t *testing.T) {
	for _, in := range codectest.RunInputs(1 << 20) {
		for _, chunk := range []int{1 << 17, 1 << 20} {
			c, err := NewCompressor(chunk, 50)
			if err != nil {
				t.Fatal(err)
			}
			got := decodeRecords(t, chunk, compressAll(t, c, chunk, in.Data))
			if !bytes.Equal(got, in.Data) {
				t.Errorf("%s at %d: mismatch at byte %d", in.Name, chunk, firstDiff(got, in.Data))
			}
		}
	}
}

// TestRunsOnTree: a 128 KiB chunk of long runs of a few byte values goes
// to the binary tree, not the suffix array (whose build was three quarters
// of the time on such chunks), while text stays on the suffix array.
func TestRunsOnTree(t *testing.T) {
	text, _ := codectest.Corpus(t)
	const chunk = 1 << 17
	runs := codectest.RunInputs(1 << 20)[1]
	if runs.Name != "runs" {
		t.Fatalf("input %s, want runs", runs.Name)
	}
	for _, tc := range []struct {
		name  string
		in    []byte
		onLCP bool
	}{{"runs", runs.Data[3*chunk : 4*chunk], false}, {"text", text[:chunk], true}} {
		if oneByte(tc.in) {
			t.Fatalf("%s: one byte value", tc.name)
		}
		c, err := NewCompressor(chunk, 50)
		if err != nil {
			t.Fatal(err)
		}
		out := make([]byte, chunk)
		if c.Compress(out[:chunk-1], tc.in) == 0 {
			t.Fatalf("%s: did not compress", tc.name)
		}
		if c.onLCP != tc.onLCP || (c.lf.in != nil) != tc.onLCP {
			t.Errorf("%s: on the suffix array %v, want %v", tc.name, c.onLCP, tc.onLCP)
		}
	}
}

// TestMatchToEndNotInserted: the positions of a long match that runs to
// the chunk's end enter no matchfinder (no search follows; a repeated
// page spent most of its time there), and the chunk round-trips.
func TestMatchToEndNotInserted(t *testing.T) {
	const chunk = 1 << 17
	src := bytes.Repeat(codectest.RandomBytes(4096, 9), chunk/4096)
	c, err := NewCompressor(chunk, 50)
	if err != nil {
		t.Fatal(err)
	}
	c.mf.children = make([]int32, 2*chunk)
	for i := range c.mf.children {
		c.mf.children[i] = -7
	}
	out := make([]byte, chunk)
	n := c.Compress(out[:chunk-1], src)
	if n == 0 || c.onLCP {
		t.Fatalf("%d bytes, on the suffix array %v", n, c.onLCP)
	}
	inserted := 0
	for q := 4096 + 2*c.nice; q < chunk; q++ {
		if c.mf.children[2*q] != -7 {
			inserted++
		}
	}
	if inserted > 0 {
		t.Errorf("%d positions of the final match inserted", inserted)
	}
	d, _ := NewDecompressor(chunk)
	got := make([]byte, chunk)
	if err := d.Decompress(got, out[:n]); err != nil || !bytes.Equal(got, src) {
		t.Fatalf("round trip failed: %v", err)
	}
}
