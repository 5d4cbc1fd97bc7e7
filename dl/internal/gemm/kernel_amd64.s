//go:build amd64 && !purego && !(openblas && cgo)

#include "textflag.h"

// STEP does one step of the inner loop: it loads a row of the B
// micro-panel (8 values, at bo(DI)) into Y0 and Y1, broadcasts each of the
// 6 values of a row of the A micro-panel (at ao(SI)) and adds their
// products into the accumulators Y4…Y15, two per row of C.
#define STEP(ao, bo) \
	VMOVUPD      bo(DI), Y0;      \
	VMOVUPD      (bo+32)(DI), Y1; \
	VBROADCASTSD ao(SI), Y2;      \
	VFMADD231PD  Y0, Y2, Y4;      \
	VFMADD231PD  Y1, Y2, Y5;      \
	VBROADCASTSD (ao+8)(SI), Y3;  \
	VFMADD231PD  Y0, Y3, Y6;      \
	VFMADD231PD  Y1, Y3, Y7;      \
	VBROADCASTSD (ao+16)(SI), Y2; \
	VFMADD231PD  Y0, Y2, Y8;      \
	VFMADD231PD  Y1, Y2, Y9;      \
	VBROADCASTSD (ao+24)(SI), Y3; \
	VFMADD231PD  Y0, Y3, Y10;     \
	VFMADD231PD  Y1, Y3, Y11;     \
	VBROADCASTSD (ao+32)(SI), Y2; \
	VFMADD231PD  Y0, Y2, Y12;     \
	VFMADD231PD  Y1, Y2, Y13;     \
	VBROADCASTSD (ao+40)(SI), Y3; \
	VFMADD231PD  Y0, Y3, Y14;     \
	VFMADD231PD  Y1, Y3, Y15

// STORE adds the accumulators lo and hi to the row of C at DX and moves DX
// to the next row.
#define STORE(lo, hi) \
	VADDPD  (DX), lo, lo;   \
	VMOVUPD lo, (DX);       \
	VADDPD  32(DX), hi, hi; \
	VMOVUPD hi, 32(DX);     \
	ADDQ    R8, DX

// func kernel6x8(k int, a, b, c *float64, ldc int)
TEXT ·kernel6x8(SB), NOSPLIT, $0-40
	MOVQ k+0(FP), CX
	MOVQ a+8(FP), SI
	MOVQ b+16(FP), DI
	MOVQ c+24(FP), DX
	MOVQ ldc+32(FP), R8
	SHLQ $3, R8

	VXORPD Y4, Y4, Y4
	VXORPD Y5, Y5, Y5
	VXORPD Y6, Y6, Y6
	VXORPD Y7, Y7, Y7
	VXORPD Y8, Y8, Y8
	VXORPD Y9, Y9, Y9
	VXORPD Y10, Y10, Y10
	VXORPD Y11, Y11, Y11
	VXORPD Y12, Y12, Y12
	VXORPD Y13, Y13, Y13
	VXORPD Y14, Y14, Y14
	VXORPD Y15, Y15, Y15

	MOVQ CX, R9
	SHRQ $2, R9
	ANDQ $3, CX
	TESTQ R9, R9
	JZ   tail

loop4:
	STEP(0, 0)
	STEP(48, 64)
	STEP(96, 128)
	STEP(144, 192)
	ADDQ $192, SI
	ADDQ $256, DI
	DECQ R9
	JNZ  loop4

tail:
	TESTQ CX, CX
	JZ    store

loop1:
	STEP(0, 0)
	ADDQ $48, SI
	ADDQ $64, DI
	DECQ CX
	JNZ  loop1

store:
	STORE(Y4, Y5)
	STORE(Y6, Y7)
	STORE(Y8, Y9)
	STORE(Y10, Y11)
	STORE(Y12, Y13)
	STORE(Y14, Y15)
	VZEROUPPER
	RET
