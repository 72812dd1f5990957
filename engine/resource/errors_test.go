package resource

import (
	"bytes"
	"crypto/sha1"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// writeErr writes b (after a good blob) and returns the first error from
// Write, Flush or Close.
func writeErr(t *testing.T, opts Options, b *Blob) error {
	t.Helper()
	w, err := NewWriter(&memFile{}, 0, opts)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	if err := w.Write(&Blob{Size: 5, Data: []byte("hello")}); err != nil {
		t.Fatal(err)
	}
	err = w.Write(b)
	if err == nil {
		err = w.Flush()
	}
	if err == nil {
		return nil
	}
	// Sticky: later calls report the same error.
	if err2 := w.Write(&Blob{Size: 1, Data: []byte("x")}); err2 != err {
		t.Errorf("error not sticky: %v, then %v", err, err2)
	}
	if err2 := w.Close(); err2 != err {
		t.Errorf("Close: %v, want %v", err2, err)
	}
	return err
}

func allPipes(t *testing.T) []Options {
	useRLE(t)
	return []Options{
		{Type: None, Threads: 1}, {Type: None, Threads: 3},
		{Type: rleType, Threads: 1}, {Type: rleType, Threads: 3},
	}
}

func TestVanishedPath(t *testing.T) {
	p := filepath.Join(t.TempDir(), "gone")
	for _, o := range allPipes(t) {
		for _, size := range []int64{10, 3 << 20} {
			err := writeErr(t, o, &Blob{Size: size, Path: p})
			if err == nil || !strings.Contains(err.Error(), p) || !errors.Is(err, fs.ErrNotExist) {
				t.Errorf("%v/%d: %v", o.Type, size, err)
			}
		}
	}
}

func TestChangedSize(t *testing.T) {
	p := filepath.Join(t.TempDir(), "f")
	data := testData(100000, 1)
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, o := range allPipes(t) {
		for _, b := range []*Blob{
			{Size: 99999, Path: p},
			{Size: 100001, Path: p},
			{Size: 100001, Open: func() (io.ReadCloser, error) { return os.Open(p) }, Name: "short"},
			{Size: 99999, Open: func() (io.ReadCloser, error) { return os.Open(p) }, Name: "long"},
			{Size: 10, Data: data, Name: "data"},
		} {
			name := b.Name
			if name == "" {
				name = p
			}
			err := writeErr(t, o, b)
			if err == nil || !strings.HasPrefix(err.Error(), name+": file changed size") || !errors.Is(err, ErrChanged) {
				t.Errorf("%v/%d: %v", o.Type, o.Threads, err)
			}
		}
	}
}

// TestChangedOnRewrite: an incompressible multi-chunk blob is read again for
// the uncompressed rewrite; a source whose bytes differ the second time is
// an error, not a resource that does not match its hash.
func TestChangedOnRewrite(t *testing.T) {
	useRLE(t)
	data := randomData(200000, 1)
	for _, threads := range []int{1, 2} {
		opens := 0
		b := &Blob{Size: int64(len(data)), Name: "flaky", Open: func() (io.ReadCloser, error) {
			opens++
			d := data
			if opens > 1 {
				d = bytes.Clone(data)
				d[1000] ^= 1
			}
			return io.NopCloser(bytes.NewReader(d)), nil
		}}
		err := writeErr(t, Options{Type: rleType, Threads: threads}, b)
		if err == nil || !strings.HasPrefix(err.Error(), "flaky: ") || !errors.Is(err, ErrChanged) || opens != 2 {
			t.Errorf("threads=%d: %v (opens %d)", threads, err, opens)
		}
	}
}

func TestEmptyBlob(t *testing.T) {
	w, _ := NewWriter(&memFile{}, 0, Options{})
	if err := w.Write(&Blob{Name: "empty"}); err == nil {
		t.Error("size 0 accepted")
	}
}

func TestWriteError(t *testing.T) {
	for _, o := range allPipes(t) {
		w, err := NewWriter(failWriter{}, 0, o)
		if err != nil {
			t.Fatal(err)
		}
		w.Write(&Blob{Size: 1000, Data: testData(1000, 1)})
		if err := w.Close(); err == nil || !strings.Contains(err.Error(), "disk full") {
			t.Errorf("%+v: %v", o, err)
		}
	}
}

type failWriter struct{}

func (failWriter) WriteAt([]byte, int64) (int, error) { return 0, errors.New("disk full") }

// TestHashedBeforeWriting: the Writer stores the engine's blobs as they
// are: a hash computed before writing (blobs merged by it) is checked
// against the bytes stored, a template's Assumed hash is replaced by the
// real one, except in a pipable WIM, whose stream header carries it first.
func TestHashedBeforeWriting(t *testing.T) {
	data := testData(100000, 3)
	wrong := sha1.Sum([]byte("something else"))
	for _, c := range []struct {
		opts    Options
		assumed bool
		fails   bool
	}{
		{Options{}, false, true},
		{Options{Type: LZX}, false, true},
		{Options{}, true, false},
		{Options{Type: XPRESS}, true, false},
		{Options{Type: LZX, Pipable: true}, true, true},
	} {
		w, err := NewWriter(&memFile{}, 0, c.opts)
		if err != nil {
			t.Fatal(err)
		}
		b := &Blob{Size: int64(len(data)), Data: data, Name: "f", Hash: wrong, Hashed: true, Assumed: c.assumed}
		err = w.Write(b)
		if err == nil {
			err = w.Close()
		}
		switch {
		case c.fails && !errors.Is(err, ErrChanged):
			t.Errorf("%+v assumed %v: %v, want a changed-content error", c.opts, c.assumed, err)
		case !c.fails && (err != nil || b.Hash != sha1.Sum(data) || !b.Hashed || b.Assumed):
			t.Errorf("%+v assumed %v: %v, hash %x hashed %v assumed %v; want the real hash", c.opts, c.assumed, err, b.Hash, b.Hashed, b.Assumed)
		}
	}
}
