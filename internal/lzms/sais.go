package lzms

import (
	"encoding/binary"
	"math/bits"
	"unsafe"
)

// Suffix array construction by induced sorting (SA-IS, Nong, Zhang and
// Chan 2009). The lcp-interval matchfinder needs the suffix array of a
// whole chunk; induced sorting builds it in linear time with no memory
// beyond the array itself, a scratch area the size of the text and the
// LMS bitmaps (a quarter of a byte per symbol).
//
// Suffix types: position i is S-type when its suffix is smaller than the
// suffix at i+1, L-type when larger; an LMS position is an S-type position
// right after an L-type one. The end of the text acts as a sentinel smaller
// than every symbol, so the last position is L-type.
//
// Types are not kept in an array of their own, which keeps the scratch
// area free for the recursion's buckets: an entry of sa carries its
// predecessor's type in its sign bit while the induction passes run (see
// saisPred). Only the LMS positions are kept, as a bitmap: one scan finds
// them, and the passes that need them in text order walk the bitmap's set
// bits instead of rescanning the text (whose type tests mispredict at
// every LMS position).

// saisAhead: the induction passes prefetch the text this many entries
// ahead of the scan (the reads of s[j-1] miss at big chunks). Texts of up to
// cachedChunk bytes stay in cache, and there the call to prefetch costs more
// than it saves. An entry takes a few ns, a miss over 100: 16 ahead was too
// close at 64 MiB (suffix array 0.82-0.84x with 64; 48 to 160 alike; 1 and 4
// MiB chunks unchanged).
const saisAhead = 64

// saisDeep: the scans between the induction passes (the gathering and
// naming of the LMS substrings, stage 2's seeding) prefetch for texts of
// more than this many bytes. At 1 MiB they cost more than they save
// (suffix array +8%); at 64 MiB the passes with them took 0.86x the time.
const saisDeep = 2 << 20

// saisSymbol is a symbol of the text: bytes at the top level, the names of
// LMS substrings in the recursion.
type saisSymbol interface{ byte | int32 }

// suffixArray sorts the suffixes of s (symbols below k) into sa, which has
// len(s) entries. work is scratch: k entries for this level's buckets, and
// the recursion's below them; k+len(s) entries always suffice (a reduced
// text is at most half as long, its alphabet smaller than itself). lms
// holds the LMS bitmaps of this level and the recursion's: saisBitmap(n)
// words for a text of n.
func suffixArray[T saisSymbol](s []T, sa []int32, k int, work []int32, lms []uint64) {
	n := len(s)
	switch n {
	case 0:
		return
	case 1:
		sa[0] = 0
		return
	}
	bkt, work := work[:k], work[k:]
	// Bucket sizes: counted once for a small alphabet; a big one's are
	// counted into the scratch the recursion takes (k <= n entries past
	// bkt), so once for stage 1 and again for stage 2.
	var cntBuf [256]int32
	var cnt []int32
	small := k <= len(cntBuf)
	if small {
		cnt = cntBuf[:k]
		countBytes(s, cnt)
	} else {
		cnt = work[:k]
		countSymbols(s, cnt)
	}

	// Stage 1: sort the LMS substrings. Seed each bucket's tail with its
	// LMS positions (in any order) and induce.
	for i := range sa {
		sa[i] = 0 // empty (see saisPred)
	}
	lms, lmsRest := lms[:(n+63)/64], lms[(n+63)/64:]
	findLMS(s, lms)
	bucketBounds(s, bkt, cnt, true)
	n1 := 0
	for w, m := range lms {
		for ; m != 0; m &= m - 1 {
			p := w<<6 | bits.TrailingZeros64(m)
			c := s[p]
			bkt[c]--
			sa[bkt[c]] = int32(p) | saisPred
			n1++
		}
	}
	induceL(s, sa, bkt, cnt)
	induceS(s, sa, bkt, cnt)

	// Gather the LMS positions, in sorted order, at the front: every
	// entry (all are filled by now) is copied, and the bitmap says
	// whether to keep it (without a branch, which would mispredict as
	// often as the test of the types).
	// deep: the scans prefetch up to entry stop (stop1 over n1 entries).
	deep := n*int(unsafe.Sizeof(s[0])) > saisDeep
	stop, stop1 := 0, 0
	if deep {
		stop, stop1 = n-saisAhead, max(n1-saisAhead, 0)
	}
	gatherLMS(sa, stop, lms)

	// Name the LMS substrings.
	names := nameLMS(s, sa, lms, n1, stop1)

	// The reduced text: the names in text order, packed at the end
	// (walking the LMS positions down, the slot read is never past the
	// one written: n1 <= (n-1)/2).
	w := n - 1
	for x := len(lms) - 1; x >= 0; x-- {
		for m := lms[x]; m != 0; {
			b := 63 - bits.LeadingZeros64(m)
			m &^= 1 << b
			sa[w] = sa[n1+(x<<6|b)/2]
			w--
		}
	}
	s1 := sa[n-n1:]
	sa1 := sa[:n1]
	if names < n1 {
		suffixArray(s1, sa1, names, work, lmsRest)
	} else {
		for i, c := range s1 {
			sa1[c] = int32(i)
		}
	}

	// Stage 2: sa1 orders the LMS suffixes by their index in text order;
	// turn the indexes back into positions (s1 is free now).
	w = 0
	for x, m := range lms {
		for ; m != 0; m &= m - 1 {
			s1[w] = int32(x<<6 | bits.TrailingZeros64(m))
			w++
		}
	}
	// (The prefetching loops apart: a call in a loop has its values
	// spilled and reloaded every entry.)
	if saisAsm && n1 > 0 {
		mapLMSAsm(&sa1[0], &s1[0], n1, stop1)
	} else {
		for i := range stop1 {
			prefetch(unsafe.Pointer(&s1[sa1[i+saisAhead]]))
			sa1[i] = s1[sa1[i]]
		}
		for i, x := range sa1[stop1:] {
			sa1[stop1+i] = s1[x]
		}
	}
	clear(sa[n1:]) // a memclr (the loop was not recognised as one)
	// Seed the bucket tails with the sorted LMS suffixes, largest first
	// (each moves to a slot at or after its own).
	if !small {
		countSymbols(s, cnt)
	}
	bucketBounds(s, bkt, cnt, true)
	if saisAsm {
		stop := n1
		if deep {
			stop = saisAhead
		}
		seedAsm(s, sa, bkt, n1, stop)
	} else {
		i := n1 - 1
		for ; i >= saisAhead && deep; i-- {
			prefetch(unsafe.Pointer(&s[sa[i-saisAhead]]))
			j := sa[i]
			sa[i] = 0
			c := s[j]
			bkt[c]--
			sa[bkt[c]] = j | saisPred
		}
		for ; i >= 0; i-- {
			j := sa[i]
			sa[i] = 0
			c := s[j]
			bkt[c]--
			sa[bkt[c]] = j | saisPred
		}
	}
	induceL(s, sa, bkt, cnt)
	induceS(s, sa, bkt, cnt)
}

// nameLMS names the LMS substrings, whose positions are sorted in sa[:n1]:
// equal substrings get equal names, in sorted order. Each LMS position j
// keeps its name at sa[n1+j/2] (LMS positions are at least two apart, so
// the slots are distinct); its substring's length comes from the bitmap
// (the next LMS position). It returns the number of names. The scan
// prefetches up to entry stop1.
func nameLMS[T saisSymbol](s []T, sa []int32, lms []uint64, n1, stop1 int) int {
	n := len(s)
	run, name := sa[:n1], sa[n1:]
	names, prev, prevLen := 0, -1, 0
	for i := 0; i < len(run); i++ {
		if saisAsm {
			// The assembly stops at an entry it leaves to the
			// loop below.
			var k int
			k, names, prev, prevLen = nameAsm(s, run[i:], name, lms, names, prev, prevLen, max(stop1-i, 0))
			if i += k; i == len(run) {
				break
			}
		}
		if i < stop1 {
			// Both reads of a suffix miss at big chunks, and the
			// store of its name.
			k := int(run[i+saisAhead])
			prefetch(unsafe.Pointer(&name[k/2]))
			prefetch(unsafe.Pointer(&s[k]))
			prefetch(unsafe.Pointer(&lms[(k+1)>>6]))
		}
		j := int(run[i])
		// lmsLen, its common case inline (no call in the loop).
		l := 0
		if m := lms[(j+1)>>6] >> ((j + 1) & 63); m != 0 {
			l = bits.TrailingZeros64(m) + 2
		} else {
			l = lmsLen(lms, j, n)
		}
		if unsafe.Sizeof(s[0]) == 1 && l <= 8 && prev >= 0 && max(j, prev)+8 <= n {
			// Most byte substrings are short: compared as one
			// word each, and counted without a branch (whether
			// neighbours are equal is as good as random). Neither
			// reaches the sentinel (j+l <= n).
			t := unsafe.Slice((*byte)(unsafe.Pointer(unsafe.SliceData(s))), n)
			d := (binary.LittleEndian.Uint64(t[j:]) ^ binary.LittleEndian.Uint64(t[prev:])) << (64 - 8*l)
			d |= uint64(l ^ prevLen)
			names += int((d | -d) >> 63)
		} else {
			// The substring that reaches the sentinel equals no other.
			same := prev >= 0 && l == prevLen && j+l <= n && prev+l <= n
			if same {
				if unsafe.Sizeof(s[0]) == 1 {
					same = saisEqual(s, j, prev, l)
				} else {
					a, b := s[j:j+l], s[prev:prev+l]
					for x := range a {
						if a[x] != b[x] {
							same = false
							break
						}
					}
				}
			}
			if !same {
				names++
			}
		}
		name[j/2] = int32(names - 1)
		prev, prevLen = j, l
	}
	return names
}

// saisBitmap is the number of bitmap words suffixArray needs for a text of
// n: a bit a position at every level (each at most half as long as the one
// above, so under 2n bits in all) and a partial word for each level.
func saisBitmap(n int) int {
	return n/32 + 64
}

// findLMS sets the bits of the LMS positions of s in lms. Position p is
// S-type when s[p] < s[p+1], or when they are equal and p+1 is S-type: a
// carry that runs down through runs of equal symbols. So each word's
// comparisons are gathered into masks with no chain between positions,
// and the carry is resolved by one addition (on the bit-reversed masks,
// where it runs up); the LMS bits follow from the S-type bits.
func findLMS[T saisSymbol](s []T, lms []uint64) {
	n := len(s)
	sType := uint64(0) // of the position past the word; the last is L-type
	for w := len(lms) - 1; w >= 0; w-- {
		t := s[w<<6 : min(n, w<<6+65)]
		var lt, eq uint64
		i := 0
		if saisAsm && len(t) == 65 {
			p := unsafe.Pointer(&t[0])
			if unsafe.Sizeof(t[0]) == 1 {
				lt, eq = findLMSBytes((*byte)(p))
			} else {
				lt, eq = findLMSWord((*int32)(p))
			}
			i = 64
		} else if unsafe.Sizeof(t[0]) == 1 {
			// Eight byte comparisons at a time (SWAR: lanes never
			// carry into each other), the lanes' top bits gathered
			// by a multiply.
			const hi, lo = 0x8080808080808080, 0x7f7f7f7f7f7f7f7f
			u := unsafe.Slice((*byte)(unsafe.Pointer(unsafe.SliceData(t))), len(t))
			for ; i+9 <= len(u); i += 8 {
				a := binary.LittleEndian.Uint64(u[i:])
				b := binary.LittleEndian.Uint64(u[i+1:])
				x := a ^ b
				d := (a | hi) - (b &^ hi) // top bit: a's low 7 >= b's
				l := (^a&b | ^x&^d) & hi
				e := ^((x&lo + lo) | x) & hi
				lt |= (l >> 7 * 0x0102040810204080) >> 56 << i
				eq |= (e >> 7 * 0x0102040810204080) >> 56 << i
			}
		}
		for ; i+1 < len(t); i++ {
			a, b := t[i], t[i+1]
			var l, e uint64
			if a < b {
				l = 1
			}
			if a == b {
				e = 1
			}
			lt |= l << i
			eq |= e << i
		}
		g, p := bits.Reverse64(lt), bits.Reverse64(lt|eq)
		sum, carry := bits.Add64(p, g, sType)
		st := bits.Reverse64((sum^p^g)>>1 | carry<<63)
		lms[w] = st
		sType = st & 1
	}
	// p is LMS when S-type after an L-type position; 0 never is.
	prevS := uint64(1)
	for w, st := range lms {
		lms[w] = st &^ (st<<1 | prevS)
		prevS = st >> 63
	}
}

// gatherLMS is the gathering loop, prefetching below entry stop.
func gatherLMS(sa []int32, stop int, lms []uint64) {
	if saisAsm {
		gatherLMSAsm(&sa[0], len(sa), &lms[0], stop)
		return
	}
	m := 0
	for i := range stop {
		prefetch(unsafe.Pointer(&lms[sa[i+saisAhead]>>6]))
		j := sa[i]
		sa[m] = j
		m += int(lms[j>>6] >> (j & 63) & 1)
	}
	for _, j := range sa[stop:] {
		sa[m] = j
		m += int(lms[j>>6] >> (j & 63) & 1)
	}
}

// bucketBounds sets bkt[c] to where the suffixes starting with c end
// (exclusive) when end, or start. cnt holds the bucket sizes, or is nil.
func bucketBounds[T saisSymbol](s []T, bkt, cnt []int32, end bool) {
	if cnt != nil {
		copy(bkt, cnt)
	} else {
		for i := range bkt {
			bkt[i] = 0
		}
		for _, c := range s {
			bkt[c]++
		}
	}
	sum := int32(0)
	for i, x := range bkt {
		sum += x
		if end {
			bkt[i] = sum
		} else {
			bkt[i] = sum - x
		}
	}
}

// saisPred marks an entry of sa (in its sign bit) whose predecessor is
// L-type. The mark is set when the entry is placed, where the symbols it
// takes are read anyway, so the induction passes find the type of j-1
// without comparing s[j-1] and s[j] (and, in induceS, without the load of
// j's bucket pointer that tells S from L when the two are equal). Empty
// slots are 0 (suffix 0 has no predecessor either, so both are skipped);
// induceS clears the marks as it goes, leaving the plain array.
const saisPred = -1 << 31

// induceL places the L-type suffixes at their bucket heads, in order, from
// the S-type suffixes seeded in sa (marked: an LMS position's predecessor is
// L-type). Each is placed with its mark: p-1 is L-type (p being L-type)
// exactly when s[p-1] >= s[p].
//
// The mark is as good as random, so where the bucket heads stay in cache
// (see saisBranchFree) the scan does not branch on it: it rewrites the
// head slot either way, with j-1 or with what it holds. When j-1 is S-type
// its bucket has S-type slots, so the head is inside the array.
func induceL[T saisSymbol](s []T, sa, bkt, cnt []int32) {
	bucketBounds(s, bkt, cnt, false)
	n := len(s)
	far := n*int(unsafe.Sizeof(s[0])) > cachedChunk
	branchFree := saisBranchFree(s)
	// The last suffix comes right after the sentinel.
	c := s[n-1]
	v := int32(n - 1)
	if s[n-2] >= c {
		v |= saisPred
	}
	sa[bkt[c]] = v
	bkt[c]++
	// The prefetches: the text up to entry stop, the buckets too when
	// farBkt (the recursion's big alphabets).
	farBkt := unsafe.Sizeof(s[0]) > 1 && far && len(bkt)*4 > saisDeep
	stop := 0
	if far {
		stop = n - saisAhead
	}
	if saisAsm {
		if induceAsmFits(s) {
			induceLAsm(s, sa, bkt)
		} else {
			induceFarAsm(s, sa, bkt, true)
		}
		return
	}
	for i := 0; i < n; i++ {
		if i < stop {
			if k := sa[i+saisAhead] &^ saisPred; k > 0 {
				prefetch(unsafe.Pointer(&s[k-1]))
			}
			if farBkt {
				if k := sa[i+saisAhead/2] &^ saisPred; k > 0 {
					prefetch(unsafe.Pointer(&bkt[s[k-1]]))
				}
			}
		}
		v := sa[i]
		j := v &^ saisPred
		if j == 0 {
			continue
		}
		p := j - 1
		c := s[p]
		// p's own mark; at p = 0 it is never read (j == 0 above).
		w := p
		if s[max(p-1, 0)] >= c {
			w |= saisPred
		}
		if !branchFree {
			if v < 0 {
				sa[bkt[c]] = w
				bkt[c]++
			}
			continue
		}
		l := int32(uint32(v) >> 31)
		b := bkt[c]
		x := sa[b]
		if l != 0 {
			x = w
		}
		sa[b] = x
		bkt[c] = b + l
	}
}

// induceS places the S-type suffixes at their bucket tails, in order, from
// the L-type ones, induced from every unmarked entry (whose predecessor is
// S-type). p-1 is L-type (p being S-type) exactly when s[p-1] > s[p].
// Every entry is unmarked as the scan passes it.
//
// Branch-free like induceL: it rewrites the slot below the tail either
// way. When j-1 is L-type, that slot is in its bucket's L-type part.
func induceS[T saisSymbol](s []T, sa, bkt, cnt []int32) {
	bucketBounds(s, bkt, cnt, true)
	far := len(s)*int(unsafe.Sizeof(s[0])) > cachedChunk
	branchFree := saisBranchFree(s)
	farBkt := unsafe.Sizeof(s[0]) > 1 && far && len(bkt)*4 > saisDeep
	stop := len(s)
	if far {
		stop = saisAhead
	}
	if saisAsm {
		if induceAsmFits(s) {
			induceSAsm(s, sa, bkt)
		} else {
			induceFarAsm(s, sa, bkt, false)
		}
		return
	}
	for i := len(s) - 1; i >= 0; i-- {
		if i >= stop {
			if k := sa[i-saisAhead] &^ saisPred; k > 0 {
				prefetch(unsafe.Pointer(&s[k-1]))
			}
			if farBkt {
				if k := sa[i-saisAhead/2] &^ saisPred; k > 0 {
					prefetch(unsafe.Pointer(&bkt[s[k-1]]))
				}
			}
		}
		v := sa[i]
		j := v &^ saisPred
		sa[i] = j
		if j == 0 {
			continue
		}
		p := j - 1
		c := s[p]
		w := p // at p = 0, s[0] > s[0] leaves it unmarked
		if s[max(p-1, 0)] > c {
			w |= saisPred
		}
		if !branchFree {
			if v > 0 {
				bkt[c]--
				sa[bkt[c]] = w
			}
			continue
		}
		l := 1 - int32(uint32(v)>>31)
		b := bkt[c] - 1
		x := sa[b]
		if l != 0 {
			x = w
		}
		sa[b] = x
		bkt[c] = b + 1 - l
	}
}

// saisBranchFree: the induction passes go branch-free over a byte text, or
// any text that fits the cache. Over the big alphabets of a big
// recursion the bucket ends are spread too far, and the extra read of a
// slot that keeps its value misses (64M, branch-free at every level:
// 1.50-1.70 s against 1.38-1.46 s).
func saisBranchFree[T saisSymbol](s []T) bool {
	return unsafe.Sizeof(s[0]) == 1 || len(s)*int(unsafe.Sizeof(s[0])) <= cachedChunk
}

// countSymbols sets cnt[c] to the number of c in s.
func countSymbols[T saisSymbol](s []T, cnt []int32) {
	clear(cnt)
	for _, c := range s {
		cnt[c]++
	}
}

// countBytes adds the symbol counts of s (below 256) to cnt. Four tables
// take turns: a run of one symbol would otherwise chain every increment
// through a store and a load of the same counter.
func countBytes[T saisSymbol](s []T, cnt []int32) {
	var c4 [4][256]int32
	i := 0
	for ; i+4 <= len(s); i += 4 {
		c4[0][uint8(s[i])]++
		c4[1][uint8(s[i+1])]++
		c4[2][uint8(s[i+2])]++
		c4[3][uint8(s[i+3])]++
	}
	for ; i < len(s); i++ {
		c4[0][uint8(s[i])]++
	}
	for c := range cnt {
		cnt[c] += c4[0][c] + c4[1][c] + c4[2][c] + c4[3][c]
	}
}

// lmsLen is the length of the LMS substring at LMS position j: through the
// next LMS position's symbol, or through the sentinel.
func lmsLen(lms []uint64, j, n int) int {
	x := (j + 1) >> 6
	m := lms[x] >> ((j + 1) & 63)
	if m != 0 {
		return bits.TrailingZeros64(m) + 2
	}
	for x++; x < len(lms); x++ {
		if lms[x] != 0 {
			return x<<6 + bits.TrailingZeros64(lms[x]) - j + 1
		}
	}
	return n - j + 1
}

// saisEqual reports whether s[a:a+l] and s[b:b+l] are equal; both are in s.
// Byte texts compare eight symbols at a time.
func saisEqual[T saisSymbol](s []T, a, b, l int) bool {
	if unsafe.Sizeof(s[0]) == 1 {
		t := unsafe.Slice((*byte)(unsafe.Pointer(unsafe.SliceData(s))), len(s))
		x := 0
		for ; x+8 <= l; x += 8 {
			if binary.LittleEndian.Uint64(t[a+x:]) != binary.LittleEndian.Uint64(t[b+x:]) {
				return false
			}
		}
		if x == l {
			return true
		}
		if max(a, b)+x+8 <= len(t) {
			d := binary.LittleEndian.Uint64(t[a+x:]) ^ binary.LittleEndian.Uint64(t[b+x:])
			return d<<(64-8*(l-x)) == 0
		}
	}
	for x := range l {
		if s[a+x] != s[b+x] {
			return false
		}
	}
	return true
}
