package bench

import (
	"fmt"
	"io"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"testing"
)

// diskVersion names the disk-image generator; change it whenever the
// layout or the contents change, so cached trees are rebuilt.
const diskVersion = "disk-v1"

// BenchmarkCaptureDiskImage captures a tree like a directory of virtual
// disk images: $WIMBENCH_DISK_FILES files (default 4) of
// $WIMBENCH_DISK_MIB MiB each (default 64), laid out from $WIMBENCH_SEED
// in 4 KiB-aligned extents of 4 KiB to 4 MiB: written zeros, holes (the
// files are sparse), one 4 KiB page repeated, x86-64 code (the Go tree's
// pkg/tool binaries), text (the Go tree's .go files) and already-compressed
// data (the Go tree's .gz/.zip/.png files, then pseudo-random bytes). Each
// source is consumed in order, not sampled, so no extent repeats another
// unless the layout says so.
func BenchmarkCaptureDiskImage(b *testing.B) {
	requireWimlib(b)
	src := diskImages(b)
	warmTree(b, src)
	for _, setting := range wideSettings {
		b.Run(setting, func(b *testing.B) { captureBoth(b, src, settingArgs(setting)...) })
	}
}

// diskKinds are the extent kinds and their shares of a file, in percent.
var diskKinds = []struct {
	name  string
	share int
}{
	{"zeros", 15}, {"hole", 20}, {"page", 10}, {"code", 20}, {"text", 20}, {"compressed", 15},
}

func diskImages(b *testing.B) string {
	files := envInt(b, "WIMBENCH_DISK_FILES", 4)
	size := envInt(b, "WIMBENCH_DISK_MIB", 64) << 20
	sd := seed(b)
	gr := goRoot(b)
	dir := fmt.Sprintf("wimbench-disk-%d-%dx%d", sd, files, size>>20)
	version := fmt.Sprintf("%s %s %s", diskVersion, runtime.Version(), gr)
	return cachedTree(b, dir, version, func(root string) error {
		src, err := newDiskSources(gr, sd, files*size)
		if err != nil {
			return err
		}
		rng := rand.New(rand.NewPCG(sd, 0xd15c))
		for i := range files {
			if err := src.writeImage(filepath.Join(root, fmt.Sprintf("disk%d.img", i)), size, rng); err != nil {
				return err
			}
		}
		note("generated %d disk images of %s in %s: %s", files, mib(size), root, src.summary())
		return nil
	})
}

// diskSources hands out the bytes of each extent kind in order.
type diskSources struct {
	code, text, packed []byte // pools, consumed from a cursor each
	ci, ti, pi         int
	random             *rand.ChaCha8 // compressed data after packed runs out
	written            map[string]int64
}

func newDiskSources(goroot string, sd uint64, total int64) (*diskSources, error) {
	var key [32]byte
	for i := range 8 {
		key[i] = byte(sd >> (8 * i))
	}
	s := &diskSources{random: rand.NewChaCha8(key), written: map[string]int64{}}
	tools, err := filepath.Glob(filepath.Join(goroot, "pkg", "tool", "*", "*"))
	if err != nil {
		return nil, err
	}
	sort.Strings(tools)
	for _, t := range tools {
		data, err := os.ReadFile(t)
		if err != nil {
			return nil, err
		}
		s.code = append(s.code, data...)
	}
	// Enough text that it is not reused unless the files are huge.
	want := int(total / 2)
	err = filepath.WalkDir(filepath.Join(goroot, "src"), func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || len(s.text) >= want {
			return err
		}
		if strings.HasSuffix(p, ".go") {
			data, err := os.ReadFile(p)
			s.text = append(s.text, data...)
			return err
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	err = filepath.WalkDir(goroot, func(p string, d fs.DirEntry, err error) error {
		if err != nil || !d.Type().IsRegular() {
			return err
		}
		switch filepath.Ext(p) {
		case ".gz", ".zip", ".png", ".jpg":
			data, err := os.ReadFile(p)
			s.packed = append(s.packed, data...)
			return err
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if len(s.code) == 0 || len(s.text) == 0 {
		return nil, fmt.Errorf("no pkg/tool binaries or .go files under %s", goroot)
	}
	return s, nil
}

// take fills p from pool at *cur, wrapping around when the pool is used up.
func take(p, pool []byte, cur *int) {
	for len(p) > 0 {
		n := copy(p, pool[*cur:])
		p = p[n:]
		*cur = (*cur + n) % len(pool)
	}
}

// fill puts n bytes of kind into p (n = len(p)); holes are not filled.
func (s *diskSources) fill(kind string, p []byte) {
	s.written[kind] += int64(len(p))
	switch kind {
	case "zeros":
		clear(p)
	case "page":
		var page [4096]byte
		take(page[:], s.text, &s.ti)
		for i := 0; i < len(p); i += len(page) {
			copy(p[i:], page[:])
		}
	case "code":
		take(p, s.code, &s.ci)
	case "text":
		take(p, s.text, &s.ti)
	case "compressed":
		n := 0
		if s.pi < len(s.packed) {
			n = copy(p, s.packed[s.pi:])
			s.pi += n
		}
		s.random.Read(p[n:])
	}
}

func (s *diskSources) summary() string {
	var parts []string
	for _, k := range diskKinds {
		parts = append(parts, fmt.Sprintf("%s %s", k.name, mib(s.written[k.name])))
	}
	return strings.Join(parts, ", ")
}

// writeImage writes one image of size bytes: extents of a kind drawn by
// share, 4 KiB << [0, 10] bytes long.
func (s *diskSources) writeImage(path string, size int64, rng *rand.Rand) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close()
	buf := make([]byte, 4<<20)
	for off := int64(0); off < size; {
		n := min(int64(4096)<<rng.IntN(11), size-off)
		r, kind := rng.IntN(100), ""
		for _, k := range diskKinds {
			if r < k.share {
				kind = k.name
				break
			}
			r -= k.share
		}
		if kind == "hole" {
			s.written[kind] += n
			if _, err := f.Seek(n, io.SeekCurrent); err != nil {
				return err
			}
		} else {
			s.fill(kind, buf[:n])
			if _, err := f.Write(buf[:n]); err != nil {
				return err
			}
		}
		off += n
	}
	// A trailing hole needs the size set; Truncate to the current size is
	// harmless otherwise.
	if err := f.Truncate(size); err != nil {
		return err
	}
	if err := f.Sync(); err != nil {
		return err
	}
	return f.Close()
}
