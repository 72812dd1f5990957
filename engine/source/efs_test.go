package source

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"
	"testing/iotest"
)

// fakeEFS exports each file's raw data in pieces of the given sizes
// through one buffer that it overwrites after every callback, as the real
// API may: a reader that kept the slice instead of its bytes reads junk.
type fakeEFS struct {
	data    map[string][]byte
	pieces  []int
	openErr error
	readErr error // returned by read after the first piece
	dirs    map[string]bool
	live    int // contexts open
	stopped bool
	exports int
}

func (f *fakeEFS) open(path string, dir bool) (uintptr, error) {
	if f.openErr != nil {
		return 0, f.openErr
	}
	if _, ok := f.data[path]; !ok {
		return 0, errors.New("file not found")
	}
	if f.dirs == nil {
		f.dirs = make(map[string]bool)
	}
	f.dirs[path] = dir
	f.live++
	return uintptr(len(path)), nil
}

func (f *fakeEFS) read(ctx uintptr, export func([]byte) error) error {
	f.exports++
	var path string
	for p := range f.data {
		if uintptr(len(p)) == ctx {
			path = p
		}
	}
	src := f.data[path]
	buf := make([]byte, 64)
	for i := 0; len(src) > 0; i++ {
		n := min(f.pieces[i%len(f.pieces)], len(src), len(buf))
		copy(buf, src[:n])
		src = src[n:]
		if err := export(buf[:n]); err != nil {
			f.stopped = true
			return errors.New("ERROR_READ_FAULT")
		}
		for j := range buf {
			buf[j] = 0xEE
		}
		if f.readErr != nil {
			return f.readErr
		}
	}
	return nil
}

func (f *fakeEFS) close(uintptr) { f.live-- }

func rawBytes(n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(i*7 + i/251)
	}
	return b
}

func TestEFSRawSizeAndReader(t *testing.T) {
	const path = `\\?\C:\secret.txt`
	raw := rawBytes(1000)
	f := &fakeEFS{data: map[string][]byte{path: raw}, pieces: []int{1, 64, 17, 33}}
	size, err := efsRawSize(f, path, `C:\secret.txt`, false)
	if err != nil || size != int64(len(raw)) {
		t.Fatalf("size %d, %v; want %d", size, err, len(raw))
	}
	if f.live != 0 || f.dirs[path] {
		t.Fatalf("after sizing: %d contexts open, dir=%v", f.live, f.dirs[path])
	}
	// Reads of 3 bytes and of 1 byte: every piece arrives whole and in
	// order although the API's buffer changes after each callback.
	for _, wrap := range []func(io.Reader) io.Reader{
		func(r io.Reader) io.Reader { return r },
		iotest.OneByteReader,
		iotest.HalfReader,
	} {
		r := efsReader(f, path, `C:\secret.txt`, false, size)
		got, err := io.ReadAll(wrap(r))
		if err != nil || !bytes.Equal(got, raw) {
			t.Fatalf("read %d bytes, %v; want the %d raw bytes", len(got), err, len(raw))
		}
		r.Close()
		if f.live != 0 {
			t.Fatalf("%d contexts left open", f.live)
		}
	}

	// A directory is opened as one.
	f.data[`\\?\C:\dir`] = raw[:5]
	if n, err := efsRawSize(f, `\\?\C:\dir`, `C:\dir`, true); err != nil || n != 5 || !f.dirs[`\\?\C:\dir`] {
		t.Errorf("directory: %d, %v, opened as directory %v", n, err, f.dirs[`\\?\C:\dir`])
	}

	// A second export longer than the first: the first size bytes, no
	// more (as wimlib).
	r := efsReader(f, path, `C:\secret.txt`, false, 300)
	if got, err := io.ReadAll(r); err != nil || !bytes.Equal(got, raw[:300]) {
		t.Errorf("prefix: %d bytes, %v", len(got), err)
	}
	r.Close()

	// Shorter: an error naming the file and the counts.
	r = efsReader(f, path, `C:\secret.txt`, false, 1200)
	got, err := io.ReadAll(r)
	r.Close()
	if err == nil || !strings.Contains(err.Error(), `C:\secret.txt: only 1000 of 1200 bytes`) || len(got) != 1000 {
		t.Errorf("short export: %d bytes, %v", len(got), err)
	}

	// Closed early: the export is stopped through the callback's error
	// and its context closed before Close returns.
	f.stopped = false
	r = efsReader(f, path, `C:\secret.txt`, false, size)
	if _, err := io.ReadFull(r, make([]byte, 10)); err != nil {
		t.Fatal(err)
	}
	r.Close()
	if !f.stopped || f.live != 0 {
		t.Errorf("early close: export stopped %v, %d contexts open", f.stopped, f.live)
	}
}

func TestEFSRawErrors(t *testing.T) {
	const path = `\\?\C:\secret.txt`
	f := &fakeEFS{data: map[string][]byte{path: rawBytes(100)}, pieces: []int{10}, openErr: errors.New("Access is denied.")}
	_, err := efsRawSize(f, path, `C:\secret.txt`, false)
	if err == nil || err.Error() != `C:\secret.txt: cannot open the encrypted file for raw reading: Access is denied.` {
		t.Errorf("open failing: %v", err)
	}
	_, err = io.ReadAll(efsReader(f, path, `C:\secret.txt`, false, 100))
	if err == nil || !strings.Contains(err.Error(), `C:\secret.txt: cannot open the encrypted file for raw reading`) {
		t.Errorf("reader, open failing: %v", err)
	}

	f = &fakeEFS{data: map[string][]byte{path: rawBytes(100)}, pieces: []int{10}, readErr: errors.New("The request is not supported.")}
	if _, err := efsRawSize(f, path, `C:\secret.txt`, false); err == nil || err.Error() != `C:\secret.txt: cannot read the raw encrypted data: The request is not supported.` || f.live != 0 {
		t.Errorf("read failing: %v, %d open", err, f.live)
	}
	r := efsReader(f, path, `C:\secret.txt`, false, 100)
	got, err := io.ReadAll(r)
	r.Close()
	if err == nil || !strings.Contains(err.Error(), "cannot read the raw encrypted data") || len(got) != 10 || f.live != 0 {
		t.Errorf("reader, read failing: %d bytes, %v, %d open", len(got), err, f.live)
	}
}
