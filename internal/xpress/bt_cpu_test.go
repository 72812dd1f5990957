package xpress

import (
	"testing"
	"time"

	"github.com/wimgo/wimgo/internal/codectest"
)

// TestBTCPUTime prints the CPU time of findAllMatches alone (level 100's
// settings) over XPRESS_BT_FILE in 32 KiB chunks, Go against assembly.
func TestBTCPUTime(t *testing.T) {
	data := codectest.EnvFile(t, "XPRESS_BT_FILE")
	defer func() { useAsm = haveAsm }()
	c, _ := NewCompressor(32768, 100)
	for _, asm := range []bool{false, haveAsm, false, haveAsm} {
		useAsm = asm
		best := time.Hour
		for range 3 {
			start := codectest.CPUTime()
			for p := 0; p < len(data); p += 32768 {
				src := data[p:min(p+32768, len(data))]
				n := copy(c.win[:], src)
				clear(c.win[n:min(n+16, len(c.win))])
				c.findAllMatches(n)
				c.near.bt.release(c.win, n)
			}
			best = min(best, codectest.CPUTime()-start)
		}
		t.Logf("asm=%v cpu=%.3fs", asm, best.Seconds())
	}
}
