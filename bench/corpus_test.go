package bench

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
)

// wideSettings are the settings every generated corpus is captured at:
// one per codec at its default level, LZX's fastest and slowest, and
// --solid (LZMS:50 in 64 MiB chunks).
var wideSettings = []string{"none", "XPRESS:50", "LZX:20", "LZX:50", "LZX:100", "LZMS:50", "solid"}

// settingArgs is the command line for a setting of wideSettings.
func settingArgs(setting string) []string {
	if setting == "solid" {
		return []string{"--solid"}
	}
	return []string{"--compress=" + setting}
}

// envInt is the integer in environment variable name, or def when it is
// unset; a value that is not an integer stops the benchmark.
func envInt(b testing.TB, name string, def int64) int64 {
	v := os.Getenv(name)
	if v == "" {
		return def
	}
	n, err := strconv.ParseInt(strings.ReplaceAll(v, "_", ""), 10, 64)
	if err != nil || n < 0 {
		b.Fatalf("%s=%q: want a non-negative integer", name, v)
	}
	return n
}

// seed is $WIMBENCH_SEED (default 1): the generated corpora are a function
// of it, their size knobs and the generator's version.
func seed(b testing.TB) uint64 { return uint64(envInt(b, "WIMBENCH_SEED", 1)) }

// cachedTree returns dir/tree under the system's temporary directory,
// made by gen unless an earlier run left a complete one made by the same
// generator version. The marker sits beside the tree, not in it, so it is
// not captured; a version change (or a run interrupted before the marker
// was written) rebuilds the tree from scratch.
func cachedTree(b testing.TB, dir, version string, gen func(root string) error) string {
	b.Helper()
	base := filepath.Join(os.TempDir(), dir)
	root, done := filepath.Join(base, "tree"), filepath.Join(base, "complete")
	if v, err := os.ReadFile(done); err == nil && string(v) == version {
		return root
	}
	if err := os.RemoveAll(base); err != nil {
		b.Fatal(err)
	}
	if err := os.MkdirAll(root, 0o755); err != nil {
		b.Fatal(err)
	}
	if err := gen(root); err != nil {
		b.Fatalf("generating %s: %v", root, err)
	}
	if err := os.WriteFile(done, []byte(version), 0o644); err != nil {
		b.Fatal(err)
	}
	return root
}

// note prints a line about the corpora: a parent benchmark's b.Log output
// is not shown by go test unless the benchmark fails.
func note(format string, args ...any) { fmt.Printf("    "+format+"\n", args...) }

// mib formats a byte count for logs.
func mib(n int64) string { return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20)) }

// warmTree reads every regular file of src once, on a few goroutines, so
// that the first setting measured does not read the tree from disk while
// the tool after it, and every later setting, find it in the page cache:
// in session 11 the deep tree's first capture (ours, none) took 5.8x
// wimlib's wall, cold, and 0.84x when run again warm.
func warmTree(b testing.TB, src string) {
	b.Helper()
	paths := make(chan string, 1024)
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			buf := make([]byte, 64<<10)
			for p := range paths {
				if f, err := os.Open(p); err == nil {
					for {
						if _, err := f.Read(buf); err != nil {
							break
						}
					}
					f.Close()
				}
			}
		}()
	}
	err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err == nil && d.Type().IsRegular() {
			paths <- p
		}
		return err
	})
	close(paths)
	wg.Wait()
	if err != nil {
		b.Fatalf("reading %s into the page cache: %v", src, err)
	}
}
