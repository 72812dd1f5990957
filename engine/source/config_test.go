package source

import (
	"encoding/binary"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"unicode/utf16"
)

func mustParse(t *testing.T, text string) *Config {
	t.Helper()
	c, err := ParseConfig("test.ini", []byte(text))
	if err != nil {
		t.Fatalf("ParseConfig(%q): %v", text, err)
	}
	return c
}

// The vectors of wim-format.md 12.4 (from wimlib's tests/exclusionlists)
// and a few more.
func TestExcludedVectors(t *testing.T) {
	cases := []struct {
		name     string
		config   string
		excluded []string
		kept     []string
	}{
		{"absolute-glob", "[ExclusionList]\n/foo*\n",
			[]string{"/foo", "/foobar", "/foo/x", "/foobar/y/z"},
			[]string{"/goo/foo", "/goo", "/fo", "/xfoo"}},
		{"relative-glob", "[ExclusionList]\nfoo*\n",
			[]string{"/foo", "/foobar", "/goo/foo", "/goo/foobar/deep", "/a/b/c/foo"},
			[]string{"/goo", "/goo/xfoo", "/fo"}},
		{"relative-dir", "[ExclusionList]\ndir\n",
			[]string{"/dir", "/dir/a", "/dir/a/b", "/subdir/dir", "/subdir/dir/abcd"},
			[]string{"/subdir", "/dirx", "/subdir/dirx/abcd", "/Dir"}},
		{"exception-relative", "[ExclusionList]\n*.jpg\n[ExclusionException]\ntest.jpg\n",
			[]string{"/a.jpg", "/pics/b.jpg", "/x.jpg/inside"},
			[]string{"/test.jpg", "/pics/test.jpg", "/pics", "/a.jpeg", "/A.JPG"}},
		{"exception-absolute", "[ExclusionList]\n/dir\n[ExclusionException]\n/dir/include*\n",
			[]string{"/dir/exclude.txt", "/dir/sub", "/dir/sub/include.txt"},
			[]string{"/dir", "/dir/include.txt", "/dir/include_dir", "/dir/include_dir/x", "/other"}},
		{"question-mark-one-byte", "[ExclusionList]\n/?\n/te?t\n",
			[]string{"/a", "/a/b", "/test", "/te?t", "/teXt"},
			[]string{"/ab", "/é", "/tet", "/teest"}},
		{"question-marks-two-bytes", "[ExclusionList]\n??\n",
			[]string{"/é", "/ab", "/x/ab"},
			[]string{"/a", "/abc"}},
		{"star-anywhere", "[ExclusionList]\n/a*b*c\n*x*\n",
			[]string{"/abc", "/aXbYc", "/abbbc", "/a/x", "/xx", "/yxy", "/x"},
			[]string{"/ab", "/acb", "/a/bc"}},
		{"star-does-not-cross-separator", "[ExclusionList]\n/a*/c\n",
			[]string{"/ab/c", "/a/c", "/abc/c/d"},
			[]string{"/ab/x/c", "/abc"}},
		{"separators", "[ExclusionList]\n\\\\dir\\\\\\sub\\\n//x//y//\n",
			[]string{"/dir/sub", "/dir/sub/f", "/x/y"},
			[]string{"/dir", "/x"}},
		{"path-separators-insignificant", "[ExclusionList]\n/a/b\n",
			[]string{"/a/b", "//a//b/", "/a/b/"},
			[]string{"/a"}},
		{"case-sensitive", "[ExclusionList]\n/Windows/CSC\n",
			[]string{"/Windows/CSC", "/Windows/CSC/x"},
			[]string{"/windows/csc", "/Windows/csc", "/Windows"}},
		{"relative-with-absolute-exception", "[ExclusionList]\ndir\n[ExclusionException]\n/dir/include*\n",
			// /dir is rescued as an ancestor of the exception; its
			// children's names are not "dir", so nothing below it goes.
			[]string{"/subdir/dir", "/subdir/dir/abcd", "/dir/dir", "/dir/dir/x"},
			[]string{"/dir", "/dir/include.txt", "/dir/exclude.txt", "/dir/sub/x"}},
		{"exception-wildcard-ancestor", "[ExclusionList]\n/a\n[ExclusionException]\n/a/*/keep\n",
			[]string{"/a/x/drop", "/a/x/keep2"},
			[]string{"/a", "/a/x", "/a/y", "/a/x/keep", "/a/x/keep/deep"}},
		{"empty-exception-list", "[ExclusionList]\n*\n",
			[]string{"/a", "/a/b"}, nil},
		{"no-sections", "*\n", nil, []string{"/a"}},
		{"unknown-section", "[Foo]\n*\n[CompressionExclusionList]\n*\n", nil, []string{"/a"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := mustParse(t, tc.config)
			for _, p := range tc.excluded {
				if !c.Excluded(p) {
					t.Errorf("%q not excluded", p)
				}
			}
			for _, p := range tc.kept {
				if c.Excluded(p) {
					t.Errorf("%q excluded", p)
				}
			}
			if c.Excluded("") {
				t.Error("root excluded")
			}
		})
	}
}

func TestExcludesRoot(t *testing.T) {
	for text, want := range map[string]bool{
		"[ExclusionList]\n/\n":                                true,
		"[ExclusionList]\n\"\"\n":                             true,
		"[ExclusionList]\n*\n":                                false,
		"[ExclusionList]\n/\n[ExclusionException]\n/keep\n":   false,
		"[ExclusionList]\n/a\n":                               false,
		"[ExclusionList]\n''\n[ExclusionException]\nkeep.*\n": false,
	} {
		c := mustParse(t, text)
		if got := c.ExcludesRoot(); got != want {
			t.Errorf("%q: ExcludesRoot = %v", text, got)
		}
		if c.Excluded("") {
			t.Errorf("%q: Excluded(\"\")", text)
		}
	}
	var nilConfig *Config
	if nilConfig.Excluded("/a") || nilConfig.ExcludesRoot() {
		t.Error("nil Config excludes")
	}
}

func TestDefaultConfig(t *testing.T) {
	c := DefaultConfig()
	for _, p := range []string{"/$ntfs.log", "/hiberfil.sys", "/pagefile.sys", "/swapfile.sys",
		"/System Volume Information", "/System Volume Information/x", "/RECYCLER",
		"/$RECYCLE.BIN/S-1-5", "/$Recycle.Bin", "/Windows/CSC", "/Windows/CSC/v2.0.6"} {
		if !c.Excluded(p) {
			t.Errorf("%q not excluded", p)
		}
	}
	for _, p := range []string{"/sub/hiberfil.sys", "/$recycle.bin", "/Windows", "/windows/CSC",
		"/HIBERFIL.SYS", "/pagefile.sys.bak"} {
		if c.Excluded(p) {
			t.Errorf("%q excluded", p)
		}
	}
	c.ExclusionList[0] = "changed"
	if DefaultConfig().ExclusionList[0] != "/$ntfs.log" {
		t.Error("DefaultConfig shares its slice")
	}
}

func TestParseConfigSyntax(t *testing.T) {
	text := "# comment\n; comment\n" +
		"stray line\n" +
		"[ExclusionList]\r\n" +
		"  \t/spaced name  \t\r\n" +
		"\"/quoted # not a comment\"\n" +
		"'single'\n" +
		"\"unbalanced'\n" +
		"\"\n" +
		"C:\\Windows\\Temp\\\n" +
		"d:/x\n" +
		"#/commented\n" +
		"[ExclusionException]\n" +
		"/a//b\\\\c\n" +
		"[ exclusionlist ]\n" +
		"ignored\n" +
		"[PrepopulateList]\n" +
		"/Windows/System32\n" +
		"[CompressionFolderList]\n" +
		"ignored too\n" +
		"[ExclusionList]\n" +
		"last-no-newline"
	c := mustParse(t, text)
	want := &Config{
		ExclusionList: []string{"/spaced name", "/quoted # not a comment", "single",
			"\"unbalanced'", "\"", "/Windows/Temp", "/x", "last-no-newline"},
		ExclusionException: []string{"/a/b/c"},
		PrepopulateList:    []string{"/Windows/System32"},
	}
	got := *c
	got.Warnings = nil
	if !reflect.DeepEqual(&got, want) {
		t.Errorf("got  %+v\nwant %+v", got, *want)
	}
	wantWarnings := []string{
		"test.ini:3: Not in a bracketed section!",
		"test.ini:10: Pattern \"C:\\Windows\\Temp\\\" starts with a drive letter, which is being removed.",
		"test.ini:11: Pattern \"d:/x\" starts with a drive letter, which is being removed.",
		"test.ini:15: Unrecognized section \"[ exclusionlist ]\"",
	}
	if !slices.Equal(c.Warnings, wantWarnings) {
		t.Errorf("warnings\n got %q\nwant %q", c.Warnings, wantWarnings)
	}
}

func TestParseConfigErrors(t *testing.T) {
	cases := map[string]struct {
		text string
		line int
	}{
		"relative-with-separator": {"[ExclusionList]\n/ok\nfoo/bar\n", 3},
		"relative-backslash":      {"[ExclusionException]\n\n\nfoo\\bar\n", 4},
		"drive-relative":          {"[ExclusionList]\nc:file\n", 2},
		"drive-only":              {"[ExclusionList]\nx:\n", 2},
		"drive-then-relative":     {"[PrepopulateList]\n'c:a/b'\n", 2},
		"utf16-odd":               {"\xff\xfe[\x00E\x00x", 0},
	}
	for name, tc := range cases {
		_, err := ParseConfig("my.cfg", []byte(tc.text))
		var ce *ConfigError
		if !errors.As(err, &ce) || !errors.Is(err, ErrBadConfig) {
			t.Errorf("%s: err = %v, want a *ConfigError wrapping ErrBadConfig", name, err)
			continue
		}
		if ce.File != "my.cfg" || ce.Line != tc.line {
			t.Errorf("%s: error at %s:%d, want my.cfg:%d (%v)", name, ce.File, ce.Line, tc.line, err)
		}
		if !strings.HasPrefix(err.Error(), "my.cfg:") {
			t.Errorf("%s: message %q does not name the file", name, err)
		}
	}
	// Lines in ignored sections are not checked.
	mustParse(t, "[Unknown]\nfoo/bar\nc:file\n[CompressionExclusionList]\na/b\n")
}

func utf16leBytes(s string, bom bool) []byte {
	var b []byte
	if bom {
		b = []byte{0xFF, 0xFE}
	}
	for _, u := range utf16.Encode([]rune(s)) {
		b = binary.LittleEndian.AppendUint16(b, u)
	}
	return b
}

func TestParseConfigEncodings(t *testing.T) {
	const text = "[ExclusionList]\r\n/é😀\r\n*.txt\r\n[ExclusionException]\r\nkeep.txt"
	want := []string{"/é😀", "*.txt"}
	inputs := map[string][]byte{
		"utf8":         []byte(text),
		"utf8-bom":     append([]byte{0xEF, 0xBB, 0xBF}, text...),
		"utf16-bom":    utf16leBytes(text, true),
		"utf16-no-bom": utf16leBytes(text, false),
	}
	for name, in := range inputs {
		c, err := ParseConfig(name, in)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if !slices.Equal(c.ExclusionList, want) || !slices.Equal(c.ExclusionException, []string{"keep.txt"}) {
			t.Errorf("%s: got %q / %q", name, c.ExclusionList, c.ExclusionException)
		}
	}
	// UTF-8 is taken as bytes, as wimlib does on UNIX (names are bytes).
	c := mustParse(t, "[ExclusionList]\n/\xff\xfe-not-utf8\n")
	if !c.Excluded("/\xff\xfe-not-utf8") {
		t.Error("non-UTF-8 pattern does not match its own bytes")
	}
	// An unpaired surrogate survives as its 3-byte encoding.
	b := utf16leBytes("[ExclusionList]\n/", true)
	b = append(b, 0x00, 0xD8)
	c, err := ParseConfig("s", b)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(c.ExclusionList, []string{"/\xed\xa0\x80"}) {
		t.Errorf("unpaired surrogate: %q", c.ExclusionList)
	}
	// A UTF-8 file whose first character is not ASCII is not UTF-16.
	c = mustParse(t, "é\n[ExclusionList]\nx\n")
	if !slices.Equal(c.ExclusionList, []string{"x"}) {
		t.Errorf("got %q", c.ExclusionList)
	}
}

func TestComponentMatches(t *testing.T) {
	cases := []struct {
		name, pat string
		want      bool
	}{
		{"", "", true}, {"", "*", true}, {"", "**", true}, {"", "?", false},
		{"a", "", false}, {"abc", "a*", true}, {"abc", "*c", true}, {"abc", "*b*", true},
		{"abc", "a?c", true}, {"abc", "a??c", false}, {"abc", "*?*?*?*", true},
		{"abc", "*?*?*?*?", false}, {"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab", "*a*a*a*a*a*a*a*a*ac", false},
		{"mississippi", "m*iss*ppi", true}, {"mississippi", "m*iss*ppx", false},
		{"ab*", "ab*", true}, {"a?b", "a?b", true},
	}
	for _, tc := range cases {
		if got := componentMatches(tc.name, tc.pat); got != tc.want {
			t.Errorf("componentMatches(%q, %q) = %v", tc.name, tc.pat, got)
		}
	}
}

// needTool returns the path of an oracle tool, skipping when it is missing,
// except under CI where that is a failure.
func needTool(t *testing.T, name string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s not found: %v", name, err)
		}
		t.Skipf("%s not found", name)
	}
	return p
}

// oracleTree lists the files (a trailing "/" marks a directory) of the
// tree the wimlib cross-check captures.
var oracleTree = []string{
	"foo", "foobar", "goo/foo", "goo/foobar/x", "goo/bar",
	"dir/a", "dir/dir/x", "dir/include.txt", "dir/exclude.txt", "dir/sub/deep.txt", "dir/include_dir/x",
	"subdir/dir/abcd", "subdir/dirx/abcd",
	"test.jpg", "a.jpg", "pics/test.jpg", "pics/b.jpg", "pics/test.jpg.bak", "A.JPG",
	"é", "ab", "x", "a b", "te?t", "test", "tet",
	"hiberfil.sys", "sub/hiberfil.sys", "pagefile.sys", "$ntfs.log",
	"$Recycle.Bin/x", "$RECYCLE.BIN/y", "$recycle.bin/z", "RECYCLER/",
	"Windows/CSC/f", "Windows/csc/g", "Windows/System32/h",
	"System Volume Information/i", "empty/",
}

// wimlibKept captures root with wimcapture (--config=config unless config is
// "") and returns the paths of the image as wimdir lists them, or the
// error output when wimcapture fails.
func wimlibKept(t *testing.T, wimcapture, wimdir, root, config string) (paths []string, failed string) {
	t.Helper()
	wim := filepath.Join(t.TempDir(), "x.wim")
	args := []string{root, wim, "--compress=none"}
	if config != "" {
		args = append(args, "--config="+config)
	}
	out, err := exec.Command(wimcapture, args...).CombinedOutput()
	if err != nil {
		return nil, string(out)
	}
	out, err = exec.Command(wimdir, wim).Output()
	if err != nil {
		t.Fatalf("wimdir: %v", err)
	}
	for _, l := range strings.Split(strings.TrimRight(string(out), "\n"), "\n") {
		if l != "/" {
			paths = append(paths, l)
		}
	}
	slices.Sort(paths)
	return paths, ""
}

// ourKept walks root as a capture would, consulting c.Excluded before
// descending; it also checks that a walk that does not prune gets the same
// answer.
func ourKept(t *testing.T, c *Config, root string) []string {
	t.Helper()
	walk := func(prune bool) []string {
		var kept []string
		err := filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
			if err != nil {
				return err
			}
			rel := strings.TrimPrefix(p, root)
			if rel == "" {
				return nil
			}
			if c.Excluded(rel) {
				if prune && d.IsDir() {
					return filepath.SkipDir
				}
				return nil
			}
			kept = append(kept, rel)
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		slices.Sort(kept)
		return kept
	}
	kept := walk(true)
	if all := walk(false); !slices.Equal(all, kept) {
		t.Errorf("Excluded depends on pruning\n pruned   %q\n unpruned %q", kept, all)
	}
	return kept
}

// TestExcludedMatchesWimlib captures a tree with wimcapture under several
// configurations and compares the image's paths with Excluded's verdicts.
func TestExcludedMatchesWimlib(t *testing.T) {
	wimcapture := needTool(t, "wimcapture")
	wimdir := needTool(t, "wimdir")
	dir := t.TempDir()
	root := filepath.Join(dir, "tree")
	for _, f := range oracleTree {
		p := filepath.Join(root, f)
		if strings.HasSuffix(f, "/") {
			if err := os.MkdirAll(p, 0o755); err != nil {
				t.Fatal(err)
			}
			continue
		}
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(f), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	configs := map[string][]byte{
		"default":                          nil,
		"absolute-glob":                    []byte("[ExclusionList]\n/foo*\n"),
		"relative-glob":                    []byte("[ExclusionList]\nfoo*\n"),
		"relative-dir":                     []byte("[ExclusionList]\ndir\n"),
		"exception-relative":               []byte("[ExclusionList]\n*.jpg\n[ExclusionException]\ntest.jpg\n"),
		"exception-absolute":               []byte("[ExclusionList]\n/dir\n[ExclusionException]\n/dir/include*\n"),
		"relative-with-absolute-exception": []byte("[ExclusionList]\ndir\n[ExclusionException]\n/dir/include*\n"),
		"question-marks":                   []byte("[ExclusionList]\n?\n/te?t\n"),
		"two-question-marks":               []byte("[ExclusionList]\n??\n"),
		"syntax": []byte("# c\n[ExclusionList]\r\n  C:\\Windows\\\\CSC\\  \n\"a b\"\n'/goo/foobar/'\n" +
			"[Other]\nx\n[ExclusionException]\n/Windows/CSC/f\n"),
		"utf16":    utf16leBytes("[ExclusionList]\n/é\n*.sys\n", true),
		"utf16-nb": utf16leBytes("[ExclusionList]\n/subdir/*/abcd\n", false),
		"utf8-bom": append([]byte{0xEF, 0xBB, 0xBF}, "[ExclusionList]\n/pics/*\n[ExclusionException]\n*.bak\n"...),
		"star-everything-but": []byte("[ExclusionList]\n*\n[ExclusionException]\n/dir/sub/deep.txt\n" +
			"/Windows/System32\n"),
		"root-slash":      []byte("[ExclusionList]\n/\n"),
		"root-empty":      []byte("[ExclusionList]\n\"\"\n"),
		"root-rescued":    []byte("[ExclusionList]\n/\n[ExclusionException]\n/dir/include.txt\n"),
		"errors-relative": []byte("[ExclusionList]\ngoo/foo\n"),
		"errors-drive":    []byte("[ExclusionList]\nc:file\n"),
	}
	for name, data := range configs {
		t.Run(name, func(t *testing.T) {
			var c *Config
			cfgPath := ""
			if data == nil {
				c = DefaultConfig()
			} else {
				cfgPath = filepath.Join(dir, name+".ini")
				if err := os.WriteFile(cfgPath, data, 0o644); err != nil {
					t.Fatal(err)
				}
				var err error
				c, err = ParseConfig(cfgPath, data)
				if strings.HasPrefix(name, "errors-") {
					if err == nil {
						t.Fatal("ParseConfig accepted it")
					}
					if _, failed := wimlibKept(t, wimcapture, wimdir, root, cfgPath); failed == "" {
						t.Fatal("wimcapture accepted it")
					}
					return
				}
				if err != nil {
					t.Fatal(err)
				}
			}
			want, failed := wimlibKept(t, wimcapture, wimdir, root, cfgPath)
			if failed != "" {
				t.Fatalf("wimcapture failed:\n%s", failed)
			}
			if c.ExcludesRoot() {
				// wimlib captures just an empty root.
				if len(want) != 0 {
					t.Fatalf("ExcludesRoot but wimlib kept %q", want)
				}
				return
			}
			if got := ourKept(t, c, root); !slices.Equal(got, want) {
				t.Errorf("kept paths differ\n ours   %q\n wimlib %q", got, want)
			}
		})
	}
}
