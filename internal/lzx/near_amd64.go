//go:build amd64 && !purego

package lzx

import "golang.org/x/sys/cpu"

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

// nearAVX512 makes minCostPathAsm relax eight lengths of a match at a time
// (AVX-512F). On netgo (32K chunks, same bytes)
// it took 8% off level 50's CPU time and 18% off level 100's, where longer
// repeat matches are offered. Tests clear it to check the scalar loop.
var nearAVX512 = cpu.X86.HasAVX512F
