//go:build amd64 && !purego

package xpress

import "golang.org/x/sys/cpu"

// haveAsm says the assembly routines below are real.
const haveAsm = true

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
