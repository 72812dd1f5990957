package lzx

// Hash-chain matchfinder for the lazy parser.
//
// Structure: head3 maps a hash of the 3 bytes at a position to the most
// recent position with that hash (one slot, no chain); head4 maps a hash of
// 4 bytes to the most recent position, and next[pos] links each position to
// the previous one with the same 4-byte hash. Positions are chunk-relative;
// 0 means "empty", so a match source at position 0 is never reported.
//
// Cost: one insertion per position (two table writes, one chain write);
// a search visits at most maxSearchDepth chain entries, each pre-filtered by
// comparing the 4 bytes that end at the current best length before a full
// extension. The 3-byte table gives length-3 matches that 4-byte chains miss.
//
// Preconditions: the caller resets the finder per chunk, visits positions
// in increasing order (find or skip each exactly once), and calls only for
// positions with at least 4 bytes left; the input has inputSlack bytes of
// slack. Memory: fixed tables plus one position per chunk byte; positions
// are uint16 for chunks up to 64K.
const (
	hc3Bits = 15
	hc4Bits = 16
)

type hcMatchfinder[T mfPos] struct {
	head3 [1 << hc3Bits]T
	head4 [1 << hc4Bits]T
	next  []T
	headClearing
	// skipRuns keeps positions that continue a run of one byte value off
	// the 4-byte chains (the run's first position finds matches against
	// it). On WIM metadata, whose dentries hold runs of zeros, the same
	// field one record back then stays within the search depth: 4-5%
	// smaller there; on file data it costs bytes and time, so it is set
	// for metadata resources only (Compressor.ForMetadata).
	skipRuns bool
}

func newHC[T mfPos](maxChunk int) *hcMatchfinder[T] {
	return &hcMatchfinder[T]{next: make([]T, maxChunk)}
}

// reset empties the finder.
func (m *hcMatchfinder[T]) reset() {
	clear(m.head3[:])
	clear(m.head4[:])
	m.dirty = false
}

// begin readies the finder for a new chunk (see release).
func (m *hcMatchfinder[T]) begin() {
	if m.clearNow() {
		m.reset()
	}
}

// release is called after each chunk, with its input; as the tree's
// release, it zeroes a small chunk's slots one by one.
func (m *hcMatchfinder[T]) release(in []byte, n int) {
	if !m.zeroSlots(n) {
		return
	}
	for pos := range n {
		seq := load32(in, pos)
		m.head3[hash3(seq)] = 0
		m.head4[hash4(seq)] = 0
	}
}

func hash3(v uint32) uint32 { return (v << 8 * hashMul) >> (32 - hc3Bits) }
func hash4(v uint32) uint32 { return (v * hashMul) >> (32 - hc4Bits) }

// find inserts pos and returns the longest match longer than bestLen
// (length 0 if none), visiting at most depth candidates and stopping at
// niceLen. maxLen must be at least 4.
func (m *hcMatchfinder[T]) find(in []byte, pos, bestLen, maxLen, niceLen, depth int) (length, offset int) {
	seq := load32(in, pos)
	h3, h4 := hash3(seq), hash4(seq)
	cur3 := m.head3[h3]
	m.head3[h3] = T(pos)
	cand := m.head4[h4]
	next := m.next[:len(m.next)]
	if !m.skipRuns || !inRun(in, pos, seq) {
		m.head4[h4] = T(pos)
		next[pos] = cand
	}

	if bestLen < 3 && cur3 != 0 && (load32(in, int(cur3))^seq)<<8 == 0 {
		bestLen, offset = 3, pos-int(cur3)
	}
	if bestLen < 4 {
		// Any 4-byte match beats bestLen: find the first one.
		for ; ; depth-- {
			if depth <= 0 || cand == 0 {
				return bestLen, offset
			}
			c := int(cand)
			cand = next[c]
			if load32(in, c) == seq {
				bestLen, offset = extendMatch(in, c, pos, 4, maxLen), pos-c
				if bestLen >= niceLen {
					return bestLen, offset
				}
				depth--
				break
			}
		}
	}
	// Longer matches: a candidate must agree on the 4 bytes that end at
	// bestLen before its start is checked and the match extended.
	tail := load32(in, pos+bestLen-3)
	for ; depth > 0 && cand != 0; depth-- {
		c := int(cand)
		cand = next[c]
		if load32(in, c+bestLen-3) != tail || load32(in, c) != seq {
			continue
		}
		if l := extendMatch(in, c, pos, 4, maxLen); l > bestLen {
			bestLen, offset = l, pos-c
			if l >= niceLen {
				break
			}
			tail = load32(in, pos+bestLen-3)
		}
	}
	return bestLen, offset
}

// skip inserts pos without searching.
func (m *hcMatchfinder[T]) skip(in []byte, pos int) {
	seq := load32(in, pos)
	h3, h4 := hash3(seq), hash4(seq)
	m.head3[h3] = T(pos)
	m.next[pos] = m.head4[h4]
	m.head4[h4] = T(pos)
}

// skipOffRuns is skip for a finder with skipRuns set (kept apart so skip
// stays small enough to inline into the parser's loop).
func (m *hcMatchfinder[T]) skipOffRuns(in []byte, pos int) {
	seq := load32(in, pos)
	if inRun(in, pos, seq) {
		m.head3[hash3(seq)] = T(pos)
		return
	}
	m.skip(in, pos)
}

// inRun reports whether the 4 bytes at pos (seq) continue a run of one
// byte value that started before pos.
func inRun(in []byte, pos int, seq uint32) bool {
	return pos != 0 && load32(in, pos-1) == seq
}
