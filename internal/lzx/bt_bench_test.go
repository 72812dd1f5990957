package lzx

import "testing"

// BenchmarkBTMatchfinder runs only the binary-tree matchfinder over 32K
// chunks, as the near-optimal parser does at level 50.
func BenchmarkBTMatchfinder(b *testing.B) {
	data := benchData(b)
	bt := newBT[uint16](1 << 15)
	in := make([]byte, 1<<15+inputSlack)
	out := make([]uint32, 0, 1<<20)
	b.SetBytes(int64(len(data)))
	b.ResetTimer()
	for range b.N {
		for p := 0; p < len(data); p += 1 << 15 {
			n := copy(in, data[p:min(p+1<<15, len(data))])
			bt.reset()
			out = out[:0]
			next := 0
			for pos := 0; pos+btMinBytes <= n; pos++ {
				maxLen := min(maxMatchLen, n-pos)
				nice := min(48, maxLen)
				if pos < next {
					bt.skip(in, pos, nice, 24)
					continue
				}
				var best int
				_, best = bt.getMatches(in, pos, maxLen, nice, 24, out[:cap(out)])
				if best >= nice {
					next = pos + best
				}
			}
		}
	}
}
