//go:build amd64 && !purego

#include "textflag.h"

// Offsets in hcMatchfinder[uint16] (hc_amd64.go, checked by
// TestHCAsmLayout): head3 at 0, head4, the next slice's pointer, skipRuns.
#define HEAD4 65536
#define NEXT 196608
#define SKIPRUNS 196633

// Offsets in lazyState (LS_), tally and splitter (hc_amd64.go, checked by
// TestHCAsmLayout): TALLY_LEN7 is the length tally's minus 7 entries,
// SPL_MATCH the splitter's newObs[8].
#define LS_POS 0
#define LS_N 8
#define LS_NICE 16
#define LS_DEPTH 24
#define LS_LIT 32
#define LS_BLOCK 40
#define LS_SEQS 48
#define LS_TALLY 72
#define LS_SPL 80
#define LS_REP 88
#define TALLY_LEN7 2596
#define TALLY_ALIGNED 3620
#define SPL_MATCH 72
#define SPL_NEWN 84

#define HASH3(src, dst) \
	MOVL src, dst; \
	SHLL $8, dst; \
	IMUL3L $0x1E35A7BD, dst, dst; \
	SHRL $17, dst

#define HASH4(src, dst) \
	IMUL3L $0x1E35A7BD, src, dst; \
	SHRL $16, dst

// LIMITS sets maxlen (and R15) to min(n-pos, 257) and nicep to
// min(niceLen, maxlen) for the position in DI. Clobbers AX.
#define LIMITS \
	MOVQ n-128(SP), R15; \
	SUBQ DI, R15; \
	MOVL $257, AX; \
	CMPQ R15, AX; \
	CMOVQGT AX, R15; \
	MOVQ R15, maxlen-72(SP); \
	MOVQ nicelen-136(SP), AX; \
	CMPQ AX, R15; \
	CMOVQGT R15, AX; \
	MOVQ AX, nicep-80(SP)

// EXTEND extends the match of the candidate at CX with the position at
// DX from AX bytes, 8 at a time, to at most R15 bytes, leaving the length
// in AX and going on at done. Clobbers BX.
#define EXTEND(loop, capped, differ, done) EXTENDR(AX, R15, DX, CX, BX, loop, capped, differ, done)

// EXTENDR is EXTEND with its registers named: the length n, the limit max,
// the two bases a and b, the scratch t.
#define EXTENDR(n, max, a, b, t, loop, capped, differ, done) \
loop: \
	CMPQ n, max; \
	JGE capped; \
	MOVQ (a)(n*1), t; \
	XORQ (b)(n*1), t; \
	JNZ differ; \
	ADDQ $8, n; \
	JMP loop; \
capped: \
	MOVQ max, n; \
	JMP done; \
differ: \
	BSFQ t, t; \
	SHRQ $3, t; \
	ADDQ t, n; \
	CMPQ n, max; \
	CMOVQGT max, n

// SCORE sets dst to explicitScore(len, off): len, plus one if off+2 <
// 4096 and one more if off+2 < 256. Clobbers AX.
#define SCORE(len, off, dst) \
	MOVQ len, dst; \
	XORL AX, AX; \
	CMPQ off, $4094; \
	SETLT AL; \
	ADDQ AX, dst; \
	CMPQ off, $254; \
	SETLT AL; \
	ADDQ AX, dst

// REPONE tries repeat offset i (at disp(R10)) for repMatch: if it is at
// most pos (DI) and the 3 bytes there match (R9 = the 3 bytes at pos,
// shifted left by 8), extend from 3 up to maxLen (R15) and keep it in
// AX/CX (length/index) if longer.
#define REPONE(disp, i, skipped, ext, capped, differ, got) \
	MOVL disp(R10), BX; \
	CMPQ BX, DI; \
	JGT skipped; \
	MOVQ DI, R11; \
	SUBQ BX, R11; \
	MOVL (SI)(R11*1), DX; \
	SHLL $8, DX; \
	CMPL DX, R9; \
	JNE skipped; \
	ADDQ SI, R11; \
	LEAQ (SI)(DI*1), R13; \
	MOVL $3, R12; \
	EXTENDR(R12, R15, R11, R13, DX, ext, capped, differ, got); \
got: \
	CMPQ R12, AX; \
	JLE skipped; \
	MOVQ R12, AX; \
	MOVL $i, CX; \
skipped:

// lazyStep (lazy.go) for uint16 positions, with find and repMatch
// expanded in it: one block of code each, shared by the search at pos and
// the look-ahead at pos+1; the frame slots mode and rmode say where they
// return. The next position's head slots are prefetched in find (it is
// called for every position, skip or find next).
//
// find's registers: SI in, DI the position, R8 m, R14 &next[0], R9 its 4
// bytes, R10 the candidate, R11 the best length, R12 its offset, R13 the
// depth left, R15 maxLen, BX the 4 bytes ending at the best length, DX
// &in[best-3] (so (DX)(c*1) is that word of candidate c), AX/CX scratch;
// it returns R11, R12 as find does. repMatch takes DI and returns AX, CX
// (length, index). The loop's state lives in the frame. Positions are
// below 65536 and every word read lies inside in (chunk plus inputSlack).
//
// After the inserts, the match is recorded as lazyRun records it (the
// literal tally, the splitter's counts, the item appended to s.seqs), and
// the loop goes on unless a block-end check is due.
//
// func lazyRun16(m unsafe.Pointer, in *byte, s *lazyState) bool
TEXT ·lazyRun16(SB), NOSPLIT, $152-25
	// Pin the body to a 64-byte boundary (the padding runs once per
	// call): where the linker happened to place the function moved
	// level 20's CPU by 1.5-2.5% between builds whose only changes were
	// elsewhere (the chain walk's loop at 32 mod 64 was the slow case).
	PCALIGN $64
	MOVQ m+0(FP), R8
	MOVQ in+8(FP), SI
	MOVQ NEXT(R8), R14
	MOVQ s+16(FP), AX
	MOVQ AX, st-120(SP)
	MOVQ LS_N(AX), CX
	MOVQ CX, n-128(SP)
	MOVQ LS_NICE(AX), CX
	MOVQ CX, nicelen-136(SP)
	MOVQ LS_DEPTH(AX), CX
	MOVQ CX, depth-144(SP)
	LEAQ LS_REP(AX), CX
	MOVQ CX, rep-152(SP)
	MOVQ LS_POS(AX), CX
	MOVQ CX, pos-8(SP)
	MOVQ depth-144(SP), AX
	SHRQ $1, AX
	MOVL $1, CX
	CMPQ AX, CX
	CMOVQLT CX, AX
	MOVQ AX, half-24(SP)
	MOVQ n-128(SP), AX
	SUBQ $4, AX
	MOVQ AX, limit-16(SP)

lit:
	MOVQ pos-8(SP), DI
	CMPQ DI, limit-16(SP)
	JGE nomatch
	LIMITS
	MOVL $2, R11
	MOVQ depth-144(SP), R13
	MOVQ $0, mode-64(SP)
	JMP find

found0:
	// R11 = curLen, R12 = curOff. Length 3 from far away only as a
	// repeat offset.
	CMPQ R11, $3
	JLT next
	JGT take0
	CMPQ R12, $2046
	JLT take0
	MOVQ rep-152(SP), AX
	CMPL R12, (AX)
	JEQ take0
	CMPL R12, 4(AX)
	JEQ take0
	CMPL R12, 8(AX)
	JEQ take0

next:
	INCQ pos-8(SP)
	JMP lit

take0:
	MOVQ R11, curlen-32(SP)
	MOVQ $0, skip-56(SP)
	MOVQ rep-152(SP), AX
	CMPL R12, (AX)
	JNE explicit
	MOVQ $0, offsym-48(SP)
	JMP chosen

explicit:
	SCORE(R11, R12, DX)
	MOVQ DX, curscore-40(SP)
	LEAQ 2(R12), AX
	MOVQ AX, offsym-48(SP)
	MOVQ $0, rmode-88(SP)
	JMP repmatch

rep0:
	// A repeat match at pos wins if rl+3 >= curScore.
	TESTQ AX, AX
	JZ ahead
	LEAQ 3(AX), DX
	CMPQ DX, curscore-40(SP)
	JLT ahead
	MOVQ AX, curlen-32(SP)
	MOVQ CX, offsym-48(SP)
	JMP chosen

ahead:
	// Look ahead while curLen < nice and pos+1 < limit.
	MOVQ curlen-32(SP), R11
	CMPQ R11, nicep-80(SP)
	JGE chosen
	MOVQ pos-8(SP), DI
	INCQ DI
	CMPQ DI, limit-16(SP)
	JGE chosen
	LIMITS
	SUBQ $2, R11
	MOVQ half-24(SP), R13
	MOVQ $1, mode-64(SP)
	JMP find

found1:
	MOVQ $1, skip-56(SP)
	MOVQ curlen-32(SP), AX
	SUBQ $2, AX
	CMPQ R11, AX
	JLE chosen
	SCORE(R11, R12, DX)
	MOVQ DX, nscore-96(SP)
	MOVQ R11, nl-104(SP)
	MOVQ R12, no-112(SP)
	MOVQ pos-8(SP), DI
	INCQ DI
	MOVQ $1, rmode-88(SP)
	JMP repmatch

rep1:
	// A repeat match at pos+1 scoring at least nextScore ends the
	// look-ahead; it is taken if it beats curScore.
	TESTQ AX, AX
	JZ norep1
	LEAQ 3(AX), DX
	CMPQ DX, nscore-96(SP)
	JLT norep1
	CMPQ DX, curscore-40(SP)
	JLE chosen
	INCQ pos-8(SP)
	MOVQ AX, curlen-32(SP)
	MOVQ CX, offsym-48(SP)
	MOVQ $0, skip-56(SP)
	JMP chosen

norep1:
	MOVQ nscore-96(SP), DX
	CMPQ DX, curscore-40(SP)
	JLE chosen
	INCQ pos-8(SP)
	MOVQ DX, curscore-40(SP)
	MOVQ nl-104(SP), AX
	MOVQ AX, curlen-32(SP)
	MOVQ no-112(SP), AX
	ADDQ $2, AX
	MOVQ AX, offsym-48(SP)
	MOVQ $0, skip-56(SP)
	JMP ahead

chosen:
	// Update the repeat offsets, then insert the positions the match
	// covers (up to limit) that are not inserted yet.
	MOVQ rep-152(SP), AX
	MOVQ offsym-48(SP), CX
	CMPQ CX, $3
	JGE newrep
	MOVL (AX), DX
	MOVL (AX)(CX*4), BX
	MOVL BX, (AX)
	MOVL DX, (AX)(CX*4)
	JMP inserts

newrep:
	MOVL 4(AX), DX
	MOVL DX, 8(AX)
	MOVL (AX), DX
	MOVL DX, 4(AX)
	LEAQ -2(CX), DX
	MOVL DX, (AX)

inserts:
	MOVQ pos-8(SP), DI
	MOVQ curlen-32(SP), R10
	ADDQ DI, R10
	MOVQ limit-16(SP), AX
	CMPQ R10, AX
	CMOVQGT AX, R10
	ADDQ skip-56(SP), DI
	INCQ DI
	CMPB SKIPRUNS(R8), $0
	JNE rloop

sloop:
	CMPQ DI, R10
	JGE ret
	MOVL (SI)(DI*1), R9
	HASH3(R9, AX)
	MOVW DI, (R8)(AX*2)
	HASH4(R9, CX)
	MOVWLZX HEAD4(R8)(CX*2), AX
	MOVW AX, (R14)(DI*2)
	MOVW DI, HEAD4(R8)(CX*2)
	INCQ DI
	JMP sloop

rloop:
	// skipOffRuns: positions continuing a run only move head3 (DI > 0).
	CMPQ DI, R10
	JGE ret
	MOVL (SI)(DI*1), R9
	HASH3(R9, AX)
	MOVW DI, (R8)(AX*2)
	CMPL -1(SI)(DI*1), R9
	JEQ rnext
	HASH4(R9, CX)
	MOVWLZX HEAD4(R8)(CX*2), AX
	MOVW AX, (R14)(DI*2)
	MOVW DI, HEAD4(R8)(CX*2)

rnext:
	INCQ DI
	JMP rloop

ret:
	// Record the match: the pending literals into the tally (R10), the
	// splitter's (R11) counts, the item {litRun R12, main symbol R15,
	// length R9, footer DX} at the end of s.seqs.
	MOVQ st-120(SP), AX
	MOVQ pos-8(SP), DI
	MOVQ LS_LIT(AX), CX
	MOVQ LS_TALLY(AX), R10
	MOVQ DI, R12
	SUBQ CX, R12
	CMPQ CX, DI
	JGE litsdone

litloop:
	MOVBLZX (SI)(CX*1), BX
	INCL (R10)(BX*4)
	INCQ CX
	CMPQ CX, DI
	JLT litloop

litsdone:
	MOVQ LS_SPL(AX), R11
	MOVQ curlen-32(SP), R9
	LEAL 1(R12), DX
	ADDL DX, SPL_NEWN(R11)
	XORL DX, DX
	CMPQ R9, $5
	SETGE DL
	INCL SPL_MATCH(R11)(DX*4)

	// The offset slot (CX) and footer (DX) of offsym: itself and 0 below
	// 4, else with hb its top bit, 2*hb plus the bit below it and the
	// bits below that (offsets stay under 2^18 here).
	MOVQ offsym-48(SP), R13
	MOVQ R13, CX
	XORL DX, DX
	CMPQ R13, $4
	JLT slotted
	BSRQ R13, BX
	LEAQ -1(BX), CX
	MOVQ R13, DX
	SHRQ CX, DX
	LEAQ (DX)(CX*2), R15
	MOVL $1, DX
	SHLQ CX, DX
	DECQ DX
	ANDQ R13, DX
	MOVQ R15, CX

slotted:
	LEAQ -2(R9), BX
	CMPQ BX, $7
	JLT header
	INCL TALLY_LEN7(R10)(BX*4)
	MOVL $7, BX

header:
	LEAQ 256(BX)(CX*8), R15
	INCL (R10)(R15*4)
	CMPQ CX, $8
	JLT unaligned
	MOVL DX, BX
	ANDL $7, BX
	INCL TALLY_ALIGNED(R10)(BX*4)

unaligned:
	MOVQ LS_SEQS(AX), BX
	MOVQ LS_SEQS+8(AX), CX
	SHLQ $4, CX
	MOVL R12, (BX)(CX*1)
	MOVL R15, 4(BX)(CX*1)
	MOVL R9, 8(BX)(CX*1)
	MOVL DX, 12(BX)(CX*1)
	INCQ LS_SEQS+8(AX)
	ADDQ R9, DI
	MOVQ DI, LS_LIT(AX)
	MOVQ DI, pos-8(SP)

	// A block-end check is due at softMaxBlock, or with obsPerCheck new
	// observations while a minimum block still fits before n.
	MOVQ DI, BX
	SUBQ LS_BLOCK(AX), BX
	CMPQ BX, $100000
	JGE due
	CMPL SPL_NEWN(R11), $400
	JCS lit
	MOVQ n-128(SP), BX
	SUBQ DI, BX
	CMPQ BX, $6500
	JLT lit

due:
	MOVQ DI, LS_POS(AX)
	MOVB $1, ret+24(FP)
	RET

nomatch:
	MOVQ st-120(SP), AX
	MOVQ DI, LS_POS(AX)
	MOVB $0, ret+24(FP)
	RET

repmatch:
	MOVL (SI)(DI*1), R9
	SHLL $8, R9
	XORL AX, AX
	XORL CX, CX
	MOVQ rep-152(SP), R10
	MOVQ maxlen-72(SP), R15
	REPONE(0, 0, rskip0, rext0, rcap0, rdiff0, rgot0)
	REPONE(4, 1, rskip1, rext1, rcap1, rdiff1, rgot1)
	REPONE(8, 2, rskip2, rext2, rcap2, rdiff2, rgot2)
	CMPQ rmode-88(SP), $0
	JEQ rep0
	JMP rep1

find:
	// Insert DI (off the 4-byte chain inside a run if skipRuns) and
	// search.
	MOVL (SI)(DI*1), R9
	HASH3(R9, AX)
	MOVWLZX (R8)(AX*2), BX
	MOVW DI, (R8)(AX*2)
	HASH4(R9, CX)
	MOVWLZX HEAD4(R8)(CX*2), R10
	MOVL 1(SI)(DI*1), AX
	HASH4(AX, DX)
	PREFETCHT0 HEAD4(R8)(DX*2)
	HASH3(AX, DX)
	PREFETCHT0 (R8)(DX*2)
	CMPB SKIPRUNS(R8), $0
	JEQ insert
	TESTQ DI, DI
	JEQ insert
	CMPL -1(SI)(DI*1), R9
	JEQ inserted

insert:
	MOVW DI, HEAD4(R8)(CX*2)
	MOVW R10, (R14)(DI*2)

inserted:
	XORL R12, R12
	CMPQ R11, $3
	JGE no3
	TESTL BX, BX
	JZ no3
	MOVL (SI)(BX*1), AX
	XORL R9, AX
	SHLL $8, AX
	JNZ no3
	MOVL $3, R11
	MOVQ DI, R12
	SUBQ BX, R12

no3:
	CMPQ R11, $4
	JGE longer

first:
	// Any 4-byte match beats the best length: find the first one.
	TESTQ R13, R13
	JLE result
	TESTL R10, R10
	JZ result
	MOVL R10, CX
	MOVWLZX (R14)(R10*2), R10
	CMPL (SI)(CX*1), R9
	JEQ firstfound
	DECQ R13
	JMP first

firstfound:
	LEAQ (SI)(DI*1), DX
	ADDQ SI, CX
	MOVL $4, AX

	EXTEND(fextend, fcapped, fdiffer, fextended)

fextended:
	MOVQ AX, R11
	SUBQ CX, DX
	MOVQ DX, R12
	CMPQ AX, nicep-80(SP)
	JGE result
	DECQ R13

longer:
	// A candidate must agree on the 4 bytes that end at the best length
	// before its start is checked and the match extended.
	TESTQ R13, R13
	JLE result
	LEAQ -3(SI)(R11*1), DX
	MOVL (DX)(DI*1), BX

cloop:
	TESTL R10, R10
	JZ result
	MOVL R10, CX
	MOVWLZX (R14)(R10*2), R10
	CMPL (DX)(CX*1), BX
	JNE cnext
	CMPL (SI)(CX*1), R9
	JNE cnext
	LEAQ (SI)(DI*1), DX
	ADDQ SI, CX
	MOVL $4, AX

	EXTEND(extend, capped, differ, extended)

extended:
	CMPQ AX, R11
	JLE restore
	MOVQ AX, R11
	SUBQ CX, DX
	MOVQ DX, R12
	CMPQ AX, nicep-80(SP)
	JGE result

restore:
	LEAQ -3(SI)(R11*1), DX
	MOVL (DX)(DI*1), BX

cnext:
	DECQ R13
	JG cloop

result:
	CMPQ mode-64(SP), $0
	JEQ found0
	JMP found1
