package resource

import (
	"runtime"
	"testing"
)

// TestTotalRAM: the systems whose memory size is asked for give one, and
// the memory budget is half of it.
func TestTotalRAM(t *testing.T) {
	switch runtime.GOOS {
	case "linux", "darwin", "freebsd", "windows":
	default:
		t.Skip("memory size not asked on " + runtime.GOOS)
	}
	ram := totalRAM()
	if ram < 64<<20 {
		t.Fatalf("totalRAM() = %d bytes", ram)
	}
	if got := memBudget(); got != int64(ram/2) {
		t.Errorf("memBudget() = %d, want half of %d", got, ram)
	}
}
