//go:build !amd64 || purego

package xpress

const haveAsm = false

func btFindAllAsm(m *btMatchfinder, w *window, n, nice, depth int, cache *uint32, room int, counts *uint16) {
	panic("xpress: no assembly")
}

const haveWriteAsm = false

func writeItemsAsm(out *outBuf, enc *[numSymbols]uint32, items []uint64) (acc uint64, n uint, r1, r2, b int) {
	panic("xpress: no assembly")
}

const haveNearAsm = false

func minCostAsm(s *nearState, w *window, n, used int) {
	panic("xpress: no assembly")
}

func lazyParseAsm(m *hcMatchfinder, w *window, n, nice, depth, far int, items *uint64, freqs *[numSymbols]uint32) (k, extra int) {
	panic("xpress: no assembly")
}
