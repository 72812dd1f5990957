//go:build !amd64 || purego

package lzx

const haveNearAsm = false

func minCostPathAsm(in *byte, start, size int, nodes *optNode, costs *costModel, cache *uint32, counts *uint16, queues *uint64, gaps *uint32, q0 uint64) {
	panic("lzx: no assembly")
}
