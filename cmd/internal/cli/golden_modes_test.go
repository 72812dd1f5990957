//go:build linux

package cli

import (
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"
)

// goldenModeWIMs are the SHA-256 sums of the WIMs goldenModeRuns write:
// what TestGoldenWIMs leaves out, every layout (plain, solid, pipable)
// with every append mode (in place, rebuild, compact) and the changes
// between them, each appending a tree with new data. They are the bytes
// commit 4f380bd wrote, before the engine chose its layout and mode as
// types; update them as goldenWIMs says.
var goldenModeWIMs = map[string]string{
	"inplace-check":  "ec42d96f8fb47e64037e46800a0f900b6dba0d934da35672354da57b15c6dc3e",
	"rebuild":        "4dcf1914854ba62b339a7bb389db5223dca677c4996fe8029333f15e9f601a2b",
	"rebuild-chunk":  "49e8797a3dab0fb10f6d8236e63c04aae6bb4258d18f964512728e4177ad768c",
	"compact":        "2465bf29f021153fe9aa3dc1a94806487381bf6e7d92f30c5825ec0e6e2cfa83",
	"solid-rebuild":  "76ae451a1e281dc26afe51180a91b78eef23510d509e8c4dcde9fc95de802ec0",
	"solid-compact":  "670fb537d49ad1711b45d153ec29e49b83a368aeb84bb0e1bc079dbd250225a6",
	"solid-added":    "42d12e2207f4280ace225d652b876a47267582dd8236a5ac790c709537c5e371",
	"pipable-append": "9d7e549bd7df7a5babb5b2a5f75284992844497791d1899971f0903b5fa2a7a9",
	"pipable-chunk":  "52d8bc8fc56cf2327be682bfe5da68be3dc84ae65ba20c64c16745a0adf12579",
	"to-pipable":     "81b40f196ec517e2de0a06ba30130803b49424fd98ac7b5288b0f51c13896bd4",
	"not-pipable":    "1322b84aa7e1c8d0ec14d73f65f057c871bca1cb62f33f3fe2888e8ef2a43eab",
}

// goldenModeRuns: each name's command lines, run in order on one WIMFILE;
// "a" appends the golden tree again, "a2" a tree with new files.
var goldenModeRuns = []goldenRun{
	{"inplace-check", [][]string{{"c", "--check"}, {"a2", "two"}}},
	{"rebuild", [][]string{{"c", "--compress=XPRESS"}, {"a2", "two", "--rebuild"}}},
	{"rebuild-chunk", [][]string{{"c", "--compress=XPRESS"}, {"a2", "two", "--chunk-size=64K"}}},
	{"compact", [][]string{{"c"}, {"a2", "two"}, {"a", "three", "--unsafe-compact"}}},
	{"solid-rebuild", [][]string{{"c", "--solid"}, {"a2", "two", "--rebuild"}}},
	{"solid-compact", [][]string{{"c", "--solid"}, {"a2", "two"}, {"a", "three", "--unsafe-compact", "--check"}}},
	{"solid-added", [][]string{{"c", "--compress=LZX"}, {"a2", "two", "--solid"}}},
	{"pipable-append", [][]string{{"c", "--pipable"}, {"a2", "two"}}},
	{"pipable-chunk", [][]string{{"c", "--pipable", "--compress=XPRESS"}, {"a2", "two", "--chunk-size=16K"}}},
	{"to-pipable", [][]string{{"c", "--check"}, {"a2", "two", "--pipable"}}},
	{"not-pipable", [][]string{{"c", "--pipable"}, {"a2", "two", "--not-pipable", "--rebuild"}}},
}

// TestGoldenModeWIMs: the bytes each layout and append mode write for
// fixed trees at a fixed time are those of the table above, whatever the
// thread count.
func TestGoldenModeWIMs(t *testing.T) {
	dir := t.TempDir()
	src := goldenTree(t, filepath.Join(dir, "src"))
	// The second tree is the first with new files, made before
	// goldenTree fixes every time.
	src2 := filepath.Join(dir, "src2")
	r := rand.New(rand.NewPCG(3, 5))
	added := make([]byte, 100_000)
	for i := range added {
		added[i] = byte(r.IntN(16)) // compressible, unlike the tree's random file
	}
	if err := os.MkdirAll(filepath.Join(src2, "new"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(src2, "new/added.bin"), added, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(src2, "new/added.txt"), []byte("added\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	goldenTree(t, src2)
	checkGolden(t, dir, map[string]string{"c": src, "a": src, "a2": src2}, goldenModeRuns, goldenModeWIMs)
}
