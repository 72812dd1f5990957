package lzx

import (
	"go/build"
	"testing"
)

// TestUncheckedLoadsLittleEndianOnly: load_unsafe.go reads words in the
// machine's byte order, which is the format's (little-endian) only on
// little-endian targets; big-endian ones must build the checked loads
// (s390x builds got wrong match lengths).
func TestUncheckedLoadsLittleEndianOnly(t *testing.T) {
	for _, tc := range []struct {
		arch   string
		little bool
	}{
		{"amd64", true}, {"arm64", true}, {"386", true}, {"riscv64", true}, {"ppc64le", true}, {"loong64", true},
		{"s390x", false}, {"ppc64", false}, {"mips", false}, {"mips64", false},
	} {
		ctx := build.Default
		ctx.GOOS, ctx.GOARCH, ctx.BuildTags = "linux", tc.arch, nil
		unchecked, err := ctx.MatchFile(".", "load_unsafe.go")
		if err != nil {
			t.Fatal(err)
		}
		checked, err := ctx.MatchFile(".", "load_safe.go")
		if err != nil {
			t.Fatal(err)
		}
		if unchecked != tc.little || checked == tc.little {
			t.Errorf("GOARCH=%s: load_unsafe.go built %v, load_safe.go built %v; want unchecked loads only on little-endian targets", tc.arch, unchecked, checked)
		}
	}
}
