package lzms

// parseNodes is the parser's block state (embedded in Compressor) and one
// position's items as relaxPositionAsm prices them: the literal, the
// literal+rep0 step, the repeat matches and the explicit matches (the
// loop over ms from k, each match's lengths from ll, just past the
// previous match's, up to its own, priced at its offset slot), each with
// its match+literal+rep0 step, logged in arrivals and relaxed into keys.
// The assembly reads the same fields (go_asm.h offsets). Costs given here
// leave out what depends on the lengths and bytes the routines measure.
type parseNodes struct {
	keys     []uint64 // the block's nodes (parse.go)
	arrivals []uint64 // the block's arrival log
	lenKey   []uint64 // costModel.lenKey
	offCost  []uint32 // costModel.lzOffset
	lenCost  []uint32 // costModel.length
	litCost  *[numLiteralSyms]uint32
	ms       []match // the position's matches
	in       []byte  // the chunk being compressed (buf's front)
	start    int     // the block's first position
	reach    int     // the last node of the block opened so far
	niceLen  int     // Compressor.nice
	node     int     // the position's node
	open     int     // the last node its items reach (opened first)
	k        int     // the next match
	ll       int     // the shortest length not yet offered
	expBase  uint32  // an explicit match's cost before offset and length
	mlrCost  uint32  // what match+literal+rep0 adds to an explicit match's cost: the decisions
	litKey   uint32  // the literal's cost
	// literal+rep0: its cost without the literal and the repeat's length
	// and the repeat's offset.
	litRepCost uint32
	litRepOff  int
	repLen     [numReps]int    // the repeat matches' lengths (below 2: none)
	repCost    [numReps]uint32 // their costs before the length
	// Their match+literal+rep0 steps' costs without the lengths and the
	// literal, and their offsets.
	repMLR [numReps]uint32
	repOff [numReps]int
	// Which steps are priced: lit the explicit matches' match+literal+
	// rep0, doLitRep literal+rep0, doRepLitRep the repeat matches'
	// match+literal+rep0 (Compressor's matchLitRep, litRep, repLitRep).
	lit, doLitRep, doRepLitRep bool
	room                       bool // see setRoom
	// positionAsm's: the block's states (Compressor.states) and the
	// longest repeat match it measured.
	nodeStates          []parseState
	repBest, repBestLen int
	oc                  uint32 // the match's cost before its length (relaxExplicitAsm keeps it here)
}

// explicitFar: offsets from here on are left to the caller (they need
// offsetSlotFar's binary search).
const explicitFar = 1 << 26

// relaxExplicit is relaxExplicitGo, through the assembly where its room is
// certain: the block passed setRoom and the arrival log takes a position's
// arrivals (parseBlock calls relaxPositionAsm the same way).
func relaxExplicit(a *parseNodes) {
	if explicitAsm && a.room && cap(a.arrivals)-len(a.arrivals) >= maxArrivals {
		relaxExplicitAsm(a)
		return
	}
	relaxExplicitGo(a)
}

// setRoom sets a.room for a block of up to optBlock positions: the
// assembly runs without checking each item's room, relying on the
// parser's invariants at every position of the block: the repeat matches
// and a.open are at most nice past the node (a longer repeat ends the
// block), and the nodes a match+literal+rep0 step opens (the match, a
// literal and a repeat of at most nice-1) are inside keys.
func (a *parseNodes) setRoom() {
	nice := a.niceLen
	a.room = nice <= maxNice && optBlock+2*nice+2 <= len(a.keys) &&
		len(a.lenCost) > maxNice && len(a.lenKey) > maxNice
}

// relaxRest prices the matches from a.k on, those relaxExplicit leaves
// (offsets of explicitFar or more) here.
func (a *parseNodes) relaxRest() {
	for a.k < len(a.ms) {
		mt := a.ms[a.k]
		a.k++
		oc := a.expBase + a.offCost[offsetSlot(mt.offset)]
		a.offer(mt, oc)
		a.litRepAfter(mt, oc)
		relaxExplicit(a)
	}
}

// relaxPositionGo opens the nodes up to a.open, then prices the literal,
// literal+rep0, the repeat matches and the explicit matches from a.k.
// relaxPositionAsm is its twin.
func relaxPositionGo(a *parseNodes) {
	p := a.start + a.node
	a.openTo(a.open)
	a.addOne(a.node+1, a.litKey, arrival(itemLiteral, 0, a.node))
	if a.doLitRep {
		a.litRepTail(p, a.litRepOff, a.litRepCost, arrival(itemLiteral, 0, a.node))
	}
	for k := range numReps {
		l := a.repLen[k]
		if l < 2 {
			continue
		}
		item := uint32(itemRep + k)
		bk := uint64(a.repCost[k])<<32 | uint64(len(a.arrivals))
		a.arrivals = append(a.arrivals, arrival(item, 0, a.node))
		relaxRange(a.keys[a.node+2:a.node+l+1], a.lenKey[2:l+1], bk)
		if a.doRepLitRep {
			a.litRepTail(p+l, a.repOff[k], a.repMLR[k]+a.lenCost[l], arrival(item, uint32(l), a.node))
		}
	}
	relaxExplicitGo(a)
}

// relaxExplicitGo relaxes a.ms[a.k:] with their match+literal+rep0 steps
// (with a.lit) until a match whose offset is explicitFar or more (the
// caller prices it). It leaves a.k at that match (or at len(a.ms)).
// relaxExplicitAsm is its twin.
func relaxExplicitGo(a *parseNodes) {
	k := a.k
	for ; k < len(a.ms); k++ {
		mt := a.ms[k]
		var slot int
		if mt.offset < 1<<16 {
			slot = nearSlot(mt.offset)
		} else if mt.offset < explicitFar {
			slot = offsetSlotFar(mt.offset)
		} else {
			break
		}
		a.oc = a.expBase + a.offCost[slot] // as the assembly keeps it
		a.offer(mt, a.oc)
		a.litRepAfter(mt, a.oc)
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

// litRepAfter prices, with a.lit, the explicit match mt (of cost oc before
// its length) followed by a literal and a repeat of its offset.
func (a *parseNodes) litRepAfter(mt match, oc uint32) {
	if a.lit {
		l := int(mt.length)
		a.litRepTail(a.start+a.node+l, int(mt.offset), oc+a.mlrCost+a.lenCost[l], arrival(itemExplicit+mt.offset, uint32(l), a.node))
	}
}

// litRepTail offers the arrival arr, an item ending with a literal at
// position q and a repeat match of offset off after it, at cost plus the
// literal's and the repeat's length's, if the repeat is at least 2 long.
func (a *parseNodes) litRepTail(q, off int, cost uint32, arr uint64) {
	in := a.in
	maxRep := min(len(in)-q-1, a.niceLen-1)
	if maxRep < 2 || off > q+1 || in[q+1] != in[q+1-off] || in[q+2] != in[q+2-off] {
		return
	}
	r := extend(in, q+1-off, q+1, 2, maxRep)
	to := q + 1 + r - a.start
	a.openTo(to)
	a.addOne(to, cost+a.litCost[in[q]]+a.lenCost[r], arr)
}

// openTo makes the nodes up to to reachable, unreached so far.
func (a *parseNodes) openTo(to int) {
	for a.reach < to {
		a.reach++
		a.keys[a.reach] = infKey
	}
}

// addOne offers one arrival at node to.
func (a *parseNodes) addOne(to int, cost uint32, arr uint64) {
	if k := uint64(cost)<<32 | uint64(len(a.arrivals)); k < a.keys[to] {
		a.keys[to] = k
		a.arrivals = append(a.arrivals, arr)
	}
}

// addRange logs an item arriving with lengths lo..hi from node i at cost
// (before the length) and relaxes the nodes it reaches.
func (a *parseNodes) addRange(i, lo, hi int, cost, item uint32) {
	bk := uint64(cost)<<32 | uint64(len(a.arrivals))
	a.arrivals = append(a.arrivals, arrival(item, 0, i))
	relaxRangeWide(a.keys[i+lo:i+hi+1], a.lenKey[lo:hi+1], bk)
}

// positionGo is positionAsm's twin: repLens for the node, then unless the
// longest repeat is nice or longer (the block ends there), open at the
// longest range and relaxPositionGo.
func positionGo(a *parseNodes) {
	a.repBest, a.repBestLen = 0, 0
	a.repLen = [numReps]int{}
	if p := a.start + a.node; len(a.in)-p >= 2 {
		st := &a.nodeStates[a.node]
		a.repBest, a.repBestLen = repLensGo(a.in, p, (*[numReps]uint32)(st.lzQ[st.prevLZ&1:]), &a.repLen)
	}
	if a.repBestLen >= a.niceLen {
		return
	}
	edge := max(1, a.repBestLen)
	if len(a.ms) > 0 {
		edge = max(edge, int(a.ms[len(a.ms)-1].length))
	}
	a.open = a.node + edge
	relaxPositionGo(a)
}
