package codectest

import (
	"time"

	"golang.org/x/sys/windows"
)

// CPUTime is the process's user and kernel CPU time so far. Unlike wall
// time it stays meaningful on a machine shared with other jobs.
func CPUTime() time.Duration {
	var creation, exit, kernel, user windows.Filetime
	if windows.GetProcessTimes(windows.CurrentProcess(), &creation, &exit, &kernel, &user) != nil {
		return 0
	}
	// Filetime counts 100 ns units.
	ticks := func(ft windows.Filetime) int64 { return int64(ft.HighDateTime)<<32 | int64(ft.LowDateTime) }
	return time.Duration((ticks(kernel) + ticks(user)) * 100)
}
