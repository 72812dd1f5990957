package engine

import (
	"os"
	"os/exec"
	"testing"
)

// deadPID returns the PID of a process that has exited.
func deadPID(t *testing.T) int {
	t.Helper()
	cmd := exec.Command("true")
	if err := cmd.Run(); err != nil {
		t.Skipf("cannot run true: %v", err)
	}
	return cmd.Process.Pid
}

// TestProcessRuns: this process runs, an exited one does not.
func TestProcessRuns(t *testing.T) {
	if !processRuns(os.Getpid()) {
		t.Error("this process is taken for gone")
	}
	if pid := deadPID(t); processRuns(pid) {
		t.Errorf("exited process %d is taken for running", pid)
	}
}
