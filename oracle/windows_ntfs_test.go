//go:build ntfs3g

package oracle

import (
	"debug/pe"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wimgo/wimgo/internal/hive/hivetest"
)

// windowsVolume makes an NTFS image holding src (wimlib captures the
// tree and applies it to a fresh volume).
func windowsVolume(t *testing.T, src string) string {
	t.Helper()
	dir := t.TempDir()
	wim := filepath.Join(dir, "fill.wim")
	Run(t, "wimlib-imagex", "capture", src, wim, "--compress=none", "--norpfix")
	img := filepath.Join(dir, "ntfs.img")
	f, err := os.Create(img)
	if err != nil {
		t.Fatal(err)
	}
	f.Truncate(32 << 20)
	f.Close()
	Run(t, "mkntfs", "-F", "-f", "-q", img)
	Run(t, "wimlib-imagex", "apply", wim, "1", img)
	return img
}

// TestWindowsNTFS: an NTFS volume holding Windows is described as wimlib
// describes it, with good hives and with broken ones (read through
// libntfs-3g, not the directory tree).
func TestWindowsNTFS(t *testing.T) {
	Require(t, "wimlib-imagex", "mkntfs")
	hivetest.Require(t)
	t.Run("good", func(t *testing.T) {
		files := windowsFiles(t, "Windows", "System32/config", pe.IMAGE_FILE_MACHINE_AMD64, hivetest.Software(), hivetest.System())
		img := windowsVolume(t, windowsTree(t, files))
		if out := sameWindowsXML(t, img, "<PRODUCTNAME>Windows 10 Pro</PRODUCTNAME>"); strings.Contains(out, "WARNING") {
			t.Errorf("warnings for good files:\n%s", out)
		}
	})
	t.Run("broken, lower case", func(t *testing.T) {
		files := map[string][]byte{}
		for p, b := range brokenHives(t) {
			files[strings.ToLower(p)] = b
		}
		img := windowsVolume(t, windowsTree(t, files))
		out := sameWindowsXML(t, img, "<HAL>acpiapic</HAL>")
		if !strings.Contains(out, "WARNING: windows/system32/config/software is not a valid registry hive") {
			t.Errorf("no warning for the truncated hive:\n%s", out)
		}
	})
}
