package cli

import (
	"os"
	"runtime/pprof"
)

// startProfile writes a CPU profile to $WIMGO_CPUPROFILE, for measuring
// where a capture spends its time; it returns the function that stops it.
func startProfile() func() {
	path := os.Getenv("WIMGO_CPUPROFILE")
	if path == "" {
		return func() {}
	}
	f, err := os.Create(path)
	if err != nil {
		return func() {}
	}
	pprof.StartCPUProfile(f)
	return func() { pprof.StopCPUProfile(); f.Close() }
}
