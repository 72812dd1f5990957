package codectest

import (
	"os"
	"syscall"
	"testing"
	"time"
)

// EnvFile is the contents of the file named by the environment variable
// env, for the tuning and measuring tests; they skip when it is unset.
func EnvFile(t testing.TB, env string) []byte {
	t.Helper()
	name := os.Getenv(env)
	if name == "" {
		t.Skip(env + " not set")
	}
	data, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// CPUTime is the process's user and system CPU time so far. Unlike wall
// time it stays meaningful on a machine shared with other jobs.
func CPUTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
