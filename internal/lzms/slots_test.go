package lzms

import "testing"

func TestSlotTables(t *testing.T) {
	if got := offsetBase[maxOffsetSyms] - 1; got != maxMatchOffset {
		t.Errorf("largest offset %d, want %d", got, maxMatchOffset)
	}
	if got := lengthBase[numLengthSyms] - 1; got != maxMatchLen {
		t.Errorf("largest length %d, want %d", got, maxMatchLen)
	}
	// Values from codecs.md §3.4 (checked against wimlib).
	for n, want := range map[int]int{1 << 15: 142, 1 << 16: 171, 1 << 17: 203, 1 << 20: 317,
		1 << 25: 643, 1 << 26: 729, 1 << 30: 799, 1: 0, 2: 1} {
		if got := numOffsetSlots(n); got != want {
			t.Errorf("numOffsetSlots(%d) = %d, want %d", n, got, want)
		}
	}
	for off := uint32(1); off < 1<<17; off++ {
		if got, want := offsetSlot(off), slotOf(offsetBase[:], off); got != want {
			t.Fatalf("offsetSlot(%d) = %d, want %d", off, got, want)
		}
	}
	for off := uint32(1); off < 1<<27; off += 1 + off/512 {
		for _, o := range []uint32{off, off + 1, off + 2047} {
			if got, want := offsetSlot(o), slotOf(offsetBase[:], o); got != want {
				t.Fatalf("offsetSlot(%d) = %d, want %d", o, got, want)
			}
		}
	}
	for s := range maxOffsetSyms {
		if slotOf(offsetBase[:], offsetBase[s]) != s || slotOf(offsetBase[:], offsetBase[s+1]-1) != s {
			t.Fatalf("slotOf wrong at slot %d", s)
		}
	}
}

// TestLengthSlot checks the emitter's table lookup of length slots
// against the binary search, at every length the table covers and at both
// ends of every slot.
func TestLengthSlot(t *testing.T) {
	for l := uint32(1); l < 1<<12; l++ {
		if got, want := lengthSlot(l), slotOf(lengthBase[:], l); got != want {
			t.Fatalf("lengthSlot(%d) = %d, want %d", l, got, want)
		}
	}
	for s := range numLengthSyms {
		for _, l := range []uint32{lengthBase[s], lengthBase[s+1] - 1} {
			if got := lengthSlot(l); got != s {
				t.Fatalf("lengthSlot(%d) = %d, want slot %d", l, got, s)
			}
		}
	}
}
