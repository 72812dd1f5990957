//go:build amd64 && !purego

package lzx

import "unsafe"

// writeAsm makes writeSeqs use writeSeqsAsm (tests clear it to run the Go
// loop).
var writeAsm = true

// Offsets in blockCodes the assembly uses; checked in write_asm_test.go.
const (
	mainCodesOff   = 656
	lenLensOff     = 1968
	lenCodesOff    = 2218
	alignedLensOff = 2716
	alignedCodeOff = 2724
)

// writeSeqsAsm is writeSeqsGo's loop (write_amd64.s): it writes the items
// of seqs[:nseqs] from out on, with acc and n the bit writer's pending
// bits, and stops early before an item that could write past end. It
// returns the bytes written, the items done and the pending bits.
//
//go:noescape
func writeSeqsAsm(out *byte, end uintptr, acc uint64, n uint, block *byte, seqs *seq, nseqs int, c *blockCodes, minAligned uint32, footer *uint8) (written, done int, accOut uint64, nOut uint)

// writeSeqs emits the literals and matches of one block.
func writeSeqs(w *bitWriter, block []byte, seqs []seq, c *blockCodes, aligned bool) {
	if writeAsm && len(seqs) > 0 && len(w.buf)-w.pos > 16 {
		minAligned := uint32(maxOffsetSlots)
		if aligned {
			minAligned = minAlignedSlot
		}
		buf := unsafe.SliceData(w.buf)
		out := unsafe.Add(unsafe.Pointer(buf), w.pos)
		// The end as an address, not a pointer: one past the buffer may
		// be past its allocation, which the garbage collector rejects in
		// a pointer (and checkptr, under -race, reports).
		end := uintptr(unsafe.Pointer(buf)) + uintptr(len(w.buf))
		written, done, acc, n := writeSeqsAsm((*byte)(out), end, w.acc, w.n,
			unsafe.SliceData(block), unsafe.SliceData(seqs), len(seqs), c, minAligned, &slotFooter[0])
		w.pos += written
		w.acc, w.n = acc, n
		if done == len(seqs) {
			return
		}
		// Near the end of the buffer: the rest in Go, which checks.
		p := 0
		for _, s := range seqs[:done] {
			p += int(s.litRun + s.length)
		}
		block, seqs = block[p:], seqs[done:]
	}
	writeSeqsGo(w, block, seqs, c, aligned)
}
