package xpress

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/wimgo/wimgo/internal/codectest"
)

// Tuning aids, skipped unless asked for. They time with the process's CPU
// time (best of several runs), which stays meaningful on a machine shared
// with other jobs, where wall-clock benchmarks swing by half.

// TestTune compresses XPRESS_TUNE_FILE in 32 KiB chunks (or chunk=N) with the settings
// listed in XPRESS_TUNE, one run per ";"-separated entry of comma-separated
// overrides, for example "level=50;level=50,depth=8;level=100,passes=3,nice=64"
// (keys: chunk, level, depth, nice, passes, parser), and prints size and speed.
func TestTune(t *testing.T) {
	spec := os.Getenv("XPRESS_TUNE")
	if spec == "" {
		t.Skip("XPRESS_TUNE not set")
	}
	// XPRESS_TUNE_DIR compresses every regular file under a directory on
	// its own, as a WIM stores them (a partial last chunk per file).
	var files [][]byte
	if dir := os.Getenv("XPRESS_TUNE_DIR"); dir != "" {
		filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
			if err == nil && d.Type().IsRegular() {
				if b, err := os.ReadFile(p); err == nil && len(b) > 0 {
					files = append(files, b)
				}
			}
			return nil
		})
	} else {
		data, err := os.ReadFile(os.Getenv("XPRESS_TUNE_FILE"))
		if err != nil {
			t.Fatal(err)
		}
		files = [][]byte{data}
	}
	size := 0
	for _, f := range files {
		size += len(f)
	}
	for _, one := range strings.Split(spec, ";") {
		kv := map[string]int{}
		for _, f := range strings.Split(one, ",") {
			k, v, _ := strings.Cut(f, "=")
			kv[k], _ = strconv.Atoi(v)
		}
		chunk := 32768
		if v, ok := kv["chunk"]; ok {
			chunk = v
		}
		c, _ := NewCompressor(chunk, kv["level"])
		if v, ok := kv["depth"]; ok {
			c.p.maxSearchDepth = v
		}
		if v, ok := kv["nice"]; ok {
			c.p.niceLen = v
		}
		if v, ok := kv["passes"]; ok {
			c.p.optimPasses = v
		}
		if v, ok := kv["parser"]; ok {
			c.p.parser = parser(v)
			if c.p.parser == parseNear && c.near == nil {
				c.near = newNearState(chunk)
			}
			if c.p.parser != parseNear && c.hc == nil {
				c.hc = new(hcMatchfinder)
			}
		}
		dst := make([]byte, chunk)
		total := 0
		el := time.Hour
		for range 3 {
			start := codectest.CPUTime()
			total = 0
			for _, data := range files {
				for i := 0; i < len(data); i += chunk {
					src := data[i:min(i+chunk, len(data))]
					n := c.Compress(dst, src)
					if n == 0 {
						n = len(src)
					}
					total += n
				}
			}
			el = min(el, codectest.CPUTime()-start)
		}
		fmt.Printf("%-45s %10d  ratio %.5f  %6.1f MB/s\n", one, total, float64(total)/float64(size), float64(size)/el.Seconds()/1e6)
	}
}

// TestTuneDecode decodes XPRESS_TUNE_FILE compressed at level 50 when
// XPRESS_TUNE_DECODE is set, and prints the decoder's speed.
func TestTuneDecode(t *testing.T) {
	if os.Getenv("XPRESS_TUNE_DECODE") == "" {
		t.Skip("XPRESS_TUNE_DECODE not set")
	}
	data, err := os.ReadFile(os.Getenv("XPRESS_TUNE_FILE"))
	if err != nil {
		t.Fatal(err)
	}
	c, _ := NewCompressor(32768, 50)
	d, _ := NewDecompressor(32768)
	var chunks [][]byte // whole compressed 32 KiB chunks
	dst := make([]byte, 32768)
	total := 0
	for i := 0; i+32768 <= len(data); i += 32768 {
		if n := c.Compress(dst, data[i:i+32768]); n > 0 {
			chunks = append(chunks, append([]byte(nil), dst[:n]...))
			total += 32768
		}
	}
	out := make([]byte, 32768)
	for range 2 {
		el := time.Hour
		for range 5 {
			start := codectest.CPUTime()
			for _, src := range chunks {
				if err := d.Decompress(out, src); err != nil {
					t.Fatal(err)
				}
			}
			el = min(el, codectest.CPUTime()-start)
		}
		fmt.Printf("decode %.1f MB/s\n", float64(total)/el.Seconds()/1e6)
	}
}
