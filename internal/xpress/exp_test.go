package xpress

import (
	"fmt"
	"os"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestExperiment compresses XPRESS_EXP_FILE with parameter overrides from
// XPRESS_EXP ("level=100,depth=20,nice=40,passes=3,parser=1") and prints size
// and speed. Development aid only.
func TestExperiment(t *testing.T) {
	spec := os.Getenv("XPRESS_EXP")
	if spec == "" {
		t.Skip("XPRESS_EXP not set")
	}
	data, err := os.ReadFile(os.Getenv("XPRESS_EXP_FILE"))
	if err != nil {
		t.Fatal(err)
	}
	for _, one := range strings.Split(spec, ";") {
		kv := map[string]int{}
		for _, f := range strings.Split(one, ",") {
			k, v, _ := strings.Cut(f, "=")
			kv[k], _ = strconv.Atoi(v)
		}
		c, _ := NewCompressor(32768, kv["level"])
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
				c.near = newNearState(32768)
			}
			if c.p.parser != parseNear && c.hc == nil {
				c.hc = new(hcMatchfinder)
			}
		}
		dst := make([]byte, 32768)
		total := 0
		el := time.Hour
		for range 3 {
			start := cpuTime()
			total = 0
			for i := 0; i < len(data); i += 32768 {
				src := data[i:min(i+32768, len(data))]
				n := c.Compress(dst, src)
				if n == 0 {
					n = len(src)
				}
				total += n
			}
			el = min(el, cpuTime()-start)
		}
		fmt.Printf("%-45s %10d  ratio %.5f  %6.1f MB/s\n", one, total, float64(total)/float64(len(data)), float64(len(data))/el.Seconds()/1e6)
	}
}

func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func TestExperimentDecode(t *testing.T) {
	if os.Getenv("XPRESS_EXPD") == "" {
		t.Skip("XPRESS_EXPD not set")
	}
	data, err := os.ReadFile(os.Getenv("XPRESS_EXP_FILE"))
	if err != nil {
		t.Fatal(err)
	}
	c, _ := NewCompressor(32768, 50)
	d, _ := NewDecompressor(32768)
	type ch struct {
		comp []byte
		n    int
	}
	var chunks []ch
	dst := make([]byte, 32768)
	total := 0
	for i := 0; i+32768 <= len(data); i += 32768 {
		if n := c.Compress(dst, data[i:i+32768]); n > 0 {
			chunks = append(chunks, ch{append([]byte(nil), dst[:n]...), 32768})
			total += 32768
		}
	}
	out := make([]byte, 32768)
	for _, name := range []string{"a", "b"} {
		el := time.Hour
		for range 5 {
			start := cpuTime()
			for _, x := range chunks {
				src := x.comp
				for i, b := range src[:tableBytes] {
					d.lens[2*i] = b & 15
					d.lens[2*i+1] = b >> 4
				}
				d.table.build(&d.lens)
				var err error
				err = d.decode(out, src[tableBytes:])
				if err != nil {
					t.Fatal(err)
				}
			}
			el = min(el, cpuTime()-start)
		}
		fmt.Printf("%s %.1f MB/s\n", name, float64(total)/el.Seconds()/1e6)
	}
}
