//go:build amd64 && !purego

#include "textflag.h"

// TREE_STEP ends a tree step after TREE_CMP: the first differing byte
// decides (the byte-swapped words compare as the bytes do); a lesser node
// hangs on the lesser side (R14) and the walk goes on to its greater child,
// and vice versa; R12/R13 take the shared length. Then the depth left (in
// the frame slot depthslot) is counted down: to done when it runs out or
// the child is empty, else back to loop.
#define TREE_STEP(depthslot, done, loop) \
	MOVL R11, CX; \
	SHRL $16, CX; \
	MOVWLZX R11, R11; \
	LEAQ (R8)(AX*4), R10; \
	BSWAPQ DX; \
	BSWAPQ R9; \
	CMPQ DX, R9; \
	MOVQ R15, DX; \
	CMOVQCS R14, DX; \
	MOVW AX, (DX); \
	LEAQ 2(R10), DX; \
	CMOVQCS DX, R14; \
	CMOVQCS BX, R12; \
	CMOVQCC R10, R15; \
	CMOVQCC BX, R13; \
	CMOVQCS CX, R11; \
	MOVQ R11, AX; \
	DECQ depthslot; \
	JLE done; \
	TESTL AX, AX; \
	JNZ loop

// TREE_CMP starts a tree step at node AX: BX = min(R12, R13), the length
// both neighbours share, R11 = the node's two children, and the 8-byte
// words of the node (DX) and of the new position (R9) from BX on are
// compared until they differ (to diff, R10 = their XOR, BX advanced) or BX
// reaches limit (to reached). The labels are arguments: getMatches and
// skip each expand it.
#define TREE_CMP(limit, extend, diff, reached) \
	MOVQ R12, BX; \
	CMPQ R13, BX; \
	CMOVQLT R13, BX; \
	LEAQ (SI)(AX*1), CX; \
	MOVL (R8)(AX*4), R11; \
	MOVQ (CX)(BX*1), DX; \
	MOVQ (DI)(BX*1), R9; \
	MOVQ DX, R10; \
	XORQ R9, R10; \
	JNZ diff; \
extend: \
	ADDQ $8, BX; \
	CMPQ BX, limit; \
	JAE reached; \
	MOVQ (CX)(BX*1), DX; \
	MOVQ (DI)(BX*1), R9; \
	MOVQ DX, R10; \
	XORQ R9, R10; \
	JZ extend; \
diff: \
	BSFQ R10, R10; \
	SHRQ $3, R10; \
	ADDQ R10, BX; \
	CMPQ BX, limit; \
	JAE reached

// Tree walks of btMatchfinder[uint16] (bt.go has the algorithm and its
// invariants). Table offsets in the struct: head2 at 0 (4096 uint16),
// head3 at 8192 (32768 pairs of uint16), head4 at 139264 (65536 uint16);
// bt_asm_test.go checks them. hashMul is 0x1E35A7BD.
//
// A step's latency chain is kept short: both children of the current node
// (one 32-bit load) are read while its bytes are compared, the direction
// comes from comparing the first differing 8-byte words byte-swapped (no
// reload of the bytes), and the next node is selected with CMOV. The
// length-2 and length-3 candidates are checked without branches too.
// Measured (netgo, CPU time): matchfinder alone -17%, level 50 -7.5%.
//
// Walk registers: SI in, DI &in[pos], R8 child, AX cur, BX l, CX &in[cur]
// then the greater child, DX/R9 the compared words, R10 scratch, R11 the
// children of cur, R12/R13 lengths shared with the lesser/greater side,
// R14/R15 the lesser/greater hang points (&child[...]). The depth left
// is counted down in its argument slot.

// GET_MATCHES is btGetMatches16's walk (from its prologue on: position DX,
// m in R11, in SI, child R8, out R9); the frame slots and labels are
// arguments, as nearScan16 expands it too (no call per position). It ends
// with the matches' count in R9 and the best length (0 if under 2) in DX.
// Lengths 2 and 3 are checked without branches (whether they match is a
// coin flip): the candidate is always stored at out[n] and n advances only
// if it matched; length 3 tries the two ways of head3, most recent first.
#define GET_MATCHES(maxlen, nicelen, depth, out, outp, best, loop, extend, diff, capped, report, step, done, ret, graft) \
	LEAQ (SI)(DX*1), DI; \
	MOVL (DI), AX; \
	MOVL $1, R10; \
	MOVL AX, BX; \
	SHLL $16, BX; \
	IMUL3L $0x1E35A7BD, BX, BX; \
	SHRL $20, BX; \
	MOVWLZX (R11)(BX*2), CX; \
	MOVW DX, (R11)(BX*2); \
	MOVWLZX (SI)(CX*1), R12; \
	XORL R13, R13; \
	XORL R15, R15; \
	MOVL $1, R14; \
	CMPW R12, AX; \
	CMOVLEQ R14, R13; \
	TESTL CX, CX; \
	CMOVLEQ R15, R13; \
	MOVQ DX, R12; \
	SUBQ CX, R12; \
	SHLL $9, R12; \
	ORL $2, R12; \
	MOVL R12, (R9); \
	LEAQ (R9)(R13*4), R9; \
	ADDL R13, R10; \
	MOVL AX, BX; \
	SHLL $8, BX; \
	IMUL3L $0x1E35A7BD, BX, BX; \
	SHRL $17, BX; \
	LEAQ 8192(R11)(BX*4), R12; \
	MOVL (R12), R13; \
	MOVL R13, CX; \
	SHLL $16, CX; \
	ORL DX, CX; \
	MOVL CX, (R12); \
	MOVL $1, R12; \
	MOVWLZX R13, CX; \
	SHRL $16, R13; \
	MOVL (SI)(CX*1), R14; \
	XORL AX, R14; \
	SHLL $8, R14; \
	TESTL CX, CX; \
	CMOVLEQ R12, R14; \
	MOVL (SI)(R13*1), BX; \
	XORL AX, BX; \
	SHLL $8, BX; \
	TESTL R13, R13; \
	CMOVLEQ R12, BX; \
	TESTL R14, R14; \
	CMOVLNE R13, CX; \
	CMOVLNE BX, R14; \
	MOVQ DX, BX; \
	SUBQ CX, BX; \
	SHLL $9, BX; \
	ORL $3, BX; \
	MOVL BX, (R9); \
	XORL BX, BX; \
	MOVL $3, R15; \
	TESTL R14, R14; \
	CMOVLEQ R12, BX; \
	CMOVLEQ R15, R10; \
	LEAQ (R9)(BX*4), R9; \
	MOVQ R9, outp; \
	MOVQ R10, best; \
	IMUL3L $0x1E35A7BD, AX, BX; \
	SHRL $16, BX; \
	MOVWLZX 139264(R11)(BX*2), AX; \
	MOVW DX, 139264(R11)(BX*2); \
	LEAQ (R8)(DX*4), R14; \
	LEAQ 2(R8)(DX*4), R15; \
	TESTL AX, AX; \
	JZ done; \
	XORL R12, R12; \
	XORL R13, R13; \
	JMP loop; \
capped: \
	MOVQ maxlen, BX; \
	JMP report; \
graft: \
	MOVWLZX (R8)(AX*4), DX; \
	MOVW DX, (R14); \
	MOVWLZX 2(R8)(AX*4), DX; \
	MOVW DX, (R15); \
	JMP ret; \
loop: \
	TREE_CMP(maxlen, extend, diff, capped); \
	CMPQ BX, best; \
	JLE step; \
report: \
	MOVQ BX, best; \
	MOVQ DI, R10; \
	SUBQ CX, R10; \
	SHLL $9, R10; \
	ORL BX, R10; \
	MOVQ outp, CX; \
	MOVL R10, (CX); \
	ADDQ $4, CX; \
	MOVQ CX, outp; \
	CMPQ BX, nicelen; \
	JGE graft; \
step: \
	TREE_STEP(depth, done, loop); \
done: \
	MOVW $0, (R14); \
	MOVW $0, (R15); \
ret: \
	MOVQ outp, R9; \
	SUBQ out, R9; \
	SHRQ $2, R9; \
	MOVQ best, R10; \
	XORL DX, DX; \
	CMPQ R10, $2; \
	CMOVQGE R10, DX

// func btGetMatches16(m unsafe.Pointer, in *byte, child *uint16, pos, maxLen, niceLen, depth int, out *uint32) (n, best int)
TEXT ·btGetMatches16(SB), NOSPLIT, $16-80
	MOVQ m+0(FP), R11
	MOVQ in+8(FP), SI
	MOVQ child+16(FP), R8
	MOVQ pos+24(FP), DX
	MOVQ out+56(FP), R9
	GET_MATCHES(maxLen+32(FP), niceLen+40(FP), depth+48(FP), out+56(FP), outp-8(SP), best-16(SP), loop, extend, diff, capped, report, step, done, ret, graft)
	MOVQ R9, n+64(FP)
	MOVQ DX, best+72(FP)
	RET

// func btSkip16(m unsafe.Pointer, in *byte, child *uint16, pos, niceLen, depth int)
TEXT ·btSkip16(SB), NOSPLIT, $0-48
	MOVQ m+0(FP), R11
	MOVQ in+8(FP), SI
	MOVQ child+16(FP), R8
	MOVQ pos+24(FP), DX
	LEAQ (SI)(DX*1), DI
	MOVL (DI), AX

	MOVL AX, BX
	SHLL $16, BX
	IMUL3L $0x1E35A7BD, BX, BX
	SHRL $20, BX
	MOVW DX, (R11)(BX*2)

	MOVL AX, BX
	SHLL $8, BX
	IMUL3L $0x1E35A7BD, BX, BX
	SHRL $17, BX
	LEAQ 8192(R11)(BX*4), R12
	MOVL (R12), CX
	SHLL $16, CX
	ORL DX, CX
	MOVL CX, (R12)

	IMUL3L $0x1E35A7BD, AX, BX
	SHRL $16, BX
	MOVWLZX 139264(R11)(BX*2), AX
	MOVW DX, 139264(R11)(BX*2)
	LEAQ (R8)(DX*4), R14
	LEAQ 2(R8)(DX*4), R15
	TESTL AX, AX
	JZ sdone
	CMPQ depth+40(FP), $0
	JLE sdone
	XORL R12, R12
	XORL R13, R13

sloop:
	// l = min(ltLen, gtLen); compare 8 bytes at a time from there.
	TREE_CMP(niceLen+32(FP), sextend, sdiff, sgraft)

	TREE_STEP(depth+40(FP), sdone, sloop)

sdone:
	MOVW $0, (R14)
	MOVW $0, (R15)
	RET

sgraft:
	MOVWLZX (R8)(AX*4), DX
	MOVW DX, (R14)
	MOVWLZX 2(R8)(AX*4), DX
	MOVW DX, (R15)
	RET

// Offsets in nearScan (NS_, bt_amd64.go), tally and splitter; checked by
// TestBTAsmLayout.
#define NS_POS 0
#define NS_END 8
#define NS_START 16
#define NS_N 24
#define NS_NICE 32
#define NS_DEPTH 40
#define NS_NEXTOBS 48
#define NS_NEXTSEARCH 56
#define NS_ROOM 64
#define NS_VISITS 72
#define NS_CACHE 80
#define NS_COUNTS 104
#define NS_EST 128
#define NS_SPL 136
#define NS_M 144
#define NS_IN 152
#define NS_CHILD 160
#define EST_ALIGNED 3620
#define SPL_MATCH 72
#define SPL_NEWN 84

// nearScanGo (near.go) with btGetMatches16's walk expanded for each
// position (GET_MATCHES: no call, no argument stores; session 12, L50
// -1.5%): the state stays in *s (R12 after each walk), the walk's limits
// and pointers in the frame.
//
// func nearScan16(s *nearScan)
TEXT ·nearScan16(SB), NOSPLIT, $48-8
scan:
	MOVQ s+0(FP), R12
	MOVQ NS_POS(R12), DX
	MOVQ NS_N(R12), AX
	SUBQ DX, AX
	MOVL $257, BX
	CMPQ AX, BX
	CMOVQGT BX, AX
	MOVQ NS_NICE(R12), CX
	CMPQ CX, AX
	CMOVQGT AX, CX
	MOVQ CX, nice-8(SP)
	MOVQ AX, maxl-32(SP)
	MOVQ NS_DEPTH(R12), BX
	MOVQ BX, depth-40(SP)
	MOVQ NS_CACHE(R12), R9
	MOVQ NS_CACHE+8(R12), R8
	LEAQ (R9)(R8*4), R9
	MOVQ R9, out-48(SP)
	MOVQ NS_M(R12), R11
	MOVQ NS_IN(R12), SI
	MOVQ NS_CHILD(R12), R8
	GET_MATCHES(maxl-32(SP), nice-8(SP), depth-40(SP), out-48(SP), outp-16(SP), best-24(SP), wloop, wextend, wdiff, wcapped, wreport, wstep, wdone, wret, wgraft)
	MOVQ R9, AX
	MOVQ DX, BX
	MOVQ s+0(FP), R12
	INCQ NS_VISITS(R12)
	MOVQ NS_CACHE+8(R12), CX
	ADDQ AX, CX
	MOVQ CX, NS_CACHE+8(R12)
	MOVQ NS_POS(R12), DX
	MOVQ DX, DI
	SUBQ NS_START(R12), DI
	MOVQ NS_COUNTS(R12), R8
	MOVW AX, (R8)(DI*2)

	// The greedy walk's item at pos, if it is at one: the longest match
	// (the last cached) from length 3, else a literal.
	CMPQ DX, NS_NEXTOBS(R12)
	JLT observed
	MOVQ NS_SPL(R12), R9
	MOVQ NS_EST(R12), R10
	INCL SPL_NEWN(R9)
	CMPQ BX, $3
	JLT obslit
	MOVQ NS_CACHE(R12), R11
	MOVL -4(R11)(CX*4), R13
	SHRL $9, R13
	ADDL $2, R13
	ANDL $7, R13
	INCL EST_ALIGNED(R10)(R13*4)
	INCL 1024(R10)
	XORL R13, R13
	CMPQ BX, $5
	SETGE R13B
	INCL SPL_MATCH(R9)(R13*4)
	LEAQ (DX)(BX*1), R13
	MOVQ R13, NS_NEXTOBS(R12)
	JMP observed

obslit:
	MOVQ NS_IN(R12), R11
	MOVBLZX (R11)(DX*1), R13
	INCL (R10)(R13*4)
	LEAQ 1(DX), R13
	MOVQ R13, NS_NEXTOBS(R12)

observed:
	INCQ DX
	MOVQ DX, NS_POS(R12)
	CMPQ BX, nice-8(SP)
	JGE long
	CMPQ DX, NS_END(R12)
	JGE out
	MOVQ NS_CACHE+16(R12), R8
	SUBQ CX, R8
	CMPQ R8, NS_ROOM(R12)
	JLT out
	MOVQ NS_SPL(R12), R9
	CMPL SPL_NEWN(R9), $400
	JCS scan
	MOVQ DX, R8
	SUBQ NS_START(R12), R8
	CMPQ R8, $6500
	JLT scan
	MOVQ NS_N(R12), R8
	SUBQ DX, R8
	CMPQ R8, $6500
	JLT scan

out:
	RET

long:
	LEAQ -1(DX)(BX*1), R8
	MOVQ R8, NS_NEXTSEARCH(R12)
	RET
