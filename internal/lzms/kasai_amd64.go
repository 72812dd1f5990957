//go:build amd64 && !purego

package lzms

// kasaiAsm is kasaiGo in assembly (kasai_amd64.s), the comparisons (extend)
// inline and the loop's state in registers; kasai_asm_test.go compares the
// two. lcpAhead is hard-coded there (8).
//
//go:noescape
func kasaiAsm(sa, isa *uint32, in *byte, n int, code *uint8, nice int, shift uint, prefetching bool)

// kasai is kasaiGo in assembly.
func (f *lcpFinder) kasai(in []byte, sa, isa []uint32) {
	n := len(in)
	if n == 0 {
		return
	}
	_, _, _ = sa[n-1], isa[n-1], f.code[f.nice]
	kasaiAsm(&sa[0], &isa[0], &in[0], n, &f.code[0], f.nice, f.posBits, f.prefetching)
}
