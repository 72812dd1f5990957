package xpress

// useAsm selects the amd64 assembly versions of the hot loops (see
// asm_amd64.go) when they exist; tests switch it off to compare them with
// the Go code, which produces the same bytes.
var useAsm = haveAsm
