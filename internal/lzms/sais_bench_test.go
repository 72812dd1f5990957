package lzms

import (
	"fmt"
	"testing"
	"unsafe"

	"github.com/wimgo/wimgo/internal/codectest"
)

// BenchmarkBuildLCP times the matchfinder's build over the first 64 MiB of
// the corpus (or of $LZMS_BENCH_FILE) in chunks of 128 KiB, 1 MiB and 64
// MiB: the suffix array, then the lcps, each chunk reduced first as reset
// does. It reports CPU time (the machine is shared) per input byte: sa-ns/B,
// lcp-ns/B and their sum build-ns/B.
func BenchmarkBuildLCP(b *testing.B) {
	data := benchData(b)
	data = data[:min(len(data), 64<<20)]
	for _, chunk := range []int{128 << 10, 1 << 20, 64 << 20} {
		b.Run(fmt.Sprintf("%dK", chunk>>10), func(b *testing.B) {
			var f lcpFinder
			f.init(chunk, 100)
			f.alloc(min(chunk, len(data)))
			var saT, lcpT int64
			for b.Loop() {
				for off := 0; off < len(data); off += chunk {
					in := f.reduce(data[off:min(len(data), off+chunk)])
					n := len(in)
					sa := f.nodes[:n]
					t0 := codectest.CPUTime()
					suffixArray(in, unsafe.Slice((*int32)(unsafe.Pointer(&sa[0])), n), 256,
						unsafe.Slice((*int32)(unsafe.Pointer(&f.links[0])), n+256), f.lms)
					t1 := codectest.CPUTime()
					f.index(in, sa, f.links[:n])
					t2 := codectest.CPUTime()
					saT += int64(t1 - t0)
					lcpT += int64(t2 - t1)
				}
			}
			bytes := float64(b.N) * float64(len(data))
			b.ReportMetric(float64(saT)/bytes, "sa-ns/B")
			b.ReportMetric(float64(lcpT)/bytes, "lcp-ns/B")
			b.ReportMetric(float64(saT+lcpT)/bytes, "build-ns/B")
		})
	}
}
