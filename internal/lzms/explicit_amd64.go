//go:build amd64 && !purego

package lzms

import "golang.org/x/sys/cpu"

// relaxExplicitAsm is relaxExplicitGo in assembly (explicit_amd64.s); it
// also stops when the arrival log is full (the caller's append grows it)
// or at a length past keys or lenKey, or a match+literal+rep0 step past
// keys (the caller's bounds check fails): relaxRest goes on from there.
// explicit_asm_test.go compares the two.
//
//go:noescape
func relaxExplicitAsm(a *parseNodes)

// explicitAVX512 makes relaxExplicitAsm relax eight lengths at a time
// (AVX-512F and BMI2). Tests clear it to check the scalar loop.
var explicitAVX512 = cpu.X86.HasAVX512F && cpu.X86.HasBMI2

// explicitAsm selects the assembly (tests clear it to run the Go twin).
var explicitAsm = true

// relaxRangeAVX512 is relaxRange's loop eight keys at a time (n >= 1).
//
//go:noescape
func relaxRangeAVX512(keys, lens *uint64, n int, bk uint64)

// relaxRangeWide is relaxRange through relaxRangeAVX512 where the CPU has
// it: ranges of varied lengths mispredict the scalar loop's exit.
func relaxRangeWide(keys, lens []uint64, bk uint64) {
	if !explicitAVX512 || len(keys) == 0 {
		relaxRange(keys, lens, bk)
		return
	}
	lens = lens[:len(keys)]
	relaxRangeAVX512(&keys[0], &lens[0], len(keys), bk)
}

// repLensAsm is repLensGo in assembly (explicit_amd64.s).
//
//go:noescape
func repLensAsm(in []byte, p int, q *[numReps]uint32, lens *[numReps]int) (best, bestLen int)

// relaxPositionAsm is relaxPositionGo in assembly (explicit_amd64.s),
// ending in relaxExplicitAsm. It does not check each item's room: the
// caller checks the block (setRoom) and the arrival log's room.
//
//go:noescape
func relaxPositionAsm(a *parseNodes)

// relaxFusedAsm is relaxPositionGo in assembly for the positions of
// blocks without match+literal+rep0 steps, with AVX-512 (explicit_amd64.s:
// every range in one pass over the nodes). The caller checks as for
// relaxPositionAsm, and that the chunk is below explicitFar.
//
//go:noescape
func relaxFusedAsm(a *parseNodes)

// positionAsm measures the position's repeat matches (repLensGo into
// repLen, repBest, repBestLen) and, unless one is nice or longer, sets
// open and relaxes the position as relaxFusedAsm (explicit_amd64.s). The
// caller checks as for relaxFusedAsm, and that no match is nice or longer.
//
//go:noescape
func positionAsm(a *parseNodes)
