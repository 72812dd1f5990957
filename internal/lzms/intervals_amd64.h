// Shared by intervals_amd64.s and phi_amd64.s: the interval scans keep
// the same registers (R8 nodes, R9 links, R11 the stack's top address, DX
// its value, R14 its lcp, BX the rank's lcp, DI the next interval index,
// R13 the position mask, CX the previous position, SI the rank).

// OPEN pushes a new interval of lcp BX (index DI, then DI+1) on the stack
// at R11 and makes it the top (DX) and the top's lcp (R14).
#define OPEN \
	MOVL BX, DX;   \
	ORL  DI, DX;   \
	ADDQ $4, R11;  \
	MOVL DX, (R11); \
	INCL DI;       \
	MOVL BX, R14

// INTERVALS_CLOSE is the end of both interval scans' loop (intervalsAsm,
// intervalsPhiAsm), from the label close: each interval deeper than the
// lcp BX closes (its index into R10, the one under it, up, into DX with
// its lcp, masked by LCPBITS, into R14), and becomes the child of up or of
// an interval of lcp BX opened in its place (nodes[closed] = up); then the
// next rank (labels next, loop), and after the last, the intervals still
// open close on the stack from R11 down (flush, pop, root), and the count
// of intervals (DI) is stored in COUNT.
#define INTERVALS_CLOSE(LCPBITS, COUNT) \
	close: MOVL DX, R10; \
	ANDL R13, R10; \
	SUBQ $4, R11; \
	MOVL (R11), DX; \
	MOVL DX, R14; \
	ANDL LCPBITS, R14; \
	CMPL BX, R14; \
	JLS parent; \
	OPEN; \
	parent: MOVL DX, (R8)(R10*4); \
	CMPL BX, R14; \
	JCS close; \
	next: INCQ SI; \
	CMPQ SI, n+16(FP); \
	JCS loop; \
	flush: MOVL DX, (R9)(CX*4); \
	MOVQ stack+32(FP), R10; \
	pop: CMPQ R11, R10; \
	JLS root; \
	MOVL (R11), AX; \
	ANDL R13, AX; \
	MOVL -4(R11), BX; \
	MOVL BX, (R8)(AX*4); \
	SUBQ $4, R11; \
	JMP pop; \
	root: MOVL $0, (R8); \
	MOVQ DI, COUNT; \
	RET
