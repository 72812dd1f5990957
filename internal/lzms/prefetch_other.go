//go:build !amd64 || purego

package lzms

import "unsafe"

// prefetch is a no-op without the amd64 assembly.
func prefetch(p unsafe.Pointer) {}
