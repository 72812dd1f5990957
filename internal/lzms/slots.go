package lzms

// Offset and length slots: slot s covers base[s] .. base[s+1]-1 and is
// followed by extraBits[s] verbatim bits. The tables are generated from the
// run lengths of the extra-bit counts (the formats's only description that is
// short enough to check by eye); base[0] = 1 and each slot is as wide as its
// extra bits allow. Each base table has one sentinel entry past the last slot.
var (
	offsetBase      [maxOffsetSyms + 1]uint32
	offsetExtraBits [maxOffsetSyms]uint8
	lengthBase      [numLengthSyms + 1]uint32
	lengthExtraBits [numLengthSyms]uint8
)

// Pairs of (extra bits, number of slots).
var (
	offsetExtraRuns = [][2]int{
		{0, 8}, {2, 9}, {3, 7}, {4, 10}, {5, 15}, {6, 15}, {7, 20},
		{8, 20}, {9, 30}, {10, 33}, {11, 40}, {12, 42}, {13, 45}, {14, 60},
		{15, 73}, {16, 80}, {17, 85}, {18, 95}, {19, 105}, {20, 6}, {30, 1},
	}
	lengthExtraRuns = [][2]int{
		{0, 26}, {1, 4}, {2, 6}, {3, 4}, {4, 5}, {5, 2},
		{6, 1}, {7, 1}, {8, 1}, {9, 1}, {10, 1}, {16, 1}, {30, 1},
	}
)

func init() {
	fillSlots(offsetBase[:], offsetExtraBits[:], offsetExtraRuns)
	fillSlots(lengthBase[:], lengthExtraBits[:], lengthExtraRuns)
	for o := uint32(1); o < 1<<16; o++ {
		if i := nearIndex(o); o < nearDirect || o&(1<<offsetHighShift-1) == 0 {
			offsetSlotNear[i] = uint16(slotOf(offsetBase[:], o))
		}
	}
	for l := 1; l < len(lengthSlotNear); l++ {
		lengthSlotNear[l] = uint8(slotOf(lengthBase[:], uint32(l)))
	}
	for i := range offsetSlotMid {
		offsetSlotMid[i] = uint16(slotOf(offsetBase[:], max(uint32(i)<<offsetMidShift, 1)))
	}
}

func fillSlots(base []uint32, extra []uint8, runs [][2]int) {
	s := 0
	for _, r := range runs {
		for range r[1] {
			extra[s] = uint8(r[0])
			s++
		}
	}
	if s != len(extra) {
		panic("lzms: slot table runs do not add up")
	}
	base[0] = 1
	for s := range extra {
		base[s+1] = base[s] + 1<<extra[s]
	}
}

// lengthSlotNear holds the length slot of every length below its size
// (the emitter's lookup a match; a binary search over the 54 slots
// mispredicted a few times a match). Filled in init.
var lengthSlotNear [1 << 10]uint8

// lengthSlot returns the slot of match length l (at least 1).
func lengthSlot(l uint32) int {
	if l < uint32(len(lengthSlotNear)) {
		return int(lengthSlotNear[l])
	}
	return slotOf(lengthBase[:], l)
}

// slotOf returns the slot whose range holds v (base[0] <= v < base[len-1]).
func slotOf(base []uint32, v uint32) int {
	lo, hi := 0, len(base)-2
	for lo < hi {
		mid := (lo + hi + 1) / 2
		if base[mid] <= v {
			lo = mid
		} else {
			hi = mid - 1
		}
	}
	return lo
}

// numOffsetSlots is the size of the offset alphabets for a chunk of n bytes:
// just enough slots to code offset n-1. The decoder must derive it from the
// actual chunk length, not the resource chunk size.
func numOffsetSlots(n int) int {
	if n < 2 {
		return 0
	}
	return 1 + slotOf(offsetBase[:], uint32(n-1))
}
