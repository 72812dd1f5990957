//go:build amd64 && !purego

package lzms

// intervalsAsm is buildIntervalsGo in assembly (intervals_amd64.s), the
// stack's top and the scan's state in registers; stack has room for an
// interval of every lcp code and the root. It returns the count of
// intervals.
//
//go:noescape
func intervalsAsm(sa, links *uint32, n int, shift uint, stack *uint32) (count int)

// buildIntervals is buildIntervalsGo in assembly. links must have an
// entry for every position in sa.
func (f *lcpFinder) buildIntervals(sa, links []uint32) int {
	n := len(sa)
	if n == 0 {
		return 0
	}
	_ = links[n-1]
	stack := make([]uint32, len(f.length)+1)
	return intervalsAsm(&sa[0], &links[0], n, f.posBits, &stack[0])
}
