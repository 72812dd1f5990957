//go:build amd64 && !purego

#include "go_asm.h"
#include "textflag.h"

// The main loop of nearState.minCost (near.go) with AVX-512, one call per
// pass. Per position, the costs of lengths 3..18 (one lane each) come from
// a single vector sum: symTab[lo] (symbol cost plus offset bits, lane 15
// including the extra length byte) merged from the position's matches,
// longest first, each writing the lanes up to its length, so every lane
// ends up with the first match long enough for it; plus the costs to the
// end from positions pos+3..pos+18, kept in a register (Z3) and shifted
// by one lane per position, so no vector load waits on a recent store.
// The minimum lane (the lowest on ties: shorter wins) is then compared
// with the literal (which wins ties) and, for matches longer than 18,
// with a scalar pass over lengths 19 and up (ascending, strictly less).
//
// Registers: SI w, DI counts, R8 &cache[used], R9 s, R10 cost, R11 choice,
// CX pos, R12 cost[pos+1]; Z0 all ones, Z1 lane costs, Z2 lane offsets,
// Z3 cost[pos+3..pos+18], K1 the lanes some match reaches.

// func minCostAsm(s *nearState, w *window, n, used int)
TEXT ·minCostAsm(SB), NOSPLIT, $48-32
	MOVQ s+0(FP), R9
	MOVQ w+8(FP), SI
	MOVQ n+16(FP), CX
	MOVQ used+24(FP), AX
	MOVQ nearState_counts(R9), DI
	MOVQ nearState_cache(R9), R8
	LEAQ (R8)(AX*4), R8
	MOVQ nearState_cost(R9), R10
	MOVQ nearState_choice(R9), R11
	MOVL $0, (R10)(CX*4)
	XORL R12, R12
	VPTERNLOGD $0xff, Z0, Z0, Z0
	VPXORD Z3, Z3, Z3
	DECQ CX
	JL end

loop:
	MOVBLZX (SI)(CX*1), AX
	MOVL nearState_symCost(R9)(AX*4), AX
	ADDL R12, AX
	MOVWLZX (DI)(CX*2), BX
	TESTL BX, BX
	JZ nomatch
	SHLL $2, BX
	SUBQ BX, R8
	MOVWLZX -2(R8)(BX*1), R13
	MOVL R13, lmax-8(SP)
	MOVL $18, R14
	CMPL R13, R14
	CMOVLHI R14, R13
	SUBL $2, R13
	MOVL $-1, R14
	BZHIL R13, R14, R14
	KMOVW R14, K1
	VMOVDQA64 Z0, Z1

mloop:
	// Matches from the longest: lanes 0..min(l, 18)-3 take this match.
	MOVWLZX -4(R8)(BX*1), R15
	MOVWLZX -2(R8)(BX*1), R13
	MOVL $18, R14
	CMPL R13, R14
	CMOVLHI R14, R13
	SUBL $2, R13
	MOVL $-1, R14
	BZHIL R13, R14, R14
	KMOVW R14, K2
	BSRL R15, R13
	SHLL $6, R13
	VMOVDQU32 nearState_symTab(R9)(R13*1), K2, Z1
	VPBROADCASTD R15, K2, Z2
	SUBQ $4, BX
	JNZ mloop

	// Add the costs to the end; lanes no match reaches stay all ones.
	VPADDD Z3, Z1, K1, Z1
	VEXTRACTI64X4 $1, Z1, Y4
	VPMINUD Y4, Y1, Y4
	VEXTRACTI128 $1, Y4, X5
	VPMINUD X5, X4, X4
	VPSHUFD $0x4e, X4, X5
	VPMINUD X5, X4, X4
	VPSHUFD $0xb1, X4, X5
	VPMINUD X5, X4, X4
	VMOVD X4, DX
	VPBROADCASTD X4, Z4
	VPCMPEQD Z4, Z1, K3
	KMOVW K3, R14
	TZCNTL R14, R14
	VMOVD R14, X5
	VPERMD Z2, Z5, Z5
	VMOVD X5, R15
	ADDL $3, R14
	SHLL $16, R14
	ORL R14, R15
	CMPL lmax-8(SP), $19
	JAE long

choose:
	// DX/R15: the best match cost and choice; AX the literal's cost.
	MOVL $0x10000, BX
	CMPL AX, DX
	CMOVLLS AX, DX
	CMOVLLS BX, R15
	MOVL DX, (R10)(CX*4)
	MOVL R15, (R11)(CX*4)
	MOVL DX, R12
	VPBROADCASTD 8(R10)(CX*4), Z4
	VALIGND $15, Z4, Z3, Z3
	DECQ CX
	JGE loop
	JMP end

nomatch:
	MOVL AX, (R10)(CX*4)
	MOVL $0x10000, (R11)(CX*4)
	MOVL AX, R12
	VPBROADCASTD 8(R10)(CX*4), Z4
	VALIGND $15, Z4, Z3, Z3
	DECQ CX
	JGE loop

end:
	VZEROUPPER
	RET

long:
	// Lengths 19 and up of each match, ascending: the base cost is
	// symTab[lo][15] up to length 272 and 16 bits more beyond (three
	// length bytes instead of one).
	MOVL AX, lit-16(SP)
	MOVL $3, next-24(SP)
	MOVQ $0, j-32(SP)

lmatch:
	MOVQ j-32(SP), BX
	MOVWLZX 2(R8)(BX*1), R14
	MOVL next-24(SP), AX
	LEAL 1(R14), R13
	MOVL R13, next-24(SP)
	CMPL R14, $19
	JCS lnext
	MOVL R14, l-40(SP)
	MOVL $19, R13
	CMPL AX, R13
	CMOVLCS R13, AX
	MOVWLZX (R8)(BX*1), BX
	BSRL BX, R13
	SHLL $6, R13
	MOVL nearState_symTab+60(R9)(R13*1), R13
	MOVL R13, base-48(SP)
	MOVL AX, R13
	SHLL $16, R13
	ORL BX, R13
	LEAQ (CX)(AX*1), BX
	LEAQ (R10)(BX*4), BX
	CMPL AX, $272
	JHI seg2
	MOVL $272, AX
	CMPL R14, AX
	CMOVLHI AX, R14
	ADDQ CX, R14
	LEAQ (R10)(R14*4), R14

lloop1:
	MOVL (BX), AX
	ADDL base-48(SP), AX
	CMPL AX, DX
	CMOVLCS AX, DX
	CMOVLCS R13, R15
	ADDL $0x10000, R13
	ADDQ $4, BX
	CMPQ BX, R14
	JLS lloop1
	CMPL l-40(SP), $272
	JLS lnext

seg2:
	ADDL $16, base-48(SP)
	MOVL l-40(SP), R14
	ADDQ CX, R14
	LEAQ (R10)(R14*4), R14

lloop2:
	MOVL (BX), AX
	ADDL base-48(SP), AX
	CMPL AX, DX
	CMOVLCS AX, DX
	CMOVLCS R13, R15
	ADDL $0x10000, R13
	ADDQ $4, BX
	CMPQ BX, R14
	JLS lloop2

lnext:
	MOVQ j-32(SP), BX
	ADDQ $4, BX
	MOVQ BX, j-32(SP)
	MOVWLZX (DI)(CX*2), AX
	SHLL $2, AX
	CMPQ BX, AX
	JCS lmatch
	MOVL lit-16(SP), AX
	JMP choose
