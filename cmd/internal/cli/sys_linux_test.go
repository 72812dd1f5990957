package cli

import (
	"os"
	"testing"
)

// TestProcessRuns: this process runs, an exited one does not (deadPID is
// in the Linux-only output_test.go).
func TestProcessRuns(t *testing.T) {
	if !processRuns(os.Getpid()) {
		t.Error("this process is taken for gone")
	}
	if pid := deadPID(t); processRuns(pid) {
		t.Errorf("exited process %d is taken for running", pid)
	}
}
