package resource

import (
	"bytes"
	"crypto/sha1"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sync"
	"testing"
)

// memFile is an in-memory io.WriterAt/io.ReaderAt that grows on demand;
// safe for concurrent use like a file.
type memFile struct {
	mu sync.Mutex
	b  []byte
}

func (m *memFile) WriteAt(p []byte, off int64) (int, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if end := off + int64(len(p)); end > int64(len(m.b)) {
		if end > int64(cap(m.b)) {
			nb := make([]byte, end, 2*end)
			copy(nb, m.b)
			m.b = nb
		}
		m.b = m.b[:end]
	}
	copy(m.b[off:], p)
	return len(p), nil
}

func (m *memFile) ReadAt(p []byte, off int64) (int, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if off >= int64(len(m.b)) {
		return 0, io.EOF
	}
	n := copy(p, m.b[off:])
	if n < len(p) {
		return n, io.EOF
	}
	return n, nil
}

// testData returns n bytes that compress somewhat (text-like runs mixed
// with noise), deterministic in seed.
func testData(n int, seed uint64) []byte {
	r := rand.New(rand.NewPCG(seed, 1))
	b := make([]byte, n)
	for i := 0; i < n; {
		run := 1 + r.IntN(40)
		c := byte('a' + r.IntN(4))
		if r.IntN(4) == 0 {
			c = byte(r.Uint32())
			run = 1
		}
		for j := 0; j < run && i < n; j++ {
			b[i] = c
			i++
		}
	}
	return b
}

func randomData(n int, seed uint64) []byte {
	r := rand.New(rand.NewPCG(seed, 2))
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(r.Uint32())
	}
	return b
}

// blobKinds builds a blob holding data from each kind of source.
var blobKinds = []string{"Data", "Path", "Open"}

func makeBlob(t testing.TB, kind string, data []byte) *Blob {
	b := &Blob{Size: int64(len(data))}
	switch kind {
	case "Data":
		b.Data = data
		b.Name = "data"
	case "Path":
		p := filepath.Join(t.TempDir(), "f")
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		b.Path = p
	case "Open":
		b.Open = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(data)), nil }
		b.Name = "stream"
	}
	return b
}

// checkBlob reads b's resource back from f and compares it with data.
func checkBlob(t testing.TB, f io.ReaderAt, b *Blob, data []byte, typ Type, chunk int) {
	t.Helper()
	if b.Hash != sha1.Sum(data) {
		t.Fatalf("hash mismatch for %d-byte blob", len(data))
	}
	if b.Hdr.OriginalSize != int64(len(data)) {
		t.Fatalf("OriginalSize %d, want %d", b.Hdr.OriginalSize, len(data))
	}
	got, err := Read(f, b.Hdr, typ, chunk, 1<<40)
	if err != nil {
		t.Fatalf("Read: %v (hdr %+v)", err, b.Hdr)
	}
	if !bytes.Equal(got, data) {
		t.Fatalf("Read: content differs (%d bytes, hdr %+v)", len(data), b.Hdr)
	}
	rd, err := NewReader(f, b.Hdr, typ, chunk)
	if err != nil {
		t.Fatal(err)
	}
	got2, err := io.ReadAll(io.LimitReader(rd, int64(len(data))+1))
	if err != nil || !bytes.Equal(got2, data) {
		t.Fatalf("NewReader: err %v, equal %v", err, bytes.Equal(got2, data))
	}
}
