package xpress

import (
	"os"
	"testing"
	"time"
)

// TestBTCPUTime prints the CPU time of findAllMatches alone (level 100's
// settings) over XPRESS_BT_FILE in 32 KiB chunks, Go against assembly.
func TestBTCPUTime(t *testing.T) {
	f := os.Getenv("XPRESS_BT_FILE")
	if f == "" {
		t.Skip("XPRESS_BT_FILE not set")
	}
	data, err := os.ReadFile(f)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { useAsm = haveAsm }()
	c, _ := NewCompressor(32768, 100)
	for _, asm := range []bool{false, haveAsm, false, haveAsm} {
		useAsm = asm
		best := time.Hour
		for range 3 {
			start := cpuTime()
			for p := 0; p < len(data); p += 32768 {
				src := data[p:min(p+32768, len(data))]
				n := copy(c.win[:], src)
				clear(c.win[n:min(n+16, len(c.win))])
				c.findAllMatches(n)
				c.near.bt.release(c.win, n)
			}
			best = min(best, cpuTime()-start)
		}
		t.Logf("asm=%v cpu=%.3fs", asm, best.Seconds())
	}
}
