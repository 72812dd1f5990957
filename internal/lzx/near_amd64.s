//go:build amd64 && !purego

#include "textflag.h"

// The main loop of minCostPath (near.go has the program and its rules;
// this follows it step by step and must stay byte-identical). costModel
// layout: lit at 0, match[slot][len-2] at 1024 + slot*1024, aligned at
// 52224 (checked in near_asm_test.go). Queues: three 21-bit offsets.
//
// Registers across the loop: R8 &nodes[i], R9 &in[start+i], R10 costs,
// R11 next cached match, R12 queue q, R13 i, R14 cost of node i, R15
// next (shortest length not yet offered). AX BX CX DX SI DI are scratch.
//
// Where the CPU has AVX-512 (nearAVX512), the relaxations of a match's
// consecutive lengths go eight at a time (RELAX8), Z7 Z8 Z11 Z12 holding
// the lane constants; else one at a time, as the Go loop.

#define QMASK $0x1FFFFF

// REP_AT points SI at the repeat source CX bytes back from R9 and jumps
// to miss unless it lies in the input and agrees on 2 bytes.
#define REP_AT(miss) \
	MOVQ R9, SI; \
	SUBQ CX, SI; \
	CMPQ SI, in+0(FP); \
	JCS miss; \
	MOVWLZX (SI), AX; \
	MOVWLZX (R9), BX; \
	CMPL AX, BX; \
	JNE miss

// EXTEND_REP sets AX to the length of the match between the bytes at SI
// and R9, known to agree on 2, at most maxl; its labels are arguments, as
// the macro is used once per repeat offset.
#define EXTEND_REP(loop, diff, capped, done) \
	MOVL $2, AX; \
loop: \
	CMPQ AX, maxl-16(SP); \
	JAE capped; \
	MOVQ (SI)(AX*1), BX; \
	XORQ (R9)(AX*1), BX; \
	JNZ diff; \
	ADDQ $8, AX; \
	JMP loop; \
diff: \
	BSFQ BX, BX; \
	SHRQ $3, BX; \
	ADDQ BX, AX; \
	CMPQ AX, maxl-16(SP); \
	JLE done; \
capped: \
	MOVQ maxl-16(SP), AX; \
done:

// RELAX_REP offers nodes i+R15 .. i+AX a repeat match: cost R14 plus the
// row at SI (indexed by length), item length+itembase; a repeat match wins
// ties. R15 ends as AX+1.
#define RELAX_REP(loop, vloop, done, itembase) \
	MOVQ R15, DX; \
	CMPB ·nearAVX512(SB), $0; \
	JEQ loop; \
	LEAL itembase(DX), DI; \
	SHLQ $32, DI; \
	ORQ R14, DI; \
	VPBROADCASTQ DI, Z1; \
	VPADDQ Z7, Z1, Z1; \
	RELAX8(vloop, $2); \
	JMP done; \
loop: \
	MOVL (SI)(DX*4), CX; \
	ADDL R14, CX; \
	MOVL (R8)(DX*8), R15; \
	CMPL CX, R15; \
	CMOVLHI R15, CX; \
	MOVL CX, (R8)(DX*8); \
	MOVL 4(R8)(DX*8), R15; \
	LEAL itembase(DX), CX; \
	CMOVLHI R15, CX; \
	MOVL CX, 4(R8)(DX*8); \
	INCQ DX; \
	CMPQ DX, AX; \
	JLE loop; \
	MOVQ DX, R15; \
done:

// RELAX8 offers nodes i+DX .. i+AX (DX <= AX) eight lengths at a time.
// Nodes are cost | item<<32 as qwords, and so are the candidates: Z1 lane
// j holds base | (item of length DX+j)<<32, to which the row at SI
// (indexed by length, zero-extended to qwords) is added. A node takes its
// candidate where cmp holds between the costs ($1: strictly cheaper, $2:
// cheaper or equal), compared as qwords shifted left 32 (the items drop
// out); lanes past AX are masked off, loads included, so nothing past the
// nodes or the row is touched (the mask compares the lengths, Z10, with
// AX broadcast in Z9). R15 ends as AX+1.
#define RELAX8(loop, cmp) \
	VPBROADCASTQ AX, Z9; \
	VPBROADCASTQ DX, Z10; \
	VPADDQ Z11, Z10, Z10; \
loop: \
	VPCMPUQ $2, Z9, Z10, K2; \
	VPMOVZXDQ (SI)(DX*4), K2, Z2; \
	VPADDQ Z1, Z2, Z2; \
	VMOVDQU64 (R8)(DX*8), K2, Z3; \
	VPSLLQ $32, Z2, Z4; \
	VPSLLQ $32, Z3, Z5; \
	VPCMPUQ cmp, Z5, Z4, K2, K1; \
	VMOVDQU64 Z2, K1, (R8)(DX*8); \
	VPADDQ Z8, Z1, Z1; \
	VPADDQ Z12, Z10, Z10; \
	ADDQ $8, DX; \
	CMPQ DX, AX; \
	JLE loop; \
	LEAQ 1(AX), R15

// func minCostPathAsm(in *byte, start, size int, nodes *optNode, costs *costModel, cache *uint32, counts *uint16, queues *uint64, gaps *uint32, q0 uint64)
TEXT ·minCostPathAsm(SB), NOSPLIT, $16-80
	MOVQ nodes+24(FP), R8
	MOVQ in+0(FP), R9
	ADDQ start+8(FP), R9
	MOVQ costs+32(FP), R10
	MOVQ cache+40(FP), R11
	MOVQ q0+72(FP), R12
	XORL R13, R13
	CMPB ·nearAVX512(SB), $0
	JEQ loop
	VMOVDQU64 lanes<>(SB), Z7
	VPBROADCASTQ lanes<>+64(SB), Z8
	VPSRLQ $32, Z7, Z11
	VPSRLQ $32, Z8, Z12

loop:
	CMPQ R13, size+16(FP)
	JGE end
	// Ready node i+nodeReach (514), out of reach until now.
	LEAQ 514(R13), AX
	CMPQ AX, size+16(FP)
	JGT ready
	MOVQ $0xFFFFFFFF, AX
	MOVQ AX, (514*8)(R8)

ready:
	MOVL 4(R8), AX
	TESTQ R13, R13
	JZ storeq
	CMPL AX, $1
	JEQ storeq

	// q = nodeQueue(queues[(i-itemLen)&1023], item, gaps[i])
	MOVQ gaps+64(FP), BX
	MOVL (BX)(R13*4), BX
	MOVL AX, CX
	ANDL $511, CX
	TESTL AX, AX
	JPL notgap
	MOVL BX, DX
	ANDL $511, DX
	LEAL 1(CX)(DX*1), CX
	MOVQ R13, DX
	SUBQ CX, DX
	ANDL $1023, DX
	MOVQ queues+56(FP), SI
	MOVQ (SI)(DX*8), R12
	SHRL $9, BX
	TESTL BX, BX
	JZ storeq // R0 first: the queue stays
	SUBL $2, BX
	SHLQ $21, R12
	ORQ BX, R12
	BTRQ $63, R12
	JMP storeq

notgap:
	MOVQ R13, DX
	SUBQ CX, DX
	ANDL $1023, DX
	MOVQ queues+56(FP), SI
	MOVQ (SI)(DX*8), R12
	SHRL $9, AX
	CMPL AX, $3
	JCS swap
	SUBL $2, AX
	SHLQ $21, R12
	ORQ AX, R12
	BTRQ $63, R12
	JMP storeq

swap:
	TESTL AX, AX
	JZ storeq
	IMUL3L $21, AX, CX
	MOVQ R12, DX
	ANDQ QMASK, DX
	MOVQ R12, SI
	SHRQ CX, SI
	ANDQ QMASK, SI
	MOVQ QMASK, DI
	SHLQ CX, DI
	ORQ QMASK, DI
	NOTQ DI
	ANDQ DI, R12
	ORQ SI, R12
	SHLQ CX, DX
	ORQ DX, R12

storeq:
	MOVQ queues+56(FP), BX
	MOVQ R13, CX
	ANDL $1023, CX
	MOVQ R12, (BX)(CX*8)

	// Literal.
	MOVL (R8), R14
	MOVBLZX (R9), AX
	MOVL (R10)(AX*4), AX
	ADDL R14, AX
	MOVL 8(R8), BX
	MOVL $1, CX
	CMPL AX, BX
	CMOVLHI BX, AX
	CMOVLHI 12(R8), CX
	MOVL AX, 8(R8)
	MOVL CX, 12(R8)

	MOVQ counts+48(FP), BX
	MOVWLZX (BX)(R13*2), AX
	TESTL AX, AX
	JZ nexti
	LEAQ (R11)(AX*4), BX
	MOVQ BX, mend-8(SP)
	MOVQ size+16(FP), CX
	SUBQ R13, CX
	CMPQ CX, $257
	JLE maxlok
	MOVL $257, CX

maxlok:
	CMPQ CX, $2
	JGE havel
	MOVQ BX, R11
	JMP nexti

havel:
	MOVQ CX, maxl-16(SP)
	MOVL $2, R15

	// R0.
	MOVQ R12, CX
	ANDQ QMASK, CX
	REP_AT(rep1)
	EXTEND_REP(x0, x0f, x0cap, x0ok)
	LEAQ (1024-8)(R10), SI
	RELAX_REP(rr0, vr0, dr0, 0)

rep1:
	MOVQ R12, CX
	SHRQ $21, CX
	ANDQ QMASK, CX
	REP_AT(rep2)
	EXTEND_REP(x1, x1f, x1cap, x1ok)
	CMPQ AX, R15
	JLT rep2
	LEAQ (2048-8)(R10), SI
	RELAX_REP(rr1, vr1, dr1, 512)

rep2:
	MOVQ R12, CX
	SHRQ $42, CX
	REP_AT(explicit)
	EXTEND_REP(x2, x2f, x2cap, x2ok)
	CMPQ AX, R15
	JLT explicit
	LEAQ (3072-8)(R10), SI
	RELAX_REP(rr2, vr2, dr2, 1024)

explicit:
	// The cached matches, shortest first.
	CMPQ R11, mend-8(SP)
	JAE gap
	MOVL (R11), DX
	ADDQ $4, R11
	MOVL DX, AX
	ANDL $511, AX
	CMPQ AX, maxl-16(SP)
	CMOVQGT maxl-16(SP), AX
	CMPQ AX, R15
	JLT explicit
	SHRL $9, DX
	ADDL $2, DX

	// SI = offsetSlot(DX); CX clobbered. DX >= 3 (offsets start at 1),
	// where the pair rule also gives slots 2 and 3: no branch on DX < 4.
	// The aligned bits' price is added without a branch too (whether the
	// slot has them is a coin flip on most data).
	CMPL DX, $0x40000
	JCC eslot2
	BSRL DX, CX
	DECL CX
	MOVL DX, SI
	SHRL CX, SI
	LEAL (SI)(CX*2), SI

eslotok:
	MOVL DX, CX
	ANDL $7, CX
	MOVL 52224(R10)(CX*4), CX
	XORL BX, BX
	CMPL SI, $8
	CMOVLCS BX, CX
	LEAL (R14)(CX*1), BX
	SHLQ $10, SI
	LEAQ (1024-8)(R10)(SI*1), SI
	MOVL DX, DI
	SHLL $9, DI
	MOVQ R15, DX
	CMPB ·nearAVX512(SB), $0
	JEQ rl
	ADDL DX, DI
	SHLQ $32, DI
	ORQ BX, DI
	VPBROADCASTQ DI, Z1
	VPADDQ Z7, Z1, Z1
	RELAX8(vrl, $1)
	JMP explicit

rl:
	MOVL (SI)(DX*4), CX
	ADDL BX, CX
	MOVL (R8)(DX*8), R15
	CMPL CX, R15
	CMOVLCC R15, CX
	MOVL CX, (R8)(DX*8)
	MOVL 4(R8)(DX*8), R15
	LEAL (DI)(DX*1), CX
	CMOVLCC R15, CX
	MOVL CX, 4(R8)(DX*8)
	INCQ DX
	CMPQ DX, AX
	JLE rl
	MOVQ DX, R15
	JMP explicit

eslot2:
	LEAL -0x40000(DX), SI
	SHRL $17, SI
	ADDL $36, SI
	JMP eslotok

gap:
	// The longest explicit match, a literal, then R0 (its offset).
	CMPQ R15, $2
	JLE nexti
	MOVQ maxl-16(SP), CX
	DECQ CX
	CMPQ R15, CX
	JGE nexti
	MOVL -4(R11), DX
	LEAQ -1(R15), AX
	MOVL DX, CX
	ANDL $511, CX
	CMPQ CX, AX
	JLT nexti
	SHRL $9, DX
	LEAQ 1(R9)(AX*1), DI
	MOVQ DI, SI
	SUBQ DX, SI
	MOVWLZX (DI), CX
	MOVWLZX (SI), BX
	CMPL CX, BX
	JNE nexti
	MOVQ size+16(FP), CX
	SUBQ R13, CX
	SUBQ AX, CX
	DECQ CX
	CMPQ CX, $257
	JLE glimok
	MOVL $257, CX

glimok:
	MOVL $2, BX

gx:
	CMPQ BX, CX
	JAE gcap
	MOVQ (SI)(BX*1), R15
	XORQ (DI)(BX*1), R15
	JNZ gf
	ADDQ $8, BX
	JMP gx

gf:
	BSFQ R15, R15
	SHRQ $3, R15
	ADDQ R15, BX
	CMPQ BX, CX
	JLE gok

gcap:
	MOVQ CX, BX

gok:
	// AX l, BX l2, DX off -> f, SI slot; off == R0 gives f = slot = 0.
	MOVQ R12, CX
	ANDQ QMASK, CX
	CMPQ CX, DX
	JNE gexpl
	XORL DX, DX
	XORL SI, SI
	JMP gslotok

gexpl:
	ADDL $2, DX
	CMPL DX, $4
	JCC gslot1
	MOVL DX, SI
	JMP gslotok

gslot1:
	CMPL DX, $0x40000
	JCC gslot2
	BSRL DX, CX
	DECL CX
	MOVL DX, SI
	SHRL CX, SI
	LEAL (SI)(CX*2), SI
	JMP gslotok

gslot2:
	LEAL -0x40000(DX), SI
	SHRL $17, SI
	ADDL $36, SI

gslotok:
	MOVL R14, DI
	MOVQ SI, CX
	SHLQ $10, CX
	ADDQ R10, CX
	ADDL (1024-8)(CX)(AX*4), DI
	MOVBLZX (R9)(AX*1), CX
	ADDL (R10)(CX*4), DI
	ADDL (1024-8)(R10)(BX*4), DI
	CMPL SI, $8
	JCS gnoal
	MOVL DX, CX
	ANDL $7, CX
	ADDL 52224(R10)(CX*4), DI

gnoal:
	LEAQ 1(AX)(BX*1), CX
	CMPL DI, (R8)(CX*8)
	JCC nexti
	MOVL DI, (R8)(CX*8)
	ORL $0x80000000, BX
	MOVL BX, 4(R8)(CX*8)
	ADDQ R13, CX
	SHLL $9, DX
	ORL AX, DX
	MOVQ gaps+64(FP), SI
	MOVL DX, (SI)(CX*4)

nexti:
	INCQ R13
	ADDQ $8, R8
	INCQ R9
	JMP loop

end:
	CMPB ·nearAVX512(SB), $0
	JEQ ret
	VZEROUPPER

ret:
	RET

// lanes: lane j holds j<<32 (the item step of eight consecutive lengths),
// then 8<<32 (one step of eight lengths). Shifted right 32 they give Z11
// (lane j holds j) and Z12 (8), which step the lengths RELAX8 compares
// with the last one for its lane mask.
DATA lanes<>+0(SB)/8, $0
DATA lanes<>+8(SB)/8, $0x100000000
DATA lanes<>+16(SB)/8, $0x200000000
DATA lanes<>+24(SB)/8, $0x300000000
DATA lanes<>+32(SB)/8, $0x400000000
DATA lanes<>+40(SB)/8, $0x500000000
DATA lanes<>+48(SB)/8, $0x600000000
DATA lanes<>+56(SB)/8, $0x700000000
DATA lanes<>+64(SB)/8, $0x800000000
GLOBL lanes<>(SB), RODATA|NOPTR, $72
