package codectest

import (
	"os"
	"testing"
)

// EnvFile is the contents of the file named by the environment variable
// env, for checks run by hand on a file of one's own (the test skips when
// it is unset).
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
