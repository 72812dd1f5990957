//go:build darwin || freebsd

package resource

import (
	"runtime"

	"golang.org/x/sys/unix"
)

// totalRAM is the machine's memory in bytes, 0 if unknown.
func totalRAM() uint64 {
	name := "hw.physmem"
	if runtime.GOOS == "darwin" {
		name = "hw.memsize"
	}
	n, err := unix.SysctlUint64(name)
	if err != nil {
		return 0
	}
	return n
}
