package oracle

import (
	"path/filepath"
	"testing"
)

// bin holds our freshly built wimcapture and wimappend.
var bin string

func TestMain(m *testing.M) {
	RunWithCommands(m, buildTags, func(dir string) { bin = dir })
}

// ours runs our wimcapture or wimappend, failing the test on error.
func ours(t testing.TB, cmd string, args ...string) string {
	t.Helper()
	return Run(t, filepath.Join(bin, cmd), args...)
}

// oursErr runs our command and returns its output and error.
func oursErr(cmd string, env []string, args ...string) (string, error) {
	return RunEnv(env, filepath.Join(bin, cmd), args...)
}
