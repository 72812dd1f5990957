//go:build !purego && (386 || amd64 || arm || arm64 || loong64 || mips64le || mipsle || ppc64le || riscv64 || wasm)

package lzx

import "unsafe"

// Unchecked loads, the default on little-endian targets (they read in the
// machine's byte order; big-endian targets and the purego build tag get
// the checked ones in load_safe.go, and the tests run both): only the
// compressor uses them, on its own copy of the chunk (Compressor.in), and
// it only loads at indexes below the chunk length, with inputSlack bytes
// after the chunk, so a word load never leaves the buffer. The decoder never uses them.
// Measured on a tar of GOROOT/src/net plus the go binary (32K chunks, CPU
// time): level 20 +14%, level 50 +12% over the checked loads.

func load32(b []byte, i int) uint32 {
	return *(*uint32)(unsafe.Add(unsafe.Pointer(unsafe.SliceData(b)), i))
}

func load64(b []byte, i int) uint64 {
	return *(*uint64)(unsafe.Add(unsafe.Pointer(unsafe.SliceData(b)), i))
}

func load16(b []byte, i int) uint16 {
	return *(*uint16)(unsafe.Add(unsafe.Pointer(unsafe.SliceData(b)), i))
}
