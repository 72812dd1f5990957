package codectest

import (
	"os"
	"testing"
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
