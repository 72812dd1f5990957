//go:build ntfs3g

package oracle

import (
	"bytes"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf16"

	"github.com/wimgo/wimgo/engine/wimfmt"
	"github.com/wimgo/wimgo/engine/wimread"
)

// ntfsImage makes an NTFS file system image holding the MakeTree tree plus a
// named stream, without mounting: wimlib applies a WIM onto an image file
// through libntfs-3g.
func ntfsImage(t *testing.T) (img, src string) {
	t.Helper()
	Require(t, "wimlib-imagex", "mkntfs", "ntfscp")
	dir := t.TempDir()
	src = MakeTree(t, dir)
	wim := filepath.Join(dir, "fill.wim")
	Run(t, "wimlib-imagex", "capture", src, wim, "--compress=none", "--norpfix")
	img = filepath.Join(dir, "ntfs.img")
	f, err := os.Create(img)
	if err != nil {
		t.Fatal(err)
	}
	f.Truncate(96 << 20)
	f.Close()
	Run(t, "mkntfs", "-F", "-f", "-q", img)
	Run(t, "wimlib-imagex", "apply", wim, "1", img)
	stream := filepath.Join(dir, "stream")
	os.WriteFile(stream, []byte("named stream data\n"), 0o644)
	Run(t, "ntfscp", "-q", "-N", "extra", img, stream, "/one")
	return img, src
}

// TestNTFSCaptureMatchesWimlib: NTFS VOLUME CAPTURE of the same image by
// us and by wimlib; the differential check applies, plus both WIMs applied
// back onto fresh NTFS images give the same volumes.
func TestNTFSCaptureMatchesWimlib(t *testing.T) {
	img, _ := ntfsImage(t)
	dir := t.TempDir()
	ourWIM, theirWIM := filepath.Join(dir, "o.wim"), filepath.Join(dir, "w.wim")
	ours(t, "wimcapture", img, ourWIM, "vol", "--compress=LZX")
	Run(t, "wimlib-imagex", "capture", img, theirWIM, "vol", "--compress=LZX")
	Verify(t, ourWIM)
	do := DirDetailedOptions{CompressedSizes: true}
	da := DirDetailed(t, ourWIM, do)
	db := normalizeDirLinks(DirDetailed(t, theirWIM, do))
	if da != db {
		t.Fatalf("wimdir --detailed differs:\n%s", firstDiff(da, db))
	}
	if xa, xb := InfoXML(t, ourWIM), InfoXML(t, theirWIM); xa != xb {
		t.Fatalf("wiminfo --xml differs:\nours:   %s\nwimlib: %s", xa, xb)
	}
	// Apply both to directories (NTFS-specific data is dropped the same
	// way for both) and compare.
	a, b := filepath.Join(dir, "a"), filepath.Join(dir, "b")
	Apply(t, ourWIM, 1, a)
	Apply(t, theirWIM, 1, b)
	// Absolute links are re-rooted the same way: both captures mark them
	// fixed (wimlib 1.13.5 with the default --rpfix).
	CompareTrees(t, "applied NTFS captures", Snapshot(t, a), Snapshot(t, b))
	decodeAll(t, ourWIM)
}

// TestNTFSPipable: NTFS volume capture to a pipable WIM file and to
// standard output (the volume stays mounted until the file data, written
// last, is read). The stream applies from a pipe, the file verifies, both
// are the same bytes, and the applied trees match what wimlib's own
// capture of the volume applies to.
func TestNTFSPipable(t *testing.T) {
	img, _ := ntfsImage(t)
	dir := t.TempDir()
	env := []string{"SOURCE_DATE_EPOCH=1700000000"}
	pipWIM, refWIM := filepath.Join(dir, "p.wim"), filepath.Join(dir, "w.wim")
	if out, err := oursErr("wimcapture", env, img, pipWIM, "--pipable"); err != nil {
		t.Fatalf("wimcapture --pipable: %v\n%s", err, out)
	}
	Run(t, "wimlib-imagex", "verify", pipWIM)
	file, _ := os.ReadFile(pipWIM)
	if string(file[:5]) != "WLPWM" {
		t.Fatalf("magic %q", file[:8])
	}

	// wimcapture IMG - | wimapply - 1 OUT
	piped := filepath.Join(dir, "piped")
	capture := exec.Command(filepath.Join(bin, "wimcapture"), img, "-")
	capture.Env = append(os.Environ(), env...)
	var stream, capErr bytes.Buffer
	apply := exec.Command("wimlib-imagex", "apply", "-", "1", piped)
	pr, err := capture.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	apply.Stdin = io.TeeReader(pr, &stream)
	capture.Stderr = &capErr
	applyOut, err := func() ([]byte, error) {
		if err := capture.Start(); err != nil {
			t.Fatal(err)
		}
		out, err := apply.CombinedOutput()
		io.Copy(io.Discard, pr)
		if cerr := capture.Wait(); cerr != nil {
			t.Fatalf("wimcapture %s -: %v\n%s", img, cerr, capErr.Bytes())
		}
		return out, err
	}()
	if err != nil {
		t.Fatalf("wimapply - from wimcapture's standard output: %v\n%s", err, applyOut)
	}
	if !bytes.Equal(stream.Bytes(), file) {
		t.Fatalf("standard output (%d bytes) differs from the --pipable file (%d bytes)", stream.Len(), len(file))
	}

	Run(t, "wimlib-imagex", "capture", img, refWIM)
	want := filepath.Join(dir, "want")
	Apply(t, refWIM, 1, want)
	fromFile := filepath.Join(dir, "file")
	Apply(t, pipWIM, 1, fromFile)
	sw := Snapshot(t, want)
	CompareTrees(t, "pipable stream applied vs wimlib's capture applied", Snapshot(t, piped), sw)
	CompareTrees(t, "pipable file applied vs wimlib's capture applied", Snapshot(t, fromFile), sw)
	if len(sw) < 20 {
		t.Fatalf("only %d files applied", len(sw))
	}
}

// reparseHelper sets raw reparse points on an unmounted NTFS image through
// libntfs-3g: helper IMAGE PATH HEX [PATH HEX]... (no command-line tool
// makes a junction).
const reparseHelper = `
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ntfs-3g/types.h>
#include <ntfs-3g/layout.h>
#include <ntfs-3g/inode.h>
#include <ntfs-3g/dir.h>
#include <ntfs-3g/reparse.h>
#include <ntfs-3g/volume.h>

int main(int argc, char **argv) {
	ntfs_volume *vol = ntfs_mount(argv[1], 0);
	if (!vol) {
		perror(argv[1]);
		return 1;
	}
	for (int i = 2; i + 1 < argc; i += 2) {
		ntfs_inode *ni = ntfs_pathname_to_inode(vol, NULL, argv[i]);
		if (!ni) {
			perror(argv[i]);
			return 1;
		}
		size_t n = strlen(argv[i + 1]) / 2;
		char *buf = malloc(n);
		for (size_t j = 0; j < n; j++)
			sscanf(argv[i + 1] + 2 * j, "%2hhx", (unsigned char *)&buf[j]);
		if (ntfs_set_ntfs_reparse_data(ni, buf, n, 0)) {
			perror(argv[i]);
			return 1;
		}
		free(buf);
		ntfs_inode_close(ni);
	}
	if (ntfs_umount(vol, FALSE)) {
		perror("umount");
		return 1;
	}
	return 0;
}
`

// mountPointReparse is a junction's reparse buffer (tag, length, names).
func mountPointReparse(subst, print string) []byte {
	s, p := utf16le(subst+"\x00"), utf16le(print+"\x00")
	data := binary.LittleEndian.AppendUint16(nil, 0)
	data = binary.LittleEndian.AppendUint16(data, uint16(len(s)-2))
	data = binary.LittleEndian.AppendUint16(data, uint16(len(s)))
	data = binary.LittleEndian.AppendUint16(data, uint16(len(p)-2))
	data = append(append(data, s...), p...)
	return reparseBuffer(0xA0000003, data)
}

func reparseBuffer(tag uint32, data []byte) []byte {
	b := binary.LittleEndian.AppendUint32(nil, tag)
	b = binary.LittleEndian.AppendUint16(b, uint16(len(data)))
	b = binary.LittleEndian.AppendUint16(b, 0)
	return append(b, data...)
}

func utf16le(s string) []byte {
	var b []byte
	for _, u := range utf16.Encode([]rune(s)) {
		b = binary.LittleEndian.AppendUint16(b, u)
	}
	return b
}

// dentryReparse lists, for every reparse point of image 1 of wim, what its
// dentry says: attributes, tag, the reserved field and the rp flags
// (NOT_FIXED), which `wimdir --detailed` does not show.
func dentryReparse(t *testing.T, wim string) map[string]string {
	t.Helper()
	w, f, err := wimread.Open(wim)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	meta, err := w.ReadMetadata(1)
	if err != nil {
		t.Fatal(err)
	}
	_, off, err := wimfmt.ParseSecurityData(meta)
	if err != nil {
		t.Fatal(err)
	}
	root, _, _, err := wimfmt.ParseDentry(meta, off)
	if err != nil || root == nil {
		t.Fatalf("%s: no root dentry: %v", wim, err)
	}
	out := map[string]string{}
	var walk func(off uint64, dir string)
	walk = func(off uint64, dir string) {
		for p := int(off); off != 0; {
			d, next, end, err := wimfmt.ParseDentry(meta, p)
			if err != nil {
				t.Fatal(err)
			}
			if end {
				return
			}
			p = next
			path := dir + "/" + DecodeUTF16(d.Name)
			if d.Attributes&wimfmt.AttrReparsePoint != 0 {
				out[path] = fmt.Sprintf("attributes %#x tag %#x reserved %#x flags %#x", d.Attributes, d.ReparseTag, d.ReparseReserved, d.RPFlags)
			} else if d.Attributes&wimfmt.AttrDirectory != 0 {
				walk(d.SubdirOffset, path)
			}
		}
	}
	walk(root.SubdirOffset, "")
	return out
}

// TestNTFSReparseFixups: NTFS volume capture of absolute and relative
// symbolic links, a junction and another reparse point, with the default
// reparse-point fixups, --rpfix and --norpfix. Each dentry's reparse
// fields (NOT_FIXED above all) and the header's RP_FIX flag match
// wimlib's capture of the same volume, and both WIMs apply to the same
// tree (absolute targets re-rooted at the extraction directory when fixed).
func TestNTFSReparseFixups(t *testing.T) {
	Require(t, "wimlib-imagex", "mkntfs", "gcc", "pkg-config")
	dir := t.TempDir()
	src := filepath.Join(dir, "src")
	for _, d := range []string{"target/dir", "junction"} {
		if err := os.MkdirAll(filepath.Join(src, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	os.WriteFile(filepath.Join(src, "target/file"), []byte("target\n"), 0o644)
	os.WriteFile(filepath.Join(src, "other"), []byte("other\n"), 0o644)
	for link, target := range map[string]string{"abs-file": "/target/file", "abs-dir": "/target/dir", "rel": "target/file"} {
		if err := os.Symlink(target, filepath.Join(src, link)); err != nil {
			t.Fatal(err)
		}
	}
	fill := filepath.Join(dir, "fill.wim")
	Run(t, "wimlib-imagex", "capture", src, fill, "--compress=none", "--norpfix")
	img := filepath.Join(dir, "ntfs.img")
	if err := os.WriteFile(img, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	os.Truncate(img, 16<<20)
	Run(t, "mkntfs", "-F", "-f", "-q", img)
	Run(t, "wimlib-imagex", "apply", fill, "1", img)

	csrc, helper := filepath.Join(dir, "helper.c"), filepath.Join(dir, "helper")
	os.WriteFile(csrc, []byte(reparseHelper), 0o644)
	flags := strings.Fields(Run(t, "pkg-config", "--cflags", "--libs", "libntfs-3g"))
	Run(t, "gcc", append([]string{"-std=gnu99", "-o", helper, csrc,
		"-DHAVE_STDARG_H", "-DHAVE_STDINT_H", "-DHAVE_STDDEF_H", "-DHAVE_STDIO_H", "-DHAVE_SYS_TYPES_H",
		"-DHAVE_SYS_STAT_H", "-DHAVE_TIME_H", "-DHAVE_ENDIAN_H", "-DHAVE_BYTESWAP_H"}, flags...)...)
	Run(t, helper, img,
		"/junction", hex.EncodeToString(mountPointReparse(`\??\C:\target\dir`, `C:\target\dir`)),
		// IO_REPARSE_TAG_HSM2: not a link, never fixed.
		"/other", hex.EncodeToString(reparseBuffer(0x80000006, []byte("hsm data"))))

	for _, opt := range [][]string{nil, {"--rpfix"}, {"--norpfix"}} {
		t.Run(fmt.Sprint(opt), func(t *testing.T) {
			d := t.TempDir()
			ourWIM, theirWIM := filepath.Join(d, "o.wim"), filepath.Join(d, "w.wim")
			ours(t, "wimcapture", append([]string{img, ourWIM}, opt...)...)
			Run(t, "wimlib-imagex", append([]string{"capture", img, theirWIM}, opt...)...)
			ra, rb := dentryReparse(t, ourWIM), dentryReparse(t, theirWIM)
			if fmt.Sprint(ra) != fmt.Sprint(rb) {
				t.Fatalf("reparse dentry fields:\nours:   %v\nwimlib: %v", ra, rb)
			}
			for _, p := range []string{"/abs-file", "/abs-dir", "/rel", "/junction", "/other"} {
				if ra[p] == "" {
					t.Fatalf("%s is not a reparse point in the capture: %v", p, ra)
				}
			}
			ha, hb := readHeader(t, ourWIM), readHeader(t, theirWIM)
			if ha.Flags&wimfmt.HdrFlagRPFix != hb.Flags&wimfmt.HdrFlagRPFix {
				t.Fatalf("header flags %#x, wimlib's %#x: RP_FIX differs", ha.Flags, hb.Flags)
			}
			do := DirDetailedOptions{CompressedSizes: true}
			if da, db := DirDetailed(t, ourWIM, do), normalizeDirLinks(DirDetailed(t, theirWIM, do)); da != db {
				t.Fatalf("wimdir --detailed differs:\n%s", firstDiff(da, db))
			}
			a, b := filepath.Join(d, "a"), filepath.Join(d, "b")
			Apply(t, ourWIM, 1, a)
			Apply(t, theirWIM, 1, b)
			CompareTrees(t, "applied NTFS captures", Snapshot(t, a), Snapshot(t, b))
		})
	}
}
