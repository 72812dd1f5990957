//go:build !purego

package lzms

import "unsafe"

// prefetch asks the cache for the line at p (PREFETCHT0); it never faults.
//
//go:noescape
func prefetch(p unsafe.Pointer)
