package lzms

import (
	"sync"
	"sync/atomic"
)

// Spare lends a compressor the threads its caller leaves idle. A solid
// resource's last round has fewer chunks than threads (3.5 chunks of 64
// MiB on 2 threads: one core idles while the last full chunk is parsed),
// and a chunk's parse is one sequential pass. But its lcp-interval
// matchfinder (about 40% of a big chunk's time) visits every position in
// order whatever the parser decides, so it can run ahead on another
// goroutine and hand the parser each position's matches. Take claims an
// idle thread for that (false when there is none), Give returns it, and
// Crowded reports that more threads are claimed than there are: the finder
// then hands the work back. The bytes do not depend on any of it.
type Spare interface {
	Take() bool
	Give()
	Crowded() bool
}

// SetSpare lets c borrow threads from s for the chunks it compresses from
// now on (nil: never). Only chunks of over aheadMin bytes on the
// lcp-interval finder use it.
func (c *Compressor) SetSpare(s Spare) { c.ah.spare = s }

// SetGate makes c hold g while its memory peaks on a chunk (nil: never):
// the stretch where its matchfinder's two arrays are both whole, a small
// part of a chunk's time (lcpFinder.index). Compressors of big chunks that
// start together (a solid resource's) and share a gate that admits fewer
// of them at once have a lower peak together. Only compressors for chunks
// of over 4 MiB take the gate.
func (c *Compressor) SetGate(g sync.Locker) { c.lf.gate = g }

const (
	aheadBlock = 4096 // positions a block of found matches covers
	aheadDepth = 4    // blocks in flight
)

// aheadMin: smaller chunks are parsed in a few milliseconds, and their
// finder is cheap (in the cache); a variable for the tests.
var aheadMin = 4 << 20

// aheadFinder runs the lcp finder on a helper goroutine; the parser's
// finds and visits read its blocks instead of calling the finder.
type aheadFinder struct {
	spare     Spare
	running   bool // a helper owns the finder (until a block marked last)
	blocks    chan *matchBlock
	free      chan *matchBlock
	quit      atomic.Bool // the chunk is done: the helper stops
	cur       *matchBlock
	nextCheck int // the position at which to ask for a spare thread again
}

// matchBlock holds the matches of the positions [start, end): those of
// start+i are ms[ends[i-1]:ends[i]] (from 0 for i = 0).
type matchBlock struct {
	start, end int
	ends       []int32
	ms         []match
	last       bool // the helper gave the finder back after this block
}

// startChunk readies the helper's state for a chunk of n bytes.
func (a *aheadFinder) startChunk(n int) {
	a.nextCheck = 0
	if a.spare == nil || n <= aheadMin {
		a.nextCheck = n // never
	}
}

// lcpFind is lcpFinder.find through the helper when one runs.
func (c *Compressor) lcpFind(p int, out []match, record bool) []match {
	a := &c.ah
	if !a.running && p >= a.nextCheck {
		c.tryAhead(p)
	}
	if a.running {
		if b := a.blockOf(p); b != nil {
			i := p - b.start
			lo := int32(0)
			if i > 0 {
				lo = b.ends[i-1]
			}
			if record {
				out = append(out, b.ms[lo:b.ends[i]]...)
			}
			return out
		}
	}
	return c.lf.find(p, out, record)
}

// visit is lcpFinder.visit (the positions [from, to) without matches)
// through the helper when one runs.
func (c *Compressor) visit(from, to int) {
	// find climbed the positions of its batch already.
	from = max(from, min(c.cb.end, to))
	a := &c.ah
	for a.running && from < to {
		b := a.blockOf(from)
		if b == nil {
			break
		}
		from = min(to, b.end)
	}
	if from < to {
		c.lf.visit(from, to)
	}
}

// blockOf returns the block holding position p, recycling the ones
// before; nil once the helper has given the finder back before p.
func (a *aheadFinder) blockOf(p int) *matchBlock {
	for a.cur == nil || p >= a.cur.end {
		if a.cur != nil {
			last := a.cur.last
			a.free <- a.cur
			a.cur = nil
			if last {
				a.running = false
				return nil
			}
		}
		a.cur = <-a.blocks
	}
	return a.cur
}

// tryAhead starts the helper at position p if a thread is spare, and
// otherwise schedules the next ask.
func (c *Compressor) tryAhead(p int) {
	a := &c.ah
	a.nextCheck = p + aheadBlock
	n := len(c.in)
	if n-p < 4*aheadBlock || !a.spare.Take() {
		return
	}
	if a.blocks == nil {
		a.blocks = make(chan *matchBlock, aheadDepth)
		a.free = make(chan *matchBlock, aheadDepth)
		for range aheadDepth {
			a.free <- &matchBlock{ends: make([]int32, aheadBlock)}
		}
	}
	a.quit.Store(false)
	a.running = true
	go c.runAhead(p, n)
}

// runAhead finds the matches of the positions from p on, a block at a
// time, until the chunk's end, the chunk is done, or the threads are
// crowded (then the parser takes over again after the last block sent).
func (c *Compressor) runAhead(p, n int) {
	a := &c.ah
	f := &c.lf
	for {
		b := <-a.free
		if a.quit.Load() {
			b.start, b.end, b.last = p, p, true
			a.spare.Give()
			a.blocks <- b
			return
		}
		b.start, b.end = p, min(p+aheadBlock, n)
		b.ms = b.ms[:0]
		b.last = false
		for q := b.start; q < b.end; q++ {
			b.ms = f.find(q, b.ms, true)
			b.ends[q-b.start] = int32(len(b.ms))
		}
		p = b.end
		if p == n || a.quit.Load() || a.spare.Crowded() {
			b.last = true
			a.spare.Give()
			a.blocks <- b
			return
		}
		a.blocks <- b
	}
}

// endChunk waits for the helper to stop, after the chunk's last find.
func (a *aheadFinder) endChunk() {
	if !a.running {
		return
	}
	a.quit.Store(true)
	a.blockOf(int(^uint(0) >> 1)) // drains to the last block
}
