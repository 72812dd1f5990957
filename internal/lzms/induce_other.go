//go:build !amd64 || purego

package lzms

// saisAsm: no assembly induction loops here.
const saisAsm = false

func induceLAsm[T saisSymbol](s []T, sa, bkt []int32) {}

func induceSAsm[T saisSymbol](s []T, sa, bkt []int32) {}

func induceAsmFits[T saisSymbol](s []T) bool { return false }

func gatherLMSAsm(sa *int32, i, n int, lms *uint64, m int) {}
