package xpress

import (
	"os"
	"testing"
)

func BenchmarkFloorInsert(b *testing.B) {
	data, _ := os.ReadFile(os.Getenv("XPRESS_BENCH_FILE"))
	m := new(hcMatchfinder)
	w := new(window)
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		for i := 0; i+32768 <= len(data); i += 32768 {
			copy(w[:], data[i:i+32768])
			m.reset()
			m.skip(w, 0, 32768)
		}
	}
}
