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

// func relaxExplicitAsm(a *parseNodes)
//
// relaxExplicitGo's loop. Registers: DI a, R8 &keys[node], R9 lenKey,
// R10 offCost, R11 ms, SI in, CX k, DX ll, R13 the arrival log, R14 its
// length; AX the match's length, BX its offset; R12 and R15 scratch.
TEXT ·relaxExplicitAsm(SB), NOSPLIT, $0-8
	MOVQ a+0(FP), DI
	MOVQ parseNodes_node(DI), AX
	MOVQ parseNodes_keys(DI), R8
	LEAQ (R8)(AX*8), R8
	MOVQ parseNodes_lenKey(DI), R9
	MOVQ parseNodes_offCost(DI), R10
	MOVQ parseNodes_ms(DI), R11
	MOVQ parseNodes_in(DI), SI
	MOVQ parseNodes_k(DI), CX
	MOVQ parseNodes_ll(DI), DX
	MOVQ parseNodes_arrivals(DI), R13
	MOVQ parseNodes_arrivals+8(DI), R14

loop:
	CMPQ CX, parseNodes_ms+8(DI)
	JGE  done
	MOVL (R11)(CX*8), AX  // length
	MOVL 4(R11)(CX*8), BX // offset
	// The match+literal+rep0 test: j = p+l+1 (p = start+node), j+1 <
	// n, and the two bytes at j repeat at the offset.
	CMPB parseNodes_lit(DI), $0
	JEQ  slot
	LEAQ 1(AX), R12
	ADDQ parseNodes_start(DI), R12
	ADDQ parseNodes_node(DI), R12
	LEAQ 1(R12), R15
	CMPQ R15, parseNodes_in+8(DI)
	JGE  slot
	MOVWLZX (SI)(R12*1), R15
	SUBQ BX, R12
	JS   done // an offset past the chunk's start: the Go code's bounds check
	CMPW R15, (SI)(R12*1)
	JEQ  done

slot:
	// The offset's slot (nearSlot, or offsetSlotFar's table) in R12.
	CMPL BX, $0x10000
	JAE  far
	MOVL BX, R15
	CMPL BX, $const_nearDirect
	JB   direct
	SHRL $const_offsetHighShift, R15
	ADDL $(const_nearDirect - const_nearDirect>>const_offsetHighShift), R15

direct:
	LEAQ    ·offsetSlotNear(SB), R12
	MOVWLZX (R12)(R15*2), R12
	JMP     bump

far:
	CMPL    BX, $const_explicitFar
	JAE     done
	MOVL    BX, R15
	SHRL    $const_offsetMidShift, R15
	LEAQ    ·offsetSlotMid(SB), R12
	MOVWLZX (R12)(R15*2), R12

bump:
	// The table gives the slot or the one before it.
	LEAQ ·offsetBase(SB), R15
	CMPL BX, 4(R15)(R12*4)
	JB   priced
	INCQ R12

priced:
	CMPQ DX, AX
	JG   next
	// A length the Go code could not index (node+length past keys,
	// past lenKey) stops here, its bounds check says why; so does a
	// full log (the Go code's append grows it).
	MOVQ parseNodes_node(DI), R15
	ADDQ AX, R15
	CMPQ R15, parseNodes_keys+8(DI)
	JAE  done
	CMPQ AX, parseNodes_lenKey+8(DI)
	JAE  done
	CMPQ R14, parseNodes_arrivals+16(DI)
	JAE  done
	// bk: the cost (expBase + the slot's) over the arrival's index.
	MOVL (R10)(R12*4), R15
	ADDL parseNodes_expBase(DI), R15
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
	JMP       next

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
// (R9) and keeps the longest, the first of equals, in R11 (index) and R12
// (length): extend from 0 up to maxLen (BX), eight bytes at a time, of
// in[p-off:] (CX) against in[p:] (DX). SI in, DI p. Clobbers AX, CX, R13.
#define REPLEN(k, skip, loop, got, tail, store) \
	MOVL    (k*4)(R8), AX; \
	CMPQ    AX, DI; \
	JA      skip; \
	MOVQ    DI, CX; \
	SUBQ    AX, CX; \
	ADDQ    SI, CX; \
	XORL    AX, AX; \
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
	BSFQ    R13, R13; \
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
	JMP     tail; \
store: \
	MOVQ    AX, (k*8)(R9); \
	MOVQ    $k, R13; \
	CMPQ    AX, R12; \
	CMOVQGT R13, R11; \
	CMOVQGT AX, R12; \
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
	REPLEN(0, skip0, loop0, got0, tail0, store0)
	REPLEN(1, skip1, loop1, got1, tail1, store1)
	REPLEN(2, skip2, loop2, got2, tail2, store2)
	MOVQ R11, best+48(FP)
	MOVQ R12, bestLen+56(FP)
	RET
