//go:build amd64 && !purego

package lzx

import "unsafe"

// hcAsm says lazyStep16 is real: lazyStep for uint16 positions in
// assembly (hc_amd64.s), one call per match. It returns what lazyStep
// returns and leaves the same tables and repeat offsets (hc_asm_test.go
// compares them).
const hcAsm = true

// Offsets in hcMatchfinder[uint16] the assembly uses (hard-coded there);
// checked in hc_asm_test.go.
const (
	hcHead4Off16    = 2 << hc3Bits
	hcNextOff16     = hcHead4Off16 + 2<<hc4Bits
	hcSkipRunsOff16 = hcNextOff16 + 25
)

// lazyStep16 is lazyStep for m, a *hcMatchfinder[uint16]; in has the
// chunk's n bytes and inputSlack more, m.next room for n positions.
//
//go:noescape
func lazyStep16(m unsafe.Pointer, in *byte, pos, n, niceLen, depth int, rep *[numRepeats]uint32) (int, int, uint32)
