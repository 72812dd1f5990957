//go:build amd64 && !purego

#include "textflag.h"
#include "lcpext_amd64.h"

// func kasaiAsm(sa, isa *uint32, in *byte, n int, code *uint8, nice int, shift uint, prefetching bool)
//
// kasaiGo's loop (lcpit.go). Registers: R8 sa, R9 isa, R10 in, R11 code,
// R12 n, R13 mask, CX shift, SI the position i, DX h; AX the rank r, DI
// the position j before it, BX the comparisons' limit, R14 and R15
// scratch.
TEXT ·kasaiAsm(SB), NOSPLIT, $0-57
	MOVQ sa+0(FP), R8
	MOVQ isa+8(FP), R9
	MOVQ in+16(FP), R10
	MOVQ n+24(FP), R12
	MOVQ code+32(FP), R11
	MOVQ shift+48(FP), CX
	MOVL $1, R13
	SHLL CX, R13
	DECL R13
	XORQ SI, SI
	XORQ DX, DX

loop:
	CMPQ SI, R12
	JAE done
	CMPB prefetching+56(FP), $0
	JEQ rank
	LEAQ 16(SI), AX
	CMPQ AX, R12
	JAE rank
	// The entry before rank isa[i+16], the text at the entry before
	// rank isa[i+8] (ranks 0 as 1).
	MOVL $1, BX
	MOVL 64(R9)(SI*4), AX
	CMPL AX, BX
	CMOVLCS BX, AX
	PREFETCHT0 -4(R8)(AX*4)
	MOVL 32(R9)(SI*4), AX
	CMPL AX, BX
	CMOVLCS BX, AX
	MOVL -4(R8)(AX*4), AX
	ANDL R13, AX
	PREFETCHT0 (R10)(AX*1)

rank:
	MOVL (R9)(SI*4), AX // r = isa[i]
	TESTL AX, AX
	JNZ compare
	XORQ DX, DX
	JMP next

compare:
	MOVL -4(R8)(AX*4), DI
	ANDL R13, DI // j
	MOVQ SI, BX
	CMPQ DI, BX
	CMOVQHI DI, BX
	NEGQ BX
	ADDQ R12, BX // n - max(i, j)

	// extend: 8 bytes at a time, then byte by byte.
	LCPEXT(SI, DI)

	// sa[r] |= code[min(h, nice)] << shift; h-- if h > 0.
store:
	MOVQ DX, R14
	CMPQ R14, nice+40(FP)
	JLS coded
	MOVQ nice+40(FP), R14

coded:
	MOVBLZX (R11)(R14*1), R14
	SHLL CX, R14
	ORL R14, (R8)(AX*4)
	TESTQ DX, DX
	JZ next
	DECQ DX

next:
	INCQ SI
	JMP loop

done:
	RET
