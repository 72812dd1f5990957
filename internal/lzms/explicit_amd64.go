//go:build amd64 && !purego

package lzms

import "golang.org/x/sys/cpu"

// relaxExplicitAsm is relaxExplicitGo in assembly (explicit_amd64.s); it
// also stops when the arrival log is full (the caller's append grows it)
// or at a length past keys or lenKey (the caller's bounds check fails).
// explicit_asm_test.go compares the two.
//
//go:noescape
func relaxExplicitAsm(a *parseNodes)

// explicitAVX512 makes relaxExplicitAsm relax eight lengths at a time
// (AVX-512F and BMI2). Tests clear it to check the scalar loop.
var explicitAVX512 = cpu.X86.HasAVX512F && cpu.X86.HasBMI2

// explicitAsm selects the assembly (tests clear it to run the Go twin).
var explicitAsm = true
