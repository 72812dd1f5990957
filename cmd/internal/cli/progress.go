package cli

import (
	"encoding/json"
	"fmt"
	"io"
	"sync"
	"time"

	"github.com/wimgo/wimgo/engine"
)

// reporter prints what a run does, as wimlib-imagex prints it: the
// informational lines and progress on standard output (standard error
// when the WIM goes to standard output), rewritten in place with carriage
// returns on a terminal and as whole lines otherwise; wimlib's library
// warnings ("[WARNING] ...") and ours ("WARNING: ...") on standard error.
// With --progress=json the progress lines become JSON objects on standard
// error (see jsonProgress).
type reporter struct {
	mu      sync.Mutex
	info    io.Writer // io.Discard with --quiet
	errw    io.Writer
	tty     bool // info is a terminal
	pending bool // a line without its newline is on the terminal
	start   time.Time

	// written reports the bytes written to the WIM so far (nil: unknown).
	written func() int64
	pipable bool // warn, as wimlib does, that the WIM is pipable
	// templateWIM names the WIM of --update-of's image in its message.
	templateWIM string
	json        *json.Encoder

	using      bool // "Using ... compression" printed
	scanDone   bool
	scanShown  string // the scan line last shown
	lastScan   engine.Progress
	lastWrite  engine.Progress
	lastPct    int
	lastLine   time.Time
	writeStart time.Time
	lastJSON   time.Time
}

func newReporter(a *Args, stdout, stderr io.Writer) *reporter {
	r := &reporter{info: stdout, errw: stderr, start: time.Now(), lastPct: -1}
	if a.WIMFile == "-" {
		r.info = stderr
	}
	if a.Quiet {
		r.info = io.Discard
	}
	r.tty = isTerminal(r.info)
	if a.ProgressJSON {
		r.json = json.NewEncoder(stderr)
	}
	return r
}

// unit picks wimlib's unit for a byte count: bytes below 10,000, KiB
// below 10,000,000, MiB below 10,000,000,000, else GiB.
func unit(total int64) (string, uint) {
	switch {
	case total >= 10_000_000_000:
		return "GiB", 30
	case total >= 10_000_000:
		return "MiB", 20
	case total >= 10_000:
		return "KiB", 10
	}
	return "bytes", 0
}

func human(n int64) string {
	switch {
	case n >= 1<<30:
		return fmt.Sprintf("%.2f GiB", float64(n)/(1<<30))
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d bytes", n)
}

func scanLine(p engine.Progress) string {
	name, shift := unit(p.Bytes)
	return fmt.Sprintf("%d %s scanned (%d files, %d directories)    ", p.Bytes>>shift, name, p.Files-p.Dirs, p.Dirs)
}

func writeLine(p engine.Progress) string {
	name, shift := unit(p.Total)
	return fmt.Sprintf("Archiving file data: %d %s of %d %s (%d%%) done", p.Done>>shift, name, p.Total>>shift, name, percent(p.Done, p.Total))
}

func percent(done, total int64) int {
	if total == 0 {
		return 0
	}
	return int(done * 100 / total)
}

// line shows a progress line: in place on a terminal, whole otherwise.
func (r *reporter) line(s string, final bool) {
	if r.json != nil {
		return
	}
	if r.tty {
		fmt.Fprintf(r.info, "\r%s", s)
		r.pending = !final
		if final {
			fmt.Fprintln(r.info)
		}
		return
	}
	fmt.Fprintln(r.info, s)
}

// endLine ends a progress line left open on the terminal.
func (r *reporter) endLine() {
	if r.pending {
		fmt.Fprintln(r.info)
		r.pending = false
	}
}

// println prints an informational line, as wimlib's imagex_printf.
func (r *reporter) println(format string, args ...any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.endLine()
	fmt.Fprintf(r.info, format+"\n", args...)
}

// warn prints one of our warnings.
func (r *reporter) warn(msg string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.endLine()
	fmt.Fprintf(r.errw, "WARNING: %s\n", msg)
}

// libWarn prints a warning wimlib's library prints, in its form.
func (r *reporter) libWarn(msg string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.endLine()
	fmt.Fprintf(r.errw, "[WARNING] %s\n", msg)
}

const pipableWarning = "Creating a pipable WIM, which will be incompatible\n          with Microsoft's software (WIMGAPI/ImageX/DISM)."

// update receives the engine's progress reports and events.
func (r *reporter) update(p engine.Progress) {
	switch p.Phase {
	case "excluded":
		r.println("Excluding \"%s\" from capture", p.Path)
		return
	case "fixed-symlink":
		r.println("WARNING: Adjusted target of absolute symbolic link \"%s\"\n           (Use --norpfix to capture absolute symbolic links as-is)", p.Path)
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	now := time.Now()
	switch p.Phase {
	case "scan":
		r.lastScan = p
		// On a terminal every report (one per 256 files); in a log one a
		// second.
		if r.tty || now.Sub(r.lastLine) >= time.Second {
			r.scanShown = scanLine(p)
			r.line(r.scanShown, false)
			r.lastLine = now
		}
		r.jsonProgress(p, now, false)
	case "template":
		r.endScan()
		r.endLine()
		fmt.Fprintf(r.info, "Using image %d from \"%s\" as template\n", p.Image, r.templateWIM)
	case "write":
		r.endScan()
		if !r.using {
			r.using = true
			r.writeStart = now
			if r.pipable {
				r.pipable = false
				r.endLine()
				fmt.Fprintf(r.errw, "[WARNING] %s\n", pipableWarning)
			}
			if p.Compression != "None" && p.Compression != "" {
				s := "s"
				if p.Threads == 1 {
					s = ""
				}
				r.endLine()
				fmt.Fprintf(r.info, "Using %s compression with %d thread%s\n", p.Compression, p.Threads, s)
			}
		}
		r.lastWrite = p
		// Every percent: about 100 updates, as wimlib's per-chunk ones.
		pct := percent(p.Done, p.Total)
		final := p.Done >= p.Total
		if pct != r.lastPct || final {
			r.lastPct = pct
			r.line(writeLine(p), final)
			r.jsonProgress(p, now, true)
		}
		if final {
			r.lastPct = -1
		}
	}
}

// endScan prints the scan's last line, once, when what follows begins.
func (r *reporter) endScan() {
	if r.scanDone {
		return
	}
	r.scanDone = true
	if l := scanLine(r.lastScan); l != r.scanShown || r.tty {
		r.line(l, true)
	}
	r.jsonProgress(r.lastScan, time.Now(), true)
}

// done ends the progress display (after the engine is done, or failed).
func (r *reporter) done() {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.lastScan.Phase != "" {
		r.endScan()
	}
	if r.pipable {
		r.pipable = false
		fmt.Fprintf(r.errw, "[WARNING] %s\n", pipableWarning)
	}
	r.endLine()
}

// jsonProgress writes one progress object (--progress=json): every write
// percent, the scan at most once a second, and each phase's end (force).
func (r *reporter) jsonProgress(p engine.Progress, now time.Time, force bool) {
	if r.json == nil || (!force && now.Sub(r.lastJSON) < time.Second) {
		return
	}
	r.lastJSON = now
	o := progressJSON{
		Type:         "progress",
		Phase:        p.Phase,
		FilesScanned: r.lastScan.Files - r.lastScan.Dirs,
		DirsScanned:  r.lastScan.Dirs,
		BytesScanned: r.lastScan.Bytes,
		Elapsed:      round3(now.Sub(r.start).Seconds()),
	}
	if p.Phase == "write" {
		o.BytesDone, o.BytesTotal = p.Done, p.Total
		if s := now.Sub(r.writeStart).Seconds(); s > 0 && p.Done > 0 {
			o.Rate = round3(float64(p.Done) / s)
			o.ETA = round3(float64(p.Total-p.Done) / o.Rate)
		}
	}
	if r.written != nil {
		o.BytesWritten = r.written()
	}
	r.json.Encode(o)
}

func round3(f float64) float64 { return float64(int64(f*1000+0.5)) / 1000 }

// progressJSON is one line of --progress=json while the run goes on. The
// README documents the fields.
type progressJSON struct {
	Type         string  `json:"type"`  // "progress"
	Phase        string  `json:"phase"` // "scan" or "write"
	FilesScanned int64   `json:"files_scanned"`
	DirsScanned  int64   `json:"dirs_scanned"`
	BytesScanned int64   `json:"bytes_scanned"`
	BytesDone    int64   `json:"bytes_done"`  // file data compressed and written so far
	BytesTotal   int64   `json:"bytes_total"` // file data to write (after deduplication)
	BytesWritten int64   `json:"bytes_written"`
	Elapsed      float64 `json:"elapsed_s"`
	Rate         float64 `json:"rate_bytes_per_s"` // of bytes_done, since writing began
	ETA          float64 `json:"eta_s"`
}

// summaryJSON is the last line of --progress=json: the whole run.
type summaryJSON struct {
	Type        string  `json:"type"` // "summary"
	WIM         string  `json:"wim"`
	Image       int     `json:"image"`
	Name        string  `json:"name"`
	Files       uint64  `json:"files"`
	Dirs        uint64  `json:"dirs"`
	InputBytes  int64   `json:"input_bytes"`  // the image's file data
	UniqueBytes int64   `json:"unique_bytes"` // of it, what the WIM did not hold yet
	StoredBytes int64   `json:"stored_bytes"` // what unique_bytes took in the WIM
	OutputBytes int64   `json:"output_bytes"` // bytes this run wrote
	WIMBytes    int64   `json:"wim_bytes"`    // the WIM's size
	Ratio       float64 `json:"ratio"`        // stored_bytes / unique_bytes (0 when nothing was new)
	Wall        float64 `json:"wall_s"`
	CPU         float64 `json:"cpu_s"`
	PeakMemory  int64   `json:"peak_memory_bytes"`
	Threads     int     `json:"threads"`
	Compression string  `json:"compression"`
	Level       int     `json:"level"`
	ChunkSize   int     `json:"chunk_size"`
	Solid       bool    `json:"solid"`
}

// usage returns the CPU seconds and the peak resident memory of this
// process so far.
func usage() (float64, int64) {
	cpu, rss := rusage()
	return round3(cpu.Seconds()), rss
}

// summary prints the run's last line: what the image holds, what it
// added and how well that compressed (never above 100%: a WIM stores data
// uncompressed when compressing does not help), and the WIM's size; with
// --progress=json also the summary object.
func (r *reporter) summary(a *Args, res *summary, wall time.Duration) {
	st := res.st
	added := "nothing new"
	switch {
	case st.Unique > 0 && st.Stored > 0:
		added = fmt.Sprintf("%s new, stored in %s: %.1f%%", human(st.Unique), human(st.Stored), 100*float64(st.Stored)/float64(st.Unique))
	case st.Unique > 0:
		added = human(st.Unique) + " new"
	}
	r.println("%s: image %d \"%s\": %d dirs, %d files, %s of data (%s); WIM %s in %.2f s",
		a.WIMFile, res.index, res.name, st.DirCount, st.FileCount, human(int64(st.TotalBytes)), added, human(st.Size), wall.Seconds())
	if r.json == nil {
		return
	}
	cpu, peak := usage()
	o := summaryJSON{
		Type: "summary", WIM: a.WIMFile, Image: res.index, Name: res.name,
		Files: st.FileCount, Dirs: st.DirCount,
		InputBytes: int64(st.TotalBytes), UniqueBytes: st.Unique, StoredBytes: st.Stored, WIMBytes: st.Size,
		Wall: round3(wall.Seconds()), CPU: cpu, PeakMemory: peak,
		Threads: st.Threads, Compression: st.Compression, Level: st.Level, ChunkSize: st.ChunkSize, Solid: a.Solid,
	}
	if st.Unique > 0 && st.Stored > 0 {
		o.Ratio = round3(float64(st.Stored) / float64(st.Unique))
	}
	if r.written != nil {
		o.OutputBytes = r.written()
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.json.Encode(o)
}
