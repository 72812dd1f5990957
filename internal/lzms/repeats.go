package lzms

import (
	"encoding/binary"
	"unsafe"
)

// Long repeats left out of the suffix array.
//
// Disk images repeat themselves at short distances: zeroed blocks, runs of
// one byte, a 4 KiB page written over and over. In a 64 MiB chunk the
// suffix array and its lcps cost the same there as on any data (a chunk of
// one repeated page: 4.8 s of CPU, wimlib 4.4 s), while the parse takes one
// long match over them.
//
// A stretch X of the chunk with period d (X[k] == X[k+d]) and length well
// over 2K, K = d + 2*nice + 64, loses its middle: a multiple R of d starting
// K into X. The text that remains has X[:len(X)-R] in X's place, which by
// the period is both X's front and X's back. So for every position kept:
//   - before X or in X's first K bytes, its suffix agrees with the
//     original for at least K bytes past X's cut, more than nice;
//   - past the cut, its suffix equals the original suffix of the position
//     R further on (X[k:len(X)-R] == X[k+R:len(X)]).
// The matchfinder only reports lengths up to nice, so each kept position
// gets the lengths it would have had, and its sources map back to real
// positions (a source past a cut is R further on, the nearest copy of its
// bytes). A source left out never mattered: its first nice bytes appear
// again, later, in the first d positions after the cut. A position left
// out is never searched: it gets the copy one period back, which runs to
// X's end, more than nice bytes on (K past the cut), and the parser takes
// it as a long match.

// repeatCut is one stretch left out: positions [at, at+n) of the chunk,
// n a multiple of period.
type repeatCut struct {
	at, n, period int
	red           int // at in the reduced text: its first position after the cut
	cum           int // positions left out by this cut and those before it
}

const (
	// repeatMinChunk: smaller chunks are never cut (their suffix array
	// is cheap, and up to 1 MiB long runs go to the binary trees).
	repeatMinChunk = 1 << 20
	// repeatMinCut: a shorter stretch is not worth a cut.
	repeatMinCut = 16 << 10
	// repeatMaxPeriod: the longest period looked for; the detector's
	// table keeps positions that far back (2^repeatHashBits slots).
	repeatMaxPeriod = 64 << 10
	repeatHashBits  = 17
	// repeatProbe: the detector looks up one position in this many (a
	// repeat of repeatMinCut bytes is probed hundreds of times), but
	// enters every position in its table.
	repeatProbe = 32
	// repeatMinShare: the cuts must leave out at least 1/repeatMinShare
	// of the chunk: below that the suffix array saves little, and the
	// reduced text must fit behind the links' used part (see reduce).
	repeatMinShare = 5
)

// noCuts turns the cuts off (tests compare the bytes with and without).
var noCuts bool

// findRepeats lists the stretches of in to leave out, in order. Each
// position enters a table of 8-byte windows; every repeatProbe-th looks up
// the latest earlier position with its window, and where the bytes keep
// repeating at that distance for a long stretch, the stretch is measured
// both ways and cut. table is scratch of 2^repeatHashBits entries.
func findRepeats(in []byte, nice int, table []uint32, cuts []repeatCut) []repeatCut {
	cuts = cuts[:0]
	n := len(in)
	if n < repeatMinChunk {
		return cuts
	}
	clear(table[:1<<repeatHashBits])
	done := 0 // end of the last stretch found
	for i := 0; i+8 <= n; {
		w := binary.LittleEndian.Uint64(in[i:])
		h := uint32((w * 0x9E3779B97F4A7C15) >> (64 - repeatHashBits))
		if i%repeatProbe == 0 {
			if c := int(table[h]) - 1; c >= 0 && i-c <= repeatMaxPeriod &&
				binary.LittleEndian.Uint64(in[c:]) == w {
				d := i - c
				e := i + extend(in, c, i, 0, n-i)
				if e-i >= repeatMinCut/2 {
					s := i // in[k] == in[k-d] for k in [s, e)
					for s > done+d && in[s-1] == in[s-1-d] {
						s--
					}
					if cut, ok := repeatCutOf(s-d, e, d, nice); ok {
						cuts = append(cuts, cut)
					}
					done = e
					i = e
					continue
				}
			}
		}
		table[h] = uint32(i + 1)
		i++
	}
	return cuts
}

// repeatCutOf is the cut of the stretch [xs, e) of period d, if it is long
// enough to leave out repeatMinCut bytes and keep K at both ends.
func repeatCutOf(xs, e, d, nice int) (repeatCut, bool) {
	k := d + 2*nice + 64
	r := (e - xs - 2*k) / d * d
	if r < repeatMinCut {
		return repeatCut{}, false
	}
	return repeatCut{at: xs + k, n: r, period: d}, true
}

// reduce plans the cuts for in and, if they leave out enough, writes the
// reduced text into the links array's tail (which the suffix array of the
// shorter text leaves unused: it needs len+256 entries of 4 bytes, and
// 4(n-m) >= m when m <= 4n/5) and returns it; otherwise it returns in and
// no cuts.
func (f *lcpFinder) reduce(in []byte) []byte {
	f.cuts = f.cuts[:0]
	f.next, f.shift = 0, 0
	f.origLen = len(in)
	if len(in) < repeatMinChunk || noCuts {
		return in
	}
	cuts := findRepeats(in, f.nice, f.nodes, f.cuts)
	removed := 0
	for k := range cuts {
		cuts[k].red = cuts[k].at - removed
		removed += cuts[k].n
		cuts[k].cum = removed
	}
	f.cuts = cuts
	m := len(in) - removed
	if removed*repeatMinShare < len(in) {
		f.cuts = f.cuts[:0]
		return in
	}
	tail := f.links[m+256:]
	red := unsafe.Slice((*byte)(unsafe.Pointer(unsafe.SliceData(tail))), 4*len(tail))[:m]
	from, to := 0, 0
	for _, c := range cuts {
		to += copy(red[to:], in[from:c.at])
		from = c.at + c.n
	}
	copy(red[to:], in[from:])
	return red
}

// leftOut says whether position p (visited in order) was cut, and keeps
// f.shift at the number of positions left out before p.
func (f *lcpFinder) leftOut(p int) (cut *repeatCut) {
	for f.next < len(f.cuts) && p >= f.cuts[f.next].at+f.cuts[f.next].n {
		f.shift = f.cuts[f.next].cum
		f.next++
	}
	if f.next < len(f.cuts) && p >= f.cuts[f.next].at {
		return &f.cuts[f.next]
	}
	return nil
}

// unreduce turns the offsets of ms, found at reduced position p-f.shift,
// into offsets in the chunk: a source before an earlier cut is that cut's
// length further back.
func (f *lcpFinder) unreduce(p int, ms []match) {
	if f.next == 0 {
		return
	}
	rp := p - f.shift
	last := f.cuts[f.next-1].red
	for i := range ms {
		q := rp - int(ms[i].offset)
		if q >= last {
			continue
		}
		k := f.next - 1
		for k > 0 && q < f.cuts[k-1].red {
			k--
		}
		before := 0
		if k > 0 {
			before = f.cuts[k-1].cum
		}
		ms[i].offset += uint32(f.shift - before)
	}
}
