package bench

import (
	"bufio"
	"crypto/sha1"
	"fmt"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// BenchmarkScaling splits each tool's capture of the corpus (the Go tree,
// or $WIMBENCH_CORPUS) into stages by CPU seconds (user + system, from
// /usr/bin/time), at --threads=1 and --threads=2:
//
//	scan      capture of a copy of the tree with every file empty, at
//	          --compress=none: walking, stat, the image's metadata and XML,
//	          process start; no file is opened
//	read      appending the same tree again to its own uncompressed WIM
//	          (every blob read and SHA-1'd to find it is already stored,
//	          none written) minus scan
//	write     capture at --compress=none minus that append: storing the
//	          file data
//	compress  capture at the setting minus capture at --compress=none
//
// From the --threads=2 stages it projects each tool's wall time on 8, 16
// and 64 idle cores with Amdahl's law, the serial stages being those the
// tool runs on one thread (see projectWall), and it measures each tool's
// peak memory at --threads=16 and --threads=64 for real (oversubscribed),
// unless the memory that --threads=1 and 2 suggest would not fit (see
// memoryFits). The CPU seconds do not depend on other processes much; the
// measured wall times do.
func BenchmarkScaling(b *testing.B) {
	requireWimlib(b)
	src := corpus(b)
	empty := emptyCopy(b, src)
	total, files := treeSize(b, src)
	note("corpus %s: %d files, %s", src, files, mib(total))
	dir := b.TempDir()
	base := map[string]*baseRuns{}
	for _, tl := range tools {
		for _, t := range []int{1, 2} {
			br := &baseRuns{}
			th := fmt.Sprintf("--threads=%d", t)
			wim := filepath.Join(dir, tl.name+".wim")
			br.scan = tl.run(b, "capture", empty, wim, "--compress=none", th)
			br.none = tl.run(b, "capture", src, wim, "--compress=none", th)
			// A second image of the same tree: every blob a duplicate.
			br.again = tl.run(b, "append", src, wim, "again", th)
			if grew := br.again.bytes - br.none.bytes; grew > br.none.bytes/10 {
				note("%s --threads=%d: appending the same tree grew the WIM by %s: the read/write split is off", tl.name, t, mib(grew))
			}
			base[key(tl.name, t)] = br
		}
	}
	for _, setting := range wideSettings {
		b.Run(setting, func(b *testing.B) {
			for range b.N {
				scaleSetting(b, src, setting, base, total)
			}
		})
	}
}

// baseRuns are the setting-independent runs of one tool at one thread count.
type baseRuns struct{ scan, none, again result }

func key(tool string, threads int) string { return fmt.Sprintf("%s/%d", tool, threads) }

// tool runs one implementation's commands.
type tool struct {
	name string
	// argv is the command for op ("capture" or "append") on src and wim.
	argv func(op, src, wim string) (string, []string)
	// serialRead: blobs are read and hashed (and, compressed, written) on
	// one thread at every setting; see projectWall.
	serialRead bool
}

var tools = []tool{
	{name: "ours", argv: func(op, src, wim string) (string, []string) {
		return filepath.Join(bin, "wim"+op), []string{src, wim}
	}},
	{name: "wimlib", serialRead: true, argv: func(op, src, wim string) (string, []string) {
		return "wimlib-imagex", []string{op, src, wim}
	}},
}

// run runs op; for capture it first removes wim. Arguments after wim are
// the image name (append) and options.
func (tl tool) run(b *testing.B, op, src, wim string, args ...string) result {
	if op == "capture" {
		os.Remove(wim)
	}
	name, argv := tl.argv(op, src, wim)
	return runTimed(b, wim, name, append(argv, args...)...)
}

// stages are CPU seconds per stage; inTurn is the part of read that our
// chunked pipeline runs in order (see inTurnSeconds).
type stages struct{ scan, read, write, compress, inTurn float64 }

func stagesOf(br *baseRuns, set result) stages {
	return stages{
		scan:     br.scan.cpu(),
		read:     br.again.cpu() - br.scan.cpu(),
		write:    br.none.cpu() - br.again.cpu(),
		compress: set.cpu() - br.none.cpu(),
	}
}

// projectWall is the wall time on n idle cores, from CPU seconds per stage
// (negative ones, noise, as zero), with what each tool runs on one thread:
//
//	wimlib 1.13.5: the main thread scans, then reads, SHA-1s and writes
//	every blob, the compressor threads (--threads, chunks at a time) only
//	compress, overlapped with it; --compress=none has no other thread:
//	scan + max(read + write, compress / n), or scan + read + write.
//	ours: the scan walks subtrees on --threads goroutines, but building the
//	image, its metadata and XML is serial, and the empty-tree capture
//	cannot tell them apart, so scan counts as serial (pessimistic);
//	--compress=none reads, hashes and writes whole blobs on --threads
//	workers (engine/resource/plain.go); compressed in chunks, the
//	--threads workers read, SHA-1 and compress their batches, except that
//	a blob spread over several batches is SHA-1'd one batch after the
//	other (st.inTurn, engine/resource/fill.go), and one writer lays the
//	chunks down in order, all overlapped (pipeline.go):
//	scan + (read + write) / n, or scan + max(write, in turn, (read +
//	compress) / n); --solid reads and SHA-1s on one goroutine (solid.go):
//	scan + max(read, write, compress / n).
//
// jobs caps the compress parallelism (--solid: one 64 MiB chunk per
// worker at a time); 0 means no cap. Saturation is where compress / n
// falls to the serial pipeline stage: more cores give nothing.
func projectWall(tl tool, setting string, st stages, n, jobs int) (wall, saturation float64) {
	pos := func(x float64) float64 { return max(x, 0) }
	s, r, w, c := pos(st.scan), pos(st.read), pos(st.write), pos(st.compress)
	par := float64(n)
	if jobs > 0 {
		par = float64(min(n, jobs))
	}
	var serial float64
	switch {
	case setting == "none" && tl.serialRead:
		return s + r + w, 1
	case setting == "none":
		return s + (r+w)/par, math.Inf(1)
	case tl.serialRead:
		serial = r + w
	case setting == "solid":
		serial = max(r, w)
	default:
		// The workers read too: read joins compress.
		serial, c = max(w, min(st.inTurn, r)), c+r
	}
	sat := math.Inf(1)
	if serial > 0 {
		sat = c / serial
	}
	if jobs > 0 {
		sat = min(sat, float64(jobs))
	}
	return s + max(serial, c/par), sat
}

// formula is projectWall's model for tl at setting, for the log.
func formula(tl tool, setting string, jobs int) string {
	n := "n"
	if jobs > 0 {
		n = fmt.Sprintf("min(n, %d chunks)", jobs)
	}
	switch {
	case setting == "none" && tl.serialRead:
		return "scan + read + write, all serial"
	case setting == "none":
		return "scan + (read + write) / n"
	case tl.serialRead:
		return "scan + max(read + write, compress / " + n + ")"
	case setting == "solid":
		return "scan + max(read, write, compress / " + n + ")"
	}
	return "scan + max(write, SHA-1 in turn, (read + compress) / " + n + ")"
}

// chunkOf is a chunked setting's default chunk size (0 for none and
// --solid, which do not read in batches).
func chunkOf(setting string) int {
	switch {
	case strings.HasPrefix(setting, "XPRESS"), strings.HasPrefix(setting, "LZX"):
		return 32 << 10
	case strings.HasPrefix(setting, "LZMS"):
		return 128 << 10
	}
	return 0
}

// spreadBytes is the bytes of src's files whose chunks fill more than one
// of our pipeline's batches (engine/resource/pipeline.go: up to 16 chunks
// or 1 MiB), packed in the order of a walk, every file stored (dedup would
// only take some out): their SHA-1 runs one batch after the other.
func spreadBytes(b testing.TB, src string, chunk int) int64 {
	bb := int64(max(chunk, min(16*chunk, 1<<20)))
	var used, spread int64
	err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil || !d.Type().IsRegular() {
			return err
		}
		fi, err := d.Info()
		if err != nil || fi.Size() == 0 {
			return err
		}
		// A batch is handed on when the next chunk does not fit; the
		// file spreads when that happens between two of its chunks.
		spreads := false
		for off := int64(0); off < fi.Size(); off += int64(chunk) {
			n := min(fi.Size()-off, int64(chunk))
			if used+n > bb {
				used = 0
				spreads = spreads || off > 0
			}
			used += n
		}
		if spreads {
			spread += fi.Size()
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	return spread
}

// sha1Rate is this machine's SHA-1 bytes a second on one core (best of
// three passes over 64 MiB).
func sha1Rate(b *testing.B) float64 {
	buf := make([]byte, 1<<20)
	for i := range buf {
		buf[i] = byte(i * 7)
	}
	best := 0.0
	for range 3 {
		h := sha1.New()
		t := time.Now()
		for range 64 {
			h.Write(buf)
		}
		h.Sum(nil)
		best = max(best, float64(64<<20)/time.Since(t).Seconds())
	}
	return best
}

// projected core counts and measured oversubscribed thread counts.
var (
	projectCores = []int{8, 16, 64}
	memThreads   = []int{16, 64}
)

func scaleSetting(b *testing.B, src, setting string, base map[string]*baseRuns, total int64) {
	dir := b.TempDir()
	jobs := 0
	if setting == "solid" {
		jobs = int((total + 64<<20 - 1) / (64 << 20))
	}
	walls := map[string]map[int]float64{}
	var turn float64
	if chunk := chunkOf(setting); chunk > 0 {
		spread := spreadBytes(b, src, chunk)
		turn = float64(spread) / sha1Rate(b)
		b.Logf("ours %s: %s of the files fill more than one batch, %.3f s of SHA-1 in turn", setting, mib(spread), turn)
	}
	for _, tl := range tools {
		wim := filepath.Join(dir, tl.name+".wim")
		var runs [3]result
		var st [3]stages
		for _, t := range []int{1, 2} {
			br := base[key(tl.name, t)]
			if setting == "none" {
				runs[t] = br.none
			} else {
				runs[t] = tl.run(b, "capture", src, wim, append(settingArgs(setting), fmt.Sprintf("--threads=%d", t))...)
			}
			st[t] = stagesOf(br, runs[t])
			if !tl.serialRead {
				st[t].inTurn = turn
			}
			p := fmt.Sprintf("%s-t%d-", tl.name, t)
			b.ReportMetric(st[t].scan, p+"scan-cpu-s")
			b.ReportMetric(st[t].read, p+"read-cpu-s")
			b.ReportMetric(st[t].write, p+"write-cpu-s")
			b.ReportMetric(st[t].compress, p+"compress-cpu-s")
			b.ReportMetric(runs[t].wall.Seconds(), p+"wall-s")
			b.ReportMetric(runs[t].cpu(), p+"cpu-s")
			b.ReportMetric(float64(runs[t].rssKB), p+"rss-KB")
		}
		b.Logf("%s %s: CPU s at --threads=1: scan %.2f read %.2f write %.2f compress %.2f (wall %.2f); --threads=2: %.2f %.2f %.2f %.2f (wall %.2f)",
			tl.name, setting, st[1].scan, st[1].read, st[1].write, st[1].compress, runs[1].wall.Seconds(),
			st[2].scan, st[2].read, st[2].write, st[2].compress, runs[2].wall.Seconds())
		walls[tl.name] = map[int]float64{}
		var proj []string
		var sat float64
		for _, n := range projectCores {
			w, s := projectWall(tl, setting, st[2], n, jobs)
			walls[tl.name][n], sat = w, s
			b.ReportMetric(w, fmt.Sprintf("%s-%dc-wall-s", tl.name, n))
			proj = append(proj, fmt.Sprintf("%d cores %.2f s", n, w))
		}
		if !math.IsInf(sat, 1) {
			b.ReportMetric(sat, tl.name+"-sat-cores")
		}
		b.Logf("%s %s: projected %s (%s); saturates at %.1f cores", tl.name, setting, strings.Join(proj, ", "), formula(tl, setting, jobs), sat)
		for _, n := range memThreads {
			need := projectRSS(runs[1].rssKB, runs[2].rssKB, busyThreads(n, jobs))
			if ok, avail := memoryFits(need); !ok {
				b.Logf("%s %s --threads=%d: skipped, would need about %s (--threads=1 and 2 peaked at %s and %s), %s available",
					tl.name, setting, n, mib(need<<10), mib(runs[1].rssKB<<10), mib(runs[2].rssKB<<10), mib(avail<<10))
				continue
			}
			r := tl.run(b, "capture", src, wim, append(settingArgs(setting), fmt.Sprintf("--threads=%d", n))...)
			b.ReportMetric(float64(r.rssKB), fmt.Sprintf("%s-t%d-rss-KB", tl.name, n))
			b.Logf("%s %s --threads=%d: peak RSS %s (estimated %s), wall %.2f s", tl.name, setting, n, mib(r.rssKB<<10), mib(need<<10), r.wall.Seconds())
		}
	}
	for _, n := range projectCores {
		b.ReportMetric(walls["ours"][n]/walls["wimlib"][n], fmt.Sprintf("%dc-wall-ratio", n))
	}
}

// projectRSS estimates peak memory at threads from --threads=1 and 2
// (KB): each further thread as much as the second, plus a quarter and 64
// MiB. Without the margin, on the Go tree's src/runtime (15 MiB), it fell
// short at 64 threads by tens of MiB (wimlib XPRESS:50 52 MiB against 17
// extrapolated, its messages grow with the thread count; ours --solid 226
// against 175). Both tools also fit their thread counts to memory
// themselves (ours to half of RAM, wimlib to all of it).
func projectRSS(rss1, rss2 int64, threads int) int64 {
	p := rss2 + int64(threads-2)*max(rss2-rss1, 0)
	return p + p/4 + 64<<10
}

// busyThreads is how many of threads hold a compressor's memory when jobs
// (if > 0) bounds the work: --solid's chunks, one per worker in both tools
// (ours starts no more workers than chunks; wimlib's other threads never
// touch the compressors and buffers they allocate: --threads=16 on the Go
// tree's 4 chunks peaked at 2,063 MiB, about its 4 threads' figure, not the
// 12 GB that 16 threads' worth would be).
func busyThreads(threads, jobs int) int {
	if jobs > 0 {
		return min(threads, jobs)
	}
	return threads
}

// memoryFits reports whether need KB is at most $WIMBENCH_MEM_PERCENT
// (default 50) percent of MemAvailable: the machine is shared.
func memoryFits(need int64) (bool, int64) {
	avail := memAvailableKB()
	pct := int64(50)
	if v := os.Getenv("WIMBENCH_MEM_PERCENT"); v != "" {
		fmt.Sscan(v, &pct)
	}
	return avail > 0 && need <= avail*pct/100, avail
}

func memAvailableKB() int64 {
	f, err := os.Open("/proc/meminfo")
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var kb int64
		if n, _ := fmt.Sscanf(sc.Text(), "MemAvailable: %d kB", &kb); n == 1 {
			return kb
		}
	}
	return 0
}

// emptyCopy is src's tree with every regular file empty: directories,
// names and symbolic links as they are.
func emptyCopy(b *testing.B, src string) string {
	dst := filepath.Join(b.TempDir(), filepath.Base(src))
	err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(src, p)
		if err != nil {
			return err
		}
		to := filepath.Join(dst, rel)
		switch {
		case d.IsDir():
			return os.MkdirAll(to, 0o755)
		case d.Type()&fs.ModeSymlink != 0:
			t, err := os.Readlink(p)
			if err != nil {
				return err
			}
			return os.Symlink(t, to)
		case d.Type().IsRegular():
			return os.WriteFile(to, nil, 0o644)
		}
		return nil
	})
	if err != nil {
		b.Fatalf("copying %s's tree: %v", src, err)
	}
	return dst
}

// treeSize is the bytes and count of src's regular files.
func treeSize(b *testing.B, src string) (total int64, files int) {
	err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil || !d.Type().IsRegular() {
			return err
		}
		fi, err := d.Info()
		if err == nil {
			total += fi.Size()
			files++
		}
		return err
	})
	if err != nil {
		b.Fatal(err)
	}
	return total, files
}
