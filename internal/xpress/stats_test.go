package xpress

import (
	"fmt"
	"os"
	"testing"
)

func TestMatchStats(t *testing.T) {
	f := os.Getenv("XPRESS_EXP_FILE")
	if f == "" || os.Getenv("XPRESS_STATS") == "" {
		t.Skip()
	}
	data, _ := os.ReadFile(f)
	c, _ := NewCompressor(32768, 100)
	var pos, matches, lens, withm int
	for i := 0; i+32768 <= len(data); i += 32768 {
		copy(c.win[:], data[i:i+32768])
		c.findAllMatches(32768)
		used := 0
		for p := 0; p < 32768; p++ {
			m := int(c.near.counts[p])
			pos++
			if m > 0 {
				withm++
				matches += m
				used += m
				lens += int(c.near.cache[used-1] >> 16)
			}
		}
	}
	fmt.Printf("positions %d withmatch %d matches/pos %.2f matches/withm %.2f avg maxlen %.1f\n", pos, withm, float64(matches)/float64(pos), float64(matches)/float64(withm), float64(lens)/float64(withm))
}

func TestDPStats(t *testing.T) {
	f := os.Getenv("XPRESS_EXP_FILE")
	if f == "" || os.Getenv("XPRESS_STATS") == "" {
		t.Skip()
	}
	data, _ := os.ReadFile(f)
	c, _ := NewCompressor(32768, 100)
	var iters, long, pos int
	for i := 0; i+32768 <= len(data); i += 32768 {
		copy(c.win[:], data[i:i+32768])
		c.findAllMatches(32768)
		used := 0
		for p := 0; p < 32768; p++ {
			pos++
			m := int(c.near.counts[p])
			next := 3
			for _, mt := range c.near.cache[used : used+m] {
				l := int(mt >> 16)
				iters += l - next + 1
				if l > 300 {
					long += l - next + 1
				}
				next = l + 1
			}
			used += m
		}
	}
	fmt.Printf("positions %d inner iterations %d (%.2f/pos), in matches >300: %d\n", pos, iters, float64(iters)/float64(pos), long)
}
