package oracle

import (
	"crypto/sha1"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wimgo/wimgo/engine/resource"
	"github.com/wimgo/wimgo/engine/wimfmt"
	"github.com/wimgo/wimgo/engine/wimread"
)

// mediumTree is a ~1.5 MB tree for sweeping chunk sizes: text, x86-like
// code, random bytes, a hard link, a symlink, and files straddling chunk
// boundaries.
func mediumTree(t testing.TB, dir string) string {
	t.Helper()
	root := smallTree(t, dir, "medium", 5)
	sizes := []int{1, 4095, 4097, 32769, 65537, 262145, 600000}
	for i, n := range sizes {
		b := make([]byte, n)
		for j := range b {
			switch i % 3 {
			case 0:
				b[j] = "lorem ipsum dolor sit amet\n"[j%27]
			case 1:
				b[j] = byte(uint64(j) * 2654435761 >> 13)
			default:
				if j%29 == 0 {
					b[j] = 0xE8
				} else {
					b[j] = byte(j % 251)
				}
			}
		}
		os.WriteFile(filepath.Join(root, fmt.Sprintf("f%d", n)), b, 0o644)
	}
	os.Link(filepath.Join(root, "own.txt"), filepath.Join(root, "d", "own-link"))
	return root
}

// decodeAll reads every blob and metadata resource of wim with our reader
// and checks each against its SHA-1.
func decodeAll(t testing.TB, wim string) {
	t.Helper()
	w, f, err := wimread.Open(wim)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for i := range w.Metadata {
		if _, err := w.ReadMetadata(i + 1); err != nil {
			t.Fatalf("%s: %v", wim, err)
		}
	}
	for _, e := range w.Blobs {
		b, err := resource.Read(f, e.Hdr, w.CType, int(w.Header.ChunkSize), 1<<30)
		if err != nil {
			t.Fatalf("%s: blob at %d: %v", wim, e.Hdr.Offset, err)
		}
		if sha1.Sum(b) != e.Hash {
			t.Fatalf("%s: blob at %d decodes to the wrong bytes", wim, e.Hdr.Offset)
		}
	}
}

// TestCompressedEveryChunkSize: XPRESS and LZX WIMs at every chunk size
// pass wimverify and 7zz t and apply to the source; wimlib's own WIMs at the
// same settings decode with our reader.
func TestCompressedEveryChunkSize(t *testing.T) {
	Require(t, "wimlib-imagex", "7zz")
	src := mediumTree(t, t.TempDir())
	sweep := map[string][]string{
		"XPRESS": {"4K", "8K", "16K", "32K", "64K"},
		"LZX":    {"32K", "64K", "128K", "256K", "512K", "1M", "2M"},
		"LZMS":   {"32K", "128K", "1M", "16M"},
	}
	for _, ctype := range []string{"XPRESS", "LZX", "LZMS"} {
		sizes := sweep[ctype]
		if testing.Short() {
			sizes = []string{sizes[0], sizes[len(sizes)-1]} // every size in the full run
		}
		for _, cs := range sizes {
			t.Run(ctype+"/"+cs, func(t *testing.T) {
				dir := t.TempDir()
				ourWIM, theirWIM := filepath.Join(dir, "o.wim"), filepath.Join(dir, "w.wim")
				ours(t, "wimcapture", src, ourWIM, "--compress="+ctype, "--chunk-size="+cs)
				Verify(t, ourWIM)
				applyMatches(t, ourWIM, 1, src)
				decodeAll(t, ourWIM)
				Run(t, "wimlib-imagex", "capture", src, theirWIM, "--compress="+ctype, "--chunk-size="+cs)
				decodeAll(t, theirWIM)
			})
		}
	}
}

// TestCompressedLevelsMatchWimlib: the full differential check at the
// default chunk size for several levels of each codec.
func TestCompressedLevelsMatchWimlib(t *testing.T) {
	Require(t, "wimlib-imagex", "7zz")
	src := MakeTree(t, t.TempDir())
	for _, setting := range []string{"XPRESS:20", "XPRESS", "XPRESS:100", "LZX:20", "LZX", "LZX:100"} {
		t.Run(setting, func(t *testing.T) {
			if testing.Short() && (setting == "XPRESS:100" || setting == "LZX:100") {
				t.Skip("slow level in -short mode")
			}
			captureBoth(t, src, true, "--compress="+setting)
		})
	}
}

// TestSolid: --solid (LZMS by default, or XPRESS or LZX solid resources)
// verifies, tests with 7-Zip, applies, and matches wimlib's own solid
// capture with the same options.
func TestSolid(t *testing.T) {
	Require(t, "wimlib-imagex", "7zz")
	src := mediumTree(t, t.TempDir())
	for _, opts := range [][]string{
		{"--solid"},
		{"--solid", "--solid-chunk-size=1M", "--compress=LZMS"},
		{"--solid", "--solid-compress=LZX"},
		{"--solid", "--solid-compress=XPRESS:20", "--compress=XPRESS"},
		{"--solid", "--solid-compress=LZX", "--solid-chunk-size=1M", "--compress=none"},
	} {
		t.Run(strings.Join(opts, " "), func(t *testing.T) {
			dir := t.TempDir()
			ourWIM, theirWIM := filepath.Join(dir, "o.wim"), filepath.Join(dir, "w.wim")
			ours(t, "wimcapture", append([]string{src, ourWIM}, opts...)...)
			Run(t, "wimlib-imagex", append([]string{"capture", src, theirWIM}, opts...)...)
			Verify(t, ourWIM)
			applyMatches(t, ourWIM, 1, src)
			do := DirDetailedOptions{CompressedSizes: true}
			if da, db := DirDetailed(t, ourWIM, do), normalizeDirLinks(DirDetailed(t, theirWIM, do)); da != db {
				t.Fatalf("wimdir --detailed differs:\n%s", firstDiff(da, db))
			}
			if xa, xb := InfoXML(t, ourWIM), InfoXML(t, theirWIM); xa != xb {
				t.Fatalf("wiminfo --xml differs:\nours:   %s\nwimlib: %s", xa, xb)
			}
		})
	}
}

// readHeader parses the header of wim.
func readHeader(t *testing.T, wim string) *wimfmt.Header {
	t.Helper()
	f, err := os.Open(wim)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	b := make([]byte, wimfmt.HeaderSize)
	if _, err := io.ReadFull(f, b); err != nil {
		t.Fatal(err)
	}
	h, err := wimfmt.ParseHeader(b)
	if err != nil {
		t.Fatal(err)
	}
	return h
}

// headerFields are the header fields that say how a WIM is compressed.
func headerFields(t *testing.T, wim string) string {
	t.Helper()
	h := readHeader(t, wim)
	return fmt.Sprintf("version %#x flags %#x chunk size %d", h.Version, h.Flags, h.ChunkSize)
}

// TestSolidHeaderMatchesWimlib: with --solid, the header's version, flags
// (compression type bits) and chunk size are wimlib's for every
// combination of --compress, --chunk-size, --solid-compress and
// --solid-chunk-size (without --compress wimlib-imagex makes the non-solid
// type LZMS, which the metadata resources use). The WIMs verify and apply;
// appends to them, by us and by wimlib, give wimlib's header and apply.
func TestSolidHeaderMatchesWimlib(t *testing.T) {
	Require(t, "wimlib-imagex", "7zz")
	dir := t.TempDir()
	srcs := []string{smallTree(t, dir, "one", 1), smallTree(t, dir, "two", 2)}
	var combos [][]string
	for _, c := range []string{"", "--compress=none", "--compress=XPRESS", "--compress=LZX", "--compress=LZMS"} {
		for _, s := range []string{"", "--solid-compress=XPRESS", "--solid-compress=LZX", "--solid-compress=LZMS"} {
			combos = append(combos, strings.Fields("--solid "+c+" "+s))
		}
	}
	combos = append(combos,
		[]string{"--solid", "--solid-chunk-size=1M"},
		[]string{"--solid", "--solid-compress=XPRESS", "--solid-chunk-size=16K"},
		[]string{"--solid", "--chunk-size=64K"},
		[]string{"--solid", "--compress=XPRESS", "--chunk-size=8K", "--solid-compress=LZX"},
		[]string{"--solid", "--wimboot"},
	)
	for i, opts := range combos {
		if testing.Short() && i < 20 && i%3 != 0 {
			continue // a third of the type pairs; all of them in the full run
		}
		t.Run(strings.Join(opts, " "), func(t *testing.T) {
			d := t.TempDir()
			ourWIM, theirWIM := filepath.Join(d, "o.wim"), filepath.Join(d, "w.wim")
			ours(t, "wimcapture", append([]string{srcs[0], ourWIM}, opts...)...)
			Run(t, "wimlib-imagex", append([]string{"capture", srcs[0], theirWIM}, opts...)...)
			if a, b := headerFields(t, ourWIM), headerFields(t, theirWIM); a != b {
				t.Fatalf("header: ours %s, wimlib %s", a, b)
			}
			Verify(t, ourWIM)
			applyMatches(t, ourWIM, 1, srcs[0])
		})
	}
	// Appends keep the header: by us or wimlib, to ours or wimlib's.
	for _, opts := range [][]string{{"--solid"}, {"--solid", "--compress=XPRESS", "--solid-compress=LZX"}} {
		d := t.TempDir()
		ref := filepath.Join(d, "ref.wim")
		Run(t, "wimlib-imagex", append([]string{"capture", srcs[0], ref}, opts...)...)
		Run(t, "wimlib-imagex", "append", srcs[1], ref)
		want := headerFields(t, ref)
		for _, c := range []struct{ maker, appender string }{{"ours", "ours"}, {"ours", "wimlib"}, {"wimlib", "ours"}} {
			name := fmt.Sprintf("%v/%s+%s", opts, c.maker, c.appender)
			wim := filepath.Join(d, c.maker+c.appender+".wim")
			if c.maker == "ours" {
				ours(t, "wimcapture", append([]string{srcs[0], wim}, opts...)...)
			} else {
				Run(t, "wimlib-imagex", append([]string{"capture", srcs[0], wim}, opts...)...)
			}
			if c.appender == "ours" {
				ours(t, "wimappend", srcs[1], wim)
			} else {
				Run(t, "wimlib-imagex", "append", srcs[1], wim)
			}
			if got := headerFields(t, wim); got != want {
				t.Fatalf("%s: header %s, wimlib's own %s", name, got, want)
			}
			Verify(t, wim)
			for i, src := range srcs {
				applyMatches(t, wim, i+1, src)
			}
		}
	}
}
