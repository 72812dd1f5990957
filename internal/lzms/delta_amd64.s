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
