package cli

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/wimgo/wimgo/engine"
)

// compareLevels (--compare-levels=TYPE:LEVEL,...) captures SOURCE once per
// setting into a temporary file, removed at once, and prints a table of
// the WIM's size, its ratio to the file data, wall and CPU seconds; with
// --progress=json one JSON object per setting on standard error. WIMFILE
// is not written.
func compareLevels(cmd Command, a *Args, stdout, stderr io.Writer) error {
	if err := checkArgs(cmd, a); err != nil {
		return err
	}
	if cmd != Capture {
		return fmt.Errorf("%w: --compare-levels is an option of wimcapture", ErrUsage)
	}
	quiet := &Args{Quiet: true, WIMFile: a.WIMFile, Config: a.Config, WIMBoot: a.WIMBoot, Source: a.Source, SourceList: a.SourceList}
	rep := newReporter(quiet, io.Discard, stderr)
	iopts, err := imageOptions(cmd, a, os.Stdin, rep)
	if err != nil {
		return err
	}
	iopts.Name = defaultName(a.Source)
	if a.NameSet {
		iopts.Name = a.Name
	}
	iopts.RPFix = !a.NoRPFix
	var enc *json.Encoder
	if a.ProgressJSON {
		enc = json.NewEncoder(stderr)
	}
	fmt.Fprintf(stdout, "%-14s %14s %8s %8s %8s\n", "SETTING", "WIM BYTES", "RATIO", "WALL S", "CPU S")
	for _, setting := range a.CompareLevels {
		b := *a
		b.Compress = setting
		opts, err := engineOptions(&b, io.Discard)
		if err != nil {
			return err
		}
		opts.Warn = rep.warn
		f, err := os.CreateTemp("", "wimgo-compare-*.wim")
		if err != nil {
			return err
		}
		os.Remove(f.Name()) // nothing is left, whatever happens
		cpu0, _ := usage()
		start := time.Now()
		w, err := engine.Create(f, opts)
		if err == nil {
			if err = w.AddImage(a.Source, *iopts); err == nil {
				err = w.Close()
			} else {
				w.Close()
			}
		}
		f.Close()
		if err != nil {
			return fmt.Errorf("--compare-levels %s: %w", setting, err)
		}
		wall := time.Since(start).Seconds()
		cpu1, peak := usage()
		st := w.Stats()
		ratio := float64(st.Size) / float64(max(st.TotalBytes, 1))
		fmt.Fprintf(stdout, "%-14s %14d %7.1f%% %8.2f %8.2f\n", strings.ToUpper(setting), st.Size, 100*ratio, wall, cpu1-cpu0)
		if enc != nil {
			enc.Encode(compareJSON{Type: "compare", Setting: setting, Compression: st.Compression, Level: st.Level, ChunkSize: st.ChunkSize,
				InputBytes: int64(st.TotalBytes), WIMBytes: st.Size, Ratio: round3(ratio), Wall: round3(wall), CPU: round3(cpu1 - cpu0), PeakMemory: peak, Threads: st.Threads})
		}
	}
	return nil
}

// compareJSON is one --compare-levels result with --progress=json.
type compareJSON struct {
	Type        string  `json:"type"` // "compare"
	Setting     string  `json:"setting"`
	Compression string  `json:"compression"`
	Level       int     `json:"level"`
	ChunkSize   int     `json:"chunk_size"`
	InputBytes  int64   `json:"input_bytes"`
	WIMBytes    int64   `json:"wim_bytes"`
	Ratio       float64 `json:"ratio"` // wim_bytes / input_bytes
	Wall        float64 `json:"wall_s"`
	CPU         float64 `json:"cpu_s"`
	PeakMemory  int64   `json:"peak_memory_bytes"` // of the process so far
	Threads     int     `json:"threads"`
}
