package cli

import (
	"errors"
	"flag"
	"math/big"
	"reflect"
	"strings"
	"testing"
)

// FuzzParseArgs: the option parser (NUL-separated arguments) never panics,
// gives the same answer twice, and what it accepts passes through the
// argument checks without panicking; every size it accepts is exact (no
// overflow) and positive.
func FuzzParseArgs(f *testing.F) {
	for _, s := range []string{
		"src\x00out.wim",
		"--compress\x00fast\x00src\x00--check\x00out.wim\x00Name\x00--threads=3\x00Desc",
		"src\x00out.wim\x00--\x00\x00--boot",
		"--solid\x00--solid-chunk-size=64MiB\x00--solid-compress=LZMS:80\x00a\x00b",
		"--chunk-size=32K\x00--image-property\x00A=1\x00--flags=X\x00a\x00b",
		"--rebuild\x00--unsafe-compact\x00a\x00b",
		"--update-of=x.wim:1\x00--delta-from=b.wim\x00--delta-from=c.wim\x00a\x00b",
		"--chunk-size=17179869185G\x00a\x00b",
		"--threads=-1\x00a\x00b",
		"--help",
		"--bogus\x00a\x00b",
	} {
		f.Add(s, false)
		f.Add(s, true)
	}
	f.Fuzz(func(t *testing.T, line string, appendCmd bool) {
		cmd := Capture
		if appendCmd {
			cmd = Append
		}
		args := strings.Split(line, "\x00")
		a, err := Parse(cmd, args)
		b, err2 := Parse(cmd, args)
		if (err == nil) != (err2 == nil) || !reflect.DeepEqual(a, b) {
			t.Fatalf("two parses differ: %+v %v / %+v %v", a, err, b, err2)
		}
		for _, arg := range args {
			if _, v, ok := strings.Cut(arg, "="); ok {
				checkSize(t, v)
			}
			checkSize(t, arg)
			ParseCompress(arg)
		}
		if err != nil {
			if !errors.Is(err, ErrUsage) && !errors.Is(err, flag.ErrHelp) && !errors.Is(err, ErrVersion) {
				t.Fatalf("not a usage error: %v", err)
			}
			return
		}
		if a.ChunkSize < 0 || a.SolidChunkSize < 0 {
			t.Fatalf("negative chunk size: %+v", a)
		}
		checkArgs(cmd, a)
		defaultName(a.Source)
	})
}

// checkSize compares ParseSize with exact arithmetic.
func checkSize(t *testing.T, v string) {
	n, err := ParseSize(v)
	if err != nil {
		return
	}
	s := strings.ToUpper(strings.TrimSpace(v))
	mult := int64(1)
	for _, suf := range []struct {
		s string
		m int64
	}{{"KIB", 1 << 10}, {"MIB", 1 << 20}, {"GIB", 1 << 30}, {"K", 1 << 10}, {"M", 1 << 20}, {"G", 1 << 30}} {
		if strings.HasSuffix(s, suf.s) {
			s, mult = strings.TrimSuffix(s, suf.s), suf.m
			break
		}
	}
	want, ok := new(big.Int).SetString(s, 10)
	if !ok {
		t.Fatalf("ParseSize(%q) = %d, but %q is not a number", v, n, s)
	}
	want.Mul(want, big.NewInt(mult))
	if n <= 0 || want.Cmp(big.NewInt(int64(n))) != 0 {
		t.Fatalf("ParseSize(%q) = %d, want %v", v, n, want)
	}
}
