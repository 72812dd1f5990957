// Package bench measures our commands side by side with wimlib's in one
// run, on the Go toolchain tree ($(go env GOROOT)) by default or on
// $WIMBENCH_CORPUS. Results are ratios (ours / wimlib) reported as metrics;
// nothing here asserts a time.
//
//	go test ./bench -run '^$' -bench . -benchtime 1x
//	go test ./bench -run '^$' -bench 'Capture/LZX:50' -benchtime 3x
package bench

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/wimgo/wimgo/internal/codectest"
	"github.com/wimgo/wimgo/oracle"
)

var bin string

func TestMain(m *testing.M) {
	oracle.RunWithCommands(m, "", func(dir string) { bin = dir })
}

func corpus(b *testing.B) string {
	if c := os.Getenv("WIMBENCH_CORPUS"); c != "" {
		return c
	}
	return goRoot(b)
}

// result of one command run.
type result struct {
	wall      time.Duration
	user, sys float64 // CPU seconds, from /usr/bin/time
	rssKB     int64
	bytes     int64
}

// cpu is the CPU seconds the command took, user and system.
func (r result) cpu() float64 { return r.user + r.sys }

func runTimed(b *testing.B, out string, name string, args ...string) result {
	b.Helper()
	// Peak RSS through /usr/bin/time: a child's own rusage would count the
	// benchmark process's pages it was forked from.
	rss := filepath.Join(b.TempDir(), "rss")
	cmd := exec.Command("/usr/bin/time", append([]string{"-f", "%M %U %S", "-o", rss, name}, args...)...)
	start := time.Now()
	msg, err := cmd.CombinedOutput()
	wall := time.Since(start)
	if err != nil {
		b.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, msg)
	}
	st, err := os.Stat(out)
	if err != nil {
		b.Fatal(err)
	}
	r := result{wall: wall, bytes: st.Size()}
	if t, err := os.ReadFile(rss); err == nil {
		fmt.Sscan(strings.TrimSpace(string(t)), &r.rssKB, &r.user, &r.sys)
	}
	return r
}

func requireWimlib(b *testing.B) {
	for _, tool := range []string{"wimlib-imagex", "/usr/bin/time"} {
		if _, err := exec.LookPath(tool); err != nil {
			b.Skip(tool + " is not installed")
		}
	}
}

// BenchmarkCapture runs wimcapture at every level the issue tracker's speed
// goal names (the anchor table's settings, shared/research/
// anchor-wimlib-go1.26.8.tsv, and LZMS at 20 and 100) for both
// implementations.
func BenchmarkCapture(b *testing.B) {
	requireWimlib(b)
	src := corpus(b)
	for _, setting := range []string{"none", "XPRESS:20", "XPRESS:50", "XPRESS:100", "LZX:20", "LZX:50", "LZX:100", "LZMS:20", "LZMS:50", "LZMS:100", "solid"} {
		args := []string{"--compress=" + setting}
		if setting == "solid" {
			args = []string{"--solid"} // LZMS:50 in 64 MiB chunks
		}
		b.Run(setting, func(b *testing.B) { captureBoth(b, src, args...) })
	}
}

// captureBoth captures src with our wimcapture and wimlib's, b.N times
// each, alternating, and reports and returns the last pair. Which tool
// goes first alternates from one pair to the next, across calls too: on
// a machine whose load drifts, repeated runs (-count) then favour neither.
func captureBoth(b *testing.B, src string, args ...string) (ours, wimlib result) {
	dir := b.TempDir()
	ow, tw := filepath.Join(dir, "ours.wim"), filepath.Join(dir, "wimlib.wim")
	var o, t result
	runOurs := func() { o = runTimed(b, ow, filepath.Join(bin, "wimcapture"), append([]string{src, ow}, args...)...) }
	runWimlib := func() { t = runTimed(b, tw, "wimlib-imagex", append([]string{"capture", src, tw}, args...)...) }
	for range b.N {
		os.Remove(ow)
		os.Remove(tw)
		if pairs.Add(1)%2 == 1 {
			runOurs()
			runWimlib()
		} else {
			runWimlib()
			runOurs()
		}
	}
	report(b, o, t)
	return o, t
}

// pairs counts captureBoth's pairs in this process.
var pairs atomic.Int64

// BenchmarkCaptureSmallFiles captures a tree of many tiny files (200
// directories of $WIMBENCH_SMALL_FILES/200 files, 15-16 bytes each,
// default 100,000 files): per-file costs, and a WIM that is mostly its
// metadata resource, which compresses unlike file data.
func BenchmarkCaptureSmallFiles(b *testing.B) {
	requireWimlib(b)
	src := smallFiles(b)
	for _, setting := range []string{"none", "XPRESS:50", "LZX:20", "LZX:50", "LZX:100", "LZMS:50"} {
		b.Run(setting, func(b *testing.B) { captureBoth(b, src, "--compress="+setting) })
	}
}

// smallFiles makes the small-file tree once per size under the system's
// temporary directory and reuses it in later runs.
func smallFiles(b *testing.B) string {
	n := 100000
	if v := os.Getenv("WIMBENCH_SMALL_FILES"); v != "" {
		fmt.Sscan(v, &n)
	}
	root := filepath.Join(os.TempDir(), fmt.Sprintf("wimbench-small-%d", n))
	done := filepath.Join(root, ".complete")
	if _, err := os.Stat(done); err == nil {
		return root
	}
	os.RemoveAll(root)
	for d := range 200 {
		sub := filepath.Join(root, fmt.Sprintf("d%d", d))
		if err := os.MkdirAll(sub, 0o755); err != nil {
			b.Fatal(err)
		}
		for f := range n / 200 {
			body := fmt.Sprintf("content %d %d\n", d, f)
			if err := os.WriteFile(filepath.Join(sub, fmt.Sprintf("file_%05d.txt", f)), []byte(body), 0o644); err != nil {
				b.Fatal(err)
			}
		}
	}
	if err := os.WriteFile(done, nil, 0o644); err != nil {
		b.Fatal(err)
	}
	return root
}

// BenchmarkCaptureMixed captures a tree like a user's data volume: 64 MiB
// of already-compressed files (pseudo-random bytes standing in for media
// and archives, 4 KiB to 4 MiB each) beside the Go tree's src/net text.
func BenchmarkCaptureMixed(b *testing.B) {
	requireWimlib(b)
	src := mixedFiles(b)
	for _, setting := range []string{"XPRESS:50", "LZX:20", "LZX:50", "LZMS:50"} {
		b.Run(setting, func(b *testing.B) { captureBoth(b, src, "--compress="+setting) })
	}
}

// mixedFiles makes the mixed tree once under the system's temporary
// directory and reuses it in later runs.
func mixedFiles(b *testing.B) string {
	root := filepath.Join(os.TempDir(), "wimbench-mixed")
	done := filepath.Join(root, ".complete")
	if _, err := os.Stat(done); err == nil {
		return root
	}
	os.RemoveAll(root)
	media := filepath.Join(root, "media")
	if err := os.MkdirAll(media, 0o755); err != nil {
		b.Fatal(err)
	}
	state := uint64(1)
	total := 0
	for i := 0; total < 64<<20; i++ {
		size := 4 << 10 << (i % 11) // 4 KiB .. 4 MiB
		data := make([]byte, size)
		for j := range data {
			state = state*6364136223846793005 + 1442695040888963407
			data[j] = byte(state >> 56)
		}
		writeSynced(b, filepath.Join(media, fmt.Sprintf("f%03d.bin", i)), data)
		total += size
	}
	if out, err := exec.Command("cp", "-a", filepath.Join(goRoot(b), "src", "net"), filepath.Join(root, "net")).CombinedOutput(); err != nil {
		b.Fatalf("copying src/net: %v\n%s", err, out)
	}
	if err := os.WriteFile(done, nil, 0o644); err != nil {
		b.Fatal(err)
	}
	return root
}

func report(b *testing.B, o, t result) {
	b.ReportMetric(o.wall.Seconds()/t.wall.Seconds(), "wall-ratio")
	b.ReportMetric(float64(o.bytes)/float64(t.bytes), "size-ratio")
	b.ReportMetric(o.wall.Seconds(), "ours-s")
	b.ReportMetric(t.wall.Seconds(), "wimlib-s")
	b.ReportMetric(float64(o.bytes), "ours-bytes")
	b.ReportMetric(float64(t.bytes), "wimlib-bytes")
	b.ReportMetric(float64(o.rssKB), "ours-rss-KB")
	b.ReportMetric(float64(t.rssKB), "wimlib-rss-KB")
	// CPU seconds (user + system) depend less than wall time on what else
	// the machine is running.
	b.ReportMetric(o.cpu(), "ours-cpu-s")
	b.ReportMetric(t.cpu(), "wimlib-cpu-s")
	if t.cpu() > 0 {
		b.ReportMetric(o.cpu()/t.cpu(), "cpu-ratio")
	}
}

// BenchmarkAppendSmallToLarge appends 1 MB to a ~200 MB WIM: the cost
// should follow the new data, not the old.
func BenchmarkAppendSmallToLarge(b *testing.B) {
	requireWimlib(b)
	dir := b.TempDir()
	big := filepath.Join(dir, "big")
	os.MkdirAll(big, 0o755)
	chunk := make([]byte, 1<<20)
	for i := range 200 {
		for j := range chunk {
			chunk[j] = byte(i*31 + j*7 + j>>9)
		}
		os.WriteFile(filepath.Join(big, fmt.Sprintf("f%03d", i)), chunk, 0o644)
	}
	small := filepath.Join(dir, "small")
	os.MkdirAll(small, 0o755)
	for j := range chunk {
		chunk[j] = byte(j * 13)
	}
	os.WriteFile(filepath.Join(small, "new"), chunk, 0o644)
	base := filepath.Join(dir, "base.wim")
	if out, err := exec.Command("wimlib-imagex", "capture", big, base, "--compress=none").CombinedOutput(); err != nil {
		b.Fatalf("%v\n%s", err, out)
	}
	data, _ := os.ReadFile(base)
	ow, tw := filepath.Join(dir, "ours.wim"), filepath.Join(dir, "wimlib.wim")
	var o, t result
	for range b.N {
		// The copies reach the disk before timing: our append syncs its
		// own writes, which must not include flushing the copy.
		writeSynced(b, ow, data)
		writeSynced(b, tw, data)
		o = runTimed(b, ow, filepath.Join(bin, "wimappend"), small, ow)
		t = runTimed(b, tw, "wimlib-imagex", "append", small, tw)
	}
	report(b, o, t)
}

func writeSynced(b *testing.B, path string, data []byte) {
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := f.Write(data); err != nil {
		b.Fatal(err)
	}
	if err := f.Sync(); err != nil {
		b.Fatal(err)
	}
	f.Close()
}

// goRoot is $(go env GOROOT): the tree of the toolchain that runs the
// benchmark (runtime.GOROOT is deprecated, and empty for a trimmed build).
func goRoot(b testing.TB) string {
	out, err := exec.Command("go", "env", "GOROOT").Output()
	if err != nil {
		b.Fatalf("go env GOROOT: %v", err)
	}
	return strings.TrimSpace(string(out))
}

// BenchmarkCaptureRuns captures what disk images are full of: a 64 MiB
// file of zeros (sparse on disk), and 32 MiB each of long runs of a few
// byte values, one 4 KiB page repeated, and sparse-file-like data (zeros
// with small islands), at each codec's default level and chunk size and
// with --solid (LZMS, 64 MiB chunks).
func BenchmarkCaptureRuns(b *testing.B) {
	requireWimlib(b)
	src := runFiles(b)
	for _, setting := range []string{"--compress=XPRESS:50", "--compress=LZX:50", "--compress=LZMS:50", "--solid"} {
		b.Run(strings.TrimPrefix(setting, "--compress="), func(b *testing.B) { captureBoth(b, src, setting) })
	}
}

// runFiles makes the runs tree once under the system's temporary
// directory and reuses it in later runs.
func runFiles(b *testing.B) string {
	root := filepath.Join(os.TempDir(), "wimbench-runs")
	done := filepath.Join(root, ".complete")
	if _, err := os.Stat(done); err == nil {
		return root
	}
	os.RemoveAll(root)
	if err := os.MkdirAll(root, 0o755); err != nil {
		b.Fatal(err)
	}
	f, err := os.Create(filepath.Join(root, "zeros"))
	if err != nil {
		b.Fatal(err)
	}
	if err := f.Truncate(64 << 20); err != nil {
		b.Fatal(err)
	}
	f.Close()
	for _, in := range codectest.RunInputs(32 << 20) {
		if in.Name != "zeros" {
			writeSynced(b, filepath.Join(root, in.Name), in.Data)
		}
	}
	if err := os.WriteFile(done, nil, 0o644); err != nil {
		b.Fatal(err)
	}
	return root
}
