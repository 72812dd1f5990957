package lzms

// parseNodes is the parser's block state (embedded in Compressor) and, for
// relaxExplicit, one position's explicit matches: the loop over ms from k,
// each match's lengths from ll (just past the previous match's) up to its
// own, priced at its offset slot, logged in arrivals and relaxed into keys.
// relaxExplicitAsm reads the same fields (go_asm.h offsets).
type parseNodes struct {
	keys     []uint64 // the block's nodes (parse.go)
	arrivals []uint64 // the block's arrival log
	lenKey   []uint64 // costModel.lenKey
	offCost  []uint32 // costModel.lzOffset
	ms       []match  // the position's matches
	in       []byte   // the chunk being compressed (buf's front)
	start    int      // the block's first position
	node     int      // the position's node
	k        int      // the next match
	ll       int      // the shortest length not yet offered
	expBase  uint32   // an explicit match's cost before offset and length
	lit      bool     // stop before a match passing the match+literal+rep0 test
}

// explicitFar: offsets from here on are left to the caller (they need
// offsetSlotFar's binary search).
const explicitFar = 1 << 26

// relaxExplicitGo relaxes a.ms[a.k:] until a match that the caller must
// price itself: one whose offset is explicitFar or more, or, with a.lit,
// one passing relaxMatchLitRep's first test (the two bytes past its
// literal repeat at its offset). It leaves a.k at that match (or at
// len(a.ms)). relaxExplicitAsm is its twin.
func relaxExplicitGo(a *parseNodes) {
	in, n := a.in, len(a.in)
	p := a.start + a.node
	k := a.k
	for ; k < len(a.ms); k++ {
		mt := a.ms[k]
		l, off := int(mt.length), int(mt.offset)
		if j := p + l + 1; a.lit && j+1 < n && in[j] == in[j-off] && in[j+1] == in[j+1-off] {
			break
		}
		var slot int
		if mt.offset < 1<<16 {
			slot = nearSlot(mt.offset)
		} else if mt.offset < explicitFar {
			slot = offsetSlotFar(mt.offset)
		} else {
			break
		}
		a.offer(mt, a.expBase+a.offCost[slot])
	}
	a.k = k
}

// offer logs the explicit match mt, of cost oc before its length, and
// relaxes its lengths not offered yet (from ll).
func (a *parseNodes) offer(mt match, oc uint32) {
	if l := int(mt.length); a.ll <= l {
		bk := uint64(oc)<<32 | uint64(len(a.arrivals))
		a.arrivals = append(a.arrivals, arrival(itemExplicit+mt.offset, 0, a.node))
		relaxRange(a.keys[a.node+a.ll:a.node+l+1], a.lenKey[a.ll:l+1], bk)
		a.ll = l + 1
	}
}
