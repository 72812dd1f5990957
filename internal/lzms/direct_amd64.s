//go:build amd64 && !purego

#include "textflag.h"
#include "lcpext_amd64.h"

// func directAsm(sa *uint32, in *byte, n int, code *uint8, nice int, shift uint)
//
// directGo's loop (lcpit.go). Registers: R8 sa, R10 in, R12 n, R11 code,
// R13 nice, CX shift, SI the rank r, DI the position before it, AX the
// position at r, BX the comparisons' limit, DX the lcp; R14 and R15
// scratch.
TEXT ·directAsm(SB), NOSPLIT, $0-48
	MOVQ sa+0(FP), R8
	MOVQ in+8(FP), R10
	MOVQ n+16(FP), R12
	MOVQ code+24(FP), R11
	MOVQ nice+32(FP), R13
	MOVQ shift+40(FP), CX
	MOVL (R8), DI
	MOVL $1, SI

loop:
	CMPQ SI, R12
	JAE done
	LEAQ 16(SI), AX
	CMPQ AX, R12
	JAE compare
	// The text of the entry 16 ahead, two lines.
	MOVL 64(R8)(SI*4), AX
	PREFETCHT0 (R10)(AX*1)
	ADDQ $64, AX
	LEAQ -1(R12), R14
	CMPQ AX, R14
	CMOVQHI R14, AX
	PREFETCHT0 (R10)(AX*1)

compare:
	MOVL (R8)(SI*4), AX // p
	MOVQ DI, BX
	CMPQ AX, BX
	CMOVQHI AX, BX
	NEGQ BX
	ADDQ R12, BX // n - max(prev, p)
	CMPQ BX, R13
	CMOVQHI R13, BX // at most nice
	XORQ DX, DX

	// extend: 8 bytes at a time, then byte by byte.
	LCPEXT(DI, AX)

	// sa[r] = p | code[h] << shift.
store:
	MOVBLZX (R11)(DX*1), R14
	SHLL CX, R14
	ORL AX, R14
	MOVL R14, (R8)(SI*4)
	MOVQ AX, DI
	INCQ SI
	JMP loop

done:
	RET
