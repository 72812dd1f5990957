//go:build amd64 && !purego

package xpress

import "golang.org/x/sys/cpu"

// haveAsm says the assembly routines below are real.
const haveAsm = true

// btFindAllAsm is the loop of findAllMatches with its tree walks
// (uint16 positions) in assembly (bt_amd64.s), one call per chunk: cache
// and counts as findAllMatches fills them, room = len(cache)-depth-1.
// asm_test.go compares it with the Go loop.
//
//go:noescape
func btFindAllAsm(m *btMatchfinder, w *window, n, nice, depth int, cache *uint32, room int, counts *uint16)

// haveWriteAsm says writeItemsAsm can run (it needs BMI2).
var haveWriteAsm = cpu.X86.HasBMI2

// writeItemsAsm is the item loop of Compressor.write (encode_amd64.s),
// starting with nothing pending and the slots write starts with; it returns
// the pending bits and count and the slots and cursor after the last item.
//
//go:noescape
func writeItemsAsm(out *outBuf, enc *[numSymbols]uint32, items []uint64) (acc uint64, n uint, r1, r2, b int)

// haveNearAsm says minCostAsm can run: it needs AVX-512 (F, with the
// operating system saving the registers), AVX2 and BMI1/2.
var haveNearAsm = cpu.X86.HasAVX512F && cpu.X86.HasAVX2 && cpu.X86.HasBMI1 && cpu.X86.HasBMI2

// minCostAsm is the loop of nearState.minCost over positions n-1..0
// (near_amd64.s): s.cost (with room for n+2 entries), s.choice, s.counts,
// s.cache (used = the number of cached matches) and s.symTab as
// minCost sets them up. asm_test.go compares its output with the Go loop.
//
//go:noescape
func minCostAsm(s *nearState, w *window, n, used int)

// lazyParseAsm is the loop of parseLazy with the matchfinder's longest and
// skip (hc_amd64.s), one call per chunk: it fills items[:k] and freqs as
// the Go loop does and returns k and the match-length bytes it adds.
// asm_test.go compares it with the Go loop.
//
//go:noescape
func lazyParseAsm(m *hcMatchfinder, w *window, n, nice, depth, far int, items *uint64, freqs *[numSymbols]uint32) (k, extra int)
