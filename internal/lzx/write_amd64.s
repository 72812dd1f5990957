//go:build amd64 && !purego

#include "textflag.h"

// Offsets in blockCodes (checked in write_asm_test.go).
#define MAINCODES 656
#define LENLENS 1968
#define LENCODES 2218
#define ALIGNEDLENS 2716
#define ALIGNEDCODE 2724

// PUT(sym, lens, codes): acc = acc<<lens[sym] | codes[sym], n += lens[sym].
// Clobbers CX and DX.
#define PUT(sym, lens, codes) \
	MOVBLZX lens(R11)(sym*1), CX; \
	MOVWLZX codes(R11)(sym*2), DX; \
	SHLQ CX, AX; \
	ORQ DX, AX; \
	ADDQ CX, R12

// FLUSH emits every complete 16-bit unit of the n (R12) pending bits.
#define FLUSH(loop, fin) \
	CMPQ R12, $16; \
	JB fin; \
loop: \
	SUBQ $16, R12; \
	MOVQ AX, DX; \
	MOVQ R12, CX; \
	SHRQ CX, DX; \
	MOVW DX, (DI); \
	ADDQ $2, DI; \
	CMPQ R12, $16; \
	JAE loop; \
fin:

// func writeSeqsAsm(out, end *byte, acc uint64, n uint, block *byte, seqs *seq, nseqs int, c *blockCodes, minAligned uint32, footer *uint8) (written, done int, accOut uint64, nOut uint)
//
// Registers: DI the output, AX acc, R12 n, SI the block's next byte, R9
// the next seq and R10 the end of seqs, R11 c, R13 minAligned, R14 footer.
TEXT ·writeSeqsAsm(SB), NOSPLIT, $0-112
	MOVQ out+0(FP), DI
	MOVQ acc+16(FP), AX
	MOVQ n+24(FP), R12
	MOVQ block+32(FP), SI
	MOVQ seqs+40(FP), R9
	MOVQ nseqs+48(FP), R10
	SHLQ $4, R10
	ADDQ R9, R10
	MOVQ c+56(FP), R11
	MOVL minAligned+64(FP), R13
	MOVQ footer+72(FP), R14
	MOVQ end+8(FP), R15

seqloop:
	CMPQ R9, R10
	JAE exit
	MOVL 0(R9), R8 // litRun
	// Room for the item: at most 2 bytes a literal, 8 for the match and
	// 8 for a flush.
	LEAQ 16(DI)(R8*2), BX
	CMPQ BX, R15
	JA exit

lit3:
	CMPQ R8, $3
	JB littail
	MOVBLZX 0(SI), BX
	PUT(BX, 0, MAINCODES)
	MOVBLZX 1(SI), BX
	PUT(BX, 0, MAINCODES)
	MOVBLZX 2(SI), BX
	PUT(BX, 0, MAINCODES)
	ADDQ $3, SI
	SUBQ $3, R8
	FLUSH(f3loop, f3done)
	JMP lit3

littail:
	TESTQ R8, R8
	JZ litdone
	MOVBLZX 0(SI), BX
	PUT(BX, 0, MAINCODES)
	INCQ SI
	DECQ R8
	JMP littail

litdone:
	FLUSH(fllloop, flldone)
	MOVL 4(R9), BX // mainSym
	CMPL BX, $256
	JB next
	PUT(BX, 0, MAINCODES)
	SUBL $256, BX
	MOVL BX, R8
	ANDL $7, R8
	CMPL R8, $7
	JNE nolen
	MOVL 8(R9), R8
	SUBL $9, R8 // length - (minMatchLen + numLenHeaders - 1)
	PUT(R8, LENLENS, LENCODES)

nolen:
	SHRL $3, BX // slot
	MOVBLZX (R14)(BX*1), CX // footer bits
	MOVL 12(R9), R8 // extra
	CMPL BX, R13
	JAE aligned
	SHLQ CX, AX
	ORQ R8, AX
	ADDQ CX, R12
	JMP matched

aligned:
	SUBL $3, CX
	SHLQ CX, AX
	ADDQ CX, R12
	MOVL R8, DX
	SHRL $3, DX
	ORQ DX, AX
	ANDL $7, R8
	PUT(R8, ALIGNEDLENS, ALIGNEDCODE)

matched:
	MOVL 8(R9), R8
	ADDQ R8, SI
	FLUSH(fmloop, fmdone)

next:
	ADDQ $16, R9
	JMP seqloop

exit:
	MOVQ DI, BX
	SUBQ out+0(FP), BX
	MOVQ BX, written+80(FP)
	SUBQ seqs+40(FP), R9
	SHRQ $4, R9
	MOVQ R9, done+88(FP)
	MOVQ AX, accOut+96(FP)
	MOVQ R12, nOut+104(FP)
	RET
