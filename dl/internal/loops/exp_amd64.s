//go:build amd64 && !purego

#include "textflag.h"

// The loops of exp.go, four float64 values to a Y register. Each does
// what the Go function of the same name without AVX2 does, operation for
// operation (an FMA where it calls math.FMA), so that both give the same
// bits. The constants are rows of vecConst (exp_amd64.go), four copies of
// each, so that an instruction can take them from memory.

#define LO       ·vecConst+0(SB)
#define HI       ·vecConst+32(SB)
#define LOG2E    ·vecConst+64(SB)
#define SHIFTER  ·vecConst+96(SB)
#define LN2HI    ·vecConst+128(SB)
#define LN2LO    ·vecConst+160(SB)
#define ONE      ·vecConst+192(SB)
#define MASK12   ·vecConst+224(SB)
#define C2       ·vecConst+256(SB)
#define C3       ·vecConst+288(SB)
#define C4       ·vecConst+320(SB)
#define C5       ·vecConst+352(SB)
#define C6       ·vecConst+384(SB)
#define C7       ·vecConst+416(SB)
#define C8       ·vecConst+448(SB)
#define C9       ·vecConst+480(SB)
#define C10      ·vecConst+512(SB)
#define C11      ·vecConst+544(SB)
#define C12      ·vecConst+576(SB)
#define C13      ·vecConst+608(SB)
#define TWOK     ·vecConst+640(SB)
#define GELUC    ·vecConst+672(SB)
#define HALF     ·vecConst+704(SB)
#define TWO      ·vecConst+736(SB)
#define ABS      ·vecConst+768(SB)
#define SIGN     ·vecConst+800(SB)
#define TANHP0   ·vecConst+832(SB)
#define TANHP1   ·vecConst+864(SB)
#define TANHP2   ·vecConst+896(SB)
#define TANHQ0   ·vecConst+928(SB)
#define TANHQ1   ·vecConst+960(SB)
#define TANHQ2   ·vecConst+992(SB)
#define TANHCUT  ·vecConst+1024(SB)
#define GELUC3   ·vecConst+1056(SB)

// EXP(x, t, u, v, w, s, d) replaces the four values in x by their
// exponentials, as exp in exp.go, with the other six registers as
// scratch:
//
//	x = min(max(x, LO), HI)          (VMAXPD and VMINPD return x if NaN)
//	t = x·log₂e + shifter            n + 2046 in its low bits
//	u = t - shifter                  n
//	x = x - n·ln2Hi                  rh
//	u = n·ln2Lo                      rl
//	v = rh - rl                      r
//	w = q(r)                         Horner, C13 down to C2
//	s = 1 + rh
//	x = rh - (s - 1) - rl            lo
//	s = s + (q·r² + lo)              e^r
//	x = s · 2^k1 · 2^k2              k = low 12 bits of t, k1 = k>>1, k2 = k-k1
#define EXP(x, t, u, v, w, s, d) \
	VMOVUPD      LO, t; \
	VMAXPD       x, t, x; \
	VMOVUPD      HI, t; \
	VMINPD       x, t, x; \
	VMOVUPD      SHIFTER, t; \
	VFMADD231PD  LOG2E, x, t; \
	VSUBPD       SHIFTER, t, u; \
	VFNMADD231PD LN2HI, u, x; \
	VMULPD       LN2LO, u, u; \
	VSUBPD       u, x, v; \
	VMOVUPD      C13, w; \
	VFMADD213PD  C12, v, w; \
	VFMADD213PD  C11, v, w; \
	VFMADD213PD  C10, v, w; \
	VFMADD213PD  C9, v, w; \
	VFMADD213PD  C8, v, w; \
	VFMADD213PD  C7, v, w; \
	VFMADD213PD  C6, v, w; \
	VFMADD213PD  C5, v, w; \
	VFMADD213PD  C4, v, w; \
	VFMADD213PD  C3, v, w; \
	VFMADD213PD  C2, v, w; \
	VMULPD       v, v, v; \
	VADDPD       ONE, x, s; \
	VSUBPD       ONE, s, d; \
	VSUBPD       d, x, x; \
	VSUBPD       u, x, x; \
	VFMADD213PD  x, v, w; \
	VADDPD       w, s, s; \
	VPAND        MASK12, t, t; \
	VPSRLQ       $1, t, v; \
	VPSUBQ       v, t, t; \
	VPSLLQ       $52, v, v; \
	VPSLLQ       $52, t, t; \
	VMULPD       v, s, x; \
	VMULPD       t, x, x

// UNARY loads the arguments of a loop func(dst, src *float64, n int):
// dst into DI, src into SI and the number of blocks of 4, n/4, into CX.
#define UNARY \
	MOVQ dst+0(FP), DI; \
	MOVQ src+8(FP), SI; \
	MOVQ n+16(FP), CX; \
	SHRQ $2, CX

// NEXT moves DI and SI on to the next block and goes back to loop if CX,
// counted down, is not 0; then it returns.
#define NEXT(loop) \
	ADDQ $32, SI; \
	ADDQ $32, DI; \
	DECQ CX; \
	JNZ  loop; \
	VZEROUPPER; \
	RET

// func expAVX2(dst, src *float64, n int)
TEXT ·expAVX2(SB), NOSPLIT, $0-24
	UNARY

exploop:
	VMOVUPD (SI), Y0
	EXP(Y0, Y1, Y2, Y3, Y4, Y5, Y6)
	VMOVUPD Y0, (DI)
	NEXT(exploop)

// func geluAVX2(dst, th, src *float64, n int)
//
// th = 1 - 2/(e^(2u) + 1), 2u = (x·x·GELUC·x + x)·TWOK, dst = 0.5·x·(1 + th).
TEXT ·geluAVX2(SB), NOSPLIT, $0-32
	MOVQ dst+0(FP), DI
	MOVQ th+8(FP), DX
	MOVQ src+16(FP), SI
	MOVQ n+24(FP), CX
	SHRQ $2, CX

geluloop:
	VMOVUPD     (SI), Y8
	VMULPD      Y8, Y8, Y0
	VMULPD      GELUC, Y0, Y0
	VFMADD213PD Y8, Y8, Y0
	VMULPD      TWOK, Y0, Y0
	EXP(Y0, Y1, Y2, Y3, Y4, Y5, Y6)
	VADDPD      ONE, Y0, Y0
	VMOVUPD     TWO, Y1
	VDIVPD      Y0, Y1, Y0
	VMOVUPD     ONE, Y1
	VSUBPD      Y0, Y1, Y0
	VMOVUPD     Y0, (DX)
	VADDPD      ONE, Y0, Y0
	VMULPD      HALF, Y8, Y8
	VMULPD      Y0, Y8, Y8
	VMOVUPD     Y8, (DI)
	ADDQ        $32, SI
	ADDQ        $32, DX
	ADDQ        $32, DI
	DECQ        CX
	JNZ         geluloop
	VZEROUPPER
	RET

// func geluGradAVX2(gx, grad, x, th *float64, n int)
//
// gx += g·(0.5·(1 + t) + 0.5·x·(1 - t·t)·GELUK·(1 + 3·GELUC·x·x)), in
// that order of operations. GELUK is TWOK/2, exactly.
TEXT ·geluGradAVX2(SB), NOSPLIT, $0-40
	MOVQ    gx+0(FP), DI
	MOVQ    grad+8(FP), DX
	MOVQ    x+16(FP), SI
	MOVQ    th+24(FP), BX
	MOVQ    n+32(FP), CX
	SHRQ    $2, CX
	VMOVUPD HALF, Y8
	VMOVUPD ONE, Y9
	VMOVUPD TWOK, Y10
	VMULPD  Y8, Y10, Y10 // GELUK

gradloop:
	VMOVUPD (SI), Y0  // x
	VMOVUPD (BX), Y1  // t
	VMULPD  Y1, Y1, Y2
	VSUBPD  Y2, Y9, Y2 // 1 - t·t
	VMULPD  Y8, Y0, Y3 // 0.5·x
	VMULPD  Y2, Y3, Y3
	VMULPD  Y10, Y3, Y3
	VMULPD  GELUC3, Y0, Y4
	VMULPD  Y0, Y4, Y4
	VADDPD  Y9, Y4, Y4 // 1 + 3·GELUC·x·x
	VMULPD  Y4, Y3, Y3
	VADDPD  Y9, Y1, Y1
	VMULPD  Y8, Y1, Y1 // 0.5·(1 + t)
	VADDPD  Y3, Y1, Y1
	VMULPD  (DX), Y1, Y1
	VADDPD  (DI), Y1, Y1
	VMOVUPD Y1, (DI)
	ADDQ    $32, SI
	ADDQ    $32, BX
	ADDQ    $32, DX
	ADDQ    $32, DI
	DECQ    CX
	JNZ     gradloop
	VZEROUPPER
	RET

// func sigmoidAVX2(dst, src *float64, n int)
//
// e = e^-|x|, dst = (x < 0 ? e : 1) / (1 + e).
TEXT ·sigmoidAVX2(SB), NOSPLIT, $0-24
	UNARY
	VXORPD  Y9, Y9, Y9
	VMOVUPD ONE, Y10

sigmoidloop:
	VMOVUPD   (SI), Y8
	VANDPD    ABS, Y8, Y0
	VXORPD    SIGN, Y0, Y0
	EXP(Y0, Y1, Y2, Y3, Y4, Y5, Y6)
	VADDPD    ONE, Y0, Y1
	VCMPPD    $0x11, Y9, Y8, Y2 // x < 0, quiet
	VBLENDVPD Y2, Y0, Y10, Y0   // x < 0 ? e : 1
	VDIVPD    Y1, Y0, Y0
	VMOVUPD   Y0, (DI)
	NEXT(sigmoidloop)

// func tanhAVX2(dst, src *float64, n int)
//
// z = |x|; big = 1 - 2/(e^(2z) + 1); small = z·s·(P(s)/Q(s)) + z, s = z²;
// dst = (z < 0.625 ? small : big) with the sign of x.
TEXT ·tanhAVX2(SB), NOSPLIT, $0-24
	UNARY

tanhloop:
	VMOVUPD     (SI), Y8
	VANDPD      ABS, Y8, Y9
	VADDPD      Y9, Y9, Y0
	EXP(Y0, Y1, Y2, Y3, Y4, Y5, Y6)
	VADDPD      ONE, Y0, Y0
	VMOVUPD     TWO, Y1
	VDIVPD      Y0, Y1, Y0
	VMOVUPD     ONE, Y1
	VSUBPD      Y0, Y1, Y0
	VMULPD      Y9, Y9, Y10
	VMOVUPD     TANHP0, Y11
	VFMADD213PD TANHP1, Y10, Y11
	VFMADD213PD TANHP2, Y10, Y11
	VADDPD      TANHQ0, Y10, Y12
	VFMADD213PD TANHQ1, Y10, Y12
	VFMADD213PD TANHQ2, Y10, Y12
	VDIVPD      Y12, Y11, Y11
	VMULPD      Y10, Y9, Y10
	VFMADD213PD Y9, Y11, Y10
	VCMPPD      $0x11, TANHCUT, Y9, Y1 // z < 0.625, quiet
	VBLENDVPD   Y1, Y10, Y0, Y0
	VANDPD      ABS, Y0, Y0
	VANDPD      SIGN, Y8, Y8
	VORPD       Y8, Y0, Y0
	VMOVUPD     Y0, (DI)
	NEXT(tanhloop)

// func expShiftAVX2(dst, src *float64, n int, shift float64, acc *[4]float64)
//
// dst = e^(src - shift), unless dst is nil; acc += e^(src - shift), lane
// by lane.
TEXT ·expShiftAVX2(SB), NOSPLIT, $0-40
	MOVQ         dst+0(FP), DI
	MOVQ         src+8(FP), SI
	MOVQ         n+16(FP), CX
	VBROADCASTSD shift+24(FP), Y9
	MOVQ         acc+32(FP), DX
	VXORPD       Y8, Y8, Y8
	SHRQ         $2, CX

shiftloop:
	VMOVUPD (SI), Y0
	VSUBPD  Y9, Y0, Y0
	EXP(Y0, Y1, Y2, Y3, Y4, Y5, Y6)
	VADDPD  Y0, Y8, Y8
	ADDQ    $32, SI
	TESTQ   DI, DI
	JZ      shiftnext
	VMOVUPD Y0, (DI)
	ADDQ    $32, DI

shiftnext:
	DECQ    CX
	JNZ     shiftloop
	VMOVUPD Y8, (DX)
	VZEROUPPER
	RET

// func maxAVX2(x *float64, n int, m *[4]float64)
//
// m = VMAXPD(m, x) for each block of x: m > x ? m : x, lane by lane.
TEXT ·maxAVX2(SB), NOSPLIT, $0-24
	MOVQ    x+0(FP), SI
	MOVQ    n+8(FP), CX
	MOVQ    m+16(FP), DX
	VMOVUPD (DX), Y0
	SHRQ    $2, CX

maxloop:
	VMAXPD  (SI), Y0, Y0
	ADDQ    $32, SI
	DECQ    CX
	JNZ     maxloop
	VMOVUPD Y0, (DX)
	VZEROUPPER
	RET

// func scaleAVX2(x *float64, n int, c float64)
TEXT ·scaleAVX2(SB), NOSPLIT, $0-24
	MOVQ         x+0(FP), SI
	MOVQ         n+8(FP), CX
	VBROADCASTSD c+16(FP), Y1
	SHRQ         $2, CX

scaleloop:
	VMULPD  (SI), Y1, Y0
	VMOVUPD Y0, (SI)
	ADDQ    $32, SI
	DECQ    CX
	JNZ     scaleloop
	VZEROUPPER
	RET
