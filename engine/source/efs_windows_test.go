//go:build windows

package source

import (
	"io"
	"os"
	"strings"
	"testing"

	"github.com/wimgo/wimgo/engine/image"
	"github.com/wimgo/wimgo/engine/wimfmt"
)

// TestWindowsReadEncrypted runs readEncrypted, what the scan does with a
// file marked FILE_ATTRIBUTE_ENCRYPTED, through advapi32's raw EFS API
// on a file made here. Under Wine (the oracle's TestWineEFSRaw sets
// WIMGO_WINE=1), which can make no encrypted file and whose
// OpenEncryptedFileRawW is a stub, the raw export must fail, failing the
// capture with an error naming the file, as wimlib's does. On Windows,
// where the file is not really encrypted, an export that works must give
// its whole size back through the reader, and one that fails must name
// the file.
func TestWindowsReadEncrypted(t *testing.T) {
	// Not t.TempDir: its cleanup (os.RemoveAll) fails under Wine 8.0.
	f, err := os.CreateTemp("", "secret*.txt")
	if err != nil {
		t.Fatal(err)
	}
	p := f.Name()
	t.Cleanup(func() { os.Remove(p) })
	_, err = f.WriteString("plain text\n")
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		t.Fatal(err)
	}
	ext, err := winExtendedPath(p)
	if err != nil {
		t.Fatal(err)
	}
	s := &winScan{opts: &Options{}}
	ino := &image.Inode{Attributes: wimfmt.AttrEncrypted | wimfmt.AttrArchive}
	size, err := s.readEncrypted(ext, ino)
	if os.Getenv("WIMGO_WINE") == "1" {
		want := p + ": cannot open the encrypted file for raw reading: "
		if err == nil || !strings.HasPrefix(err.Error(), want) {
			t.Fatalf("readEncrypted under Wine: %v; want an error beginning %q", err, want)
		}
		if ino.Data != nil || len(s.efs) != 0 {
			t.Fatal("a failed raw export left a blob")
		}
		return
	}
	if err != nil {
		if !strings.HasPrefix(err.Error(), p+": ") {
			t.Fatalf("error %q does not name %s", err, p)
		}
		return
	}
	if size <= 0 || ino.Data == nil || ino.Data.Size != size || len(s.efs) != 1 {
		t.Fatalf("size %d, blob %+v", size, ino.Data)
	}
	r, err := ino.Data.Reader()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	b, err := io.ReadAll(r)
	if err != nil || int64(len(b)) != size {
		t.Fatalf("read %d of %d bytes: %v", len(b), size, err)
	}
}
