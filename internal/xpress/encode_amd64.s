//go:build amd64 && !purego

#include "textflag.h"

// The item loop of Compressor.write (encode.go has the bit layout), with
// no branch on the item kind or on unit completion: a literal's offset
// order is masked to zero (shifting in no bits), and the two pending units
// are always stored to their reserved slots, the cursors advancing (CMOV)
// only when more than 32 bits were pending. A slot written early is
// rewritten when its unit completes (every reserved slot is written last
// by its own unit or by the final units write adds). Only matches with
// extra length bytes branch. Needs BMI2 (SHLX/SHRX/BZHI).
//
// Registers: SI item, CX end, DI out, R8 enc, AX bits, BX pending count,
// R9/R10 the reserved unit slots, R11 the byte cursor.

// func writeItemsAsm(out *outBuf, enc *[numSymbols]uint32, items []uint64) (acc uint64, n uint, r1, r2, b int)
TEXT ·writeItemsAsm(SB), NOSPLIT, $0-80
	MOVQ out+0(FP), DI
	MOVQ enc+8(FP), R8
	MOVQ items_base+16(FP), SI
	MOVQ items_len+24(FP), CX
	LEAQ (SI)(CX*8), CX
	XORL AX, AX
	XORL BX, BX
	MOVQ $256, R9
	MOVQ $258, R10
	MOVQ $260, R11
	CMPQ SI, CX
	JAE done

loop:
	MOVQ (SI), DX
	MOVQ DX, R12
	SHRQ $32, R12
	ANDL $511, R12
	MOVL (R8)(R12*4), R13
	MOVL R13, R14
	ANDL $15, R14
	SHLXQ R14, AX, AX
	SHRL $4, R13
	ORQ R13, AX
	ADDQ R14, BX
	// Offset order: (sym>>4)&15 for a match, 0 for a literal.
	MOVL R12, R14
	SHRL $4, R14
	ANDL $15, R14
	SHRL $8, R12
	NEGL R12
	ANDL R12, R14
	MOVL DX, R15
	SHRL $16, R15
	ANDL $0xffff, R15
	CMPL R15, $15
	JAE extra

bits:
	SHLXQ R14, AX, AX
	BZHIQ R14, DX, R15
	ORQ R15, AX
	ADDQ R14, BX
	// Two units if more than 32 bits are pending.
	LEAQ -32(BX), R15
	SHRXQ R15, AX, R13
	MOVL R13, R12
	SHRL $16, R12
	MOVW R12, (DI)(R9*1)
	MOVW R13, (DI)(R10*1)
	LEAQ 2(R11), R12
	LEAQ 4(R11), R13
	CMPQ BX, $32
	CMOVQHI R15, BX
	CMOVQHI R11, R9
	CMOVQHI R12, R10
	CMOVQHI R13, R11
	ADDQ $8, SI
	CMPQ SI, CX
	JB loop

done:
	MOVQ AX, acc+40(FP)
	MOVQ BX, n+48(FP)
	MOVQ R9, r1+56(FP)
	MOVQ R10, r2+64(FP)
	MOVQ R11, b+72(FP)
	RET

extra:
	// Length bytes follow the units completed so far (at most 16 bits
	// left pending): one byte for adj-15 < 255, else 255 and adj.
	CMPQ BX, $16
	JLS ebytes
	SUBQ $16, BX
	SHRXQ BX, AX, R12
	MOVW R12, (DI)(R9*1)
	MOVQ R10, R9
	MOVQ R11, R10
	ADDQ $2, R11
	JMP extra

ebytes:
	SUBL $15, R15
	CMPL R15, $255
	JAE ebyte3
	MOVB R15, (DI)(R11*1)
	INCQ R11
	JMP bits

ebyte3:
	ADDL $15, R15
	MOVB $255, (DI)(R11*1)
	MOVW R15, 1(DI)(R11*1)
	ADDQ $3, R11
	JMP bits
