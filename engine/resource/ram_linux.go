package resource

import "golang.org/x/sys/unix"

// totalRAM is the machine's memory in bytes, 0 if unknown.
func totalRAM() uint64 {
	var si unix.Sysinfo_t
	if unix.Sysinfo(&si) != nil {
		return 0
	}
	return uint64(si.Totalram) * uint64(si.Unit)
}
