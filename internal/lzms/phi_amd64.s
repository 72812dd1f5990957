//go:build amd64 && !purego

#include "textflag.h"
#include "intervals_amd64.h"
#include "lcpext_amd64.h"

// func phiAsm(links *uint32, in *byte, n int, code *uint8, nice int, shift uint, first int, ahead int)
//
// phiGo's scan (phi.go), links holding Φ. Registers: R9 links, R10 in,
// R11 code, R12 n, R8 nice, R13 first, CX shift, SI the position i, DX h;
// DI the position j sorted before i, BX the comparisons' limit, AX, R14
// and R15 scratch. Below ahead, the text at Φ[i+8] is prefetched.
TEXT ·phiAsm(SB), NOSPLIT, $0-64
	MOVQ links+0(FP), R9
	MOVQ in+8(FP), R10
	MOVQ n+16(FP), R12
	MOVQ code+24(FP), R11
	MOVQ nice+32(FP), R8
	MOVQ shift+40(FP), CX
	MOVQ first+48(FP), R13
	XORQ SI, SI
	XORQ DX, DX

loop:
	CMPQ SI, R12
	JAE done
	CMPQ SI, ahead+56(FP)
	JAE rank
	MOVL 32(R9)(SI*4), AX
	PREFETCHT0 (R10)(AX*1)

rank:
	CMPQ SI, R13
	JNE compare
	// Sorted first: no lcp.
	XORQ DX, DX
	MOVL $0, (R9)(SI*4)
	JMP next

compare:
	MOVL (R9)(SI*4), DI // j = Φ[i]
	MOVQ SI, BX
	CMPQ DI, BX
	CMOVQHI DI, BX
	NEGQ BX
	ADDQ R12, BX // n - max(i, j)

	// extend: 8 bytes at a time, then byte by byte.
	LCPEXT(SI, DI)

	// links[i] = code[min(h, nice)] << shift; h-- if h > 0.
store:
	MOVQ DX, R14
	CMPQ R14, R8
	CMOVQHI R8, R14
	MOVBLZX (R11)(R14*1), R14
	SHLL CX, R14
	MOVL R14, (R9)(SI*4)
	TESTQ DX, DX
	JZ next
	DECQ DX

next:
	INCQ SI
	JMP loop

done:
	RET

// func intervalsPhiAsm(sa, links *uint32, n int, shift uint, stack *uint32, ahead int, lcpBits uint32) (count int)
//
// intervalsPhiGo's scan (phi.go): intervalsAsm's (intervals_amd64.s) with
// each entry's lcp read from links at its position. Each rank's position
// and lcp are loaded a rank ahead, before the branches of the one before
// (those mispredict often, and a load issued after one would start only
// once it resolved). Registers: R8 sa (the nodes), R9 links, R13 the
// position mask, SI the rank, CX the previous position, DI the next
// interval index, R11 the address of the stack's top, DX its value and
// R14 its lcp; AX the position and BX its lcp, R12 and R15 the next
// rank's; R10 the interval closed, or scratch. n and lcpBits (the mask's
// complement) are read from the arguments. Below ahead, links at sa[r+16]
// is prefetched.
TEXT ·intervalsPhiAsm(SB), NOSPLIT, $0-64
	MOVQ sa+0(FP), R8
	MOVQ links+8(FP), R9
	MOVQ shift+24(FP), CX
	MOVQ stack+32(FP), R11
	MOVL $1, R13
	SHLL CX, R13
	DECL R13
	MOVL $0, (R11) // the root: lcp 0, index 0
	XORL DX, DX
	XORL R14, R14
	MOVL $1, DI
	MOVL (R8), CX
	MOVL $1, SI
	CMPQ SI, n+16(FP)
	JAE flush
	MOVL 4(R8), R12
	MOVL (R9)(R12*4), R15

loop:
	CMPQ SI, ahead+40(FP)
	JAE entry
	MOVL 64(R8)(SI*4), R10
	PREFETCHT0 (R9)(R10*4)

entry:
	MOVL R12, AX // p
	MOVL R15, BX // l: p's lcp
	// The next rank's (the last rank's own again at the end). The
	// scan writes only entries up to this rank and the link of the
	// rank before.
	LEAQ 1(SI), R10
	CMPQ R10, n+16(FP)
	CMOVQCC SI, R10
	MOVL (R8)(R10*4), R12
	MOVL (R9)(R12*4), R15
	CMPL BX, R14
	JLS linked
	// Both suffixes open a deeper interval.
	OPEN

linked:
	MOVL DX, (R9)(CX*4) // links[prev] = top
	MOVL AX, CX
	CMPL BX, R14
	JEQ next

	INTERVALS_CLOSE(lcpBits+48(FP), count+56(FP))
