//go:build amd64 && !purego

#include "go_asm.h"
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
// reaches limit (to reached). The labels are arguments: the search and the
// skip walks each expand it.
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

// findAllMatches' loop with its tree walks (bt.go has the algorithm and
// its invariants), one call per chunk. The walk steps are those of
// internal/lzx: both children of the current node are read with one 32-bit
// load while its bytes are compared, the direction comes from the first
// differing 8-byte words byte-swapped (no byte reload), and the next node
// is selected with CMOV. The length-3 candidates are checked without
// branches. hashMul is 0x1E35A7BD.
//
// Walk registers: SI w, DI &w[pos], DX pos (then scratch), R8 &child[0],
// AX cur, BX l, CX &w[cur] then the greater child, DX/R9 the compared
// words, R10 scratch, R11 the children of cur, R12/R13 lengths shared with
// the lesser/greater side, R14/R15 the lesser/greater hang points
// (&child[...]). The loop's own state lives in the frame: pos, used,
// limit (n-pos), nice (min(nice, limit)), the depth left, the output
// pointer and best length of a search, the end of a skipped run.
// Positions are below 65536 and every compared word lies inside the window
// (chunk plus 16 bytes of slack), so no index wraps.

// func btFindAllAsm(m *btMatchfinder, w *window, n, nice, depth int, cache *uint32, room int, counts *uint16)
TEXT ·btFindAllAsm(SB), NOSPLIT, $64-64
	MOVQ $0, pos-24(SP)
	MOVQ $0, used-32(SP)

next:
	MOVQ pos-24(SP), DX
	MOVQ n+16(FP), AX
	SUBQ DX, AX
	JLE exit
	MOVQ AX, limit-40(SP)
	MOVQ counts+56(FP), R10
	MOVQ used-32(SP), R9
	CMPQ R9, room+48(FP)
	JGT nomatch
	CMPQ AX, $4
	JLT nomatch
	MOVQ nice+24(FP), BX
	CMPQ AX, BX
	CMOVQLT AX, BX
	MOVQ BX, nicep-48(SP)
	MOVQ depth+32(FP), BX
	MOVQ BX, left-56(SP)
	MOVQ cache+40(FP), R10
	LEAQ (R10)(R9*4), R9
	MOVQ m+0(FP), R11
	MOVQ w+8(FP), SI
	LEAQ btMatchfinder_child(R11), R8
	LEAQ (SI)(DX*1), DI
	MOVL (DI), AX

	// Length 3: the two ways of head3, most recent first. The candidate
	// is always stored at out[0]; the count and best advance only if it
	// matched.
	MOVL AX, BX
	SHLL $8, BX
	IMUL3L $0x1E35A7BD, BX, BX
	SHRL $17, BX
	LEAQ btMatchfinder_head3(R11)(BX*4), R12
	MOVL (R12), R13
	MOVL R13, CX
	SHLL $16, CX
	ORL DX, CX
	MOVL CX, (R12)
	MOVL $1, R12
	MOVWLZX R13, CX
	SHRL $16, R13
	MOVL (SI)(CX*1), R14
	XORL AX, R14
	SHLL $8, R14
	TESTL CX, CX
	CMOVLEQ R12, R14
	MOVL (SI)(R13*1), BX
	XORL AX, BX
	SHLL $8, BX
	TESTL R13, R13
	CMOVLEQ R12, BX
	TESTL R14, R14
	CMOVLNE R13, CX
	CMOVLNE BX, R14
	MOVQ DX, BX
	SUBQ CX, BX
	ORL $0x30000, BX
	MOVL BX, (R9)
	XORL BX, BX
	MOVL $2, R10
	MOVL $3, R15
	TESTL R14, R14
	CMOVLEQ R12, BX
	CMOVLEQ R15, R10
	LEAQ (R9)(BX*4), R9
	MOVQ R9, outp-8(SP)
	MOVQ R10, best-16(SP)

	// The tree root: head4 of seq. The next position's bucket is
	// prefetched, its load is independent of this walk.
	IMUL3L $0x1E35A7BD, AX, BX
	SHRL $16, BX
	MOVL 1(DI), CX
	IMUL3L $0x1E35A7BD, CX, CX
	SHRL $16, CX
	PREFETCHT0 btMatchfinder_head4(R11)(CX*2)
	MOVWLZX btMatchfinder_head4(R11)(BX*2), AX
	MOVW DX, btMatchfinder_head4(R11)(BX*2)
	LEAQ (R8)(DX*4), R14
	LEAQ 2(R8)(DX*4), R15
	TESTL AX, AX
	JZ done
	CMPQ left-56(SP), $0
	JLE done
	XORL R12, R12
	XORL R13, R13

loop:
	// l = min(ltLen, gtLen); compare 8 bytes at a time from there.
	TREE_CMP(limit-40(SP), extend, diff, capped)
	CMPQ BX, best-16(SP)
	JLE step

report:
	MOVQ BX, best-16(SP)
	MOVQ DI, R10
	SUBQ CX, R10
	MOVQ BX, CX
	SHLL $16, CX
	ORL CX, R10
	MOVQ outp-8(SP), CX
	MOVL R10, (CX)
	ADDQ $4, CX
	MOVQ CX, outp-8(SP)
	CMPQ BX, nicep-48(SP)
	JGE graft

step:
	// The first differing byte decides: a lesser node (w[cur+l] <
	// w[pos+l]) hangs on the lesser side and the walk goes on to its
	// greater child; and vice versa.
	TREE_STEP(left-56(SP), done, loop)

done:
	MOVW $0, (R14)
	MOVW $0, (R15)

found:
	// k matches were stored: count them, and after a match of nice
	// length or more only insert the positions it covers.
	MOVQ outp-8(SP), R9
	MOVQ cache+40(FP), R10
	MOVQ R9, BX
	SUBQ R10, BX
	SHRQ $2, BX
	MOVQ used-32(SP), AX
	MOVQ BX, used-32(SP)
	SUBQ AX, BX
	MOVQ pos-24(SP), DX
	MOVQ counts+56(FP), R10
	MOVW BX, (R10)(DX*2)
	INCQ DX
	MOVQ DX, pos-24(SP)
	TESTQ BX, BX
	JZ next
	MOVWLZX -2(R9), AX
	CMPQ AX, nice+24(FP)
	JLT next
	LEAQ -1(DX)(AX*1), AX
	MOVQ AX, end-64(SP)
	JMP skipnext

capped:
	// A match reaching limit is at least nice long (nice <= limit), and
	// longer than best (best < nice, or 3 < 4 <= limit).
	MOVQ limit-40(SP), BX
	JMP report

graft:
	MOVWLZX (R8)(AX*4), DX
	MOVW DX, (R14)
	MOVWLZX 2(R8)(AX*4), DX
	MOVW DX, (R15)
	JMP found

nomatch:
	MOVW $0, (R10)(DX*2)
	INCQ DX
	MOVQ DX, pos-24(SP)
	JMP next

skipped:
	MOVQ pos-24(SP), DX
	INCQ DX
	MOVQ DX, pos-24(SP)

skipnext:
	// Insert pos (if 4 bytes remain) without reporting matches; the
	// walk compares only up to nice.
	MOVQ pos-24(SP), DX
	CMPQ DX, end-64(SP)
	JGE next
	MOVQ counts+56(FP), R10
	MOVW $0, (R10)(DX*2)
	MOVQ n+16(FP), AX
	SUBQ DX, AX
	CMPQ AX, $4
	JLT skipped
	MOVQ nice+24(FP), BX
	CMPQ AX, BX
	CMOVQLT AX, BX
	MOVQ BX, nicep-48(SP)
	MOVQ depth+32(FP), BX
	MOVQ BX, left-56(SP)
	MOVQ m+0(FP), R11
	MOVQ w+8(FP), SI
	LEAQ btMatchfinder_child(R11), R8
	LEAQ (SI)(DX*1), DI
	MOVL (DI), AX

	MOVL AX, BX
	SHLL $8, BX
	IMUL3L $0x1E35A7BD, BX, BX
	SHRL $17, BX
	LEAQ btMatchfinder_head3(R11)(BX*4), R12
	MOVL (R12), CX
	SHLL $16, CX
	ORL DX, CX
	MOVL CX, (R12)

	IMUL3L $0x1E35A7BD, AX, BX
	SHRL $16, BX
	MOVL 1(DI), CX
	IMUL3L $0x1E35A7BD, CX, CX
	SHRL $16, CX
	PREFETCHT0 btMatchfinder_head4(R11)(CX*2)
	MOVWLZX btMatchfinder_head4(R11)(BX*2), AX
	MOVW DX, btMatchfinder_head4(R11)(BX*2)
	LEAQ (R8)(DX*4), R14
	LEAQ 2(R8)(DX*4), R15
	TESTL AX, AX
	JZ sdone
	CMPQ left-56(SP), $0
	JLE sdone
	XORL R12, R12
	XORL R13, R13

sloop:
	// l = min(ltLen, gtLen); compare 8 bytes at a time from there.
	TREE_CMP(nicep-48(SP), sextend, sdiff, sgraft)

	TREE_STEP(left-56(SP), sdone, sloop)

sdone:
	MOVW $0, (R14)
	MOVW $0, (R15)
	JMP skipped

sgraft:
	MOVWLZX (R8)(AX*4), DX
	MOVW DX, (R14)
	MOVWLZX 2(R8)(AX*4), DX
	MOVW DX, (R15)
	JMP skipped

exit:
	RET
