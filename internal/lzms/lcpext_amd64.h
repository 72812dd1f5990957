// LCPEXT(a, b): DX = the length of the common prefix of the text (R10) at
// positions a and b, counting from DX, at most BX (8 bytes at a time, then
// byte by byte); then on to the label store. Clobbers R14, R15. Used once
// per function (its labels words, differ and bytes). Shared by the lcp
// scans (direct_amd64.s, phi_amd64.s).
#define LCPEXT(a, b) \
words: \
	LEAQ 8(DX), R14; \
	CMPQ R14, BX; \
	JHI bytes; \
	LEAQ (a)(DX*1), R14; \
	LEAQ (b)(DX*1), R15; \
	MOVQ (R10)(R14*1), R14; \
	XORQ (R10)(R15*1), R14; \
	JNZ differ; \
	ADDQ $8, DX; \
	JMP words; \
differ: \
	BSFQ R14, R14; \
	SHRQ $3, R14; \
	ADDQ R14, DX; \
	JMP store; \
bytes: \
	CMPQ DX, BX; \
	JAE store; \
	LEAQ (a)(DX*1), R14; \
	LEAQ (b)(DX*1), R15; \
	MOVBLZX (R10)(R14*1), R14; \
	CMPB R14B, (R10)(R15*1); \
	JNE store; \
	INCQ DX; \
	JMP bytes
