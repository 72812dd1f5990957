package bench

import (
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"
)

// deepVersion names the deep-tree generator; change it whenever names,
// layout or contents change, so cached trees are rebuilt.
const deepVersion = "deep-v1"

// deepDepth is how many directory levels the deep tree has below its root.
const deepDepth = 10

// BenchmarkCaptureDeepTree captures $WIMBENCH_DEEP_FILES small files
// (default 1,000,000) in a tree deepDepth directories deep, each
// directory with the same number of subdirectories (the fan-out that puts
// about 16 files in each directory: 3 for a million files), files spread
// over all directories from $WIMBENCH_SEED: 5% empty, the others 1 byte to
// 4 KiB (log-uniform), text-like, one in ten a copy of one of 256 shared
// files. Besides the usual metrics it reports wall time and peak memory
// per file for both tools.
func BenchmarkCaptureDeepTree(b *testing.B) {
	requireWimlib(b)
	src, n := deepTree(b)
	warmTree(b, src)
	for _, setting := range wideSettings {
		b.Run(setting, func(b *testing.B) {
			o, t := captureBoth(b, src, settingArgs(setting)...)
			b.ReportMetric(o.wall.Seconds()*1e6/float64(n), "ours-us/file")
			b.ReportMetric(t.wall.Seconds()*1e6/float64(n), "wimlib-us/file")
			b.ReportMetric(float64(o.rssKB)*1024/float64(n), "ours-rss-B/file")
			b.ReportMetric(float64(t.rssKB)*1024/float64(n), "wimlib-rss-B/file")
			b.ReportMetric(float64(o.rssKB)/float64(t.rssKB), "rss-ratio")
		})
	}
}

// deepLayout is the deep tree's shape: fanout subdirectories per directory
// and the directories in breadth-first order (index 0 is the root).
type deepLayout struct {
	files, fanout int
	dirs          []string // relative paths
}

func newDeepLayout(files int) deepLayout {
	f := max(2, int(math.Round(math.Pow(float64(files)/16, 1.0/deepDepth))))
	l := deepLayout{files: files, fanout: f, dirs: []string{"."}}
	level := []string{"."}
	for d := range deepDepth {
		var next []string
		for _, p := range level {
			for i := range f {
				next = append(next, filepath.Join(p, fmt.Sprintf("L%d_%d", d+1, i)))
			}
		}
		l.dirs = append(l.dirs, next...)
		level = next
	}
	return l
}

// deepWords make the files' text; a small vocabulary, as in source code
// and configuration files, so the data compresses as such files do.
var deepWords = strings.Fields(`the of and to in is for that with on as by this be are from at or
an it not which have has can all will but if one may was more other
return func var const type struct int string byte error nil true false
package import config value name path file data size count index offset
buffer stream chunk header table entry image volume index version flags`)

var deepExts = []string{".txt", ".c", ".h", ".json", ".xml", ".ini", ".log", ".dll", ".cfg", ""}

// deepFile is file i's name and contents: a function of seed and i alone,
// so that workers can make files in any order.
func deepFile(sd uint64, i int, buf []byte) (name string, data []byte) {
	rng := rand.New(rand.NewPCG(sd, uint64(i)))
	name = fmt.Sprintf("f%07d%s", i, deepExts[rng.IntN(len(deepExts))])
	switch r := rng.IntN(100); {
	case r < 5:
		return name, buf[:0]
	case r < 15:
		// A shared file: its contents depend on its number alone.
		shared := rng.IntN(256)
		return name, deepText(rand.New(rand.NewPCG(sd, 1<<40+uint64(shared))), buf, -1)
	}
	return name, deepText(rng, buf, i)
}

// deepText writes words (and the file number, unless it is -1) into buf up
// to a log-uniform size of 1 byte to 4 KiB.
func deepText(rng *rand.Rand, buf []byte, i int) []byte {
	size := int(math.Exp(rng.Float64() * math.Log(4096)))
	out := buf[:0]
	if i >= 0 {
		out = fmt.Appendf(out, "file %d\n", i)
	}
	for len(out) < size {
		out = append(out, deepWords[rng.IntN(len(deepWords))]...)
		if rng.IntN(10) == 0 {
			out = append(out, '\n')
		} else {
			out = append(out, ' ')
		}
	}
	return out[:size]
}

func deepTree(b *testing.B) (string, int) {
	files := int(envInt(b, "WIMBENCH_DEEP_FILES", 1000000))
	sd := seed(b)
	l := newDeepLayout(files)
	dir := fmt.Sprintf("wimbench-deep-%d-%d", sd, files)
	root := cachedTree(b, dir, deepVersion, func(root string) error {
		if err := checkRoom(root, int64(files+len(l.dirs)), int64(files)*4096+int64(len(l.dirs))*4096); err != nil {
			b.Skip(err)
		}
		start := time.Now()
		if err := l.generate(root, sd); err != nil {
			return err
		}
		note("generated %d files in %d directories (fan-out %d) in %s: %v", files, len(l.dirs), l.fanout, root, time.Since(start).Round(time.Millisecond))
		return nil
	})
	return root, files
}

// generate makes the directories level by level, then the files on
// several workers (creating files is system-call bound).
func (l deepLayout) generate(root string, sd uint64) error {
	for _, d := range l.dirs[1:] {
		if err := os.Mkdir(filepath.Join(root, d), 0o755); err != nil {
			return err
		}
	}
	workers := 4 * runtime.NumCPU()
	errs := make(chan error, workers)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			buf := make([]byte, 8192)
			for i := w; i < l.files; i += workers {
				name, data := deepFile(sd, i, buf)
				// The directory: a hash of i, so neighbours scatter.
				d := l.dirs[int(rand.New(rand.NewPCG(sd^0xd1, uint64(i))).Uint64()%uint64(len(l.dirs)))]
				if err := os.WriteFile(filepath.Join(root, d, name), data, 0o644); err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	return <-errs
}
