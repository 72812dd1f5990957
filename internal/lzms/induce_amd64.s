//go:build amd64 && !purego

#include "textflag.h"

// The suffix array's loops (sais.go): below, the rest (the names' loops
// past the cache, the gathering, the naming, stage 2's mapping and
// seeding, findLMS's comparisons). First the induction passes' loops
// (induceL and induceS) for a text whose bucket ends stay in cache
// (saisBranchFree). Registers: SI s, DI sa,
// BX bkt, CX i, DX n (induceL) or the prefetch stop; per entry AX the
// entry, R9 j then p = j-1, R10 c = s[p], R11 s[p-1] (s[p] at p = 0), R12
// p with its mark, R13 the bucket pointer, R14 the slot it points at.
// Marks (sign bits) come from SBB on the comparison's carry, the slot is
// rewritten either way (CMOV), as in the Go loops.

// LOADB/LOADW: the symbol at index r into dst (bytes or int32 names).
#define LOADB(r, dst) MOVBLZX (SI)(r*1), dst
#define LOADW(r, dst) MOVL (SI)(r*4), dst

// PRED(load): R11 = s[max(p-1, 0)] for p in R9.
#define PRED(load) \
	LEAL    -1(R9), R11 \
	TESTL   R9, R9      \
	CMOVLEQ R9, R11     \
	load(R11, R11)

// INDUCEL(load, next): one entry of induceL at i = CX.
#define INDUCEL(load, next) \
	MOVL    (DI)(CX*4), AX     \
	MOVL    AX, R9             \
	ANDL    $0x7fffffff, R9    \
	JZ      next               \
	DECL    R9                 \
	load(R9, R10)              \
	PRED(load)                 \
	INCL    R11                \
	CMPL    R10, R11           \
	SBBL    R12, R12           \
	ANDL    $0x80000000, R12   \
	ORL     R9, R12            \
	MOVL    (BX)(R10*4), R13   \
	MOVL    (DI)(R13*4), R14   \
	TESTL   AX, AX             \
	CMOVLMI R12, R14           \
	MOVL    R14, (DI)(R13*4)   \
	SHRL    $31, AX            \
	ADDL    AX, R13            \
	MOVL    R13, (BX)(R10*4)

// INDUCES(load, next): one entry of induceS at i = CX (unmarked as it goes).
#define INDUCES(load, next) \
	MOVL    (DI)(CX*4), AX     \
	MOVL    AX, R9             \
	ANDL    $0x7fffffff, R9    \
	MOVL    R9, (DI)(CX*4)     \
	JZ      next               \
	DECL    R9                 \
	load(R9, R10)              \
	PRED(load)                 \
	CMPL    R10, R11           \
	SBBL    R12, R12           \
	ANDL    $0x80000000, R12   \
	ORL     R9, R12            \
	MOVL    (BX)(R10*4), R13   \
	DECL    R13                \
	MOVL    (DI)(R13*4), R14   \
	TESTL   AX, AX             \
	CMOVLPL R12, R14           \
	MOVL    R14, (DI)(R13*4)   \
	SHRL    $31, AX            \
	ADDL    AX, R13            \
	MOVL    R13, (BX)(R10*4)

// INDUCELB(next) and INDUCESB(next): induceL's and induceS's branching
// loops (saisBranchFree false: a text of names past the cache, whose
// bucket ends are spread too far for the branch-free rewrite of a slot),
// one entry at i = CX: only an entry that induces reads the text.
#define INDUCELB(next) \
	MOVL    (DI)(CX*4), AX     \
	TESTL   AX, AX             \
	JNS     next               \
	MOVL    AX, R9             \
	ANDL    $0x7fffffff, R9    \
	JZ      next               \
	DECL    R9                 \
	LOADW(R9, R10)             \
	PRED(LOADW)                \
	INCL    R11                \
	CMPL    R10, R11           \
	SBBL    R12, R12           \
	ANDL    $0x80000000, R12   \
	ORL     R9, R12            \
	MOVL    (BX)(R10*4), R13   \
	MOVL    R12, (DI)(R13*4)   \
	INCL    R13                \
	MOVL    R13, (BX)(R10*4)

#define INDUCESB(next) \
	MOVL    (DI)(CX*4), AX     \
	MOVL    AX, R9             \
	ANDL    $0x7fffffff, R9    \
	MOVL    R9, (DI)(CX*4)     \
	TESTL   AX, AX             \
	JLE     next               \
	DECL    R9                 \
	LOADW(R9, R10)             \
	PRED(LOADW)                \
	CMPL    R10, R11           \
	SBBL    R12, R12           \
	ANDL    $0x80000000, R12   \
	ORL     R9, R12            \
	MOVL    (BX)(R10*4), R13   \
	DECL    R13                \
	MOVL    R12, (DI)(R13*4)   \
	MOVL    R13, (BX)(R10*4)

// PREFB: prefetch bkt[s[k-1]] for k = sa[i±ahead/2] (R14 = &sa[±ahead/2];
// k = 0 reads s[0]), as the Go loops for the recursion's big alphabets.
#define PREFB \
	MOVL       (R14)(CX*4), R11  \
	ANDL       $0x7fffffff, R11  \
	LEAL       -1(R11), R12      \
	TESTL      R11, R11          \
	CMOVLEQ    R11, R12          \
	MOVL       (SI)(R12*4), R12  \
	PREFETCHT0 (BX)(R12*4)

// PREFL/PREFS: prefetch s[sa[i±ahead]-1], R8 = &sa[±ahead] (of an empty or
// marked-0 entry: s[-1], harmless for a prefetch).
#define PREFL(scale) \
	MOVL       (R8)(CX*4), R11 \
	ANDL       $0x7fffffff, R11  \
	PREFETCHT0 -scale(SI)(R11*scale)
#define PREFS(scale) PREFL(scale)

// LPASS(load, scale, far, farnext, plain, loop, next, done): induceL's
// loop over sa, prefetching up to stop; SCALE is the symbol size and the
// labels are the caller's own (a macro's labels must differ per use).
#define LPASS(load, scale, far, farnext, plain, loop, next, done) \
	MOVQ s+0(FP), SI           \
	MOVQ sa+8(FP), DI          \
	MOVQ ahead+40(FP), R8      \
	LEAQ (DI)(R8*4), R8        \
	MOVQ bkt+16(FP), BX        \
	MOVQ stop+32(FP), DX       \
	XORQ CX, CX                \
	CMPQ CX, DX                \
	JGE  plain                 \
far:                               \
	PREFL(scale)               \
	INDUCEL(load, farnext)     \
farnext:                           \
	INCQ CX                    \
	CMPQ CX, DX                \
	JLT  far                   \
plain:                             \
	MOVQ n+24(FP), DX          \
	CMPQ CX, DX                \
	JGE  done                  \
loop:                              \
	INDUCEL(load, next)        \
next:                              \
	INCQ CX                    \
	CMPQ CX, DX                \
	JLT  loop                  \
done:                              \
	RET

// SPASS: induceS's loop, downward from n-1, prefetching down to stop.
#define SPASS(load, scale, far, farnext, plain, loop, next, done) \
	MOVQ s+0(FP), SI           \
	MOVQ sa+8(FP), DI          \
	MOVQ ahead+40(FP), R8      \
	NEGQ R8                    \
	LEAQ (DI)(R8*4), R8        \
	MOVQ bkt+16(FP), BX        \
	MOVQ stop+32(FP), DX       \
	MOVQ n+24(FP), CX          \
	DECQ CX                    \
	CMPQ CX, DX                \
	JLT  plain                 \
far:                               \
	PREFS(scale)               \
	INDUCES(load, farnext)     \
farnext:                           \
	DECQ CX                    \
	CMPQ CX, DX                \
	JGE  far                   \
plain:                             \
	TESTQ CX, CX               \
	JLT   done                 \
loop:                              \
	INDUCES(load, next)        \
next:                              \
	DECQ CX                    \
	JGE  loop                  \
done:                              \
	RET

// NAME(scale, loop, near, done): nameLMS's loop (sais.go) over the sorted LMS
// positions from DI to BX, as long as each is easy: its length l from
// the LMS bit in the same bitmap word, both substrings (this one and the
// one before, at R14) within 32 bytes that are in the text, l*scale <= 32.
// The two are compared as 32 bytes each (SSE2), the bytes past l*scale
// masked off, and counted without a branch as in the Go loop. Registers:
// SI s, DI the entry, BX the end, R8 lms, R9 the names' slots, R13 names,
// R14 prev, R12 prevLen; R11 j, AX l, CX, DX, R10 scratch.
#define NAME(scale, loop, near, done) \
	MOVQ s+0(FP), SI              \
	MOVQ run+16(FP), DI           \
	MOVQ cnt+24(FP), BX           \
	LEAQ (DI)(BX*4), BX           \
	MOVQ name+32(FP), R9          \
	MOVQ lms+40(FP), R8           \
	MOVQ names+48(FP), R13        \
	MOVQ prev+56(FP), R14         \
	MOVQ prevLen+64(FP), R12      \
	MOVQ far+72(FP), AX           \
	LEAQ (DI)(AX*4), AX           \
	MOVQ AX, far+72(FP)           \
	TESTQ R14, R14                \
	JS   done                     \
loop:                                 \
	CMPQ DI, BX                   \
	JGE  done                     \
	CMPQ DI, far+72(FP)           \
	JGE  near                     \
	MOVL 256(DI), R10             \
	PREFETCHT0 (SI)(R10*scale)    \
	MOVQ R10, CX                  \
	SHRQ $1, CX                   \
	PREFETCHT0 (R9)(CX*4)         \
	INCQ R10                      \
	SHRQ $6, R10                  \
	PREFETCHT0 (R8)(R10*8)        \
near:                                 \
	MOVL (DI), R11                \
	LEAQ 1(R11), CX               \
	MOVQ CX, AX                   \
	SHRQ $6, AX                   \
	MOVQ (R8)(AX*8), AX           \
	SHRQ CX, AX                   \
	TESTQ AX, AX                  \
	JZ   done                     \
	BSFQ AX, AX                   \
	ADDQ $2, AX                   \
	CMPQ AX, $(32/scale)          \
	JA   done                     \
	MOVQ R11, CX                  \
	CMPQ R14, CX                  \
	CMOVQGT R14, CX               \
	ADDQ $(32/scale), CX          \
	CMPQ CX, n+8(FP)              \
	JGT  done                     \
	MOVOU (SI)(R11*scale), X0     \
	MOVOU 16(SI)(R11*scale), X1   \
	MOVOU (SI)(R14*scale), X2     \
	MOVOU 16(SI)(R14*scale), X3   \
	PCMPEQB X2, X0                \
	PCMPEQB X3, X1                \
	PMOVMSKB X0, R10              \
	PMOVMSKB X1, DX               \
	SHLQ $16, DX                  \
	ORQ  DX, R10                  \
	NOTQ R10                      \
	LEAQ (AX*scale), CX           \
	MOVQ $1, DX                   \
	SHLQ CX, DX                   \
	DECQ DX                       \
	ANDQ DX, R10                  \
	MOVQ AX, DX                   \
	XORQ R12, DX                  \
	ORQ  DX, R10                  \
	NEGQ R10                      \
	ADCQ $0, R13                  \
	LEAQ -1(R13), DX              \
	MOVQ R11, CX                  \
	SHRQ $1, CX                   \
	MOVL DX, (R9)(CX*4)           \
	MOVQ R11, R14                 \
	MOVQ AX, R12                  \
	ADDQ $4, DI                   \
	JMP  loop                     \
done:                                 \
	SUBQ run+16(FP), DI           \
	SHRQ $2, DI                   \
	MOVQ DI, i+80(FP)             \
	MOVQ R13, names1+88(FP)       \
	MOVQ R14, prev1+96(FP)        \
	MOVQ R12, prevLen1+104(FP)    \
	RET

// SEEDSTEP(load): one entry of stage 2's seeding, CX its index (then
// decremented): the suffix moves, marked, to the tail of its bucket.
#define SEEDSTEP(load)       \
	MOVL (DI)(CX*4), AX  \
	MOVL $0, (DI)(CX*4)  \
	load(AX, R10)        \
	MOVL (BX)(R10*4), R9 \
	DECL R9              \
	MOVL R9, (BX)(R10*4) \
	ORL  $0x80000000, AX \
	MOVL AX, (DI)(R9*4)  \
	DECQ CX

// SEED(load, scale, far, near, loop, done): stage 2's seeding, from entry
// n1-1 down: each sorted LMS suffix j moves (marked) to the tail of its
// bucket, its slot cleared first; the entries at or above stop prefetch
// the symbol of the entry 64 below.
#define SEED(load, scale, far, near, loop, done) \
	MOVQ s+0(FP), SI              \
	MOVQ sa+8(FP), DI             \
	MOVQ bkt+16(FP), BX           \
	MOVQ n1+24(FP), CX            \
	MOVQ stop+32(FP), R11         \
	DECQ CX                       \
	CMPQ CX, R11                  \
	JLT  near                     \
far:                                  \
	MOVL       -256(DI)(CX*4), AX \
	PREFETCHT0 (SI)(AX*scale)     \
	SEEDSTEP(load)                \
	CMPQ CX, R11                  \
	JGE  far                      \
near:                                 \
	TESTQ CX, CX                  \
	JLT  done                     \
loop:                                 \
	SEEDSTEP(load)                \
	JGE  loop                     \
done:                                 \
	RET

// func induceLBytes(s *byte, sa, bkt *int32, n, stop, ahead int)
TEXT ·induceLBytes(SB), NOSPLIT, $0-48
	LPASS(LOADB, 1, lfar, lfarnext, lplain, lloop, lnext, ldone)

// func induceSBytes(s *byte, sa, bkt *int32, n, stop, ahead int)
TEXT ·induceSBytes(SB), NOSPLIT, $0-48
	SPASS(LOADB, 1, sfar, sfarnext, splain, sloop, snext, sdone)

// func induceLWords(s, sa, bkt *int32, n, stop, ahead int)
TEXT ·induceLWords(SB), NOSPLIT, $0-48
	LPASS(LOADW, 4, wlfar, wlfarnext, wlplain, wlloop, wlnext, wldone)

// func induceSWords(s, sa, bkt *int32, n, stop, ahead int)
TEXT ·induceSWords(SB), NOSPLIT, $0-48
	SPASS(LOADW, 4, wsfar, wsfarnext, wsplain, wsloop, wsnext, wsdone)

// GATHER(off): copy the entry at off(DI)(R9*4) to BX and keep it (BX++)
// when its bit is set in the LMS bitmap at R8.
#define GATHER(off) \
	MOVL  off(DI)(R9*4), CX \
	MOVL  CX, (DI)(BX*4)    \
	MOVL  CX, R10           \
	SHRL  $6, R10           \
	MOVQ  (R8)(R10*8), R10  \
	SHRQ  CX, R10           \
	ANDL  $1, R10           \
	ADDQ  R10, BX

// func gatherLMSAsm(sa *int32, n int, lms *uint64, stop int)
//
// gatherLMS's loop: the entries below stop prefetch the bitmap word of the
// entry 64 ahead, one entry a step; the rest go two a step.
TEXT ·gatherLMSAsm(SB), NOSPLIT, $0-32
	MOVQ sa+0(FP), DI
	MOVQ n+8(FP), DX
	MOVQ lms+16(FP), R8
	MOVQ stop+24(FP), R11
	XORQ R9, R9
	XORQ BX, BX
	CMPQ R9, R11
	JGE  gnear
gfar:
	MOVL       256(DI)(R9*4), CX
	SHRL       $6, CX
	PREFETCHT0 (R8)(CX*8)
	GATHER(0)
	INCQ R9
	CMPQ R9, R11
	JLT  gfar
gnear:
	LEAQ -1(DX), R11
	CMPQ R9, R11
	JGE  gone
gtwo:
	GATHER(0)
	GATHER(4)
	ADDQ $2, R9
	CMPQ R9, R11
	JLT  gtwo
gone:
	CMPQ R9, DX
	JGE  gdone
	GATHER(0)
gdone:
	RET

// func mapLMSAsm(sa1, s1 *int32, n1, stop int)
//
// Stage 2's mapping, sa1[i] = s1[sa1[i]]; the entries below stop prefetch
// s1's slot of the entry 64 ahead.
TEXT ·mapLMSAsm(SB), NOSPLIT, $0-32
	MOVQ sa1+0(FP), DI
	MOVQ s1+8(FP), SI
	MOVQ n1+16(FP), DX
	MOVQ stop+24(FP), R11
	XORQ CX, CX
	CMPQ CX, R11
	JGE  mnear
mfar:
	MOVL       256(DI)(CX*4), AX
	PREFETCHT0 (SI)(AX*4)
	MOVL       (DI)(CX*4), AX
	MOVL       (SI)(AX*4), AX
	MOVL       AX, (DI)(CX*4)
	INCQ CX
	CMPQ CX, R11
	JLT  mfar
mnear:
	CMPQ CX, DX
	JGE  mdone
mloop:
	MOVL (DI)(CX*4), AX
	MOVL (SI)(AX*4), AX
	MOVL AX, (DI)(CX*4)
	INCQ CX
	CMPQ CX, DX
	JLT  mloop
mdone:
	RET

// func seedBytes(s *byte, sa, bkt *int32, n1, stop int)
TEXT ·seedBytes(SB), NOSPLIT, $0-40
	SEED(LOADB, 1, sbf, sbn, sbl, sbd)

// func seedWords(s, sa, bkt *int32, n1, stop int)
TEXT ·seedWords(SB), NOSPLIT, $0-40
	SEED(LOADW, 4, swf, swn, swl, swd)

// func nameBytes(s *byte, n int, run *int32, cnt int, name *int32, lms *uint64, names, prev, prevLen, far int) (i, names1, prev1, prevLen1 int)
TEXT ·nameBytes(SB), NOSPLIT, $0-112
	NAME(1, nbloop, nbnear, nbdone)

// func nameWords(s *int32, n int, run *int32, cnt int, name *int32, lms *uint64, names, prev, prevLen, far int) (i, names1, prev1, prevLen1 int)
TEXT ·nameWords(SB), NOSPLIT, $0-112
	NAME(4, nwloop, nwnear, nwdone)

// func findLMSWord(t *int32) (lt, eq uint64)
//
// findLMS's comparisons for one word of a text of names: bit i of lt set
// when t[i] < t[i+1], of eq when equal, for i < 64 (t has 65 symbols).
// Four at a time (SSE2, signed: names are below 2^31), from the top down
// so that each step's four bits shift in without a variable count.
TEXT ·findLMSWord(SB), NOSPLIT, $0-24
	MOVQ t+0(FP), SI
	ADDQ $240, SI
	XORQ AX, AX
	XORQ BX, BX
	MOVQ $16, CX
flloop:
	MOVOU    (SI), X0
	MOVOU    4(SI), X1
	MOVO     X1, X2
	PCMPGTL  X0, X2
	PCMPEQL  X1, X0
	MOVMSKPS X2, DX
	MOVMSKPS X0, R8
	SHLQ     $4, AX
	SHLQ     $4, BX
	ORQ      DX, AX
	ORQ      R8, BX
	SUBQ     $16, SI
	DECQ     CX
	JNZ      flloop
	MOVQ AX, lt+8(FP)
	MOVQ BX, eq+16(FP)
	RET

// func findLMSBytes(t *byte) (lt, eq uint64)
//
// findLMSWord for a byte text: sixteen at a time, t[i] <= t[i+1] as
// min(t[i], t[i+1]) == t[i] (SSE2 compares bytes signed only), less than
// as that without the equal ones.
TEXT ·findLMSBytes(SB), NOSPLIT, $0-24
	MOVQ t+0(FP), SI
	ADDQ $48, SI
	XORQ AX, AX
	XORQ BX, BX
	MOVQ $4, CX
fbloop:
	MOVOU    (SI), X0
	MOVOU    1(SI), X1
	MOVO     X1, X2
	PMINUB   X0, X2
	PCMPEQB  X0, X2
	PCMPEQB  X1, X0
	PMOVMSKB X2, DX
	PMOVMSKB X0, R8
	XORQ     R8, DX
	SHLQ     $16, AX
	SHLQ     $16, BX
	ORQ      DX, AX
	ORQ      R8, BX
	SUBQ     $16, SI
	DECQ     CX
	JNZ      fbloop
	MOVQ AX, lt+8(FP)
	MOVQ BX, eq+16(FP)
	RET

// func induceLFarWords(s, sa, bkt *int32, n, stop, ahead int)
//
// induceL's branching loop over a text of names past induceWordsMax,
// prefetching the text ahead entries ahead and the bucket ends ahead/2
// ahead, up to entry stop.
TEXT ·induceLFarWords(SB), NOSPLIT, $0-48
	MOVQ s+0(FP), SI
	MOVQ sa+8(FP), DI
	MOVQ ahead+40(FP), R8
	SHRQ $1, R8
	LEAQ (DI)(R8*4), R14
	MOVQ ahead+40(FP), R8
	LEAQ (DI)(R8*4), R8
	MOVQ bkt+16(FP), BX
	MOVQ stop+32(FP), DX
	XORQ CX, CX
	CMPQ CX, DX
	JGE  lbplain
lbfar:
	PREFL(4)
	PREFB
	INDUCELB(lbfarnext)
lbfarnext:
	INCQ CX
	CMPQ CX, DX
	JLT  lbfar
lbplain:
	MOVQ n+24(FP), DX
	CMPQ CX, DX
	JGE  lbdone
lbloop:
	INDUCELB(lbnext)
lbnext:
	INCQ CX
	CMPQ CX, DX
	JLT  lbloop
lbdone:
	RET

// func induceSFarWords(s, sa, bkt *int32, n, stop, ahead int)
//
// induceS's branching loop, downward from n-1, prefetching down to stop.
TEXT ·induceSFarWords(SB), NOSPLIT, $0-48
	MOVQ s+0(FP), SI
	MOVQ sa+8(FP), DI
	MOVQ ahead+40(FP), R8
	SHRQ $1, R8
	NEGQ R8
	LEAQ (DI)(R8*4), R14
	MOVQ ahead+40(FP), R8
	NEGQ R8
	LEAQ (DI)(R8*4), R8
	MOVQ bkt+16(FP), BX
	MOVQ stop+32(FP), DX
	MOVQ n+24(FP), CX
	DECQ CX
	CMPQ CX, DX
	JLT  sbplain
sbfar:
	PREFS(4)
	PREFB
	INDUCESB(sbfarnext)
sbfarnext:
	DECQ CX
	CMPQ CX, DX
	JGE  sbfar
sbplain:
	TESTQ CX, CX
	JLT   sbdone
sbloop:
	INDUCESB(sbnext)
sbnext:
	DECQ CX
	JGE  sbloop
sbdone:
	RET
