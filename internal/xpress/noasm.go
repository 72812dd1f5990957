//go:build !amd64 || purego

package xpress

const haveAsm = false

func btFindAllAsm(m *btMatchfinder, w *window, n, nice, depth int, cache *uint32, room int, counts *uint16) {
	panic("xpress: no assembly")
}

const haveNearAsm = false

func minCostAsm(s *nearState, w *window, n, used int) {
	panic("xpress: no assembly")
}
