//go:build amd64 && !purego

package lzms

// phiAsm is phiScanGo in assembly (phi_amd64.s), the comparisons
// (extend) inline; phi_asm_test.go compares the two. Below ahead it
// prefetches the text lcpAhead (8, hard-coded) positions on: at every
// size (128 KiB chunks, the index 0.98x the time without).
//
//go:noescape
func phiAsm(links *uint32, in *byte, n int, code *uint8, nice int, shift uint, first int, ahead int)

// intervalsPhiAsm is intervalsPhiGo in assembly (phi_amd64.s); stack has
// room for an interval of every lcp code and the root. Below ahead it
// prefetches the lcp intervalsAhead (16, hard-coded) ranks on.
//
//go:noescape
func intervalsPhiAsm(sa, links *uint32, n int, shift uint, stack *uint32, ahead int, lcpBits uint32) (count int)

// phiScan is phiScanGo in assembly.
func (f *lcpFinder) phiScan(in []byte, links []uint32, first int) {
	n := len(in)
	_, _ = links[n-1], f.code[f.nice]
	ahead := max(n-lcpAhead, 0) // compared unsigned
	phiAsm(&links[0], &in[0], n, &f.code[0], f.nice, f.posBits, first, ahead)
}

// buildIntervalsPhi is intervalsPhiGo in assembly. links must have an
// entry for every position in sa.
func (f *lcpFinder) buildIntervalsPhi(sa, links []uint32) int {
	n := len(sa)
	_ = links[n-1]
	stack := make([]uint32, len(f.length)+1)
	ahead := max(n-intervalsAhead, 0) // compared unsigned
	return intervalsPhiAsm(&sa[0], &links[0], n, f.posBits, &stack[0], ahead, ^(uint32(1)<<f.posBits - 1))
}
