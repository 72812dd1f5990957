package xpress

import (
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"testing"
)

// Test inputs are built at run time from the Go toolchain the tests run
// with: source text and the go binary.

var (
	corpusOnce sync.Once
	corpusText []byte
	corpusBin  []byte
)

// loadCorpus returns up to 4 MiB of Go source text and the go binary.
func loadCorpus(t testing.TB) (text, bin []byte) {
	corpusOnce.Do(func() {
		root := runtime.GOROOT()
		filepath.WalkDir(filepath.Join(root, "src", "net"), func(p string, d os.DirEntry, err error) error {
			if err == nil && !d.IsDir() && filepath.Ext(p) == ".go" && len(corpusText) < 4<<20 {
				if b, err := os.ReadFile(p); err == nil {
					corpusText = append(corpusText, b...)
				}
			}
			return nil
		})
		if b, err := os.ReadFile(filepath.Join(root, "bin", "go")); err == nil {
			corpusBin = b
		} else if exe, err := os.Executable(); err == nil {
			corpusBin, _ = os.ReadFile(exe)
		}
	})
	if len(corpusText) == 0 || len(corpusBin) == 0 {
		t.Skip("no corpus: Go toolchain files not readable")
	}
	return corpusText, corpusBin
}

func randomBytes(n int, seed uint64) []byte {
	r := rand.New(rand.NewPCG(seed, 1))
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(r.Uint32())
	}
	return b
}
