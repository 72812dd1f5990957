//go:build amd64 && !purego

package lzx

import "unsafe"

// The uint16 tree walks in assembly (bt_amd64.s): one call per position,
// the whole walk inside. They produce exactly the trees and matches of
// getMatchesGo and skipGo (bt_asm_test.go compares them).
const btAsm = true

// Offsets of the head tables in btMatchfinder[uint16], as the assembly
// uses them; checked in bt_asm_test.go.
const (
	btHead3Off16 = 2 << bt2Bits
	btHead4Off16 = btHead3Off16 + 4<<bt3Bits
)

// btGetMatches16 is getMatches for m, a *btMatchfinder[uint16]; out has
// room for depth+2 matches, child for the chunk.
//
//go:noescape
func btGetMatches16(m unsafe.Pointer, in *byte, child *uint16, pos, maxLen, niceLen, depth int, out *uint32) (n, best int)

// btSkip16 is skip for m, a *btMatchfinder[uint16].
//
//go:noescape
func btSkip16(m unsafe.Pointer, in *byte, child *uint16, pos, niceLen, depth int)

// Offsets in nearScan the assembly uses (hard-coded there as NS_*);
// checked in bt_asm_test.go.
const (
	nsCacheOff  = 80
	nsCountsOff = 104
	nsEstOff    = 128
	nsSplOff    = 136
	nsMOff      = 144
)

// nearScan16 is nearScanGo for s.m, a *btMatchfinder[uint16], calling
// btGetMatches16 for each position; s.cache has room for s.room entries,
// s.counts for the block, the child array for the chunk.
//
//go:noescape
func nearScan16(s *nearScan)
