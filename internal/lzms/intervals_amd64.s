//go:build amd64 && !purego

#include "textflag.h"
#include "intervals_amd64.h"

// func intervalsAsm(sa, links *uint32, n int, shift uint, stack *uint32) (count int)
//
// buildIntervalsGo's scan (lcpit.go). Each rank's entry is loaded a rank
// ahead, before the often mispredicted branches of the one before (as in
// intervalsPhiAsm). Registers: R8 sa (the nodes), R9 links, R13 mask, R15
// its complement (the lcp bits), SI the rank, CX the previous position, DI
// the next interval index, R11 the address of the stack's top and DX its
// value; AX the entry, BX its lcp, R14 the lcp of DX, R12 the next rank's
// entry, R10 the interval closed or scratch; n is read from the
// arguments.
TEXT ·intervalsAsm(SB), NOSPLIT, $0-48
	MOVQ sa+0(FP), R8
	MOVQ links+8(FP), R9
	MOVQ shift+24(FP), CX
	MOVQ stack+32(FP), R11
	MOVL $1, R13
	SHLL CX, R13
	DECL R13
	MOVL R13, R15
	NOTL R15
	MOVL $0, (R11) // the root: lcp 0, index 0
	XORL DX, DX
	MOVL $1, DI
	MOVL (R8), CX
	ANDL R13, CX
	MOVL $1, SI
	CMPQ SI, n+16(FP)
	JAE flush
	MOVL 4(R8), R12

loop:
	MOVL R12, AX
	// The next rank's entry (the last rank's own again at the end).
	// The scan writes only entries up to this rank.
	LEAQ 1(SI), R10
	CMPQ R10, n+16(FP)
	CMOVQCC SI, R10
	MOVL (R8)(R10*4), R12
	MOVL AX, BX
	ANDL R15, BX // l
	MOVL DX, R14
	ANDL R15, R14
	CMPL BX, R14
	JLS linked
	// Both suffixes open a deeper interval.
	OPEN

linked:
	MOVL DX, (R9)(CX*4) // links[prev] = top
	MOVL AX, CX
	ANDL R13, CX
	CMPL BX, R14
	JEQ next

	INTERVALS_CLOSE(R15, count+40(FP))
