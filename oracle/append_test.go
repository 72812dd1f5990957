package oracle

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
	"unicode/utf16"

	"github.com/wimgo/wimgo/engine/wimfmt"
	"github.com/wimgo/wimgo/engine/wimread"
)

// smallTree writes a few files, one shared with every other tree made with
// the same shared content, and returns its root.
func smallTree(t testing.TB, dir, name string, seed uint64) string {
	t.Helper()
	root := filepath.Join(dir, name)
	os.MkdirAll(filepath.Join(root, "d"), 0o755)
	rng := rand.New(rand.NewPCG(seed, 7))
	own := make([]byte, 50000+rng.IntN(50000))
	for i := range own {
		own[i] = "abcdefgh \n"[rng.IntN(10)]
	}
	os.WriteFile(filepath.Join(root, "own.txt"), own, 0o644)
	os.WriteFile(filepath.Join(root, "d", "shared.txt"), bytes.Repeat([]byte("shared across images\n"), 3000), 0o644)
	os.Symlink("d/shared.txt", filepath.Join(root, "link"))
	return root
}

// applyMatches applies image index and compares it with src.
func applyMatches(t *testing.T, wim string, index int, src string) {
	t.Helper()
	out := filepath.Join(t.TempDir(), "apply")
	Apply(t, wim, index, out)
	want, got := Snapshot(t, src), Snapshot(t, out)
	for k, e := range got {
		e.Mode = want[k].Mode
		got[k] = e
	}
	CompareTrees(t, fmt.Sprintf("image %d vs %s", index, src), want, got)
}

func TestAppendToOursAndWimlibs(t *testing.T) {
	Require(t, "wimlib-imagex", "7zz")
	dir := t.TempDir()
	srcs := []string{smallTree(t, dir, "one", 1), smallTree(t, dir, "two", 2), smallTree(t, dir, "three", 3)}
	for _, maker := range []string{"ours", "wimlib"} {
		for _, ctype := range []string{"none", "XPRESS", "LZX", "LZMS"} {
			t.Run(maker+"/"+ctype, func(t *testing.T) {
				wim := filepath.Join(t.TempDir(), "a.wim")
				if maker == "ours" {
					if out, err := oursErr("wimcapture", nil, srcs[0], wim, "--compress="+ctype); err != nil {
						t.Fatalf("%v\n%s", err, out)
					}
				} else {
					Run(t, "wimlib-imagex", "capture", srcs[0], wim, "--compress="+ctype)
				}
				ours(t, "wimappend", srcs[1], wim)
				ours(t, "wimappend", srcs[2], wim, "Third", "third image")
				Verify(t, wim)
				info := Run(t, "wimlib-imagex", "info", wim)
				for _, want := range []string{"Image Count:    3", "Name:                   one", "Name:                   two", "Name:                   Third"} {
					if !strings.Contains(info, want) {
						t.Fatalf("want %q in:\n%s", want, info)
					}
				}
				for i, src := range srcs {
					applyMatches(t, wim, i+1, src)
				}
				w, f, err := wimread.Open(wim)
				if err != nil {
					t.Fatal(err)
				}
				defer f.Close()
				// 3 own.txt + 1 shared.txt + 1 symlink reparse buffer.
				if len(w.Blobs) != 5 {
					t.Fatalf("blob table holds %d blobs, want 5 (shared content stored once)", len(w.Blobs))
				}
				if ctype != "none" && w.CType.String() != ctype {
					t.Fatalf("compression %s, want %s kept from the WIM", w.CType, ctype)
				}
			})
		}
	}
}

func TestAppendNamesAndIntegrity(t *testing.T) {
	Require(t, "wimlib-imagex", "7zz")
	dir := t.TempDir()
	src := smallTree(t, dir, "tree", 1)
	wim := filepath.Join(dir, "n.wim")
	ours(t, "wimcapture", src, wim, "--compress=none", "--check")
	ours(t, "wimappend", src, wim)     // default name taken: "tree (1)"
	ours(t, "wimappend", src, wim, "") // unnamed
	ours(t, "wimappend", src, wim, "--check")
	info := Run(t, "wimlib-imagex", "info", wim)
	for _, want := range []string{"Name:                   tree (1)", "Name:                   tree (2)"} {
		if !strings.Contains(info, want) {
			t.Fatalf("want %q in:\n%s", want, info)
		}
	}
	Verify(t, wim)
	before, _ := os.ReadFile(wim)
	if out, err := oursErr("wimappend", nil, src, wim, "tree"); err == nil || !strings.Contains(out, "already an image named") {
		t.Fatalf("duplicate explicit name accepted: %v\n%s", err, out)
	}
	if after, _ := os.ReadFile(wim); !bytes.Equal(before, after) {
		t.Fatal("a refused append changed the WIM")
	}

	// A failure during the append (a name that is not UTF-8) leaves the
	// WIM byte-identical: the write-in-progress flag is put back.
	badTree := filepath.Join(dir, "badtree")
	os.MkdirAll(badTree, 0o755)
	os.WriteFile(filepath.Join(badTree, "ok"), []byte("fine"), 0o644)
	os.WriteFile(filepath.Join(badTree, "bad\xffname"), []byte("x"), 0o644)
	if out, err := oursErr("wimappend", nil, badTree, wim); err == nil || !strings.Contains(out, "UTF-8") {
		t.Fatalf("append of a bad tree: %v\n%s", err, out)
	}
	if after, _ := os.ReadFile(wim); !bytes.Equal(before, after) {
		t.Fatal("a failed append changed the WIM")
	}

	// A corrupted WIM with --check is refused and left byte-identical.
	bad := bytes.Clone(before)
	bad[300] ^= 0xFF
	os.WriteFile(wim, bad, 0o644)
	if out, err := oursErr("wimappend", nil, src, wim, "--check"); err == nil || !strings.Contains(out, "integrity") {
		t.Fatalf("corrupt WIM accepted with --check: %v\n%s", err, out)
	}
	if after, _ := os.ReadFile(wim); !bytes.Equal(bad, after) {
		t.Fatal("the refused WIM changed")
	}
}

func TestAppendRefusesWithoutChanging(t *testing.T) {
	Require(t, "wimlib-imagex")
	dir := t.TempDir()
	src := smallTree(t, dir, "tree", 1)
	good := filepath.Join(dir, "good.wim")
	Run(t, "wimlib-imagex", "capture", src, good, "--compress=LZX")
	data, _ := os.ReadFile(good)

	cases := map[string][]byte{
		"notwim.wim":    []byte("this is not a WIM file at all, just some text that is long enough" + strings.Repeat(".", 300)),
		"truncated.wim": data[:len(data)-200],
		"short.wim":     data[:100],
	}
	for name, b := range cases {
		os.WriteFile(filepath.Join(dir, name), b, 0o644)
	}
	// A split WIM.
	// A split WIM needs more data than one part holds.
	bigsrc := filepath.Join(dir, "bigsrc")
	os.MkdirAll(bigsrc, 0o755)
	rng := rand.New(rand.NewPCG(3, 3))
	for i := range 4 {
		b := make([]byte, 100000)
		for j := range b {
			b[j] = byte(rng.Uint32())
		}
		os.WriteFile(filepath.Join(bigsrc, fmt.Sprint(i)), b, 0o644)
	}
	bigwim := filepath.Join(dir, "big.wim")
	Run(t, "wimlib-imagex", "capture", bigsrc, bigwim, "--compress=none")
	Run(t, "wimlib-imagex", "split", bigwim, filepath.Join(dir, "split.swm"), "0.1")
	for _, name := range []string{"notwim.wim", "truncated.wim", "short.wim", "split.swm"} {
		p := filepath.Join(dir, name)
		before, _ := os.ReadFile(p)
		out, err := oursErr("wimappend", nil, src, p)
		if err == nil || !strings.Contains(out, "ERROR: ") {
			t.Fatalf("%s: append accepted: %v\n%s", name, err, out)
		}
		if after, _ := os.ReadFile(p); !bytes.Equal(before, after) {
			t.Fatalf("%s: a refused append changed the file", name)
		}
		t.Logf("%s: %s", name, strings.TrimSpace(out))
	}
}

// craftedWIM returns a copy of a WIM file's bytes with its blob table
// entries (50 bytes each) edited by entry, and its XML document (as text)
// by xml; the XML must be the last resource, and any integrity table is
// dropped.
func craftedWIM(t *testing.T, data []byte, entry func(e []byte), xml func(string) string) []byte {
	t.Helper()
	h, err := wimfmt.ParseHeader(data[:wimfmt.HeaderSize])
	if err != nil || h.XML.End() != int64(len(data)) {
		t.Fatalf("base WIM: %v, XML ends at %d of %d", err, h.XML.End(), len(data))
	}
	out := bytes.Clone(data[:h.XML.Offset])
	if entry != nil {
		for off := h.BlobTable.Offset; off < h.BlobTable.End(); off += wimfmt.BlobEntrySize {
			entry(out[off : off+wimfmt.BlobEntrySize])
		}
	}
	doc := DecodeUTF16(data[h.XML.Offset:h.XML.End()])
	if xml != nil {
		doc = xml(doc)
	}
	enc := []byte{0xFF, 0xFE}
	for _, u := range utf16.Encode([]rune(doc)) {
		enc = append(enc, byte(u), byte(u>>8))
	}
	out = append(out, enc...)
	h.XML.StoredSize, h.XML.OriginalSize = int64(len(enc)), int64(len(enc))
	h.Integrity = wimfmt.ResHdr{}
	copy(out, h.Bytes())
	return out
}

// TestAppendRefusesInconsistent: WIMs whose blob table or XML document
// is inconsistent are refused and left byte-identical; wimlib refuses the
// same ones (or finds them broken), and accepts the XML at the limits,
// as we do.
func TestAppendRefusesInconsistent(t *testing.T) {
	Require(t, "wimlib-imagex", "7zz")
	dir := t.TempDir()
	src := smallTree(t, dir, "tree", 1)
	other := smallTree(t, dir, "other", 2)
	base := filepath.Join(dir, "base.wim")
	Run(t, "wimlib-imagex", "capture", src, base, "--compress=none")
	data, _ := os.ReadFile(base)
	flag := func(e []byte) bool { return e[7]&wimfmt.ResFlagMetadata != 0 }
	atRoot := func(s string) func(string) string {
		return func(doc string) string { return strings.Replace(doc, "<WIM>", "<WIM>"+s, 1) }
	}
	nest := func(levels int) string { return strings.Repeat("<A>", levels) + strings.Repeat("</A>", levels) }
	refused := []struct {
		name   string
		entry  func([]byte)
		xml    func(string) string
		wimlib string // how wimlib's wiminfo refuses it; "" when it only warns (verify fails)
		ours   string
	}{
		{"every entry metadata", func(e []byte) { e[7] |= wimfmt.ResFlagMetadata }, nil, "", "header says 1 images, blob table has 4 metadata resources"},
		{"metadata shared", func(e []byte) {
			if flag(e) {
				e[26] = 2
			}
		}, nil, "refcnt != 1", "reference count 2"},
		{"attribute 10,000,001 bytes", nil, atRoot(`<A V="` + strings.Repeat("x", 10_000_001) + `"/>`), "AttValue length too long", "attribute V of <A>"},
		{"text 10,000,002 bytes", nil, atRoot(`<A>` + strings.Repeat("é", 5_000_001) + `</A>`), "huge text node", "text of <A>"},
		{"257 levels", nil, atRoot(nest(257)), "Excessive depth", "nested more than 256 deep"},
	}
	for _, c := range refused {
		p := filepath.Join(dir, "bad.wim")
		bad := craftedWIM(t, data, c.entry, c.xml)
		os.WriteFile(p, bad, 0o644)
		if c.wimlib != "" {
			if out, err := RunEnv(nil, "wimlib-imagex", "info", p); err == nil || !strings.Contains(out, c.wimlib) {
				t.Errorf("%s: wimlib info: %v, want %q in\n%.500s", c.name, err, c.wimlib, out)
			}
		} else if out, err := RunEnv(nil, "wimlib-imagex", "verify", p); err == nil {
			t.Errorf("%s: wimlib verifies the crafted WIM:\n%s", c.name, out)
		}
		out, err := oursErr("wimappend", nil, other, p)
		if err == nil || !strings.Contains(out, c.ours) || !strings.Contains(out, p) {
			t.Errorf("%s: append: %v, want %q naming the file in\n%.500s", c.name, err, c.ours, out)
		}
		if after, _ := os.ReadFile(p); !bytes.Equal(after, bad) {
			t.Errorf("%s: a refused append changed the file", c.name)
		}
	}
	accepted := map[string]func(string) string{
		"attribute 10,000,000 bytes": atRoot(`<A V="` + strings.Repeat("x", 10_000_000) + `"/>`),
		"256 levels":                 atRoot(nest(256)),
	}
	for name, xml := range accepted {
		p := filepath.Join(dir, "ok.wim")
		os.WriteFile(p, craftedWIM(t, data, nil, xml), 0o644)
		Run(t, "wimlib-imagex", "info", p)
		if out, err := oursErr("wimappend", nil, other, p); err != nil {
			t.Fatalf("%s: %v\n%s", name, err, out)
		}
		Verify(t, p)
		applyMatches(t, p, 2, other)
	}
}

func TestAppendRebuildCompactCreate(t *testing.T) {
	Require(t, "wimlib-imagex", "7zz")
	dir := t.TempDir()
	a, b, c := smallTree(t, dir, "a", 1), smallTree(t, dir, "b", 2), smallTree(t, dir, "c", 3)
	wim := filepath.Join(dir, "r.wim")
	ours(t, "wimappend", a, wim, "--create")
	ours(t, "wimappend", b, wim)
	st1, _ := os.Stat(wim)
	ours(t, "wimappend", c, wim, "--rebuild")
	Verify(t, wim)
	for i, s := range []string{a, b, c} {
		applyMatches(t, wim, i+1, s)
	}
	// Compaction closes the holes that in-place appends leave.
	wim2 := filepath.Join(dir, "c.wim")
	ours(t, "wimcapture", a, wim2, "--compress=none")
	ours(t, "wimappend", b, wim2)
	ours(t, "wimappend", c, wim2, "--unsafe-compact")
	Verify(t, wim2)
	for i, s := range []string{a, b, c} {
		applyMatches(t, wim2, i+1, s)
	}
	_ = st1
}

// TestAppendSolid appends to WIMs with solid resources (ours and wimlib's)
// and with --solid to WIMs without, in place, rebuilt and compacted: the
// result verifies, every image applies, content shared between images is
// stored once (the old solid blobs are found by the dedup), and new data
// lands in solid resources (the default once a WIM has any, as in wimlib).
func TestAppendSolid(t *testing.T) {
	Require(t, "wimlib-imagex", "7zz")
	dir := t.TempDir()
	srcs := []string{smallTree(t, dir, "one", 1), smallTree(t, dir, "two", 2), smallTree(t, dir, "three", 3)}
	type maker struct {
		name string
		cmd  []string // captures srcs[0] into the WIM given last
	}
	for _, m := range []maker{
		{"wimlib-solid", []string{"wimlib-imagex", "capture", srcs[0], "--solid"}},
		{"ours-solid", []string{"wimcapture", srcs[0], "--solid"}},
		{"ours-solid-lzx", []string{"wimcapture", srcs[0], "--solid", "--solid-compress=LZX", "--compress=XPRESS"}},
		{"wimlib-lzx", []string{"wimlib-imagex", "capture", srcs[0], "--compress=LZX"}},
		{"ours-none", []string{"wimcapture", srcs[0], "--compress=none"}},
	} {
		for _, mode := range []string{"in-place", "--rebuild", "--unsafe-compact"} {
			t.Run(m.name+"/"+mode, func(t *testing.T) {
				wim := filepath.Join(t.TempDir(), "s.wim")
				if m.cmd[0] == "wimcapture" {
					ours(t, "wimcapture", append(m.cmd[1:2], append([]string{wim}, m.cmd[2:]...)...)...)
				} else {
					Run(t, m.cmd[0], append(m.cmd[1:3], append([]string{wim}, m.cmd[3:]...)...)...)
				}
				extra := []string{"--solid"}
				if strings.Contains(m.name, "solid") {
					extra = nil // solid by default
				}
				if mode != "in-place" {
					extra = append(extra, mode)
				}
				ours(t, "wimappend", append([]string{srcs[1], wim}, extra...)...)
				ours(t, "wimappend", append([]string{srcs[2], wim, "Third"}, extra...)...)
				Verify(t, wim)
				for i, src := range srcs {
					applyMatches(t, wim, i+1, src)
				}
				w, f, err := wimread.Open(wim)
				if err != nil {
					t.Fatal(err)
				}
				defer f.Close()
				// 3 own.txt + 1 shared.txt + 1 symlink reparse buffer.
				if n := len(w.Blobs) + len(w.SolidBlobs); n != 5 {
					t.Fatalf("%d blobs (%d in solid resources), want 5: shared content stored once", n, len(w.SolidBlobs))
				}
				if len(w.Solid) == 0 || len(w.SolidBlobs) < 2 {
					t.Fatalf("%d solid resources holding %d blobs: the appended data should be solid", len(w.Solid), len(w.SolidBlobs))
				}
				if w.Header.Version != 0xE00 {
					t.Fatalf("version %#x, want 0xE00 for a WIM with solid resources", w.Header.Version)
				}
			})
		}
	}
}

// TestAppendCrashSafety kills wimappend at random moments: every time, the
// WIM must still verify and its old image apply.
func TestAppendCrashSafety(t *testing.T) {
	Require(t, "wimlib-imagex")
	dir := t.TempDir()
	base := smallTree(t, dir, "base", 1)
	big := filepath.Join(dir, "big")
	os.MkdirAll(big, 0o755)
	rng := rand.New(rand.NewPCG(9, 9))
	for i := range 40 {
		b := make([]byte, 300000)
		for j := range b {
			b[j] = byte(rng.Uint32() % 7)
		}
		os.WriteFile(filepath.Join(big, fmt.Sprintf("f%02d", i)), b, 0o644)
	}
	orig := filepath.Join(dir, "orig.wim")
	ours(t, "wimcapture", base, orig, "--compress=LZX", "--check")
	origData, _ := os.ReadFile(orig)
	// How long does a whole append take?
	probe := filepath.Join(dir, "probe.wim")
	os.WriteFile(probe, origData, 0o644)
	start := time.Now()
	ours(t, "wimappend", big, probe)
	full := time.Since(start)
	runs := 24
	if testing.Short() {
		runs = 6 // each run is a whole append, a kill and a wimverify
	}
	for i := range runs {
		wim := filepath.Join(dir, "crash.wim")
		os.WriteFile(wim, origData, 0o644)
		cmd := exec.Command(filepath.Join(bin, "wimappend"), big, wim)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		delay := time.Duration(rng.Int64N(int64(full) + 1))
		time.Sleep(delay)
		cmd.Process.Signal(syscall.SIGKILL)
		cmd.Wait()
		if out, err := RunEnv(nil, "wimlib-imagex", "verify", wim); err != nil {
			t.Fatalf("run %d, killed after %v of %v: wimverify fails:\n%s", i, delay, full, out)
		}
		applyMatches(t, wim, 1, base)
	}
}

// TestDeltaFrom: a delta WIM holds only what its base lacks; with --ref it
// applies to the source. The base is ours (LZX) or wimlib's with solid
// resources, whose solid blobs are left out too.
func TestDeltaFrom(t *testing.T) {
	Require(t, "wimlib-imagex", "7zz")
	for _, base := range [][]string{{"wimcapture", "--compress=LZX"}, {"wimlib-imagex", "--solid"}} {
		t.Run(base[0]+base[1], func(t *testing.T) {
			dir := t.TempDir()
			a := smallTree(t, dir, "a", 1)
			baseWIM := filepath.Join(dir, "base.wim")
			if base[0] == "wimcapture" {
				ours(t, "wimcapture", a, baseWIM, base[1])
			} else {
				Run(t, "wimlib-imagex", "capture", a, baseWIM, base[1])
			}
			// The new tree shares everything with a but one file.
			b := smallTree(t, dir, "b", 1)
			os.WriteFile(filepath.Join(b, "new.txt"), []byte("only in the delta\n"), 0o644)
			delta := filepath.Join(dir, "delta.wim")
			ours(t, "wimcapture", b, delta, "--compress=LZX", "--delta-from", baseWIM)
			w, f, err := wimread.Open(delta)
			if err != nil {
				t.Fatal(err)
			}
			f.Close()
			if n := len(w.Blobs) + len(w.SolidBlobs); n != 1 {
				t.Fatalf("delta holds %d blobs, want only the new file's", n)
			}
			out := filepath.Join(dir, "out")
			Run(t, "wimlib-imagex", "apply", delta, "1", out, "--ref="+baseWIM)
			want, got := Snapshot(t, b), Snapshot(t, out)
			for k, e := range got {
				e.Mode = want[k].Mode
				got[k] = e
			}
			CompareTrees(t, "delta applied with --ref", want, got)
			if _, err := RunEnv(nil, "wimlib-imagex", "apply", delta, "1", filepath.Join(dir, "noref")); err == nil {
				t.Fatal("the delta applied without its base")
			}
			Run(t, "wimlib-imagex", "verify", delta, "--ref="+baseWIM)
		})
	}
}

// TestUpdateOf: --update-of is a speed hint. Files whose size and times
// match the template are not read (shown by a file whose content changed
// behind unchanged times: the template's content is kept, as wimlib
// documents), changed files are read, and the result applies exactly.
func TestUpdateOf(t *testing.T) {
	Require(t, "wimlib-imagex", "7zz")
	dir := t.TempDir()
	src := smallTree(t, dir, "tree", 1)
	wim := filepath.Join(dir, "u.wim")
	ours(t, "wimcapture", src, wim, "--compress=XPRESS")
	old := time.Date(2020, 1, 2, 3, 4, 5, 0, time.UTC)
	// A changed file (new size and time) and a sneaky one (same size and
	// times, other bytes).
	os.WriteFile(filepath.Join(src, "changed.txt"), []byte("new file\n"), 0o644)
	sneaky := filepath.Join(src, "d", "shared.txt")
	st, _ := os.Stat(sneaky)
	data, _ := os.ReadFile(sneaky)
	orig := bytes.Clone(data)
	data[0] ^= 1
	os.WriteFile(sneaky, data, 0o644)
	os.Chtimes(sneaky, old, st.ModTime())
	os.Chtimes(sneaky, st.ModTime(), st.ModTime())
	ours(t, "wimappend", src, wim, "--update-of=-1")
	Verify(t, wim)
	out := filepath.Join(dir, "out")
	Apply(t, wim, 2, out)
	if b, _ := os.ReadFile(filepath.Join(out, "changed.txt")); string(b) != "new file\n" {
		t.Fatalf("changed file: %q", b)
	}
	if b, _ := os.ReadFile(filepath.Join(out, "d", "shared.txt")); !bytes.Equal(b, orig) {
		t.Fatal("the unchanged-looking file was read: the template was not used")
	}
	// Without the hint the real content is captured.
	ours(t, "wimappend", src, wim, "plain")
	applyMatches(t, wim, 3, src)
	// wimcapture into another WIM with WIMFILE:IMAGE reads everything it
	// must (the template's blobs are not in the new WIM).
	w2 := filepath.Join(dir, "v.wim")
	ours(t, "wimcapture", src, w2, "--update-of="+wim+":1")
	applyMatches(t, w2, 1, src)
	if out, err := oursErr("wimcapture", nil, src, filepath.Join(dir, "x.wim"), "--update-of=1"); err == nil || !strings.Contains(out, "WIMFILE:IMAGE") {
		t.Fatalf("--update-of without a WIM: %v\n%s", err, out)
	}
}

// TestAppendRPFixDefault: wimappend fixes absolute links inside the tree
// only when the WIM already says fixups were done (wimcapture's default),
// unless --rpfix or --norpfix says otherwise.
func TestAppendRPFixDefault(t *testing.T) {
	Require(t, "wimlib-imagex")
	dir := t.TempDir()
	src := smallTree(t, dir, "tree", 1)
	os.Symlink(filepath.Join(src, "own.txt"), filepath.Join(src, "abs"))
	target := func(wim string, index int) string {
		out := filepath.Join(t.TempDir(), "o")
		Apply(t, wim, index, out)
		tg, err := os.Readlink(filepath.Join(out, "abs"))
		if err != nil {
			t.Fatal(err)
		}
		return strings.Replace(tg, out, "EXTRACTED", 1)
	}
	fixed, asIs := "EXTRACTED/own.txt", filepath.Join(src, "own.txt")
	for _, c := range []struct {
		capture, appendOpt string
		want               string
	}{
		{"--rpfix", "", fixed},
		{"--norpfix", "", asIs},
		{"--norpfix", "--rpfix", fixed},
		{"--rpfix", "--norpfix", asIs},
	} {
		wim := filepath.Join(t.TempDir(), "r.wim")
		ours(t, "wimcapture", src, wim, "--compress=none", c.capture)
		args := []string{src, wim}
		if c.appendOpt != "" {
			args = append(args, c.appendOpt)
		}
		ours(t, "wimappend", args...)
		if got := target(wim, 2); got != c.want {
			t.Errorf("capture %s, append %q: link target %q, want %q", c.capture, c.appendOpt, got, c.want)
		}
	}
}

// TestAppendMatchesWimlib: appending the same tree to copies of the same WIM
// with our wimappend and wimlib's gives the same images (wimdir --detailed)
// and the same XML, after the named normalizations: for an LZX WIM (with
// --check) and for a solid WIM (new data solid by default in both).
func TestAppendMatchesWimlib(t *testing.T) {
	Require(t, "wimlib-imagex", "7zz")
	for _, c := range []struct {
		capture string
		append  []string
	}{
		{"--compress=LZX", []string{"--check"}},
		{"--solid", nil},
	} {
		t.Run(c.capture, func(t *testing.T) {
			if c.capture == "--solid" && testing.Short() {
				// LZMS over the 9 MB tree twice; TestAppendSolid appends
				// to solid WIMs in -short too.
				t.Skip("the solid case runs without -short (scripts/test.sh)")
			}
			dir := t.TempDir()
			base := filepath.Join(dir, "base.wim")
			Run(t, "wimlib-imagex", "capture", smallTree(t, dir, "one", 1), base, c.capture)
			src := MakeTree(t, dir)
			data, _ := os.ReadFile(base)
			ourWIM, theirWIM := filepath.Join(dir, "o.wim"), filepath.Join(dir, "w.wim")
			os.WriteFile(ourWIM, data, 0o644)
			os.WriteFile(theirWIM, data, 0o644)
			ours(t, "wimappend", append([]string{src, ourWIM}, c.append...)...)
			Run(t, "wimlib-imagex", append([]string{"append", src, theirWIM}, c.append...)...)
			Verify(t, ourWIM)
			applyMatches(t, ourWIM, 2, src)
			do := DirDetailedOptions{CompressedSizes: true}
			for _, image := range []string{"1", "2"} {
				get := func(wim string) string {
					return DirDetailedText(Run(t, "wimlib-imagex", "dir", wim, image, "--detailed"), do)
				}
				if da, db := get(ourWIM), normalizeDirLinks(get(theirWIM)); da != db {
					t.Fatalf("image %s: wimdir --detailed differs:\n%s", image, firstDiff(da, db))
				}
			}
			if xa, xb := InfoXML(t, ourWIM), InfoXML(t, theirWIM); xa != xb {
				t.Fatalf("wiminfo --xml differs:\nours:   %s\nwimlib: %s", xa, xb)
			}
		})
	}
}

// TestUpdateOfSolidTemplate: a WIM with solid resources serves as the
// --update-of template.
func TestUpdateOfSolidTemplate(t *testing.T) {
	Require(t, "wimlib-imagex", "7zz")
	dir := t.TempDir()
	src := smallTree(t, dir, "a", 1)
	base := filepath.Join(dir, "base.wim")
	Run(t, "wimlib-imagex", "capture", src, base, "--solid")
	os.WriteFile(filepath.Join(src, "new.txt"), []byte("not in the template\n"), 0o644)
	upd := filepath.Join(dir, "upd.wim")
	ours(t, "wimcapture", src, upd, "--update-of="+base+":1")
	Verify(t, upd)
	applyMatches(t, upd, 1, src)
}

// TestAppendSolidToPipable: solid resources cannot be pipable, so --solid
// on a pipable WIM is refused (the file unchanged) unless the append also
// converts it with --rebuild --not-pipable.
func TestAppendSolidToPipable(t *testing.T) {
	Require(t, "wimlib-imagex", "7zz")
	dir := t.TempDir()
	a, b := smallTree(t, dir, "a", 1), smallTree(t, dir, "b", 2)
	wim := filepath.Join(dir, "p.wim")
	ours(t, "wimcapture", a, wim, "--pipable")
	before, _ := os.ReadFile(wim)
	if out, err := oursErr("wimappend", nil, b, wim, "--solid"); err == nil || !strings.Contains(out, "pipable") {
		t.Fatalf("--solid on a pipable WIM: %v\n%s", err, out)
	}
	if after, _ := os.ReadFile(wim); !bytes.Equal(before, after) {
		t.Fatal("the refused append changed the WIM")
	}
	ours(t, "wimappend", b, wim, "--solid", "--rebuild", "--not-pipable")
	Verify(t, wim)
	applyMatches(t, wim, 1, a)
	applyMatches(t, wim, 2, b)
}
