//go:build ntfs3g && cgo

package source

import (
	"bufio"
	"bytes"
	"crypto/sha1"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/wimgo/wimgo/engine/blob"
	"github.com/wimgo/wimgo/engine/image"
	"github.com/wimgo/wimgo/engine/wimfmt"
	"golang.org/x/sys/unix"
)

func ntfsRun(t *testing.T, name string, args ...string) string {
	t.Helper()
	cmd := exec.Command(name, args...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("%s %s: %v\n%s%s", name, strings.Join(args, " "), err, out, stderr.Bytes())
	}
	return string(out)
}

// fixtureHelper edits an unmounted NTFS image through libntfs-3g for what
// no command-line tool does: DOS names, object IDs, the encrypted flag.
const fixtureHelper = `
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ntfs-3g/types.h>
#include <ntfs-3g/layout.h>
#include <ntfs-3g/inode.h>
#include <ntfs-3g/dir.h>
#include <ntfs-3g/object_id.h>
#include <ntfs-3g/volume.h>

static ntfs_inode *open_path(ntfs_volume *vol, const char *path) {
	ntfs_inode *ni = ntfs_pathname_to_inode(vol, NULL, path);
	if (!ni) {
		perror(path);
		exit(1);
	}
	return ni;
}

int main(int argc, char **argv) {
	ntfs_volume *vol = ntfs_mount(argv[1], 0);
	if (!vol) {
		perror(argv[1]);
		return 1;
	}
	for (int i = 2; i + 2 < argc; i += 3) {
		const char *op = argv[i], *path = argv[i + 1], *arg = argv[i + 2];
		ntfs_inode *ni = open_path(vol, path);
		if (!strcmp(op, "dos")) {
			char dir[4096];
			strcpy(dir, path);
			char *slash = strrchr(dir, '/');
			if (slash == dir)
				slash[1] = 0;
			else
				*slash = 0;
			ntfs_inode *dir_ni = open_path(vol, dir);
			if (ntfs_set_ntfs_dos_name(ni, dir_ni, arg, strlen(arg), 0)) {
				perror("set dos name");
				return 1;
			}
			continue;
		}
		if (!strcmp(op, "objid")) {
			char id[16];
			for (int j = 0; j < 16; j++)
				sscanf(arg + 2 * j, "%2hhx", (unsigned char *)&id[j]);
			if (ntfs_set_ntfs_object_id(ni, id, sizeof(id), 0)) {
				perror("set object id");
				return 1;
			}
		} else if (!strcmp(op, "encrypt")) {
			ni->flags |= FILE_ATTR_ENCRYPTED;
			ntfs_inode_mark_dirty(ni);
		} else {
			fprintf(stderr, "unknown op %s\n", op);
			return 1;
		}
		ntfs_inode_close(ni);
	}
	if (ntfs_umount(vol, FALSE)) {
		perror("umount");
		return 1;
	}
	return 0;
}
`

const testObjectID = "00112233445566778899aabbccddeeff"

const ntfsManyFiles = 300

var bigData = bytes.Repeat([]byte("0123456789abcdef-wimgo-ntfs\n"), 4000)

// makeVolume builds a 64 MiB NTFS image file and fills it without mounting
// it: wimlib applies a WIM captured from a prepared directory, ntfscp adds a
// named stream, a small libntfs-3g program sets a DOS name, an object ID
// and the encrypted flag of one file. It returns the image and the source
// directory.
func makeNTFSVolume(t *testing.T) (img, src string) {
	for _, tool := range []string{"mkntfs", "wimlib-imagex", "ntfscp", "gcc", "pkg-config"} {
		needTool(t, tool)
	}
	dir := t.TempDir()
	src = filepath.Join(dir, "src")
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	for _, d := range []string{"dir/sub", "emptydir", "System Volume Information", "dir/many"} {
		must(os.MkdirAll(filepath.Join(src, d), 0o755))
	}
	files := map[string][]byte{
		"a.txt":                          []byte("hello\n"),
		"UPPER.TXT":                      []byte("an 8.3 name\n"),
		"Mixed Case Long Name.txt":       []byte("long name\n"),
		"dir/sub/big":                    bigData,
		"empty":                          nil,
		"secret":                         []byte("encrypted\n"),
		"pagefile.sys":                   []byte("excluded by the default configuration\n"),
		"System Volume Information/file": []byte("excluded too\n"),
	}
	for name, data := range files {
		must(os.WriteFile(filepath.Join(src, name), data, 0o644))
	}
	must(os.Link(filepath.Join(src, "a.txt"), filepath.Join(src, "dir/hard.txt")))
	// Enough entries for a directory index in $INDEX_ALLOCATION blocks.
	for i := range ntfsManyFiles {
		must(os.WriteFile(filepath.Join(src, fmt.Sprintf("dir/many/file with a long name %03d", i)), []byte{byte(i)}, 0o644))
	}
	must(os.Symlink("a.txt", filepath.Join(src, "rel")))
	must(os.Symlink("/usr/lib", filepath.Join(src, "abs")))
	f, err := os.Create(filepath.Join(src, "sparse"))
	must(err)
	must(f.Truncate(1 << 20))
	f.Close()

	emptyConfig := filepath.Join(dir, "empty.ini")
	must(os.WriteFile(emptyConfig, nil, 0o644))
	wim := filepath.Join(dir, "fill.wim")
	ntfsRun(t, "wimlib-imagex", "capture", src, wim, "--compress=none", "--config="+emptyConfig)

	img = filepath.Join(dir, "ntfs.img")
	f, err = os.Create(img)
	must(err)
	must(f.Truncate(64 << 20))
	f.Close()
	ntfsRun(t, "mkntfs", "-F", "-f", "-q", img)
	ntfsRun(t, "wimlib-imagex", "apply", wim, "1", img)

	stream := filepath.Join(dir, "stream")
	must(os.WriteFile(stream, []byte("named stream data\n"), 0o644))
	ntfsRun(t, "ntfscp", "-q", "-N", "stream1", img, stream, "/a.txt")

	csrc := filepath.Join(dir, "helper.c")
	must(os.WriteFile(csrc, []byte(fixtureHelper), 0o644))
	flags := strings.Fields(ntfsRun(t, "pkg-config", "--cflags", "--libs", "libntfs-3g"))
	helper := filepath.Join(dir, "helper")
	args := append([]string{"-std=gnu99", "-o", helper, csrc,
		"-DHAVE_STDARG_H", "-DHAVE_STDINT_H", "-DHAVE_STDDEF_H", "-DHAVE_STDIO_H", "-DHAVE_SYS_TYPES_H",
		"-DHAVE_SYS_STAT_H", "-DHAVE_TIME_H", "-DHAVE_ENDIAN_H", "-DHAVE_BYTESWAP_H"}, flags...)
	ntfsRun(t, "gcc", args...)
	ntfsRun(t, helper, img,
		"dos", "/Mixed Case Long Name.txt", "MIXEDC~1.TXT",
		"dos", "/UPPER.TXT", "UPPER.TXT",
		"dos", "/emptydir", "EMPTYDIR",
		"objid", "/a.txt", testObjectID,
		"encrypt", "/secret", "-")
	return img, src
}

func ntfsReadBlob(t *testing.T, b *blob.Blob) []byte {
	t.Helper()
	r, err := b.Reader()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	data, err := io.ReadAll(r)
	if err != nil {
		t.Fatal(err)
	}
	if int64(len(data)) != b.Size {
		t.Fatalf("%s: read %d bytes, size is %d", b.Name, len(data), b.Size)
	}
	return data
}

func TestScanNTFS(t *testing.T) {
	img, src := makeNTFSVolume(t)
	var warnings []string
	var progressed []string
	res, err := Scan(img, &Options{
		Warn:     func(msg string) { warnings = append(warnings, msg) },
		Progress: func(path string, size int64) { progressed = append(progressed, path) },
	})
	if err != nil {
		t.Fatal(err)
	}
	defer res.Close()
	r := res.Root

	var paths []string
	many := 0
	r.Walk(func(d *image.Dentry) error {
		if strings.HasPrefix(d.Path(), "/dir/many/") {
			many++
			if d.Inode.Data == nil || d.Inode.Data.Size != 1 {
				t.Errorf("%s: %+v", d.Path(), d.Inode.Data)
			}
			return nil
		}
		paths = append(paths, d.Path())
		return nil
	})
	if many != ntfsManyFiles {
		t.Errorf("%d files in /dir/many, want %d", many, ntfsManyFiles)
	}
	slices.Sort(paths)
	want := []string{"", "/Mixed Case Long Name.txt", "/UPPER.TXT", "/a.txt", "/abs", "/dir", "/dir/hard.txt",
		"/dir/many", "/dir/sub", "/dir/sub/big", "/empty", "/emptydir", "/rel", "/sparse"}
	if !slices.Equal(paths, want) {
		t.Errorf("paths:\n got %q\nwant %q", paths, want)
	}
	if len(warnings) != 1 || !strings.Contains(warnings[0], "/secret") || !strings.Contains(warnings[0], "encrypted") {
		t.Errorf("warnings: %q", warnings)
	}
	if len(progressed) != len(paths)+many || !slices.Contains(progressed, "/") || !slices.Contains(progressed, "/dir/sub/big") {
		t.Errorf("progress: %q", progressed)
	}

	if !r.Inode.IsDir() || len(r.AppendName16(nil)) != 0 {
		t.Errorf("root: attributes %#x, name %q", r.Inode.Attributes, r.AppendName16(nil))
	}

	// Hard links, the named stream, the object ID.
	a, hard := find(t, r, "a.txt"), find(t, r, "dir/hard.txt")
	if a.Inode != hard.Inode || a.Inode.Links != 2 {
		t.Errorf("a.txt and dir/hard.txt: not one inode with two links")
	}
	if got := ntfsReadBlob(t, a.Inode.Data); string(got) != "hello\n" {
		t.Errorf("a.txt data %q", got)
	}
	if a.Inode.Attributes&wimfmt.AttrDirectory != 0 || a.ShortName() != nil {
		t.Errorf("a.txt: attributes %#x, short name %q", a.Inode.Attributes, a.ShortName())
	}
	if len(a.Inode.NamedStreams()) != 1 || image.FromUTF16(a.Inode.NamedStreams()[0].Name) != "stream1" {
		t.Fatalf("a.txt named streams: %+v", a.Inode.NamedStreams())
	}
	if got := ntfsReadBlob(t, a.Inode.NamedStreams()[0].Blob); string(got) != "named stream data\n" {
		t.Errorf("a.txt:stream1 data %q", got)
	}
	if !strings.HasSuffix(a.Inode.NamedStreams()[0].Blob.Name, ":/a.txt:stream1") {
		t.Errorf("blob name %q", a.Inode.NamedStreams()[0].Blob.Name)
	}
	if len(a.Inode.ObjectID()) < 16 || hex.EncodeToString(a.Inode.ObjectID()[:16]) != testObjectID {
		t.Errorf("a.txt object ID %x", a.Inode.ObjectID())
	}

	// Short name: one dentry whose ShortName is the DOS name.
	long := find(t, r, "Mixed Case Long Name.txt")
	if image.FromUTF16(long.ShortName()) != "MIXEDC~1.TXT" {
		t.Errorf("short name %q", image.FromUTF16(long.ShortName()))
	}
	// A Win32+DOS name is its own short name, as wimlib stores it.
	if up := find(t, r, "UPPER.TXT"); image.FromUTF16(up.ShortName()) != "UPPER.TXT" {
		t.Errorf("UPPER.TXT: short name %q", image.FromUTF16(up.ShortName()))
	}

	// Reparse points: verbatim data, NOT_FIXED kept.
	for name, target := range map[string]string{"rel": "a.txt", "abs": `\??\C:\usr\lib`} {
		d := find(t, r, name)
		ino := d.Inode
		if ino.Attributes&wimfmt.AttrReparsePoint == 0 || ino.ReparseTag != wimfmt.ReparseTagSymlink || ino.RPFlags != wimfmt.RPNotFixed {
			t.Errorf("%s: attributes %#x tag %#x flags %#x", name, ino.Attributes, ino.ReparseTag, ino.RPFlags)
			continue
		}
		if got, _ := linkTarget(ntfsReadBlob(t, ino.Reparse)); got != target {
			t.Errorf("%s: target %q, want %q", name, got, target)
		}
	}

	big := find(t, r, "dir/sub/big")
	if got := ntfsReadBlob(t, big.Inode.Data); !bytes.Equal(got, bigData) {
		t.Errorf("dir/sub/big: data differs")
	}
	sp := find(t, r, "sparse")
	if got := ntfsReadBlob(t, sp.Inode.Data); len(got) != 1<<20 || bytes.ContainsFunc(got, func(r rune) bool { return r != 0 }) {
		t.Errorf("sparse: %d bytes, not all zero", len(got))
	}
	if e := find(t, r, "empty"); e.Inode.Data != nil || e.Inode.Attributes&wimfmt.AttrDirectory != 0 {
		t.Errorf("empty: %+v", e.Inode)
	}
	if e := find(t, r, "emptydir"); !e.Inode.IsDir() || len(e.Children) != 0 {
		t.Errorf("emptydir: %#x, %d children", e.Inode.Attributes, len(e.Children))
	}

	// Times: wimlib applied the source's mtime as creation and write time.
	var st unix.Stat_t
	if err := unix.Stat(filepath.Join(src, "dir/sub/big"), &st); err != nil {
		t.Fatal(err)
	}
	if mt := image.FileTime(st.Mtim.Sec, st.Mtim.Nsec); big.Inode.LastWriteTime != mt || big.Inode.CreationTime != mt {
		t.Errorf("big: write time %d, creation time %d, want %d", big.Inode.LastWriteTime, big.Inode.CreationTime, mt)
	}
	if big.Inode.LastAccessTime == 0 {
		t.Errorf("big: no access time")
	}

	// Security descriptors: distinct, every inode points at one.
	if len(res.Security) == 0 {
		t.Fatal("no security descriptors")
	}
	seen := map[string]bool{}
	for _, sd := range res.Security {
		if seen[string(sd)] {
			t.Errorf("duplicate security descriptor")
		}
		seen[string(sd)] = true
		if len(sd) < 20 || sd[0] != 1 {
			t.Errorf("not a self-relative security descriptor: %x", sd)
		}
	}
	r.Walk(func(d *image.Dentry) error {
		if int(d.Inode.SecurityID) >= len(res.Security) {
			t.Errorf("%s: security ID %d of %d", d.Path(), d.Inode.SecurityID, len(res.Security))
		}
		return nil
	})

	// Blobs: every non-empty stream once, data streams before buffers.
	var want2 []*blob.Blob
	seenIno := map[*image.Inode]bool{}
	r.Walk(func(d *image.Dentry) error {
		if seenIno[d.Inode] {
			return nil
		}
		seenIno[d.Inode] = true
		for _, b := range []*blob.Blob{d.Inode.Data, d.Inode.Reparse} {
			if b != nil {
				want2 = append(want2, b)
			}
		}
		for _, ns := range d.Inode.NamedStreams() {
			if ns.Blob != nil {
				want2 = append(want2, ns.Blob)
			}
		}
		return nil
	})
	if len(res.Blobs) != len(want2) {
		t.Errorf("%d blobs, want %d", len(res.Blobs), len(want2))
	}
	for _, b := range want2 {
		if !slices.Contains(res.Blobs, b) {
			t.Errorf("%s: blob missing from Result.Blobs", b.Name)
		}
	}

	// Concurrent reads, as the engine does them: every goroutine reads every
	// blob, in its own order, with readers interleaved.
	sums := make([][][20]byte, 4)
	var wg sync.WaitGroup
	for g := range sums {
		wg.Go(func() {
			sums[g] = make([][20]byte, len(res.Blobs))
			for k := range res.Blobs {
				i := (k + g*3) % len(res.Blobs)
				b := res.Blobs[i]
				rd, err := b.Reader()
				if err != nil {
					t.Error(err)
					return
				}
				h := sha1.New()
				n, err := io.CopyBuffer(h, rd, make([]byte, 1000+g))
				rd.Close()
				if err != nil || n != b.Size {
					t.Errorf("%s: %d bytes, %v", b.Name, n, err)
				}
				h.Sum(sums[g][i][:0])
			}
		})
	}
	wg.Wait()
	for g := 1; g < len(sums); g++ {
		if !slices.Equal(sums[g], sums[0]) {
			t.Errorf("concurrent reads disagree")
		}
	}
	// A reader left open is closed by Close.
	if _, err := big.Inode.Data.Reader(); err != nil {
		t.Fatal(err)
	}

	if err := res.Close(); err != nil {
		t.Fatal(err)
	}
	if err := res.Close(); err != nil {
		t.Fatalf("second Close: %v", err)
	}
	if _, err := big.Inode.Data.Reader(); !errors.Is(err, errNTFSClosed) {
		t.Errorf("reading after Close: %v", err)
	}
}

func TestScanNTFSOptions(t *testing.T) {
	img, _ := makeNTFSVolume(t)
	cfg, err := ParseConfig("test.ini", []byte("[ExclusionList]\n/dir/sub\n/dir/many\n*.txt\n"))
	if err != nil {
		t.Fatal(err)
	}
	res, err := ScanNTFS(img, &Options{NoACLs: true, Config: cfg})
	if err != nil {
		t.Fatal(err)
	}
	defer res.Close()
	if len(res.Security) != 0 {
		t.Errorf("%d security descriptors with NoACLs", len(res.Security))
	}
	var paths []string
	res.Root.Walk(func(d *image.Dentry) error {
		paths = append(paths, d.Path())
		if d.Inode.SecurityID != wimfmt.NoSecurityID {
			t.Errorf("%s: security ID %d with NoACLs", d.Path(), d.Inode.SecurityID)
		}
		return nil
	})
	slices.Sort(paths)
	// A custom configuration replaces the default one: pagefile.sys and
	// System Volume Information come back.
	want := []string{"", "/System Volume Information", "/System Volume Information/file", "/UPPER.TXT", "/abs", "/dir",
		"/empty", "/emptydir", "/pagefile.sys", "/rel", "/sparse"}
	if !slices.Equal(paths, want) {
		t.Errorf("paths:\n got %q\nwant %q", paths, want)
	}

	// RPFix marks the symbolic links fixed, as wimlib 1.13.5, but leaves
	// their targets as they are.
	res2, err := ScanNTFS(img, &Options{RPFix: true})
	if err != nil {
		t.Fatal(err)
	}
	defer res2.Close()
	if !res2.RPFixed {
		t.Error("RPFixed not reported")
	}
	for name, target := range map[string]string{"rel": "a.txt", "abs": `\??\C:\usr\lib`} {
		ino := find(t, res2.Root, name).Inode
		if ino.ReparseTag != wimfmt.ReparseTagSymlink || ino.RPFlags != 0 {
			t.Errorf("%s with RPFix: tag %#x flags %#x, want NOT_FIXED clear", name, ino.ReparseTag, ino.RPFlags)
		}
		if got, _ := linkTarget(ntfsReadBlob(t, ino.Reparse)); got != target {
			t.Errorf("%s with RPFix: target %q, want %q", name, got, target)
		}
	}

	if _, err := ScanNTFS(filepath.Join(t.TempDir(), "missing"), nil); err == nil {
		t.Error("no error for a missing volume")
	}
}

// ntfsWimlibEntry is what `wimlib-imagex dir --detailed` says of one file.
type ntfsWimlibEntry struct {
	shortName  string
	attributes uint32
	sd         string
	reparseTag uint32
	streams    map[string]string // "" (data), ":name", "reparse" -> "size sha1"
}

func ntfsWimlibDir(t *testing.T, wim string) map[string]*ntfsWimlibEntry {
	out := ntfsRun(t, "wimlib-imagex", "dir", wim, "1", "--detailed")
	entries := map[string]*ntfsWimlibEntry{}
	var cur *ntfsWimlibEntry
	stream := ""
	var hash string
	sc := bufio.NewScanner(strings.NewReader(out))
	sc.Buffer(nil, 1<<20)
	field := func(line, key string) (string, bool) {
		if !strings.HasPrefix(line, key) {
			return "", false
		}
		_, v, _ := strings.Cut(line, "= ")
		return strings.TrimSpace(v), true
	}
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if v, ok := field(line, "Full Path"); ok {
			p, _ := strconv.Unquote(v)
			if p == "/" {
				p = ""
			}
			cur = &ntfsWimlibEntry{streams: map[string]string{}}
			entries[p] = cur
			continue
		}
		if cur == nil {
			continue
		}
		switch {
		case strings.HasPrefix(line, "Unnamed data stream:"):
			stream = ""
		case strings.HasPrefix(line, "Reparse point stream:"):
			stream = "reparse"
		case strings.HasPrefix(line, "Named data stream "):
			n, _ := strconv.Unquote(strings.TrimSuffix(strings.TrimPrefix(line, "Named data stream "), ":"))
			stream = ":" + n
		}
		if v, ok := field(line, "Short Name"); ok {
			cur.shortName, _ = strconv.Unquote(v)
		} else if v, ok := field(line, "Attributes"); ok {
			n, _ := strconv.ParseUint(v, 0, 32)
			cur.attributes = uint32(n)
		} else if v, ok := field(line, "Security Descriptor"); ok {
			cur.sd = v
		} else if v, ok := field(line, "Reparse Tag"); ok {
			n, _ := strconv.ParseUint(v, 0, 32)
			cur.reparseTag = uint32(n)
		} else if v, ok := field(line, "Hash"); ok {
			hash = strings.TrimPrefix(v, "0x")
		} else if v, ok := field(line, "Uncompressed size"); ok {
			size := strings.TrimSuffix(v, " bytes")
			if size != "0" {
				cur.streams[stream] = size + " " + hash
			}
		}
	}
	return entries
}

// TestScanNTFSMatchesWimlib captures the same volume with wimlib's NTFS-3G
// mode and compares what `wimlib-imagex dir --detailed` reports with our
// scan: paths, short names, attributes, security descriptors, reparse
// tags, and the size and SHA-1 of every stream.
func TestScanNTFSMatchesWimlib(t *testing.T) {
	img, _ := makeNTFSVolume(t)
	ref := filepath.Join(t.TempDir(), "ref.wim")
	ntfsRun(t, "wimlib-imagex", "capture", img, ref, "--compress=none")
	want := ntfsWimlibDir(t, ref)

	res, err := ScanNTFS(img, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Close()
	got := map[string]*ntfsWimlibEntry{}
	res.Root.Walk(func(d *image.Dentry) error {
		ino := d.Inode
		e := &ntfsWimlibEntry{
			shortName:  image.FromUTF16(d.ShortName()),
			attributes: ino.Attributes,
			reparseTag: ino.ReparseTag,
			streams:    map[string]string{},
		}
		if ino.SecurityID != wimfmt.NoSecurityID {
			e.sd = hex.EncodeToString(res.Security[ino.SecurityID])
		}
		sum := func(b *blob.Blob) string {
			h := sha1.Sum(ntfsReadBlob(t, b))
			return fmt.Sprintf("%d %x", b.Size, h)
		}
		if ino.Data != nil {
			e.streams[""] = sum(ino.Data)
		}
		if ino.Reparse != nil {
			e.streams["reparse"] = sum(ino.Reparse)
		}
		for _, ns := range ino.NamedStreams() {
			if ns.Blob != nil {
				e.streams[":"+image.FromUTF16(ns.Name)] = sum(ns.Blob)
			}
		}
		got[d.Path()] = e
		return nil
	})
	for p, w := range want {
		g := got[p]
		if g == nil {
			t.Errorf("%q: captured by wimlib, not by us", p)
			continue
		}
		if g.shortName != w.shortName || g.attributes != w.attributes || g.reparseTag != w.reparseTag {
			t.Errorf("%q: short name %q attributes %#x tag %#x; wimlib %q %#x %#x",
				p, g.shortName, g.attributes, g.reparseTag, w.shortName, w.attributes, w.reparseTag)
		}
		if g.sd != w.sd {
			t.Errorf("%q: security descriptor\n got %s\nwant %s", p, g.sd, w.sd)
		}
		if fmt.Sprint(g.streams) != fmt.Sprint(w.streams) {
			t.Errorf("%q: streams\n got %v\nwant %v", p, g.streams, w.streams)
		}
	}
	for p := range got {
		if want[p] == nil {
			t.Errorf("%q: captured by us, not by wimlib", p)
		}
	}
	if len(want) < 10 {
		t.Errorf("wimlib listed only %d files", len(want))
	}
}
