//go:build !amd64 || purego

package lzms

// saisAsm: no assembly induction loops here.
const saisAsm = false

func induceLAsm[T saisSymbol](s []T, sa, bkt []int32) {}

func induceSAsm[T saisSymbol](s []T, sa, bkt []int32) {}

func induceAsmFits[T saisSymbol](s []T) bool { return false }

func gatherLMSAsm(sa *int32, n int, lms *uint64, stop int) {}

func mapLMSAsm(sa1, s1 *int32, n1, stop int) {}

func seedAsm[T saisSymbol](s []T, sa, bkt []int32, n1, stop int) {}

func nameAsm[T saisSymbol](s []T, run, name []int32, lms []uint64, names, prev, prevLen, far int) (int, int, int, int) {
	return 0, names, prev, prevLen
}

func findLMSWord(t *int32) (lt, eq uint64) { return 0, 0 }

func findLMSBytes(t *byte) (lt, eq uint64) { return 0, 0 }

func induceFarAsm[T saisSymbol](s []T, sa, bkt []int32, left bool) {}
