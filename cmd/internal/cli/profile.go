package cli

import (
	"os"
	"runtime"
	"runtime/pprof"
)

// startProfile writes a CPU profile to $WIMGO_CPUPROFILE, for measuring
// where a capture spends its time, and a heap profile (at the end, with
// every allocation sampled) to $WIMGO_MEMPROFILE, for where its memory
// goes; it returns the function that finishes them.
func startProfile() func() {
	stop := func() {}
	if path := os.Getenv("WIMGO_CPUPROFILE"); path != "" {
		if f, err := os.Create(path); err == nil {
			pprof.StartCPUProfile(f)
			stop = func() { pprof.StopCPUProfile(); f.Close() }
		}
	}
	path := os.Getenv("WIMGO_MEMPROFILE")
	if path == "" {
		return stop
	}
	runtime.MemProfileRate = 1
	return func() {
		stop()
		if f, err := os.Create(path); err == nil {
			pprof.Lookup("allocs").WriteTo(f, 0)
			f.Close()
		}
	}
}
