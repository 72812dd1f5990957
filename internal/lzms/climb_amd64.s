//go:build amd64 && !purego

#include "textflag.h"

// func climbsAsm(nodes, links *uint32, from, to, n int, shift uint, out *match, ahead *aheadRing) int
//
// climbsGo's loop (climb.go). Registers: R8 nodes, R9 links, SI the
// position, R12 to, CX shift, R11 mask, DI out (0: no record), R10 the
// matches written; AX ref, DX up or the source q, BX next, R13 and R14
// scratch.
TEXT ·climbsAsm(SB), NOSPLIT, $0-72
	MOVQ nodes+0(FP), R8
	MOVQ links+8(FP), R9
	MOVQ from+16(FP), SI
	MOVQ to+24(FP), R12
	MOVQ shift+40(FP), CX
	MOVQ out+48(FP), DI
	MOVL $1, R11
	SHLL CX, R11
	DECL R11
	XORL R10, R10

position:
	CMPL SI, R12
	JAE done
	XORL R10, R10

	// prefetchAhead (climb.go): a step each of the paths of the
	// positions 20, 15, 10 and 5 ahead; BX the ring (ahead).
	LEAQ 20(SI), AX
	CMPQ AX, n+32(FP)
	JAE climb
	MOVL 80(R9)(SI*4), AX // the deepest interval of p+20
	ANDL R11, AX
	PREFETCHT0 (R8)(AX*4)
	MOVQ ahead+56(FP), BX
	LEAQ 5(SI), DX // p+5: the source of its second interval
	ANDQ $15, DX
	MOVL 64(BX)(DX*4), AX
	MOVL (R8)(AX*4), AX
	ANDL R11, AX
	PREFETCHT0 (R9)(AX*4)
	LEAQ 10(SI), DX // p+10: the source's link
	ANDQ $15, DX
	MOVL (BX)(DX*4), AX
	MOVL (R9)(AX*4), AX
	ANDL R11, AX
	MOVL AX, 64(BX)(DX*4)
	PREFETCHT0 (R8)(AX*4)
	MOVL 60(R9)(SI*4), AX // p+15: the source holding its deepest interval
	ANDL R11, AX
	MOVL (R8)(AX*4), AX
	ANDL R11, AX
	LEAQ 15(SI), DX
	ANDQ $15, DX
	MOVL AX, (BX)(DX*4)
	PREFETCHT0 (R9)(AX*4)

climb:
	MOVL (R9)(SI*4), AX // ref = links[p]
	MOVL $0, (R9)(SI*4)

	// Up through the intervals no position has claimed (parent refs,
	// lcp bits set): p claims each.
unclaimed:
	MOVL AX, BX
	ANDL R11, BX
	MOVL (R8)(BX*4), DX // up = nodes[ref&mask]
	CMPL DX, R11
	JLS claimed
	MOVL SI, (R8)(BX*4)
	MOVL DX, AX
	JMP unclaimed

claimed:
	TESTL DX, DX
	JNZ sources
	// ref is the root or an unclaimed child of the root.
	TESTL AX, AX
	JZ next
	MOVL SI, (R8)(BX*4)
	JMP next

	// DX is the source q holding ref; BX its link, past the intervals
	// q still holds.
sources:
	MOVL (R9)(DX*4), BX // next = links[q]
fresher:
	CMPL BX, AX
	JLS take
	MOVL BX, R13 // stale: the position that took over at next
	ANDL R11, R13
	MOVL (R8)(R13*4), DX
	MOVL (R9)(DX*4), BX
	JMP fresher

take:
	MOVL AX, R13
	ANDL R11, R13
	MOVL SI, (R8)(R13*4) // nodes[ref&mask] = p
	MOVL AX, (R9)(DX*4)  // links[q] = ref
	TESTQ DI, DI
	JZ up
	// One 8-byte store a match: the reversal's 8-byte loads of two
	// 4-byte stores could not be forwarded from the store buffer and
	// waited for both to reach the cache.
	MOVL SI, R13
	SUBL DX, R13
	SHLQ $32, R13 // offset
	MOVL AX, R14
	SHRL CX, R14
	ORQ R14, R13 // code
	MOVQ R13, (DI)(R10*8)
	INCQ R10

up:
	TESTL BX, BX
	JZ reverse
	MOVL BX, AX // ref = next
	ANDL R11, BX
	MOVL (R8)(BX*4), DX // q = nodes[ref&mask]
	JMP sources

	// The matches were written longest first.
reverse:
	TESTQ DI, DI
	JZ next
	LEAQ -8(DI)(R10*8), BX
	MOVQ DI, DX
swap:
	CMPQ DX, BX
	JAE next
	MOVQ (DX), AX
	MOVQ (BX), R13
	MOVQ R13, (DX)
	MOVQ AX, (BX)
	ADDQ $8, DX
	SUBQ $8, BX
	JMP swap

next:
	INCL SI
	JMP position

done:
	MOVQ R10, ret+64(FP)
	RET
