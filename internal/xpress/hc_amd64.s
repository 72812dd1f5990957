//go:build amd64 && !purego

#include "go_asm.h"
#include "textflag.h"

// HASH3 and HASH4 set dst to the head3 and head4 slots of the 4 bytes in
// src (hash3 and hash4 of hc.go; hashMul is 0x1E35A7BD).
#define HASH3(src, dst) \
	MOVL src, dst; \
	SHLL $8, dst; \
	IMUL3L $0x1E35A7BD, dst, dst; \
	SHRL $17, dst

#define HASH4(src, dst) \
	IMUL3L $0x1E35A7BD, src, dst; \
	SHRL $16, dst

// LITERAL codes the byte at pos (in DI) as a literal item; clobbers AX,
// R9, R10.
#define LITERAL \
	MOVBQZX (SI)(DI*1), AX; \
	MOVQ freqs+56(FP), R10; \
	INCL (R10)(AX*4); \
	SHLQ $32, AX; \
	MOVQ items+48(FP), R10; \
	MOVQ kk-16(SP), R9; \
	MOVQ AX, (R10)(R9*8); \
	INCQ R9; \
	MOVQ R9, kk-16(SP)

// parseLazy's loop (parse.go), with longest and skip (hc.go) expanded in
// it, one call per chunk: it fills items[0:k] and freqs as the Go loop
// does and returns k and the interleaved length bytes. The chain walk
// rejects a candidate by the 4 bytes ending at the best length, as the Go
// code; the next position's head slots are prefetched (the Go code loads
// them into m.touch instead, which stays unchanged here). longest is one
// block of code used by both searches: the frame slot mode says which
// returns.
//
// longest's registers: SI w, R8 m, DI the position, R9 its first 4
// bytes, R10 the candidate, R11 the best length (at least 3 inside),
// R12 its offset (0 none), R13 the depth left, R14 limit (n - position),
// R15 nice (at most limit), BX the 4 bytes ending at the best length, DX
// &w[best-3] (so (DX)(pos*1) is that word of pos), AX/CX scratch. It
// returns R11 and R12 (both 0 when nothing was found). The loop's own state
// lives in the frame: pos, k, the extra bytes, the pending match (curl,
// curoff), half the depth and mode. Positions are below 65536 and every
// word read lies inside the window (chunk plus 16 bytes of slack).
//
// func lazyParseAsm(m *hcMatchfinder, w *window, n, nice, depth, far int, items *uint64, freqs *[numSymbols]uint32) (k, extra int)
TEXT ·lazyParseAsm(SB), NOSPLIT, $64-80
	MOVQ m+0(FP), R8
	MOVQ w+8(FP), SI
	MOVQ depth+32(FP), AX
	SHRQ $1, AX
	MOVL $1, CX
	CMPQ AX, CX
	CMOVQLT CX, AX
	MOVQ AX, half-48(SP)
	MOVQ $0, pos-8(SP)
	MOVQ $0, kk-16(SP)
	MOVQ $0, ext-24(SP)

top:
	MOVQ pos-8(SP), DI
	CMPQ DI, n+16(FP)
	JGE exit
	MOVL $2, R11
	MOVQ depth+32(FP), R13
	MOVQ $0, mode-56(SP)
	JMP longest

found:
	// R11, R12: a match at pos unless R12 is 0.
	TESTQ R12, R12
	JZ literal
	CMPQ R11, $3
	JGT lazy
	CMPQ R12, far+40(FP)
	JLT lazy

literal:
	MOVQ pos-8(SP), DI
	LITERAL
	INCQ DI
	MOVQ DI, pos-8(SP)
	JMP top

lazy:
	MOVQ R11, curl-32(SP)
	MOVQ R12, curoff-40(SP)

ahead:
	// Look one byte ahead while l < nice, or while a run starts at pos
	// and the match is not at offset 1; least is l-1 (l-2 in the run
	// case).
	MOVQ pos-8(SP), DI
	LEAQ 1(DI), AX
	CMPQ AX, n+16(FP)
	JGE noahead
	MOVQ curl-32(SP), R11
	CMPQ R11, nice+24(FP)
	JLT least1
	CMPQ curoff-40(SP), $1
	JEQ noahead
	MOVL (SI)(DI*1), AX
	CMPL AX, 1(SI)(DI*1)
	JNE noahead
	DECQ R11

least1:
	DECQ R11
	INCQ DI
	MOVQ half-48(SP), R13
	MOVQ $1, mode-56(SP)
	JMP longest

looked:
	// The match at pos+1 (R11, R12) wins if it scores better by more
	// than one: 3*l2 - bsr(off2) > 3*l - bsr(off) + 1.
	TESTQ R12, R12
	JZ take
	LEAQ (R11)(R11*2), AX
	BSRQ R12, CX
	SUBQ CX, AX
	MOVQ curl-32(SP), CX
	LEAQ 1(CX)(CX*2), CX
	MOVQ curoff-40(SP), DX
	BSRQ DX, DX
	SUBQ DX, CX
	CMPQ AX, CX
	JLE take
	MOVQ R11, curl-32(SP)
	MOVQ R12, curoff-40(SP)
	MOVQ pos-8(SP), DI
	LITERAL
	INCQ DI
	MOVQ DI, pos-8(SP)
	JMP ahead

take:
	// pos+1 is already inserted.
	MOVQ pos-8(SP), DI
	MOVQ curl-32(SP), R10
	ADDQ DI, R10
	ADDQ $2, DI
	JMP skip

noahead:
	MOVQ pos-8(SP), DI
	MOVQ curl-32(SP), R10
	ADDQ DI, R10
	INCQ DI

skip:
	// Insert positions [DI, R10) unless R10 reaches n; a run of one
	// byte value is passed in one step, only moving head3.
	CMPQ R10, n+16(FP)
	JGE emit

sloop:
	CMPQ DI, R10
	JGE emit
	MOVL (SI)(DI*1), R9
	CMPQ DI, $1
	JLE sins
	CMPL -1(SI)(DI*1), R9
	JEQ srun

sins:
	HASH3(R9, AX)
	MOVW DI, hcMatchfinder_head3(R8)(AX*2)
	HASH4(R9, CX)
	MOVWLZX hcMatchfinder_head4(R8)(CX*2), AX
	MOVW AX, hcMatchfinder_next(R8)(DI*2)
	MOVW DI, hcMatchfinder_head4(R8)(CX*2)
	INCQ DI
	JMP sloop

srun:
	// runEnd: the first position from DI on (at most R10) whose 4 bytes
	// are not all the run's byte.
	MOVBQZX (SI)(DI*1), AX
	MOVQ $0x0101010101010101, CX
	IMULQ CX, AX
	LEAQ 3(DI), CX
	LEAQ 3(R10), DX

rloop:
	CMPQ CX, DX
	JGE rdone
	MOVQ (SI)(CX*1), BX
	XORQ AX, BX
	JNZ rdiff
	ADDQ $8, CX
	JMP rloop

rdiff:
	BSFQ BX, BX
	SHRQ $3, BX
	ADDQ BX, CX

rdone:
	SUBQ $3, CX
	CMPQ CX, R10
	CMOVQGT R10, CX
	DECQ CX
	HASH3(R9, AX)
	MOVW CX, hcMatchfinder_head3(R8)(AX*2)
	LEAQ 1(CX), DI
	JMP sloop

emit:
	// addMatch(curl, curoff) at pos; pos += curl.
	MOVQ curl-32(SP), AX
	MOVQ curoff-40(SP), DX
	LEAQ -3(AX), CX
	BSRQ DX, BX
	SHLQ $4, BX
	MOVQ CX, R9
	MOVL $15, R10
	CMPQ R9, R10
	CMOVQGT R10, R9
	ORQ R9, BX
	ORQ $256, BX
	MOVQ freqs+56(FP), R10
	INCL (R10)(BX*4)
	CMPQ CX, $15
	JLT coded
	MOVQ ext-24(SP), R9
	INCQ R9
	CMPQ CX, $15+255
	JLT ext1
	ADDQ $2, R9

ext1:
	MOVQ R9, ext-24(SP)

coded:
	SHLQ $32, BX
	SHLQ $16, CX
	ORQ CX, BX
	ORQ DX, BX
	MOVQ items+48(FP), R10
	MOVQ kk-16(SP), R9
	MOVQ BX, (R10)(R9*8)
	INCQ R9
	MOVQ R9, kk-16(SP)
	ADDQ AX, pos-8(SP)
	JMP top

longest:
	// Insert DI (kept off the 4-byte chain inside a run) and search.
	MOVL (SI)(DI*1), R9
	HASH3(R9, AX)
	MOVWLZX hcMatchfinder_head3(R8)(AX*2), BX
	MOVW DI, hcMatchfinder_head3(R8)(AX*2)
	HASH4(R9, CX)
	MOVWLZX hcMatchfinder_head4(R8)(CX*2), R10
	MOVL 1(SI)(DI*1), AX
	HASH4(AX, DX)
	PREFETCHT0 hcMatchfinder_head4(R8)(DX*2)
	HASH3(AX, DX)
	PREFETCHT0 hcMatchfinder_head3(R8)(DX*2)
	CMPQ DI, $1
	JLE insert
	CMPL -1(SI)(DI*1), R9
	JEQ inserted

insert:
	MOVW DI, hcMatchfinder_head4(R8)(CX*2)
	MOVW R10, hcMatchfinder_next(R8)(DI*2)

inserted:
	MOVQ n+16(FP), R14
	SUBQ DI, R14
	CMPQ R11, R14
	JGE none
	CMPQ R14, $3
	JLT none
	MOVQ nice+24(FP), R15
	CMPQ R14, R15
	CMOVQLT R14, R15
	XORL R12, R12
	CMPQ R11, $3
	JGE chain
	MOVL $3, R11
	TESTL BX, BX
	JZ chain
	MOVL (SI)(BX*1), AX
	XORL R9, AX
	SHLL $8, AX
	JNZ chain
	MOVQ DI, R12
	SUBQ BX, R12
	CMPQ R11, R15
	JGE result

chain:
	CMPQ R14, $4
	JLT endchain
	TESTQ R13, R13
	JLE endchain
	LEAQ -3(SI)(R11*1), DX
	MOVL (DX)(DI*1), BX

cloop:
	TESTL R10, R10
	JZ endchain
	MOVL R10, CX
	MOVWLZX hcMatchfinder_next(R8)(R10*2), R10
	CMPL (DX)(CX*1), BX
	JNE cnext
	CMPL (SI)(CX*1), R9
	JNE cnext

	// Extend the match from byte 4, 8 bytes at a time, up to limit.
	LEAQ (SI)(DI*1), DX
	ADDQ SI, CX
	MOVL $4, AX

extend:
	CMPQ AX, R14
	JGE capped
	MOVQ (DX)(AX*1), BX
	XORQ (CX)(AX*1), BX
	JNZ differ
	ADDQ $8, AX
	JMP extend

capped:
	MOVQ R14, AX
	JMP extended

differ:
	BSFQ BX, BX
	SHRQ $3, BX
	ADDQ BX, AX
	CMPQ AX, R14
	CMOVQGT R14, AX

extended:
	// AX = l, DX-CX = its offset. Take it if longer and, unless nothing
	// was found yet or it reaches nice, it scores better:
	// 3*l - bsr(off) + bsr(bestOff) > 3*best.
	CMPQ AX, R11
	JLE reject
	SUBQ CX, DX
	TESTQ R12, R12
	JZ accept
	CMPQ AX, R15
	JGE accept
	LEAQ (AX)(AX*2), CX
	BSRQ DX, BX
	SUBQ BX, CX
	BSRQ R12, BX
	ADDQ BX, CX
	LEAQ (R11)(R11*2), BX
	CMPQ CX, BX
	JLE reject

accept:
	MOVQ AX, R11
	MOVQ DX, R12
	CMPQ AX, R15
	JGE result

reject:
	LEAQ -3(SI)(R11*1), DX
	MOVL (DX)(DI*1), BX

cnext:
	DECQ R13
	JG cloop

endchain:
	TESTQ R12, R12
	JNZ result

none:
	XORL R11, R11
	XORL R12, R12

result:
	CMPQ mode-56(SP), $0
	JEQ found
	JMP looked

exit:
	MOVQ kk-16(SP), AX
	MOVQ AX, k+64(FP)
	MOVQ ext-24(SP), AX
	MOVQ AX, extra+72(FP)
	RET
