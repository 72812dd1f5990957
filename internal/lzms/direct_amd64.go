//go:build amd64 && !purego

package lzms

// directAsm is directGo in assembly (direct_amd64.s): the two prefetches
// instructions instead of calls, the comparisons inline;
// direct_asm_test.go compares the two. lcpDirectAhead is hard-coded there
// (16).
//
//go:noescape
func directAsm(sa *uint32, in *byte, n int, code *uint8, nice int, shift uint)

// direct is directGo in assembly.
func (f *lcpFinder) direct(in []byte, sa []uint32) {
	n := len(in)
	if n == 0 {
		return
	}
	_, _ = sa[n-1], f.code[f.nice]
	directAsm(&sa[0], &in[0], n, &f.code[0], f.nice, f.posBits)
}
