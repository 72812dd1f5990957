package lzx

import (
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"testing"
)

// Test inputs are built at run time from the Go toolchain the tests run
// with: source text and the go binary (x86 machine code, many E8 bytes).

var (
	corpusOnce sync.Once
	corpusText []byte
	corpusBin  []byte
)

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

// e8Stress is machine-code-like data with E8 bytes at every position near
// the end of each chunk of size chunk, where the translation window ends.
func e8Stress(n, chunk int) []byte {
	b := randomBytes(n, 7)
	for i := range b {
		if i%3 == 0 {
			b[i] = 0xE8
		}
	}
	for c := 0; c < n; c += chunk {
		end := min(c+chunk, n)
		for i := max(c, end-16); i < end; i++ {
			b[i] = 0xE8
		}
	}
	return b
}
