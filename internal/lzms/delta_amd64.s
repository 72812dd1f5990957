//go:build amd64 && !purego

#include "textflag.h"

// Per lane (one a power, two lanes unused): the byte offset in the window
// of the text span back, the span, and span-1.
DATA deltaIdx<>+0(SB)/4, $31
DATA deltaIdx<>+4(SB)/4, $30
DATA deltaIdx<>+8(SB)/4, $28
DATA deltaIdx<>+12(SB)/4, $24
DATA deltaIdx<>+16(SB)/4, $16
DATA deltaIdx<>+20(SB)/4, $0
DATA deltaIdx<>+24(SB)/4, $0
DATA deltaIdx<>+28(SB)/4, $0
GLOBL deltaIdx<>(SB), RODATA|NOPTR, $32

DATA deltaSpan<>+0(SB)/4, $1
DATA deltaSpan<>+4(SB)/4, $2
DATA deltaSpan<>+8(SB)/4, $4
DATA deltaSpan<>+12(SB)/4, $8
DATA deltaSpan<>+16(SB)/4, $16
DATA deltaSpan<>+20(SB)/4, $32
DATA deltaSpan<>+24(SB)/4, $0
DATA deltaSpan<>+28(SB)/4, $0
GLOBL deltaSpan<>(SB), RODATA|NOPTR, $32

DATA deltaMask<>+0(SB)/4, $0
DATA deltaMask<>+4(SB)/4, $1
DATA deltaMask<>+8(SB)/4, $3
DATA deltaMask<>+12(SB)/4, $7
DATA deltaMask<>+16(SB)/4, $15
DATA deltaMask<>+20(SB)/4, $31
DATA deltaMask<>+24(SB)/4, $0
DATA deltaMask<>+28(SB)/4, $0
GLOBL deltaMask<>(SB), RODATA|NOPTR, $32

DATA deltaConst<>+0(SB)/4, $0x80808080
DATA deltaConst<>+4(SB)/4, $0x00FFFFFF
DATA deltaConst<>+8(SB)/4, $0x9E3779B1
GLOBL deltaConst<>(SB), RODATA|NOPTR, $12

// func deltaNextAsm(slots *[deltaPowers]uint32, w *byte, pos uint32, table *int32)
//
// deltaNextGo for the six powers at once: next = the 4 bytes at w+32, x =
// the 4 bytes span back, h = deltaHash(byteDiffs(next, x), pos, span).
TEXT ·deltaNextAsm(SB), NOSPLIT, $0-32
	MOVQ slots+0(FP), DI
	MOVQ w+8(FP), SI
	MOVL pos+16(FP), AX
	MOVQ table+24(FP), R8

	VPBROADCASTD 32(SI), Y0 // next
	VMOVDQU deltaIdx<>(SB), Y1
	VPCMPEQD Y2, Y2, Y2
	VPXOR Y3, Y3, Y3
	VPGATHERDD Y2, (SI)(Y1*1), Y3 // x, span back

	// byteDiffs(a, b) = ((a | h) - (b &^ h)) ^ ((a ^ ^b) & h)
	VPBROADCASTD deltaConst<>+0(SB), Y4
	VPOR Y4, Y0, Y5
	VPANDN Y3, Y4, Y6
	VPSUBD Y6, Y5, Y5
	VPXOR Y3, Y0, Y7
	VPANDN Y4, Y7, Y7
	VPXOR Y7, Y5, Y5
	VPBROADCASTD deltaConst<>+4(SB), Y4
	VPAND Y4, Y5, Y5

	// | (span + pos&(span-1)) << 24
	MOVD AX, X8
	VPBROADCASTD X8, Y8
	VPAND deltaMask<>(SB), Y8, Y8
	VPADDD deltaSpan<>(SB), Y8, Y8
	VPSLLD $24, Y8, Y8
	VPOR Y8, Y5, Y5

	// * 0x9E3779B1 >> (32 - deltaHashBits)
	VPBROADCASTD deltaConst<>+8(SB), Y4
	VPMULLD Y4, Y5, Y5
	VPSRLD $15, Y5, Y5

	VMOVDQU X5, (DI)
	VEXTRACTI128 $1, Y5, X6
	MOVQ X6, 16(DI)
	VZEROUPPER

	MOVL 0(DI), BX
	PREFETCHT0 (R8)(BX*4)
	MOVL 4(DI), BX
	PREFETCHT0 (R8)(BX*4)
	MOVL 8(DI), BX
	PREFETCHT0 (R8)(BX*4)
	MOVL 12(DI), BX
	PREFETCHT0 (R8)(BX*4)
	MOVL 16(DI), BX
	PREFETCHT0 (R8)(BX*4)
	MOVL 20(DI), BX
	PREFETCHT0 (R8)(BX*4)
	RET

// deltaFindAsm's lanes: 0-7 the position (0-5 a power each, 6-7 unused),
// 8-15 the next position. findIdxX picks for each lane the 4 bytes span
// back in the 37-byte window from 32 bytes before the position, findIdxC
// the position's own 4 bytes (VPERMB indices).
DATA findIdxX<>+0(SB)/8, $0x21201f1e2221201f
DATA findIdxX<>+8(SB)/8, $0x1b1a19181f1e1d1c
DATA findIdxX<>+16(SB)/8, $0x0302010013121110
DATA findIdxX<>+24(SB)/8, $0x0000000000000000
DATA findIdxX<>+32(SB)/8, $0x2221201f23222120
DATA findIdxX<>+40(SB)/8, $0x1c1b1a19201f1e1d
DATA findIdxX<>+48(SB)/8, $0x0403020114131211
DATA findIdxX<>+56(SB)/8, $0x0000000000000000
GLOBL findIdxX<>(SB), RODATA|NOPTR, $64

DATA findIdxC<>+0(SB)/8, $0x2322212023222120
DATA findIdxC<>+8(SB)/8, $0x2322212023222120
DATA findIdxC<>+16(SB)/8, $0x2322212023222120
DATA findIdxC<>+24(SB)/8, $0x2322212023222120
DATA findIdxC<>+32(SB)/8, $0x2423222124232221
DATA findIdxC<>+40(SB)/8, $0x2423222124232221
DATA findIdxC<>+48(SB)/8, $0x2423222124232221
DATA findIdxC<>+56(SB)/8, $0x2423222124232221
GLOBL findIdxC<>(SB), RODATA|NOPTR, $64

DATA findSpan<>+0(SB)/4, $1
DATA findSpan<>+4(SB)/4, $2
DATA findSpan<>+8(SB)/4, $4
DATA findSpan<>+12(SB)/4, $8
DATA findSpan<>+16(SB)/4, $16
DATA findSpan<>+20(SB)/4, $32
DATA findSpan<>+24(SB)/4, $0
DATA findSpan<>+28(SB)/4, $0
DATA findSpan<>+32(SB)/4, $1
DATA findSpan<>+36(SB)/4, $2
DATA findSpan<>+40(SB)/4, $4
DATA findSpan<>+44(SB)/4, $8
DATA findSpan<>+48(SB)/4, $16
DATA findSpan<>+52(SB)/4, $32
DATA findSpan<>+56(SB)/4, $0
DATA findSpan<>+60(SB)/4, $0
GLOBL findSpan<>(SB), RODATA|NOPTR, $64

DATA findMask<>+0(SB)/4, $0
DATA findMask<>+4(SB)/4, $1
DATA findMask<>+8(SB)/4, $3
DATA findMask<>+12(SB)/4, $7
DATA findMask<>+16(SB)/4, $15
DATA findMask<>+20(SB)/4, $31
DATA findMask<>+24(SB)/4, $0
DATA findMask<>+28(SB)/4, $0
DATA findMask<>+32(SB)/4, $0
DATA findMask<>+36(SB)/4, $1
DATA findMask<>+40(SB)/4, $3
DATA findMask<>+44(SB)/4, $7
DATA findMask<>+48(SB)/4, $15
DATA findMask<>+52(SB)/4, $31
DATA findMask<>+56(SB)/4, $0
DATA findMask<>+60(SB)/4, $0
GLOBL findMask<>(SB), RODATA|NOPTR, $64

DATA findPosAdd<>+0(SB)/4, $0
DATA findPosAdd<>+4(SB)/4, $0
DATA findPosAdd<>+8(SB)/4, $0
DATA findPosAdd<>+12(SB)/4, $0
DATA findPosAdd<>+16(SB)/4, $0
DATA findPosAdd<>+20(SB)/4, $0
DATA findPosAdd<>+24(SB)/4, $0
DATA findPosAdd<>+28(SB)/4, $0
DATA findPosAdd<>+32(SB)/4, $1
DATA findPosAdd<>+36(SB)/4, $1
DATA findPosAdd<>+40(SB)/4, $1
DATA findPosAdd<>+44(SB)/4, $1
DATA findPosAdd<>+48(SB)/4, $1
DATA findPosAdd<>+52(SB)/4, $1
DATA findPosAdd<>+56(SB)/4, $1
DATA findPosAdd<>+60(SB)/4, $1
GLOBL findPosAdd<>(SB), RODATA|NOPTR, $64

DATA findPow<>+0(SB)/4, $0
DATA findPow<>+4(SB)/4, $1
DATA findPow<>+8(SB)/4, $2
DATA findPow<>+12(SB)/4, $3
DATA findPow<>+16(SB)/4, $4
DATA findPow<>+20(SB)/4, $5
DATA findPow<>+24(SB)/4, $0
DATA findPow<>+28(SB)/4, $0
GLOBL findPow<>(SB), RODATA|NOPTR, $32

DATA findConst<>+0(SB)/4, $0x80808080
DATA findConst<>+4(SB)/4, $0x00FFFFFF
DATA findConst<>+8(SB)/4, $0x9E3779B1
DATA findConst<>+12(SB)/4, $0x0FFFFFFD
GLOBL findConst<>(SB), RODATA|NOPTR, $16

// func deltaFindAsm(in *byte, p int, table *int32, base int, out *[16]int32) uint32
//
// findWide's search in AVX-512 (F, BW, CD, DQ, VL, VBMI): position p's hash
// at every span, the table entries read and p+base written back, the
// offset tests and the first deltaMinLen differences of each source
// compared in vectors; the next position's slots prefetched. It returns
// the powers whose source passed (bit per power), their sources in
// out[0:6]. in[p-32:p+5] must be in the text, p >= 32.
TEXT ·deltaFindAsm(SB), NOSPLIT, $0-44
	MOVQ in+0(FP), SI
	MOVQ p+8(FP), AX
	MOVQ table+16(FP), R8
	MOVQ base+24(FP), R9
	MOVQ out+32(FP), DI

	// The window in[p-32:p+5], its lanes: Z2 span back, Z3 the position.
	LEAQ -32(SI)(AX*1), BX
	MOVQ $0x1FFFFFFFFF, CX
	KMOVQ CX, K1
	VMOVDQU8.Z (BX), K1, Z0
	VMOVDQU64 findIdxX<>(SB), Z1
	VPERMB Z0, Z1, Z2
	VMOVDQU64 findIdxC<>(SB), Z1
	VPERMB Z0, Z1, Z3

	// d = byteDiffs(Z3, Z2) & 0xFFFFFF (as in deltaNextAsm)
	VPBROADCASTD findConst<>+0(SB), Z4
	VPORD Z4, Z3, Z5
	VPANDND Z2, Z4, Z6
	VPSUBD Z6, Z5, Z5
	VPXORD Z2, Z3, Z7
	VPANDND Z4, Z7, Z7
	VPXORD Z7, Z5, Z5
	VPBROADCASTD findConst<>+4(SB), Z4
	VPANDD Z4, Z5, Z5

	// Z9 = deltaHash(d, pos, span), pos p in lanes 0-7, p+1 in 8-15.
	MOVQ AX, X8
	VPBROADCASTD X8, Z8
	VPADDD findPosAdd<>(SB), Z8, Z9
	VPANDD findMask<>(SB), Z9, Z9
	VPADDD findSpan<>(SB), Z9, Z9
	VPSLLD $24, Z9, Z9
	VPORD Z9, Z5, Z9
	VPBROADCASTD findConst<>+8(SB), Z4
	VPMULLD Z4, Z9, Z9
	VPSRLD $15, Z9, Z9

	// Y10 = the entries of p's six slots, read before p is written.
	MOVL $0x3F, CX
	KMOVW CX, K2
	KMOVW CX, K4
	VPXORD Y10, Y10, Y10
	VPGATHERDD (R8)(Y9*4), K2, Y10
	VMOVDQU32 Z9, (DI)

	MOVL 32(DI), BX
	PREFETCHT0 (R8)(BX*4)
	MOVL 36(DI), BX
	PREFETCHT0 (R8)(BX*4)
	MOVL 40(DI), BX
	PREFETCHT0 (R8)(BX*4)
	MOVL 44(DI), BX
	PREFETCHT0 (R8)(BX*4)
	MOVL 48(DI), BX
	PREFETCHT0 (R8)(BX*4)
	MOVL 52(DI), BX
	PREFETCHT0 (R8)(BX*4)

	LEAL (AX)(R9*1), DX
	MOVL 0(DI), BX
	MOVL DX, (R8)(BX*4)
	MOVL 4(DI), BX
	MOVL DX, (R8)(BX*4)
	MOVL 8(DI), BX
	MOVL DX, (R8)(BX*4)
	MOVL 12(DI), BX
	MOVL DX, (R8)(BX*4)
	MOVL 16(DI), BX
	MOVL DX, (R8)(BX*4)
	MOVL 20(DI), BX
	MOVL DX, (R8)(BX*4)

	// K3: the powers to verify. A slot an earlier power shares holds p
	// for the later one (skipped, as the Go loop's q == p).
	VPCONFLICTD Y9, Y11
	VPTESTNMD Y11, Y11, K4, K3
	MOVQ R9, X12
	VPBROADCASTD X12, Y12
	VPSUBD Y12, Y10, Y10 // q
	VMOVDQU32 findSpan<>(SB), Y13
	VPCMPD $5, Y13, Y10, K3, K3 // q >= span
	VPSUBD Y10, Y8, Y14 // off
	VPTESTNMD findMask<>(SB), Y14, K3, K3 // off % span == 0
	VPSRLVD findPow<>(SB), Y14, Y15
	VPBROADCASTD findConst<>+12(SB), Y4
	VPCMPUD $1, Y4, Y15, K3, K3 // off>>power < 1<<deltaPowerShift - numReps

	// The sources' first bytes: not a plain copy, the same differences
	// (no branch on an empty K3: it mispredicted, 1% of the CPU).
	KMOVW K3, K5
	VPGATHERDD (SI)(Y10*1), K5, Y1 // in[q:]
	VPSUBD Y13, Y10, Y2
	KMOVW K3, K5
	VPGATHERDD (SI)(Y2*1), K5, Y6 // in[q-span:]
	VPCMPD $4, Y3, Y1, K3, K3
	VPBROADCASTD findConst<>+0(SB), Y4
	VPORD Y4, Y1, Y7
	VPANDND Y6, Y4, Y0
	VPSUBD Y0, Y7, Y7
	VPXORD Y6, Y1, Y0
	VPANDND Y4, Y0, Y0
	VPXORD Y0, Y7, Y7
	VPBROADCASTD findConst<>+4(SB), Y4
	VPANDD Y4, Y7, Y7
	VPCMPD $0, Y5, Y7, K3, K3

	VMOVDQU32 Y10, (DI)
	KMOVB K3, AX
	MOVL AX, ret+40(FP)
	VZEROUPPER
	RET
