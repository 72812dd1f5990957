package lzx

import (
	"os"
	"strconv"
	"testing"

	"github.com/wimgo/wimgo/internal/codectest"
)

// BenchmarkBTMatchfinder runs only the binary-tree matchfinder over 32K
// chunks, as the near-optimal parser does at level 50 (nice length 48,
// depth 24 or $LZX_BT_DEPTH): the tree walk in Go, and in assembly where
// there is one. cpu-MB/s is the best of the runs in CPU time.
func BenchmarkBTMatchfinder(b *testing.B) {
	data := benchData(b)
	depth := 24
	if d, err := strconv.Atoi(os.Getenv("LZX_BT_DEPTH")); err == nil && d > 0 {
		depth = d
	}
	walks := []string{"go"}
	if btAsm {
		walks = append(walks, "asm")
	}
	for _, walk := range walks {
		b.Run(walk, func(b *testing.B) {
			const chunk, nice = 1 << 15, 48
			bt := newBT[uint16](chunk)
			in := make([]byte, chunk+inputSlack)
			out := make([]uint32, depth+2)
			codectest.LoopCPU(b, len(data), func() {
				for p := 0; p < len(data); p += chunk {
					n := copy(in, data[p:min(p+chunk, len(data))])
					bt.reset()
					next := 0
					for pos := 0; pos+btMinBytes <= n; pos++ {
						maxLen := min(maxMatchLen, n-pos)
						nc := min(nice, maxLen)
						if pos < next {
							if walk == "asm" {
								bt.skip(in, pos, nc, depth)
							} else {
								bt.skipGo(in, pos, nc, depth)
							}
							continue
						}
						var best int
						if walk == "asm" {
							_, best = bt.getMatches(in, pos, maxLen, nc, depth, out)
						} else {
							_, best = bt.getMatchesGo(in, pos, maxLen, nc, depth, out)
						}
						if best >= nc {
							next = pos + best
						}
					}
				}
			})
		})
	}
}
