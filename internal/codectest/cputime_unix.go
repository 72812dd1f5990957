//go:build unix

package codectest

import (
	"syscall"
	"time"
)

// CPUTime is the process's user and system CPU time so far. Unlike wall
// time it stays meaningful on a machine shared with other jobs.
func CPUTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
