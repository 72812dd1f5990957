//go:build amd64 && !purego

package lzx

import "unsafe"

// hcAsm says lazyRun16 is real: lazyRun for uint16 positions in
// assembly (hc_amd64.s), one call per block-end check. It leaves what
// lazyRun leaves: the same items, tallies, splitter, repeat offsets and
// tables (hc_asm_test.go compares them).
const hcAsm = true

// Offsets in hcMatchfinder[uint16] the assembly uses (hard-coded there);
// checked in hc_asm_test.go.
const (
	hcHead4Off16    = 2 << hc3Bits
	hcNextOff16     = hcHead4Off16 + 2<<hc4Bits
	hcSkipRunsOff16 = hcNextOff16 + 25
)

// Offsets in lazyState, tally and splitter the assembly uses (hard-coded
// there); checked in hc_asm_test.go.
const (
	lsSeqsOff     = 48
	lsTallyOff    = 72
	lsSplOff      = 80
	lsRepOff      = 88
	tallyLenOff   = 4 * maxMainSyms
	tallyAlignOff = tallyLenOff + 4*numLenSyms
	splNewObsOff  = 4 * numObsClasses
	splNewNOff    = 2*splNewObsOff + 4
)

// lazyRun16 is lazyRun for m, a *hcMatchfinder[uint16]; in has the
// chunk's s.n bytes and inputSlack more, m.next room for s.n positions,
// s.seqs room for (s.n-s.pos)/3+1 more items.
//
//go:noescape
func lazyRun16(m unsafe.Pointer, in *byte, s *lazyState) bool
