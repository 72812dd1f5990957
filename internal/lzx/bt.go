package lzx

import "unsafe"

// Binary-tree matchfinder for the near-optimal parser.
//
// Structure: head4 maps a hash of the 4 bytes at a position to the root of a
// binary search tree holding earlier positions with that hash, ordered
// lexicographically by the bytes that follow them; child[2*pos] and
// child[2*pos+1] are a node's lesser and greater subtrees. Each new position
// becomes the root of its tree: the walk down from the old root finds the
// matches and splits the tree into the new root's two subtrees at once.
// head2 and head3 are single-slot tables giving length-2 and length-3
// matches that the 4-byte trees cannot. Positions are chunk-relative; 0
// means "empty", so a match source at position 0 is never reported.
//
// Cost: one tree walk per position, bounded by maxSearchDepth nodes; each
// step extends the match only past the prefix already known to agree (the
// smaller of the lengths shared with the nearest lesser and greater nodes).
// A walk stops at niceLen, grafting the matched node's subtrees onto the new
// root, so long repeats keep the trees shallow.
//
// Output: getMatches reports matches in strictly increasing length, one per
// length: the first (most recent, as trees are re-rooted at every position)
// node the walk met that reaches it. The parser's cache relies on that order.
//
// Preconditions: reset per chunk; every position from 0 on gets exactly one
// getMatches or skip, in order, while at least btMinBytes remain; maxLen >=
// niceLen; the input has inputSlack bytes of slack. Memory: fixed tables
// plus 2 positions per chunk byte. Positions are uint16 when the chunk
// size allows (up to 64K), halving the tables' cache footprint.
const (
	bt2Bits    = 12
	bt3Bits    = 15
	bt4Bits    = 16
	btMinBytes = 4
)

// mfPos is a chunk-relative position as the matchfinders store it.
type mfPos interface{ uint16 | uint32 }

type btMatchfinder[T mfPos] struct {
	head2 [1 << bt2Bits]T
	head3 [1 << bt3Bits][2]T // two most recent positions per hash
	head4 [1 << bt4Bits]T
	child []T
	headClearing
}

func newBT[T mfPos](maxChunk int) *btMatchfinder[T] {
	return &btMatchfinder[T]{child: make([]T, 2*maxChunk)}
}

// reset empties the finder.
func (m *btMatchfinder[T]) reset() {
	clear(m.head2[:])
	clear(m.head3[:])
	clear(m.head4[:])
	m.dirty = false
}

// headClearing is how the matchfinders empty their head tables between
// chunks. Clearing them whole (264 KiB for the tree) costs far more than
// compressing a small file, and most WIM resources are small files; so
// after a small chunk its finder zeroes only the slots its positions hash
// to (every position, a superset of those inserted), and a bigger chunk
// leaves the tables to be cleared whole before the next one.
type headClearing struct {
	dirty bool // the heads may hold positions of an earlier chunk
}

// zeroSlots reports, after a chunk of n bytes, whether its finder must zero
// the chunk's slots now; if not, the tables are cleared at the next begin.
func (h *headClearing) zeroSlots(n int) bool {
	if n > smallChunk {
		h.dirty = true
		return false
	}
	return true
}

// clearNow reports whether the tables must be cleared whole before a chunk.
func (h *headClearing) clearNow() bool { return h.dirty }

// begin readies the finder for a new chunk (see release).
func (m *btMatchfinder[T]) begin() {
	if m.clearNow() {
		m.reset()
	}
}

// release is called after each chunk, with its input (see headClearing).
func (m *btMatchfinder[T]) release(in []byte, n int) {
	if !m.zeroSlots(n) {
		return
	}
	for pos := range n {
		seq := load32(in, pos)
		m.head2[hash2(seq)] = 0
		m.head3[btHash3(seq)] = [2]T{}
		m.head4[btHash4(seq)] = 0
	}
}

// smallChunk is the largest chunk after which release zeroes head slots
// one by one instead of leaving a full clear to the next reset.
const smallChunk = 4096

func hash2(v uint32) uint32   { return (v << 16 * hashMul) >> (32 - bt2Bits) }
func btHash3(v uint32) uint32 { return (v << 8 * hashMul) >> (32 - bt3Bits) }
func btHash4(v uint32) uint32 { return (v * hashMul) >> (32 - bt4Bits) }

// getMatches inserts pos and stores its matches, packed as
// offset<<matchLenBits | length, in out, which must have room for depth+2.
// It returns the number of matches and the longest length (0 if none).
func (m *btMatchfinder[T]) getMatches(in []byte, pos, maxLen, niceLen, depth int, out []uint32) (n, best int) {
	if btAsm && unsafe.Sizeof(T(0)) == 2 {
		_ = out[depth+1]
		_ = m.child[2*pos+1]
		return btGetMatches16(unsafe.Pointer(m), unsafe.SliceData(in), (*uint16)(unsafe.Pointer(unsafe.SliceData(m.child))),
			pos, maxLen, niceLen, depth, unsafe.SliceData(out))
	}
	return m.getMatchesGo(in, pos, maxLen, niceLen, depth, out)
}

// getMatchesGo is getMatches in Go, for uint32 positions and the purego
// build.
func (m *btMatchfinder[T]) getMatchesGo(in []byte, pos, maxLen, niceLen, depth int, out []uint32) (n, best int) {
	seq := load32(in, pos)
	best = 1
	h2 := hash2(seq)
	if c := m.head2[h2]; c != 0 && uint16(load32(in, int(c))) == uint16(seq) {
		best = 2
		out[n] = uint32(pos-int(c))<<matchLenBits | 2
		n++
	}
	m.head2[h2] = T(pos)
	h3 := btHash3(seq)
	ways := &m.head3[h3]
	if c := ways[0]; c != 0 && (load32(in, int(c))^seq)<<8 == 0 {
		best = 3
		out[n] = uint32(pos-int(c))<<matchLenBits | 3
		n++
	} else if c := ways[1]; c != 0 && (load32(in, int(c))^seq)<<8 == 0 {
		best = 3
		out[n] = uint32(pos-int(c))<<matchLenBits | 3
		n++
	}
	ways[1], ways[0] = ways[0], T(pos)

	h4 := btHash4(seq)
	cur := int(m.head4[h4])
	m.head4[h4] = T(pos)
	child := m.child[:len(m.child)]
	lt, gt := 2*pos, 2*pos+1 // where the next lesser / greater node hangs
	if cur == 0 {
		child[lt], child[gt] = 0, 0
		return n, bestOrZero(best)
	}
	ltLen, gtLen := 0, 0
	for {
		l := min(ltLen, gtLen)
		if in[cur+l] == in[pos+l] {
			l = extendMatch(in, cur, pos, l+1, maxLen)
		}
		if l > best {
			best = l
			out[n] = uint32(pos-cur)<<matchLenBits | uint32(l)
			n++
			if l >= niceLen {
				child[lt], child[gt] = child[2*cur], child[2*cur+1]
				return n, best
			}
		}
		// Branch-free step (the comparison is a coin flip to the branch
		// predictor): a lesser node hangs on the lesser side and we go on
		// to its greater child, and vice versa.
		less := in[cur+l] < in[pos+l]
		hang, nxt := gt, 2*cur
		if less {
			hang, nxt = lt, 2*cur+1
		}
		child[hang] = T(cur)
		if less {
			lt, ltLen = nxt, l
		} else {
			gt, gtLen = nxt, l
		}
		cur = int(child[nxt])
		depth--
		if cur == 0 || depth <= 0 {
			child[lt], child[gt] = 0, 0
			return n, bestOrZero(best)
		}
	}
}

func bestOrZero(best int) int {
	if best < minMatchLen {
		return 0
	}
	return best
}

// skip inserts pos without reporting matches; the tree is still re-rooted.
// Matches are only extended to niceLen, which is all the re-rooting needs:
// inside a long repeat every node would otherwise be compared to its end.
func (m *btMatchfinder[T]) skip(in []byte, pos, niceLen, depth int) {
	if btAsm && unsafe.Sizeof(T(0)) == 2 {
		_ = m.child[2*pos+1]
		btSkip16(unsafe.Pointer(m), unsafe.SliceData(in), (*uint16)(unsafe.Pointer(unsafe.SliceData(m.child))), pos, niceLen, depth)
		return
	}
	m.skipGo(in, pos, niceLen, depth)
}

// skipGo is skip in Go.
func (m *btMatchfinder[T]) skipGo(in []byte, pos, niceLen, depth int) {
	seq := load32(in, pos)
	m.head2[hash2(seq)] = T(pos)
	ways := &m.head3[btHash3(seq)]
	ways[1], ways[0] = ways[0], T(pos)
	h4 := btHash4(seq)
	cur := int(m.head4[h4])
	m.head4[h4] = T(pos)
	child := m.child[:len(m.child)]
	lt, gt := 2*pos, 2*pos+1
	ltLen, gtLen := 0, 0
	for ; cur != 0 && depth > 0; depth-- {
		l := min(ltLen, gtLen)
		if in[cur+l] == in[pos+l] {
			l = extendMatch(in, cur, pos, l+1, niceLen)
		}
		if l >= niceLen {
			child[lt], child[gt] = child[2*cur], child[2*cur+1]
			return
		}
		if in[cur+l] < in[pos+l] {
			child[lt] = T(cur)
			lt = 2*cur + 1
			cur = int(child[lt])
			ltLen = l
		} else {
			child[gt] = T(cur)
			gt = 2 * cur
			cur = int(child[gt])
			gtLen = l
		}
	}
	child[lt], child[gt] = 0, 0
}
