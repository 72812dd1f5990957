//go:build amd64 && !purego

#include "go_asm.h"
#include "textflag.h"

// G is climbGap (climb.go).
#define G 5

// func climbsAsm(f *lcpFinder, from, to int, out []match, ends *int32) (k, end int)
//
// climbsGo's loop (climb.go), reading f's arrays, lengths, position bits
// and prefetch state by the offsets go_asm.h gives. Registers: R8 nodes,
// R9 links, SI the position, CX shift, R11 mask, DI the last entry of
// out (0: no record), R10 minus the matches written; AX ref, DX up or the
// source q, BX next, R13 and R14 scratch; R12 and R15 the next position's
// first up and that source's link, loaded before this position's climb
// (see climb). out_cap's slot holds
// the lowest address out's next free entry may have for a position to
// start: room for len(f.length) more below it. ends (0: none) gets the
// count written after each position.
TEXT ·climbsAsm(SB), NOSPLIT, $0-72
	MOVQ f+0(FP), BX
	MOVQ lcpFinder_nodes(BX), R8
	MOVQ lcpFinder_links(BX), R9
	MOVQ lcpFinder_posBits(BX), CX
	MOVQ from+8(FP), SI
	MOVQ out_base+24(FP), DI
	TESTQ DI, DI
	JZ start
	MOVQ (lcpFinder_length+8)(BX), AX
	LEAQ -8(DI)(AX*8), AX
	MOVQ AX, out_cap+40(FP) // out + len(f.length)-1 entries
	MOVQ out_len+32(FP), AX
	LEAQ -8(DI)(AX*8), DI

start:
	MOVL $1, R11
	SHLL CX, R11
	DECL R11
	XORL R10, R10

position:
	CMPQ SI, to+16(FP)
	JAE done
	TESTQ DI, DI
	JZ prefetch
	LEAQ (DI)(R10*8), R13 // the next free entry
	CMPQ R13, out_cap+40(FP)
	JB done

prefetch:
	// prefetchAhead (climb.go): a step each of the paths of the
	// positions 4G, 3G, 2G and G ahead; BX the ring (f.ahead).
	LEAQ (4*G)(SI), AX
	MOVQ f+0(FP), BX
	CMPQ AX, (lcpFinder_in+8)(BX) // len(f.in)
	JAE climb
	MOVL (16*G)(R9)(SI*4), AX // the deepest interval of p+4G
	ANDL R11, AX
	PREFETCHT0 (R8)(AX*4)
	LEAQ lcpFinder_ahead(BX), BX
	LEAQ G(SI), DX // p+G: the source of its second interval
	ANDQ $15, DX
	MOVL 64(BX)(DX*4), AX
	MOVL (R8)(AX*4), AX
	ANDL R11, AX
	PREFETCHT0 (R9)(AX*4)
	LEAQ (2*G)(SI), DX // p+2G: the source's link
	ANDQ $15, DX
	MOVL (BX)(DX*4), AX
	MOVL (R9)(AX*4), AX
	ANDL R11, AX
	MOVL AX, 64(BX)(DX*4)
	PREFETCHT0 (R8)(AX*4)
	MOVL (12*G)(R9)(SI*4), AX // p+3G: the source holding its deepest interval
	ANDL R11, AX
	MOVL (R8)(AX*4), AX
	ANDL R11, AX
	LEAQ (3*G)(SI), DX
	ANDQ $15, DX
	MOVL AX, (BX)(DX*4)
	PREFETCHT0 (R9)(AX*4)

climb:
	MOVL (R9)(SI*4), AX // ref = links[p]
	MOVL $0, (R9)(SI*4)

	// The next position's first up (R12) and, if a source, its link
	// (R15; else links[0]), loaded here, before this climb's branches
	// (they mispredict about once a position: loads after them wait
	// for them). This climb may rewrite both: the next one reloads
	// them and takes the values loaded here (so its loads after them
	// do not wait) only when equal, so any value is safe (at a call's
	// first position R12 and R15 hold whatever they held). links[p+1]
	// itself is final: a climb writes only its own link and its
	// sources' (earlier positions).
	LEAQ 1(SI), R13
	CMPQ R13, to+16(FP)
	CMOVQCC SI, R13 // p+1 past the call: links[p], now 0 (links[n] is scratch)
	MOVL (R9)(R13*4), R13
	ANDL R11, R13
	XORL R14, R14
	MOVL (R8)(R13*4), BX // up' (R12 is still this position's)
	MOVL BX, R13
	CMPL BX, R11
	CMOVLHI R14, R13 // not a source: links[0]
	MOVL (R9)(R13*4), R13

	MOVL AX, R14
	ANDL R11, R14
	MOVL (R8)(R14*4), DX // up = nodes[ref&mask]
	CMPL DX, R12
	JNE fresh
	// up is as loaded before the position before climbed: go on with
	// that register (the reload and its branch, predicted, only check
	// it) and the same for the source's link.
	MOVL R12, DX
	MOVL BX, R12
	CMPL DX, R11
	JHI unclaimedFirst
	TESTL DX, DX
	JZ rootFirst
	MOVL (R9)(DX*4), BX // next = links[q]
	CMPL BX, R15
	JNE freshLink
	MOVL R15, BX
	MOVL R13, R15
	JMP fresher

freshLink:
	MOVL R13, R15
	JMP fresher

unclaimedFirst:
	MOVL R13, R15
	MOVL SI, (R8)(R14*4)
	MOVL DX, AX
	JMP unclaimed

rootFirst:
	MOVL R13, R15
	MOVL R14, BX
	JMP claimed

fresh:
	MOVL BX, R12
	MOVL R13, R15
	MOVL R14, BX
	JMP upChecked

	// Up through the intervals no position has claimed (parent refs,
	// lcp bits set): p claims each.
unclaimed:
	MOVL AX, BX
	ANDL R11, BX
	MOVL (R8)(BX*4), DX // up = nodes[ref&mask]
upChecked:
	CMPL DX, R11
	JLS claimed
	MOVL SI, (R8)(BX*4)
	MOVL DX, AX
	JMP unclaimed

claimed:
	TESTL DX, DX
	JNZ sources
	// ref is the root or an unclaimed child of the root.
	TESTL AX, AX
	JZ next
	MOVL SI, (R8)(BX*4)
	JMP next

	// DX is the source q holding ref; BX its link, past the intervals
	// q still holds.
sources:
	MOVL (R9)(DX*4), BX // next = links[q]
fresher:
	CMPL BX, AX
	JLS take
	MOVL BX, R13 // stale: the position that took over at next
	ANDL R11, R13
	MOVL (R8)(R13*4), DX
	MOVL (R9)(DX*4), BX
	JMP fresher

take:
	MOVL AX, R13
	ANDL R11, R13
	MOVL SI, (R8)(R13*4) // nodes[ref&mask] = p
	MOVL AX, (R9)(DX*4)  // links[q] = ref
	TESTQ DI, DI
	JZ up
	// One 8-byte store a match, downward from out's last entry (R10
	// counts down from 0), so they end up shortest first.
	MOVL SI, R13
	SUBL DX, R13
	SHLQ $32, R13 // offset
	MOVL AX, R14
	SHRL CX, R14
	ORQ R14, R13 // code
	MOVQ R13, (DI)(R10*8)
	DECQ R10

up:
	TESTL BX, BX
	JZ next
	MOVL BX, AX // ref = next
	ANDL R11, BX
	MOVL (R8)(BX*4), DX // q = nodes[ref&mask]
	JMP sources

next:
	MOVQ ends+48(FP), R13
	TESTQ R13, R13
	JZ advance
	MOVQ SI, R14 // ends[p-from] = the matches written so far
	SUBQ from+8(FP), R14
	MOVL R10, BX
	NEGL BX
	MOVL BX, (R13)(R14*4)

advance:
	INCL SI
	JMP position

done:
	NEGQ R10
	MOVQ R10, k+56(FP)
	MOVQ SI, end+64(FP)
	RET
