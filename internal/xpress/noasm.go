//go:build !amd64 || purego

package xpress

const haveAsm = false

const haveNearAsm = false

func minCostAsm(s *nearState, w *window, n, used int) {
	panic("xpress: no assembly")
}
