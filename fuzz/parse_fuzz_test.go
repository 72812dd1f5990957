package fuzz

import (
	"bytes"
	"strings"
	"testing"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/wimgo/wimgo/engine/source"
)

// FuzzParseConfig: the capture configuration parser never panics, keeps
// its patterns canonical, reads the same text in UTF-16LE as in UTF-8, and
// matching with what it accepts never panics.
func FuzzParseConfig(f *testing.F) {
	for _, s := range []string{
		"[ExclusionList]\n/tmp\n*.bak\n\n[ExclusionException]\n/tmp/keep*\n",
		"; comment\n# comment\n[PrepopulateList]\n\\Windows\\System32\n",
		"[ExclusionList]\r\nC:\\pagefile.sys\r\n\"/with space\"\r\n'/q'\r\n",
		"outside\n[Unknown]\nx\n[CompressionExclusionList]\n*.zip\n",
		"[ExclusionList]\nC:relative\n",
		"[ExclusionList]\na/b\n",
		"[ExclusionList]\n//a///b//\n/\n\n?\x00x\n",
	} {
		f.Add([]byte(s))
	}
	f.Add(toUTF16([]byte("\xff\xfe"), "[ExclusionList]\n/a\n\U0001F600*\n"))
	f.Add(toUTF16(nil, "[ExclusionList]\n/b\n"))
	f.Add([]byte("\xef\xbb\xbf[ExclusionList]\n/c\n"))
	f.Add([]byte("\xff\xfe[\x00E"))                   // odd length
	f.Add([]byte("\xff\xfe\x00\xd8\x5b\x00\x0a\x00")) // unpaired surrogate
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := source.ParseConfig("fuzz.ini", data)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "fuzz.ini:") {
				t.Fatalf("error does not name the file: %v", err)
			}
			return
		}
		for _, list := range [][]string{c.ExclusionList, c.ExclusionException, c.PrepopulateList} {
			for _, p := range list {
				if strings.ContainsAny(p, "\\\x00") || strings.Contains(p, "//") ||
					(len(p) > 1 && strings.HasSuffix(p, "/")) || (!strings.HasPrefix(p, "/") && strings.Contains(p, "/")) {
					t.Fatalf("pattern %q is not canonical", p)
				}
			}
		}
		for _, p := range []string{"/a", "/a/b", "/tmp/keep/x", "/\U0001F600.txt", "/Windows/System32"} {
			c.Excluded(p)
			c.ExcludedEntry(p)
		}
		c.ExcludesRoot()
		// The same text in UTF-16LE (BOM first) parses the same.
		if utf8.Valid(data) && !bytes.HasPrefix(data, []byte("\xef\xbb\xbf")) && !(len(data) >= 2 && data[1] == 0 && data[0] <= 0x7f) {
			u, err := source.ParseConfig("fuzz.ini", toUTF16([]byte("\xff\xfe"), string(data)))
			if err != nil {
				t.Fatalf("UTF-16LE form refused: %v", err)
			}
			if !equalLists(u.ExclusionList, c.ExclusionList) || !equalLists(u.ExclusionException, c.ExclusionException) || !equalLists(u.PrepopulateList, c.PrepopulateList) {
				t.Fatalf("UTF-16LE form parses differently:\n%+v\n%+v", u, c)
			}
		}
	})
}

func toUTF16(prefix []byte, s string) []byte {
	b := prefix
	for _, u := range utf16.Encode([]rune(s)) {
		b = append(b, byte(u), byte(u>>8))
	}
	return b
}

func equalLists(a, b []string) bool {
	return strings.Join(a, "\x00") == strings.Join(b, "\x00") && len(a) == len(b)
}

// FuzzParseSourceList: the --source-list parser never panics, names the
// file in its errors and returns targets without leading, trailing or
// backward slashes.
func FuzzParseSourceList(f *testing.F) {
	for _, s := range []string{
		"dir\n",
		"dir /\n# comment\n\n  other  sub/dir  \n",
		"\"with space\" 'target dir'\n",
		"a b c\n",
		"\"unterminated\n",
		"src \\win\\path\\\n",
		"\t\r\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		list, err := source.ParseSourceList("list.txt", data)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "list.txt") {
				t.Fatalf("error does not name the file: %v", err)
			}
			return
		}
		// An empty list (blank lines and comments only) is an empty
		// image, as in wimlib: nothing to check there.
		for _, e := range list {
			if strings.HasPrefix(e.Target, "/") || strings.HasSuffix(e.Target, "/") || strings.Contains(e.Target, "\\") {
				t.Fatalf("target %q", e.Target)
			}
		}
	})
}
