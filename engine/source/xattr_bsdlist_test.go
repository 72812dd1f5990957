package source

import (
	"slices"
	"testing"
)

// TestSplitExtattrNames: FreeBSD's length-prefixed attribute lists become
// namespaced names, and a list whose lengths run past its end is an error,
// not a name made of what follows.
func TestSplitExtattrNames(t *testing.T) {
	got, err := splitExtattrNames([]byte("\x01a\x03bcd\x05mime."), "user.")
	if want := []string{"user.a", "user.bcd", "user.mime."}; err != nil || !slices.Equal(got, want) {
		t.Errorf("got %q, %v; want %q", got, err, want)
	}
	if got, err := splitExtattrNames(nil, "system."); err != nil || len(got) != 0 {
		t.Errorf("empty list: %q, %v", got, err)
	}
	for _, bad := range []string{"\x04abc", "\x01a\x00", "\x02a"} {
		if got, err := splitExtattrNames([]byte(bad), "user."); err == nil {
			t.Errorf("%q: %q, want an error", bad, got)
		}
	}
}
