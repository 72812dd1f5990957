//go:build !amd64 || purego

package lzms

// explicitAsm: no assembly here.
const explicitAsm = false

// explicitAVX512: no AVX-512 loops here.
const explicitAVX512 = false

func relaxExplicitAsm(a *parseNodes) { relaxExplicitGo(a) }

func relaxRangeWide(keys, lens []uint64, bk uint64) { relaxRange(keys, lens, bk) }

func repLensAsm(in []byte, p int, q *[numReps]uint32, lens *[numReps]int) (int, int) {
	return repLensGo(in, p, q, lens)
}

func relaxPositionAsm(a *parseNodes) { relaxPositionGo(a) }

func relaxFusedAsm(a *parseNodes) { relaxPositionGo(a) }

func positionAsm(a *parseNodes) { positionGo(a) }
