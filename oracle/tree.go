package oracle

import (
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// MakeTree builds under dir (which must not exist) a tree holding every kind
// of item directory capture handles: files of sizes 0, 1, around chunk
// boundaries and several MiB (1 MiB under -short); nested and empty directories; a hard-link group
// of three names; equal contents in separate files; relative,
// absolute-inside, absolute-outside (to dir/outside, which it also makes) and dangling symlinks and a symlink to a
// directory; non-ASCII names including characters outside the BMP; names
// with ':' '*' '?' '\'; nanosecond mtimes; a sparse file. It returns the
// tree's root (dir/src).
func MakeTree(t testing.TB, dir string) string {
	t.Helper()
	root := filepath.Join(dir, "src")
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	for _, d := range []string{"", "sub", "sub/deeper/deepest", "emptydir", "sub/empty2", "ünïcödé", "x86"} {
		must(os.MkdirAll(filepath.Join(root, d), 0o755))
	}
	rng := rand.New(rand.NewPCG(1, 2))
	text := func(n int) []byte {
		words := []string{"the ", "quick ", "brown ", "fox ", "jumps ", "over ", "lazy ", "dog\n", "WIM ", "archive ", "0123 "}
		b := make([]byte, 0, n+16)
		for len(b) < n {
			b = append(b, words[rng.IntN(len(words))]...)
		}
		return b[:n]
	}
	random := func(n int) []byte {
		b := make([]byte, n)
		for i := range b {
			b[i] = byte(rng.Uint32())
		}
		return b
	}
	write := func(name string, data []byte) {
		must(os.WriteFile(filepath.Join(root, name), data, 0o644))
	}
	write("empty", nil)
	write("one", []byte("x"))
	for _, n := range []int{4095, 4096, 4097, 32767, 32768, 32769, 65535, 65536, 65537, 131073} {
		write("sub/text"+itoa(n), text(n))
	}
	write("sub/random70000", random(70000))
	// Several MiB: many chunks at every size, several at LZX's 2 MiB.
	// Under -short 1 MiB each (every capture of the tree, ours and
	// wimlib's, is most of the oracle tests' time); the full run
	// (scripts/test.sh) writes the full sizes.
	bigText, bigRandom := 5<<20+123, 3<<20
	if testing.Short() {
		bigText, bigRandom = 1<<20+123, 1<<20
	}
	write("big.txt", text(bigText))
	write("sub/deeper/bigrandom", random(bigRandom))
	// x86-like bytes: E8 call opcodes throughout, some near the end.
	code := random(100000)
	for i := 0; i < len(code); i += 37 {
		code[i] = 0xE8
	}
	code[len(code)-3] = 0xE8
	write("x86/code.bin", code)
	// Equal contents in separate files.
	write("dup1", []byte("same content\n"))
	write("sub/dup2", []byte("same content\n"))
	write("sub/deeper/dup3", text(40000))
	data, _ := os.ReadFile(filepath.Join(root, "sub/deeper/dup3"))
	write("dup3copy", data)
	// Hard-link group of three names.
	write("hl1", []byte("hard linked\n"))
	must(os.Link(filepath.Join(root, "hl1"), filepath.Join(root, "sub/hl2")))
	must(os.Link(filepath.Join(root, "hl1"), filepath.Join(root, "sub/deeper/hl3")))
	// Names: non-ASCII, outside the BMP, and characters Windows forbids.
	write("ünïcödé/naïve café.txt", []byte("accents\n"))
	write("ünïcödé/日本語.txt", []byte("kanji\n"))
	write("emoji-😀-𝄞.txt", []byte("astral\n"))
	write("colon:star*question?back\\slash", []byte("odd name\n"))
	write("Case", []byte("upper\n"))
	write("case", []byte("lower\n"))
	// Symlinks.
	must(os.Symlink("one", filepath.Join(root, "rel-link")))
	must(os.Symlink("../dup1", filepath.Join(root, "sub/rel-up")))
	must(os.Symlink(filepath.Join(root, "sub"), filepath.Join(root, "abs-inside-dir")))
	must(os.Symlink(filepath.Join(root, "big.txt"), filepath.Join(root, "abs-inside-file")))
	// The absolute link out of the tree points at a directory the test
	// made, never a system one: --dereference captures what it points at,
	// and a system directory's access times move the first time anything
	// lists it, so wimlib and ours would record different times.
	outside := filepath.Join(dir, "outside")
	must(os.MkdirAll(filepath.Join(outside, "nested"), 0o755))
	must(os.WriteFile(filepath.Join(outside, "file.txt"), text(3000), 0o644))
	must(os.WriteFile(filepath.Join(outside, "nested", "more.txt"), text(100), 0o644))
	must(os.Symlink(outside, filepath.Join(root, "abs-outside")))
	must(os.Symlink("does/not/exist", filepath.Join(root, "dangling")))
	must(os.Symlink("sub/deeper", filepath.Join(root, "dir-link")))
	must(os.Symlink(`back\slash/target`, filepath.Join(root, "backslash-link")))
	// A sparse file: 4 MiB with one written block.
	f, err := os.Create(filepath.Join(root, "sparse"))
	must(err)
	must(f.Truncate(4 << 20))
	_, err = f.WriteAt([]byte("island"), 1<<20)
	must(err)
	must(f.Close())
	// Nanosecond mtimes, set last (writing changes directory mtimes).
	base := time.Date(2021, 3, 4, 5, 6, 7, 123456789, time.UTC)
	i := 0
	for _, top := range []string{root, outside} {
		must(filepath.Walk(top, func(p string, info os.FileInfo, err error) error {
			if err != nil || info.Mode()&os.ModeSymlink != 0 {
				return err
			}
			i++
			ts := base.Add(time.Duration(i) * 1234567891)
			return os.Chtimes(p, ts, ts)
		}))
	}
	return root
}

func itoa(n int) string {
	var b [20]byte
	i := len(b)
	for n > 0 || i == len(b) {
		i--
		b[i] = byte('0' + n%10)
		n /= 10
	}
	return string(b[i:])
}
