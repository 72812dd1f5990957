package oracle

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// bin holds our freshly built wimcapture and wimappend.
var bin string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "wimgo-bin")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	out, err := exec.Command("go", "build", "-tags", buildTags, "-o", dir, "github.com/wimgo/wimgo/cmd/...").CombinedOutput()
	if err != nil {
		fmt.Fprintf(os.Stderr, "building the commands: %v\n%s", err, out)
		os.Exit(1)
	}
	bin = dir
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
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
