//go:build amd64 && !purego

package lzx

// haveNearAsm says minCostPathAsm is real.
const haveNearAsm = true

// minCostPathAsm is the main loop of minCostPath (near_amd64.s) over
// positions [0, size) of the block starting at in[start]: nodes (size+1
// of them, initialized), costs, the block's cached matches and counts, the
// queue ring and gaps as minCostPath uses them; q0 is the queue at the
// block's start. near_asm_test.go compares it with the Go loop.
//
//go:noescape
func minCostPathAsm(in *byte, start, size int, nodes *optNode, costs *costModel, cache *uint32, counts *uint16, queues *uint64, gaps *uint32, q0 uint64)
