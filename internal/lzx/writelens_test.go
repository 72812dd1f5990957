package lzx

import (
	"bytes"
	"math/rand/v2"
	"testing"
)

// refWriteLens is the plain form of writeLens: one item at a time, each
// put and flushed on its own.
func refWriteLens(w *bitWriter, prev, cur []uint8) {
	var freq [numPreSyms]uint32
	var items []uint32
	add := func(sym, nExtra, extra uint32) {
		items = append(items, sym|nExtra<<5|extra<<8)
		freq[sym]++
	}
	delta := func(i int, v uint8) uint32 { return uint32(prev[i]+17-v) % 17 }
	for i := 0; i < len(cur); {
		v := cur[i]
		run := 1
		for i+run < len(cur) && cur[i+run] == v {
			run++
		}
		if v == 0 {
			for run >= 20 {
				r := min(run, 51)
				add(18, 5, uint32(r-20))
				i += r
				run -= r
			}
			if run >= 4 {
				add(17, 4, uint32(run-4))
				i += run
				run = 0
			}
		} else {
			for run >= 4 {
				r := min(run, 5)
				add(19, 1, uint32(r-4))
				add(delta(i, v), 0, 0)
				i += r
				run -= r
			}
		}
		for ; run > 0; run-- {
			add(delta(i, v), 0, 0)
			i++
		}
	}
	lens, codes := make([]uint8, numPreSyms), make([]uint16, numPreSyms)
	var h huffBuilder
	h.build(freq[:], lens, codes, maxPreCodeLen)
	for _, l := range lens {
		w.put(uint32(l), 4)
		w.flush()
	}
	for _, it := range items {
		sym := it & 31
		w.put(uint32(codes[sym]), uint(lens[sym]))
		w.put(it>>8, uint(it>>5&7))
		w.flush()
	}
}

// TestWriteLensMatchesReference codes random length arrays (runs of
// zeros and of one length of every size, lengths 0..16) against random
// previous ones, after random pending bits, and compares the bits with
// refWriteLens.
func TestWriteLensMatchesReference(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	var bw blockWriter
	for round := range 3000 {
		n := []int{numChars, numLenSyms, numLenHeaders * 30, numLenHeaders * 50, r.IntN(300) + 1}[round%5]
		fill := func() []uint8 {
			a := make([]uint8, n)
			for i := 0; i < n; {
				run := 1 + r.IntN(8)
				if r.IntN(5) == 0 {
					run = r.IntN(120)
				}
				v := uint8(r.IntN(17))
				if r.IntN(3) == 0 {
					v = 0
				}
				for ; run > 0 && i < n; run-- {
					a[i] = v
					i++
				}
			}
			return a
		}
		prev, cur := fill(), fill()
		if r.IntN(4) == 0 {
			prev = make([]uint8, n)
		}
		pending := uint(r.IntN(16))
		acc := r.Uint64() & (1<<pending - 1)
		got := bitWriter{buf: make([]byte, 4*n+64), acc: acc, n: pending}
		want := bitWriter{buf: make([]byte, 4*n+64), acc: acc, n: pending}
		bw.writeLens(&got, prev, cur)
		refWriteLens(&want, prev, cur)
		got.finish()
		want.finish()
		if !bytes.Equal(got.buf[:got.pos], want.buf[:want.pos]) {
			t.Fatalf("round %d (%d lengths): bits differ\nprev %v\ncur %v", round, n, prev, cur)
		}
	}
}
