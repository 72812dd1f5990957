//go:build amd64 && !purego

#include "go_asm.h"
#include "textflag.h"

// MINRELAX8: keys[DX+i] = min(keys[DX+i], Z1 + lens[DX+i]) for the lanes i
// of K2, keys at R8 and lens at R9 (masked loads do not fault).
#define MINRELAX8 \
	VMOVDQU64.Z (R9)(DX*8), K2, Z2 \
	VPADDQ      Z1, Z2, Z2         \
	VMOVDQU64.Z (R8)(DX*8), K2, Z3 \
	VPMINUQ     Z2, Z3, Z3         \
	VMOVDQU64   Z3, K2, (R8)(DX*8)

// SLOT puts the slot of offset BX (below explicitFar) in dst without a
// branch, t1, mi (the mid table's index) and mb (its base) scratch: the near table's entry for the offset's low
// 16 bits and the mid table's for the offset, the one that applies picked
// by CMOV, then one more unless the offset is below the next slot's base
// (the table's slot may be one short; below nearDirect it is exact and
// the compare adds 0). A position's matches mix the three kinds of
// offsets: the branches on them mispredicted.
#define SLOT(dst, t1, mi, mb) \
	MOVWLZX BX, dst; \
	MOVL    dst, t1; \
	SHRL    $const_offsetHighShift, t1; \
	ADDL    $(const_nearDirect - const_nearDirect>>const_offsetHighShift), t1; \
	CMPL    dst, $const_nearDirect; \
	CMOVLCC t1, dst; \
	LEAQ    ·offsetSlotNear(SB), t1; \
	MOVWLZX (t1)(dst*2), dst; \
	MOVL    BX, mi; \
	SHRL    $const_offsetMidShift, mi; \
	LEAQ    ·offsetSlotMid(SB), mb; \
	MOVWLZX (mb)(mi*2), mi; \
	CMPL    BX, $0x10000; \
	CMOVLCC mi, dst; \
	LEAQ    ·offsetBase(SB), t1; \
	CMPL    BX, 4(t1)(dst*4); \
	SBBQ    $-1, dst

// EXTEND counts from AX up to maxLen (BX) the bytes where in[p:] (DX)
// and the source (CX) agree, eight at a time (tz: the trailing-zero count
// instruction, BSFQ or TZCNTQ, on a nonzero word), and jumps to store with
// the length in AX. Clobbers R13.
#define EXTEND(tz, loop, got, tail, store) \
loop: \
	LEAQ    8(AX), R13; \
	CMPQ    R13, BX; \
	JGT     tail; \
	MOVQ    (DX)(AX*1), R13; \
	XORQ    (CX)(AX*1), R13; \
	JNZ     got; \
	ADDQ    $8, AX; \
	JMP     loop; \
got: \
	tz      R13, R13; \
	SHRQ    $3, R13; \
	ADDQ    R13, AX; \
	JMP     store; \
tail: \
	CMPQ    AX, BX; \
	JGE     store; \
	MOVBLZX (DX)(AX*1), R13; \
	CMPB    R13, (CX)(AX*1); \
	JNE     store; \
	INCQ    AX; \
	JMP     tail

// ADDLIT: the literal, addOne(node+1, litKey, node), node in R9; skip
// when it is not cheaper. R8 keys, R13 the arrival log, R14 its length.
#define ADDLIT(skip) \
	MOVL parseNodes_litKey(DI), AX; \
	SHLQ $32, AX; \
	ORQ  R14, AX; \
	CMPQ AX, 8(R8)(R9*8); \
	JAE  skip; \
	MOVQ AX, 8(R8)(R9*8); \
	MOVQ R9, (R13)(R14*8); \
	INCQ R14

// func relaxExplicitAsm(a *parseNodes)
//
// relaxExplicitGo's loop. Registers: DI a, R8 &keys[node], R9 lenKey,
// R10 offCost, R11 ms, SI in, CX k, DX ll, R13 the arrival log, R14 its
// length; AX the match's length, BX its offset; R12 and R15 scratch.
// litRepTail (tail<>) keeps only DI, SI, R13 and R14: around it k and ll
// go through a, the rest is loaded again.
TEXT ·relaxExplicitAsm(SB), NOSPLIT|NOFRAME, $0-8
	MOVQ a+0(FP), DI
	MOVQ parseNodes_in(DI), SI
	MOVQ parseNodes_k(DI), CX
	MOVQ parseNodes_ll(DI), DX
	MOVQ parseNodes_arrivals(DI), R13
	MOVQ parseNodes_arrivals+8(DI), R14

reload:
	MOVQ parseNodes_node(DI), AX
	MOVQ parseNodes_keys(DI), R8
	LEAQ (R8)(AX*8), R8
	MOVQ parseNodes_lenKey(DI), R9
	MOVQ parseNodes_offCost(DI), R10
	MOVQ parseNodes_ms(DI), R11

loop:
	CMPQ CX, parseNodes_ms+8(DI)
	JGE  done
	MOVL (R11)(CX*8), AX  // length
	MOVL 4(R11)(CX*8), BX // offset

	// The offset's slot in R12 (explicitFar and more: the caller's).
	CMPL BX, $const_explicitFar
	JAE  done
	SLOT(R12, R15, R15, R10)
	MOVQ parseNodes_offCost(DI), R10

priced:
	// oc: the cost before the length (expBase + the slot's).
	MOVL (R10)(R12*4), R15
	ADDL parseNodes_expBase(DI), R15
	MOVL R15, parseNodes_oc(DI)
	CMPQ DX, AX
	JG   litrep
	// A length the Go code could not index (node+length past keys,
	// past lenKey) stops here, its bounds check says why; so does a
	// full log (the Go code's append grows it).
	MOVQ parseNodes_node(DI), R12
	ADDQ AX, R12
	CMPQ R12, parseNodes_keys+8(DI)
	JAE  done
	CMPQ AX, parseNodes_lenKey+8(DI)
	JAE  done
	CMPQ R14, parseNodes_arrivals+16(DI)
	JAE  done
	// bk: oc over the arrival's index.
	SHLQ $32, R15
	ORQ  R14, R15
	// The arrival: itemExplicit+offset over the node.
	LEAQ const_itemExplicit(BX), R12
	SHLQ $32, R12
	ORQ  parseNodes_node(DI), R12
	MOVQ R12, (R13)(R14*8)
	INCQ R14

	CMPB ·explicitAVX512(SB), $0
	JEQ  relax
	// Eight lengths at a time, the lanes past the length masked off
	// (masked loads do not fault).
	VPBROADCASTQ R15, Z1

relax8:
	MOVQ      AX, R12
	SUBQ      DX, R12
	INCQ      R12
	MOVL      $0xFF, BX
	BZHIQ     R12, BX, BX
	KMOVW     BX, K2
	MINRELAX8
	ADDQ      $8, DX
	CMPQ      DX, AX
	JLE       relax8
	LEAQ      1(AX), DX
	JMP       litrep

relax:
	// keys[ll] = min(keys[ll], bk + lenKey[ll]) for ll up to the length.
	MOVQ    (R9)(DX*8), R12
	ADDQ    R15, R12
	MOVQ    (R8)(DX*8), BX
	CMPQ    R12, BX
	CMOVQCS R12, BX
	MOVQ    BX, (R8)(DX*8)
	INCQ    DX
	CMPQ    DX, AX
	JLE     relax

litrep:
	// litRepAfter: with lit, j = p+l+1 (p = start+node), j+1 < n,
	// and the two bytes at j repeat at the offset.
	CMPB parseNodes_lit(DI), $0
	JEQ  next
	MOVL 4(R11)(CX*8), BX
	LEAQ 1(AX), R12
	ADDQ parseNodes_start(DI), R12
	ADDQ parseNodes_node(DI), R12
	LEAQ 1(R12), R15
	CMPQ R15, parseNodes_in+8(DI)
	JGE  next
	MOVWLZX (SI)(R12*1), R15
	SUBQ BX, R12
	JS   next // off > q+1
	CMPW R15, (SI)(R12*1)
	JNE  next
	// tail<> opens nodes up to node+l+nice-1 and may log an arrival:
	// past keys, or with the log full, the Go code (relaxRest) takes
	// the step (the match itself is offered: ll is past it).
	MOVQ parseNodes_node(DI), R15
	ADDQ AX, R15
	ADDQ parseNodes_niceLen(DI), R15
	CMPQ R15, parseNodes_keys+8(DI)
	JAE  done
	CMPQ R14, parseNodes_arrivals+16(DI)
	JAE  done
	// tail<>: q = j-1, off, cost oc + mlrCost + length's, the arrival
	// (itemExplicit+offset)<<32 | l<<16 | node.
	MOVQ CX, parseNodes_k(DI)
	MOVQ DX, parseNodes_ll(DI)
	LEAQ -1(R12)(BX*1), R12
	LEAQ const_itemExplicit(BX), R9
	SHLQ $32, R9
	MOVQ AX, R8
	SHLQ $16, R8
	ORQ  R8, R9
	ORQ  parseNodes_node(DI), R9
	MOVQ BX, R15
	MOVQ parseNodes_lenCost(DI), R8
	MOVL (R8)(AX*4), AX
	ADDL parseNodes_oc(DI), AX
	ADDL parseNodes_mlrCost(DI), AX
	MOVQ R9, BX
	CALL tail<>(SB)
	MOVQ parseNodes_k(DI), CX
	MOVQ parseNodes_ll(DI), DX
	INCQ CX
	JMP  reload

next:
	INCQ CX
	JMP  loop

done:
	CMPB ·explicitAVX512(SB), $0
	JEQ  out
	VZEROUPPER

out:
	MOVQ CX, parseNodes_k(DI)
	MOVQ DX, parseNodes_ll(DI)
	MOVQ R14, parseNodes_arrivals+8(DI)
	RET

// tail<> is litRepTail: q in R12, off in R15, cost in AX (32 bits), the
// arrival in BX; DI a, SI in, R13 and R14 the arrival log and its length
// (kept). Clobbers AX, BX, CX, DX, R8-R12, R15. The caller has checked
// the log's room and that keys reach q-start+nice.
TEXT tail<>(SB), NOSPLIT|NOFRAME, $0-0
	// maxRep = min(n-q-1, nice-1) in R8.
	MOVQ    parseNodes_in+8(DI), R8
	SUBQ    R12, R8
	DECQ    R8
	MOVQ    parseNodes_niceLen(DI), R9
	DECQ    R9
	CMPQ    R8, R9
	CMOVQGT R9, R8
	CMPQ    R8, $2
	JLT     tailret
	LEAQ    1(R12), R9
	CMPQ    R15, R9
	JGT     tailret
	// The repeat: in[q+1:] (R10) against in[q+1-off:] (R11).
	LEAQ    (SI)(R9*1), R10
	MOVQ    R10, R11
	SUBQ    R15, R11
	MOVWLZX (R10), CX
	CMPW    CX, (R11)
	JNE     tailret
	MOVL    $2, CX

ext8:
	LEAQ 8(CX), DX
	CMPQ DX, R8
	JGT  ext1
	MOVQ (R10)(CX*1), DX
	XORQ (R11)(CX*1), DX
	JNZ  extgot
	ADDQ $8, CX
	JMP  ext8

extgot:
	BSFQ DX, DX
	SHRQ $3, DX
	ADDQ DX, CX
	JMP  extended

ext1:
	CMPQ    CX, R8
	JGE     extended
	MOVBLZX (R10)(CX*1), DX
	CMPB    DX, (R11)(CX*1)
	JNE     extended
	INCQ    CX
	JMP     ext1

extended:
	// cost += literal[in[q]] + length[r]
	MOVBLZX (SI)(R12*1), DX
	MOVQ    parseNodes_litCost(DI), R9
	ADDL    (R9)(DX*4), AX
	MOVQ    parseNodes_lenCost(DI), R9
	ADDL    (R9)(CX*4), AX
	// to = q+1+r-start; openTo(to).
	LEAQ    1(R12)(CX*1), DX
	SUBQ    parseNodes_start(DI), DX
	MOVQ    parseNodes_keys(DI), R8
	MOVQ    parseNodes_reach(DI), CX
	CMPQ    CX, DX
	JGE     tailopen
	MOVQ    $-1, R9

tailopening:
	INCQ CX
	MOVQ R9, (R8)(CX*8)
	CMPQ CX, DX
	JLT  tailopening
	MOVQ CX, parseNodes_reach(DI)

tailopen:
	// addOne(to, cost, arrival)
	SHLQ $32, AX
	ORQ  R14, AX
	CMPQ AX, (R8)(DX*8)
	JAE  tailret
	MOVQ AX, (R8)(DX*8)
	MOVQ BX, (R13)(R14*8)
	INCQ R14

tailret:
	RET

// REPRELAX relaxes repeat match k (repLen, repCost, repOff, repMLR) as
// relaxPositionGo does: its lengths 2..repLen[k], then with doRepLitRep its
// match+literal+rep0 step through tail<>. Needs DI, SI, R13, R14; clobbers
// the rest.
#define REPRELAX(k, skip, r8loop, r1loop, relaxed) \
	MOVQ parseNodes_repLen+(k*8)(DI), AX; \
	CMPQ AX, $2; \
	JLT  skip; \
	MOVL parseNodes_repCost+(k*4)(DI), R15; \
	SHLQ $32, R15; \
	ORQ  R14, R15; \
	MOVQ parseNodes_node(DI), R9; \
	MOVQ $((const_itemRep+k)<<32), R12; \
	ORQ  R9, R12; \
	MOVQ R12, (R13)(R14*8); \
	INCQ R14; \
	MOVQ parseNodes_keys(DI), R8; \
	LEAQ (R8)(R9*8), R8; \
	MOVQ parseNodes_lenKey(DI), R9; \
	MOVL $2, DX; \
	CMPB ·explicitAVX512(SB), $0; \
	JEQ  r1loop; \
	VPBROADCASTQ R15, Z1; \
r8loop: \
	MOVQ  AX, R12; \
	SUBQ  DX, R12; \
	INCQ  R12; \
	MOVL  $0xFF, BX; \
	BZHIQ R12, BX, BX; \
	KMOVW BX, K2; \
	MINRELAX8; \
	ADDQ  $8, DX; \
	CMPQ  DX, AX; \
	JLE   r8loop; \
	JMP   relaxed; \
r1loop: \
	MOVQ    (R9)(DX*8), R12; \
	ADDQ    R15, R12; \
	MOVQ    (R8)(DX*8), BX; \
	CMPQ    R12, BX; \
	CMOVQCS R12, BX; \
	MOVQ    BX, (R8)(DX*8); \
	INCQ    DX; \
	CMPQ    DX, AX; \
	JLE     r1loop; \
relaxed: \
	CMPB parseNodes_doRepLitRep(DI), $0; \
	JEQ  skip; \
	MOVQ parseNodes_start(DI), R12; \
	ADDQ parseNodes_node(DI), R12; \
	ADDQ AX, R12; \
	MOVQ parseNodes_repOff+(k*8)(DI), R15; \
	MOVQ $((const_itemRep+k)<<32), BX; \
	MOVQ AX, R9; \
	SHLQ $16, R9; \
	ORQ  R9, BX; \
	ORQ  parseNodes_node(DI), BX; \
	MOVQ parseNodes_lenCost(DI), R9; \
	MOVL (R9)(AX*4), AX; \
	ADDL parseNodes_repMLR+(k*4)(DI), AX; \
	CALL tail<>(SB); \
skip:

// func relaxPositionAsm(a *parseNodes)
//
// relaxPositionGo: openTo, the literal, literal+rep0, the repeat matches,
// then relaxExplicitAsm (jumped to with the same argument).
TEXT ·relaxPositionAsm(SB), NOSPLIT|NOFRAME, $0-8
	MOVQ a+0(FP), DI
	MOVQ parseNodes_in(DI), SI
	MOVQ parseNodes_arrivals(DI), R13
	MOVQ parseNodes_arrivals+8(DI), R14
	MOVQ parseNodes_keys(DI), R8
	// openTo(open)
	MOVQ parseNodes_reach(DI), CX
	MOVQ parseNodes_open(DI), DX
	CMPQ CX, DX
	JGE  opened
	MOVQ $-1, AX

opening:
	INCQ CX
	MOVQ AX, (R8)(CX*8)
	CMPQ CX, DX
	JLT  opening
	MOVQ CX, parseNodes_reach(DI)

opened:
	// The literal: addOne(node+1, litKey, node).
	MOVQ parseNodes_node(DI), R9
	ADDLIT(litrep)

litrep:
	CMPB parseNodes_doLitRep(DI), $0
	JEQ  reps
	MOVQ parseNodes_start(DI), R12
	ADDQ R9, R12
	MOVQ parseNodes_litRepOff(DI), R15
	MOVL parseNodes_litRepCost(DI), AX
	MOVQ R9, BX
	CALL tail<>(SB)

reps:
	REPRELAX(0, skip0, r8loop0, r1loop0, relaxed0)
	REPRELAX(1, skip1, r8loop1, r1loop1, relaxed1)
	REPRELAX(2, skip2, r8loop2, r1loop2, relaxed2)
	MOVQ R14, parseNodes_arrivals+8(DI)
	JMP  ·relaxExplicitAsm(SB)

// func relaxRangeAVX512(keys, lens *uint64, n int, bk uint64)
//
// relaxRange's loop over n >= 1 keys, eight at a time (AVX-512F, BMI2).
TEXT ·relaxRangeAVX512(SB), NOSPLIT, $0-32
	MOVQ         keys+0(FP), R8
	MOVQ         lens+8(FP), R9
	MOVQ         n+16(FP), AX
	VPBROADCASTQ bk+24(FP), Z1
	XORL         DX, DX
	MOVL         $0xFF, CX

loop:
	MOVQ        AX, R12
	SUBQ        DX, R12
	BZHIQ       R12, CX, BX
	KMOVW       BX, K2
	MINRELAX8
	ADDQ        $8, DX
	CMPQ        DX, AX
	JLT         loop
	VZEROUPPER
	RET

// REPLEN measures repeat entry k (its offset at k*4(R8)) into lens[k]
// (R9; 0 for an offset past p) and keeps the longest, the first of equals, in R11 (index) and R12
// (length): extend from 0 up to maxLen (BX), eight bytes at a time, of
// in[p-off:] (CX) against in[p:] (DX). SI in, DI p. Clobbers AX, CX, R13.
#define REPLEN(k, skip, none, loop, got, tail, store) \
	MOVL    (k*4)(R8), AX; \
	CMPQ    AX, DI; \
	JA      none; \
	MOVQ    DI, CX; \
	SUBQ    AX, CX; \
	ADDQ    SI, CX; \
	XORL    AX, AX; \
	EXTEND(BSFQ, loop, got, tail, store); \
store: \
	MOVQ    AX, (k*8)(R9); \
	MOVQ    $k, R13; \
	CMPQ    AX, R12; \
	CMOVQGT R13, R11; \
	CMOVQGT AX, R12; \
	JMP     skip; \
none: \
	MOVQ    $0, (k*8)(R9); \
skip:

// func repLensAsm(in []byte, p int, q *[numReps]uint32, lens *[numReps]int) (best, bestLen int)
//
// repLensGo for numReps = 3 (checked by TestRepLensAsm).
TEXT ·repLensAsm(SB), NOSPLIT, $0-64
	MOVQ in_base+0(FP), SI
	MOVQ in_len+8(FP), BX
	MOVQ p+24(FP), DI
	MOVQ q+32(FP), R8
	MOVQ lens+40(FP), R9
	SUBQ DI, BX
	LEAQ (SI)(DI*1), DX
	XORL R11, R11
	XORL R12, R12
	REPLEN(0, skip0, none0, loop0, got0, tail0, store0)
	REPLEN(1, skip1, none1, loop1, got1, tail1, store1)
	REPLEN(2, skip2, none2, loop2, got2, tail2, store2)
	MOVQ R11, best+48(FP)
	MOVQ R12, bestLen+56(FP)
	RET

// LOADWIN loads the window of eight nodes from node+SI (SI = W, the
// window's first length) into Z3, the nodes past reach as unreached
// (infKey, Z0) without loading them (openTo's stores of them would stall
// the load), lenKey's window into Z2, and relaxes the repeat matches
// reaching it (bk in Z4-Z6). K1: the lanes up to E (R12). Clobbers BX, R15,
// Z7, K2, K3.
#define LOADWIN(k0, k1, k2, loaded) \
	MOVQ      R12, R15; \
	SUBQ      SI, R15; \
	INCQ      R15; \
	MOVL      $0xFF, BX; \
	BZHIQ     R15, BX, BX; \
	KMOVW     BX, K1; \
	MOVQ      parseNodes_reach(DI), BX; \
	SUBQ      parseNodes_node(DI), BX; \
	SUBQ      SI, BX; \
	INCQ      BX; \
	MOVL      $0, R15; \
	CMPQ      BX, $0; \
	CMOVQLT   R15, BX; \
	MOVL      $0xFF, R15; \
	BZHIQ     BX, R15, BX; \
	KMOVW     BX, K2; \
	KANDW     K1, K2, K2; \
	VMOVDQA64 Z0, Z3; \
	VMOVDQU64 (R8)(SI*8), K2, Z3; \
	VMOVDQU64.Z (R9)(SI*8), K1, Z2; \
	REPWIN(0, Z4, k0); \
	REPWIN(1, Z5, k1); \
	REPWIN(2, Z6, k2); \
loaded:

// REPWIN relaxes repeat match k (bk in zk) over the window's lanes up to
// its length.
#define REPWIN(k, zk, skip) \
	MOVQ    parseNodes_repLen+(k*8)(DI), R15; \
	CMPQ    R15, SI; \
	JLT     skip; \
	SUBQ    SI, R15; \
	INCQ    R15; \
	MOVL    $0xFF, BX; \
	BZHIQ   R15, BX, BX; \
	KMOVW   BX, K3; \
	VPADDQ  zk, Z2, Z7; \
	VPMINUQ Z7, Z3, K3, Z3; \
skip:

// REPBK logs repeat match k's arrival and puts its bk in zk (length 2 or
// more; a shorter one never reaches a window).
#define REPBK(k, zk, skip) \
	MOVQ         parseNodes_repLen+(k*8)(DI), AX; \
	CMPQ         AX, $2; \
	JLT          skip; \
	MOVL         parseNodes_repCost+(k*4)(DI), R15; \
	SHLQ         $32, R15; \
	ORQ          R14, R15; \
	VPBROADCASTQ R15, zk; \
	MOVQ         $((const_itemRep+k)<<32), R15; \
	ORQ          parseNodes_node(DI), R15; \
	MOVQ         R15, (R13)(R14*8); \
	INCQ         R14; \
skip:

// func relaxFusedAsm(a *parseNodes)
//
// relaxPositionGo for a position without match+literal+rep0 steps (lit
// and doRepLitRep off) in a chunk below explicitFar, on a CPU with
// AVX-512: the repeat and explicit ranges, which all start at length 2,
// relaxed eight nodes at a time, each window of nodes loaded and stored
// once (relaxPositionAsm loads the window a range just stored: the masked
// store does not forward). min is order-free and the arrivals are logged
// in relaxPositionGo's order, so keys and arrivals come out the same.
// It relies on parseBlock's invariants: open is node plus the longest of
// the ranges (the match lengths strictly increasing, the last the
// longest), at least 1; it falls back to relaxPositionAsm where open or
// its length is past keys or lenKey.
TEXT ·relaxFusedAsm(SB), NOSPLIT|NOFRAME, $0-8
	MOVQ a+0(FP), DI
	MOVQ parseNodes_open(DI), AX
	CMPQ AX, parseNodes_keys+8(DI)
	JAE  fallback
	SUBQ parseNodes_node(DI), AX
	CMPQ AX, parseNodes_lenKey+8(DI)
	JAE  fallback
	MOVQ parseNodes_keys(DI), R8
	MOVQ parseNodes_arrivals(DI), R13
	MOVQ parseNodes_arrivals+8(DI), R14
	MOVQ parseNodes_node(DI), R9
	// openTo(node+1) for the literal; the ranges' nodes are opened
	// by their windows.
	LEAQ 1(R9), AX
	CMPQ parseNodes_reach(DI), AX
	JGE  lit
	MOVQ AX, parseNodes_reach(DI)
	MOVQ $-1, (R8)(AX*8)

lit:
	// The literal: addOne(node+1, litKey, node).
	ADDLIT(litrep)

litrep:
	CMPB parseNodes_doLitRep(DI), $0
	JEQ  reps
	MOVQ parseNodes_in(DI), SI
	MOVQ parseNodes_start(DI), R12
	ADDQ R9, R12
	MOVQ parseNodes_litRepOff(DI), R15
	MOVL parseNodes_litRepCost(DI), AX
	MOVQ R9, BX
	CALL tail<>(SB)
	MOVQ parseNodes_keys(DI), R8

reps:
	REPBK(0, Z4, rb0)
	REPBK(1, Z5, rb1)
	REPBK(2, Z6, rb2)
	MOVQ        parseNodes_node(DI), AX
	LEAQ        (R8)(AX*8), R8
	MOVQ        parseNodes_lenKey(DI), R9
	MOVQ        parseNodes_offCost(DI), R10
	MOVQ        parseNodes_ms(DI), R11
	MOVQ        parseNodes_open(DI), R12
	SUBQ        AX, R12
	MOVQ        parseNodes_k(DI), CX
	MOVQ        parseNodes_ll(DI), DX
	VPTERNLOGQ  $0xFF, Z0, Z0, Z0
	MOVL        $2, SI
	CMPQ        R12, SI
	JLT         matched
	LOADWIN(w0a, w0b, w0c, w0)

mloop:
	CMPQ CX, parseNodes_ms+8(DI)
	JGE  matched
	MOVL (R11)(CX*8), AX  // length
	CMPQ DX, AX
	JG   mnext
	MOVL 4(R11)(CX*8), BX // offset
	// The offset's slot (below explicitFar).
	SLOT(R15, R10, AX, R10)
	MOVL (R11)(CX*8), AX // the length again

priced:
	MOVQ parseNodes_offCost(DI), R10
	MOVL (R10)(R15*4), R15
	ADDL parseNodes_expBase(DI), R15
	// bk in Z1; the arrival: itemExplicit+offset over the node.
	SHLQ         $32, R15
	ORQ          R14, R15
	VPBROADCASTQ R15, Z1
	ADDQ         $const_itemExplicit, BX
	SHLQ         $32, BX
	ORQ          parseNodes_node(DI), BX
	MOVQ         BX, (R13)(R14*8)
	INCQ         R14

mwin:
	// The window's lanes from ll to the length.
	MOVQ    AX, R15
	SUBQ    SI, R15
	INCQ    R15
	MOVL    $0xFF, BX
	BZHIQ   R15, BX, BX
	MOVQ    DX, R15
	SUBQ    SI, R15
	MOVL    $0xFF, R10
	BZHIQ   R15, R10, R10
	ANDNQ   BX, R10, BX
	KMOVW   BX, K3
	VPADDQ  Z1, Z2, Z7
	VPMINUQ Z7, Z3, K3, Z3
	LEAQ    8(SI), BX
	CMPQ    AX, BX
	JGE     spill
	LEAQ    1(AX), DX

mnext:
	INCQ CX
	JMP  mloop

spill:
	// The match runs into the next window.
	VMOVDQU64 Z3, K1, (R8)(SI*8)
	MOVQ      BX, SI
	MOVQ      BX, DX
	LOADWIN(w1a, w1b, w1c, w1)
	JMP       mwin

matched:
	// The repeat matches past the last match: the windows up to E.
	LEAQ 8(SI), BX
	CMPQ BX, R12
	JG   last
	VMOVDQU64 Z3, K1, (R8)(SI*8)
	MOVQ BX, SI
	LOADWIN(w2a, w2b, w2c, w2)
	JMP  matched

last:
	CMPQ R12, $2
	JLT  stored
	VMOVDQU64 Z3, K1, (R8)(SI*8)

stored:
	VZEROUPPER
	// reach = max(reach, open)
	MOVQ    parseNodes_open(DI), AX
	CMPQ    AX, parseNodes_reach(DI)
	JLE     out
	MOVQ    AX, parseNodes_reach(DI)

out:
	MOVQ CX, parseNodes_k(DI)
	MOVQ DX, parseNodes_ll(DI)
	MOVQ R14, parseNodes_arrivals+8(DI)
	RET

fallback:
	JMP ·relaxPositionAsm(SB)

// REPLENA is REPLEN for positionAsm: entry k of the queue at R8 into
// repLen[k] of a (DI), the longest in R11 (index) and R12 (length). SI
// in, R10 p, DX &in[p], BX maxLen. Clobbers AX, CX, R13.
#define REPLENA(k, skip, none, loop, got, tail, store) \
	MOVL    (k*4)(R8), AX; \
	CMPQ    AX, R10; \
	JA      none; \
	MOVQ    DX, CX; \
	SUBQ    AX, CX; \
	XORL    AX, AX; \
	EXTEND(TZCNTQ, loop, got, tail, store); \
store: \
	MOVQ    AX, parseNodes_repLen+(k*8)(DI); \
	MOVQ    $k, R13; \
	CMPQ    AX, R12; \
	CMOVQGT R13, R11; \
	CMOVQGT AX, R12; \
	JMP     skip; \
none: \
	MOVQ    $0, parseNodes_repLen+(k*8)(DI); \
skip:

// func positionAsm(a *parseNodes)
//
// repLens for the position's node (its state in a.states), the longest in
// repBest and repBestLen; then, unless that is nice or longer (parseBlock
// ends the block), open at node plus the longest range (at least 1) and
// relaxFusedAsm. numReps = 3.
TEXT ·positionAsm(SB), NOSPLIT|NOFRAME, $0-8
	MOVQ    a+0(FP), DI
	MOVQ    parseNodes_node(DI), R10
	IMUL3Q  $parseState__size, R10, R8
	ADDQ    parseNodes_nodeStates(DI), R8
	MOVBLZX parseState_prevLZ(R8), AX
	ANDL    $1, AX
	LEAQ    parseState_lzQ(R8)(AX*4), R8
	ADDQ    parseNodes_start(DI), R10
	MOVQ    parseNodes_in(DI), SI
	MOVQ    parseNodes_in+8(DI), BX
	SUBQ    R10, BX
	LEAQ    (SI)(R10*1), DX
	XORL    R11, R11
	XORL    R12, R12
	CMPQ    BX, $2
	JLT     short
	REPLENA(0, skip0, none0, loop0, got0, tail0, store0)
	REPLENA(1, skip1, none1, loop1, got1, tail1, store1)
	REPLENA(2, skip2, none2, loop2, got2, tail2, store2)

measured:
	MOVQ R11, parseNodes_repBest(DI)
	MOVQ R12, parseNodes_repBestLen(DI)
	CMPQ R12, parseNodes_niceLen(DI)
	JGE  long
	// open = node + max(1, the longest repeat, the last match's length)
	MOVQ    $1, AX
	CMPQ    R12, AX
	CMOVQGT R12, AX
	MOVQ    parseNodes_ms+8(DI), CX
	TESTQ   CX, CX
	JEQ     edged
	MOVQ    parseNodes_ms(DI), R11
	MOVL    -8(R11)(CX*8), CX
	CMPQ    CX, AX
	CMOVQGT CX, AX

edged:
	ADDQ parseNodes_node(DI), AX
	MOVQ AX, parseNodes_open(DI)
	JMP  ·relaxFusedAsm(SB)

short:
	MOVQ $0, parseNodes_repLen+0(DI)
	MOVQ $0, parseNodes_repLen+8(DI)
	MOVQ $0, parseNodes_repLen+16(DI)
	JMP  measured

long:
	RET
