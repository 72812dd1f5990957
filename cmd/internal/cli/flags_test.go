package cli

import (
	"errors"
	"flag"
	"strconv"
	"testing"
)

func TestParseOptionsAnywhere(t *testing.T) {
	a, err := Parse(Capture, []string{"--compress", "fast", "src", "--check", "out.wim", "Name", "--threads=3", "Desc", "--image-property", "A=1", "--image-property=B/C[1]=2"})
	if err != nil {
		t.Fatal(err)
	}
	if a.Source != "src" || a.WIMFile != "out.wim" || a.Name != "Name" || !a.NameSet || a.Description != "Desc" {
		t.Fatalf("positionals: %+v", a)
	}
	if a.Compress != "fast" || !a.Check || a.Threads != 3 || len(a.Properties) != 2 || a.Properties[1].Name != "B/C[1]" || a.Properties[1].Value != "2" {
		t.Fatalf("options: %+v", a)
	}
	// "--" ends options; an empty name is a name.
	a, err = Parse(Capture, []string{"src", "out.wim", "--", "", "--boot"})
	if err != nil || !a.NameSet || a.Name != "" || a.Description != "--boot" || a.Boot {
		t.Fatalf("after --: %+v %v", a, err)
	}
	if _, err := Parse(Capture, []string{"--help"}); !errors.Is(err, flag.ErrHelp) {
		t.Fatalf("--help: %v", err)
	}
	for _, bad := range [][]string{{"src"}, {"a", "b", "c", "d", "e"}, {"--chunk-size=1X", "a", "b"}, {"--bogus", "a", "b"}} {
		if _, err := Parse(Capture, bad); !errors.Is(err, ErrUsage) {
			t.Fatalf("%v: want a usage error, got %v", bad, err)
		}
	}
}

func TestParseSizeAndCompress(t *testing.T) {
	for in, want := range map[string]int{"32768": 32768, "32K": 32768, "32k": 32768, "64KiB": 65536, "1M": 1 << 20, "2MiB": 2 << 20, "1G": 1 << 30} {
		if got, err := ParseSize(in); err != nil || got != want {
			t.Errorf("ParseSize(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "0", "-1", "1T", "K"} {
		if _, err := ParseSize(bad); err == nil {
			t.Errorf("ParseSize(%q) accepted", bad)
		}
	}
	if ty, lv, err := ParseCompress("LZX:100"); err != nil || ty != "LZX" || lv != 100 {
		t.Fatalf("LZX:100 -> %s %d %v", ty, lv, err)
	}
	if ty, lv, err := ParseCompress("Maximum"); err != nil || ty != "Maximum" || lv != 0 {
		t.Fatalf("Maximum -> %s %d %v", ty, lv, err)
	}
	// wimlib takes levels 1 to 2^32-2 (its codecs saturate huge ones).
	if ty, lv, err := ParseCompress("XPRESS:4294967294"); strconv.IntSize == 64 && (err != nil || ty != "XPRESS" || int64(lv) != 1<<32-2) {
		t.Fatalf("XPRESS:4294967294 -> %s %d %v", ty, lv, err)
	}
	for _, bad := range []string{"zip", "LZX:", "LZX:0", "LZX:x", "none:-3", "LZX:4294967295", "LZMS:99999999999"} {
		if _, _, err := ParseCompress(bad); err == nil {
			t.Errorf("ParseCompress(%q) accepted", bad)
		}
	}
}

func TestDefaultName(t *testing.T) {
	for in, want := range map[string]string{"/a/b/mytree": "mytree", "mytree/": "mytree", "/": "", "dir\\sub": "sub", ".": "."} {
		if got := defaultName(in); got != want {
			t.Errorf("defaultName(%q) = %q, want %q", in, got, want)
		}
	}
}
