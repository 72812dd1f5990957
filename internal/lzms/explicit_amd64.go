//go:build amd64 && !purego

package lzms

// relaxExplicitAsm is relaxExplicitGo in assembly (explicit_amd64.s); it
// also stops when the arrival log is full (the caller's append grows it)
// or at a length past keys or lenKey (the caller's bounds check fails).
// explicit_asm_test.go compares the two.
//
//go:noescape
func relaxExplicitAsm(a *parseNodes)

// explicitAsm selects the assembly (tests clear it to run the Go twin).
var explicitAsm = true
