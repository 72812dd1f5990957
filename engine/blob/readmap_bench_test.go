//go:build linux

package blob

import (
	"crypto/sha1"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"golang.org/x/sys/unix"

	"github.com/wimgo/wimgo/internal/fsutil"
)

// BenchmarkReadVsMap measures the choice openSource makes (NOTES in
// source.go): hashing a file through pread into a reused 1 MiB buffer, or
// through a read-only mapping, for small and large files, warm (in the page
// cache) and cold-ish (evicted with POSIX_FADV_DONTNEED before each pass, so
// the bytes come from the disk cache of the host, not ours).
//
//	go test ./engine/blob -run '^$' -bench ReadVsMap -benchtime 2s
func BenchmarkReadVsMap(b *testing.B) {
	dir := b.TempDir()
	buf := make([]byte, 1<<20)
	for _, size := range []int{4 << 10, 64 << 10, 256 << 10, 1 << 20, 64 << 20} {
		// Many files of the small sizes, so that a pass is not one cache line.
		n := max(1, (64<<20)/size)
		n = min(n, 256)
		paths := make([]string, n)
		data := make([]byte, size)
		for i := range data {
			data[i] = byte(i*7>>3) ^ byte(i>>11)
		}
		for i := range paths {
			paths[i] = filepath.Join(dir, fmt.Sprintf("f%d-%d", size, i))
			if err := os.WriteFile(paths[i], data, 0o644); err != nil {
				b.Fatal(err)
			}
		}
		for _, cold := range []bool{false, true} {
			for _, how := range []string{"read", "mmap"} {
				name := fmt.Sprintf("size=%d/cold=%v/%s", size, cold, how)
				b.Run(name, func(b *testing.B) {
					b.SetBytes(int64(size * n))
					for b.Loop() {
						if cold {
							b.StopTimer()
							for _, p := range paths {
								evict(b, p)
							}
							b.StartTimer()
						}
						for _, p := range paths {
							fd, err := fsutil.OpenFD(p)
							if err != nil {
								b.Fatal(err)
							}
							if how == "read" {
								h := sha1.New()
								for off := int64(0); off < int64(size); {
									k, err := fsutil.ReadAt(fd, buf, off)
									if err != nil || k == 0 {
										b.Fatal(err)
									}
									h.Write(buf[:k])
									off += int64(k)
								}
							} else {
								m, err := unix.Mmap(fd, 0, size, unix.PROT_READ, unix.MAP_SHARED)
								if err != nil {
									b.Fatal(err)
								}
								unix.Madvise(m, unix.MADV_SEQUENTIAL)
								sha1.Sum(m)
								unix.Munmap(m)
							}
							fsutil.CloseFD(fd)
						}
					}
				})
			}
		}
	}
}

func evict(b *testing.B, p string) {
	fd, err := fsutil.OpenFD(p)
	if err != nil {
		b.Fatal(err)
	}
	unix.Fdatasync(fd)
	unix.Fadvise(fd, 0, 0, unix.FADV_DONTNEED)
	fsutil.CloseFD(fd)
}
