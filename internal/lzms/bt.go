package lzms

import (
	"encoding/binary"
	"math/bits"
	"unsafe"
)

// btFinder is a binary-tree matchfinder over one chunk. Every position is
// inserted, in order, as the root of the tree of its 3-byte hash; the trees
// are ordered by the suffixes that start at their nodes, so walking down
// from the root toward the new suffix meets ever longer matches, and the
// walk itself re-links the tree around the new root. A separate 2-byte table
// supplies the nearest length-2 match (the trees only know lengths >= 3).
//
// Memory: two int32 children per chunk position, 8 bytes per chunk byte.
type btFinder struct {
	in       []byte
	head3    []int32
	head2    []int32 // 1<<16 entries
	children []int32 // 2 per position: smaller suffixes, larger suffixes
	hashBits uint
	depth    int // tree nodes visited per position
	nice     int // a match this long ends the search
}

// match is one matchfinder result: a length and the offset (distance back).
type match struct {
	length, offset uint32
}

func (f *btFinder) init(chunk int, hashBits uint) { f.initIn(chunk, hashBits, nil) }

// initIn is init keeping f's children in shared when that has room for
// them (see sharedLen).
func (f *btFinder) initIn(chunk int, hashBits uint, shared []uint32) {
	f.hashBits = hashBits
	f.head3 = make([]int32, 1<<hashBits)
	f.head2 = make([]int32, 1<<16)
	f.children = make([]int32, 0)
	if chunk <= eagerAlloc {
		if len(shared) >= 2*chunk {
			f.children = unsafe.Slice((*int32)(unsafe.Pointer(&shared[0])), 2*chunk)
		} else {
			f.children = make([]int32, 2*chunk)
		}
	}
}

// reset starts a new chunk.
func (f *btFinder) reset(in []byte) {
	f.in = in
	if len(f.children) < 2*len(in) {
		f.children = make([]int32, 2*len(in))
	}
	for i := range f.head3 {
		f.head3[i] = -1
	}
	for i := range f.head2 {
		f.head2[i] = -1
	}
}

func (f *btFinder) hash3(p int) uint32 {
	v := uint32(f.in[p]) | uint32(f.in[p+1])<<8 | uint32(f.in[p+2])<<16
	return (v * 0x9E3779B1) >> (32 - f.hashBits)
}

// extend returns the length of the common prefix of in[a:] and in[b:],
// knowing the first l bytes agree, up to max.
func extend(in []byte, a, b, l, max int) int {
	for l+8 <= max {
		x := binary.LittleEndian.Uint64(in[a+l:]) ^ binary.LittleEndian.Uint64(in[b+l:])
		if x != 0 {
			return l + bits.TrailingZeros64(x)/8
		}
		l += 8
	}
	for l < max && in[a+l] == in[b+l] {
		l++
	}
	return l
}

// find inserts position p and appends to out its matches: strictly
// increasing lengths (at most min(nice, len(in)-p)), each with the nearest
// offset the search met for that length. With record false it only inserts.
func (f *btFinder) find(p int, out []match, record bool) []match {
	in := f.in
	maxLen := len(in) - p
	if maxLen < 3 {
		if maxLen == 2 && record {
			// Nothing is inserted this close to the end; a length-2
			// match is still possible.
			if q := f.head2[binary.LittleEndian.Uint16(in[p:])]; q >= 0 {
				out = append(out, match{2, uint32(p - int(q))})
			}
		}
		return out
	}
	nice := min(f.nice, maxLen)
	h2 := binary.LittleEndian.Uint16(in[p:])
	q2 := f.head2[h2]
	f.head2[h2] = int32(p)
	best := 2
	if record && q2 >= 0 {
		out = append(out, match{2, uint32(p - int(q2))})
	}

	if maxLen >= 8 {
		// Two positions ahead, the first tree node (its children and
		// bytes), and three ahead, the hash bucket: their cache
		// misses overlap this walk and the parse between. 64 MiB
		// chunks: -11% CPU; the bucket read is a hit by then (it was
		// prefetched a position earlier).
		if n := f.head3[f.hash3(p+2)]; n >= 0 {
			prefetch(unsafe.Pointer(&f.children[2*int(n)]))
			prefetch(unsafe.Pointer(&in[n]))
		}
		prefetch(unsafe.Pointer(&f.head3[f.hash3(p+3)]))
	}
	h := f.hash3(p)
	cur := f.head3[h]
	f.head3[h] = int32(p)
	ch := f.children
	// Pending links: where the next smaller / larger node hangs.
	lessAt, moreAt := 2*p, 2*p+1
	lessLen, moreLen := 0, 0 // prefix every node below that link shares with p
	for d := f.depth; cur >= 0 && d > 0; d-- {
		q := int(cur)
		l := extend(in, q, p, min(lessLen, moreLen), nice)
		if l > best {
			best = l
			if record {
				out = append(out, match{uint32(l), uint32(p - q)})
			}
			if l >= nice {
				// q's suffix equals p's as far as the tree can tell: p
				// replaces q, inheriting both its subtrees.
				ch[lessAt] = ch[2*q]
				ch[moreAt] = ch[2*q+1]
				return out
			}
		}
		if in[q+l] < in[p+l] {
			ch[lessAt] = cur
			lessAt = 2*q + 1
			lessLen = l
			cur = ch[lessAt] // q's larger subtree
		} else {
			ch[moreAt] = cur
			moreAt = 2 * q
			moreLen = l
			cur = ch[moreAt] // q's smaller subtree
		}
	}
	ch[lessAt] = -1
	ch[moreAt] = -1
	return out
}

// skip inserts positions [from, to) as find(q, nil, false) would. They lie
// inside a match that ends at to and repeats the bytes off back (off 0:
// not an LZ copy). Where q's bucket was last entered by q-off and at least
// nice bytes of the match remain, the walk would stop at that first node
// with a match of nice bytes: q takes over its subtrees without comparing
// bytes (a repeated page: the compare was most of the time). It returns
// how many positions took the full walk.
func (f *btFinder) skip(from, to, off int) (walked int) {
	in := f.in
	known := to - f.nice // q < known: nice bytes of the match remain
	if off == 0 {
		known = 0
	}
	for q := from; q < to; q++ {
		var h uint32
		if q < known {
			h = f.hash3(q)
		}
		if q >= known || int(f.head3[h]) != q-off {
			f.find(q, nil, false)
			walked++
			continue
		}
		f.head2[binary.LittleEndian.Uint16(in[q:])] = int32(q)
		f.head3[h] = int32(q)
		ch := f.children
		ch[2*q], ch[2*q+1] = ch[2*(q-off)], ch[2*(q-off)+1]
	}
	return walked
}
