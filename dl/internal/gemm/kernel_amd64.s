//go:build amd64 && !purego && !(openblas && cgo)

#include "textflag.h"

// KSTEP does one step of the inner loop of a micro-kernel whose values
// are s bytes long: it loads a row of the B micro-panel (64 bytes: 8
// float64 or 16 float32, at bo(DI)) into Y0 and Y1 with load, broadcasts
// each of the 6 values of a row of the A micro-panel (at ao(SI)) with
// bcast and adds their products into the accumulators Y4…Y15 with fma,
// two per row of C.
#define KSTEP(load, bcast, fma, s, ao, bo) \
	load  bo(DI), Y0;        \
	load  (bo+32)(DI), Y1;   \
	bcast ao(SI), Y2;        \
	fma   Y0, Y2, Y4;        \
	fma   Y1, Y2, Y5;        \
	bcast (ao+s)(SI), Y3;    \
	fma   Y0, Y3, Y6;        \
	fma   Y1, Y3, Y7;        \
	bcast (ao+2*s)(SI), Y2;  \
	fma   Y0, Y2, Y8;        \
	fma   Y1, Y2, Y9;        \
	bcast (ao+3*s)(SI), Y3;  \
	fma   Y0, Y3, Y10;       \
	fma   Y1, Y3, Y11;       \
	bcast (ao+4*s)(SI), Y2;  \
	fma   Y0, Y2, Y12;       \
	fma   Y1, Y2, Y13;       \
	bcast (ao+5*s)(SI), Y3;  \
	fma   Y0, Y3, Y14;       \
	fma   Y1, Y3, Y15

// STEP is a step of the float64 kernel (6×8), STEP32 of the float32 one
// (6×16, for Dgemm32).
#define STEP(ao, bo) KSTEP(VMOVUPD, VBROADCASTSD, VFMADD231PD, 8, ao, bo)
#define STEP32(ao, bo) KSTEP(VMOVUPS, VBROADCASTSS, VFMADD231PS, 4, ao, bo)

// KERNEL is the start of a micro-kernel: it loads the arguments k (into
// CX), a (SI), b (DI), c (DX) and ldc (R8, in bytes), zeroes the
// accumulators Y4…Y15 and adds to them, with step, the products of the k
// rows of the packed A micro-panel (arow bytes a row) and the B
// micro-panel (64 bytes a row): four rows at a time, then one at a time.
// The kernel goes on with storing the accumulators.
#define KERNEL(step, arow) \
	MOVQ  k+0(FP), CX;     \
	MOVQ  a+8(FP), SI;     \
	MOVQ  b+16(FP), DI;    \
	MOVQ  c+24(FP), DX;    \
	MOVQ  ldc+32(FP), R8;  \
	SHLQ  $3, R8;          \
	ZERO12;                \
	MOVQ  CX, R9;          \
	SHRQ  $2, R9;          \
	ANDQ  $3, CX;          \
	TESTQ R9, R9;          \
	JZ    tail;            \
loop4:                     \
	step(0, 0);            \
	step(arow, 64);        \
	step(2*arow, 128);     \
	step(3*arow, 192);     \
	ADDQ  $(4*arow), SI;   \
	ADDQ  $256, DI;        \
	DECQ  R9;              \
	JNZ   loop4;           \
tail:                      \
	TESTQ CX, CX;          \
	JZ    store;           \
loop1:                     \
	step(0, 0);            \
	ADDQ  $arow, SI;       \
	ADDQ  $64, DI;         \
	DECQ  CX;              \
	JNZ   loop1;           \
store:

// STORE adds the accumulators lo and hi to the row of C at DX and moves DX
// to the next row.
#define STORE(lo, hi) \
	VADDPD  (DX), lo, lo;   \
	VMOVUPD lo, (DX);       \
	VADDPD  32(DX), hi, hi; \
	VMOVUPD hi, 32(DX);     \
	ADDQ    R8, DX

// TRANSPOSEMUL4 transposes the 4×4 block in Y0…Y3 (one row each) into
// Y8…Y11 (one column each) and multiplies it by Y12.
#define TRANSPOSEMUL4 \
	VUNPCKLPD  Y1, Y0, Y4;          \
	VUNPCKHPD  Y1, Y0, Y5;          \
	VUNPCKLPD  Y3, Y2, Y6;          \
	VUNPCKHPD  Y3, Y2, Y7;          \
	VPERM2F128 $0x20, Y6, Y4, Y8;   \
	VPERM2F128 $0x20, Y7, Y5, Y9;   \
	VPERM2F128 $0x31, Y6, Y4, Y10;  \
	VPERM2F128 $0x31, Y7, Y5, Y11;  \
	VMULPD     Y12, Y8, Y8;         \
	VMULPD     Y12, Y9, Y9;         \
	VMULPD     Y12, Y10, Y10;       \
	VMULPD     Y12, Y11, Y11

// TRANSPOSE4 transposes the 4×4 block in Y0…Y3 (one row each) and stores
// its columns, times Y12, at off, off+stride, off+2·stride and
// off+3·stride bytes from DI.
#define TRANSPOSE4(off, stride) \
	TRANSPOSEMUL4;                  \
	VMOVUPD    Y8, off(DI);         \
	VMOVUPD    Y9, (off+stride)(DI); \
	VMOVUPD    Y10, (off+2*stride)(DI); \
	VMOVUPD    Y11, (off+3*stride)(DI)

// GATHERARGS loads the arguments of gather8 and gather6: CX = n,
// SI = src (row 0), R9 = row 4, R8 = ld in bytes, R10 = 3·ld in bytes,
// DI = dst, Y12 = alpha; and tests CX.
#define GATHERARGS \
	MOVQ         n+0(FP), CX;      \
	MOVQ         src+8(FP), SI;    \
	MOVQ         ld+16(FP), R8;    \
	MOVQ         dst+24(FP), DI;   \
	VBROADCASTSD alpha+32(FP), Y12; \
	SHLQ         $3, R8;           \
	LEAQ         (SI)(R8*4), R9;   \
	LEAQ         (R8)(R8*2), R10;  \
	TESTQ        CX, CX

// LOAD4 loads 4 values from each of the 4 rows from base into Y0…Y3.
#define LOAD4(base) \
	VMOVUPD (base), Y0;         \
	VMOVUPD (base)(R8*1), Y1;   \
	VMOVUPD (base)(R8*2), Y2;   \
	VMOVUPD (base)(R10*1), Y3

// DEALARGS loads the arguments of deal8, deal6, deal16s and deal6s:
// CX = n, SI = src, R8 = stride in bytes (of values 1<<shift bytes long),
// DI = dst, Y12 = alpha; and tests CX.
#define DEALARGS(shift) \
	MOVQ         n+0(FP), CX;       \
	MOVQ         src+8(FP), SI;     \
	MOVQ         stride+16(FP), R8; \
	MOVQ         dst+24(FP), DI;    \
	VBROADCASTSD alpha+32(FP), Y12; \
	SHLQ         $shift, R8;        \
	TESTQ        CX, CX

// ZERO12 zeroes the accumulators Y4…Y15.
#define ZERO12 \
	VXORPD Y4, Y4, Y4;    \
	VXORPD Y5, Y5, Y5;    \
	VXORPD Y6, Y6, Y6;    \
	VXORPD Y7, Y7, Y7;    \
	VXORPD Y8, Y8, Y8;    \
	VXORPD Y9, Y9, Y9;    \
	VXORPD Y10, Y10, Y10; \
	VXORPD Y11, Y11, Y11; \
	VXORPD Y12, Y12, Y12; \
	VXORPD Y13, Y13, Y13; \
	VXORPD Y14, Y14, Y14; \
	VXORPD Y15, Y15, Y15

// STORE12 adds the accumulators to the 6×8 tile of C at DX, rows R8 bytes
// apart.
#define STORE12 \
	STORE(Y4, Y5);   \
	STORE(Y6, Y7);   \
	STORE(Y8, Y9);   \
	STORE(Y10, Y11); \
	STORE(Y12, Y13); \
	STORE(Y14, Y15)

// RSTORE is STORE for the first AX rows of a tile: it jumps to done after
// the last.
#define RSTORE(lo, hi) \
	STORE(lo, hi); \
	DECQ AX;       \
	JZ   done

// PSTORE adds the columns of the accumulators lo and hi that the masks Y0
// and Y1 select to the row of C at DX, moves DX to the next row, and jumps
// to done after the last of AX rows.
#define PSTORE(lo, hi) \
	VMASKMOVPD (DX), Y0, Y2;   \
	VADDPD     Y2, lo, lo;     \
	VMASKMOVPD lo, Y0, (DX);   \
	VMASKMOVPD 32(DX), Y1, Y3; \
	VADDPD     Y3, hi, hi;     \
	VMASKMOVPD hi, Y1, 32(DX); \
	ADDQ       R8, DX;         \
	DECQ       AX;             \
	JZ         done

// edgemask is 16 int64 of all ones then 16 zeros: the 4 from i are the
// mask of the lanes j < 16-i.
DATA edgemask<>+0(SB)/8, $-1
DATA edgemask<>+8(SB)/8, $-1
DATA edgemask<>+16(SB)/8, $-1
DATA edgemask<>+24(SB)/8, $-1
DATA edgemask<>+32(SB)/8, $-1
DATA edgemask<>+40(SB)/8, $-1
DATA edgemask<>+48(SB)/8, $-1
DATA edgemask<>+56(SB)/8, $-1
DATA edgemask<>+64(SB)/8, $-1
DATA edgemask<>+72(SB)/8, $-1
DATA edgemask<>+80(SB)/8, $-1
DATA edgemask<>+88(SB)/8, $-1
DATA edgemask<>+96(SB)/8, $-1
DATA edgemask<>+104(SB)/8, $-1
DATA edgemask<>+112(SB)/8, $-1
DATA edgemask<>+120(SB)/8, $-1
DATA edgemask<>+128(SB)/8, $0
DATA edgemask<>+136(SB)/8, $0
DATA edgemask<>+144(SB)/8, $0
DATA edgemask<>+152(SB)/8, $0
DATA edgemask<>+160(SB)/8, $0
DATA edgemask<>+168(SB)/8, $0
DATA edgemask<>+176(SB)/8, $0
DATA edgemask<>+184(SB)/8, $0
DATA edgemask<>+192(SB)/8, $0
DATA edgemask<>+200(SB)/8, $0
DATA edgemask<>+208(SB)/8, $0
DATA edgemask<>+216(SB)/8, $0
DATA edgemask<>+224(SB)/8, $0
DATA edgemask<>+232(SB)/8, $0
DATA edgemask<>+240(SB)/8, $0
DATA edgemask<>+248(SB)/8, $0
GLOBL edgemask<>(SB), RODATA|NOPTR, $256

// func kernel6x8(k int, a, b, c *float64, ldc, mm, nn int)
// adds the product of the packed 6×k micro-panel a and the packed k×8
// micro-panel b to the tile of C at c, rows ldc values apart: to all of
// it, or to only its first mm rows and nn columns when mm < 6 or nn < 8.
TEXT ·kernel6x8(SB), NOSPLIT, $0-56
	KERNEL(STEP, 48)
	MOVQ mm+40(FP), AX
	MOVQ nn+48(FP), BX
	CMPQ AX, $6
	JNE  partial
	CMPQ BX, $8
	JNE  partial
	STORE12
	VZEROUPPER
	RET

partial:
	// All 8 columns of the first mm rows: no masks.
	CMPQ BX, $8
	JNE  masked
	RSTORE(Y4, Y5)
	RSTORE(Y6, Y7)
	RSTORE(Y8, Y9)
	RSTORE(Y10, Y11)
	RSTORE(Y12, Y13)

masked:
	// Masks for the columns j < nn: Y0 for the first four, Y1 for the
	// last four, from the table of 16 ones (all bits) and 16 zeros.
	NEGQ    BX
	ADDQ    $16, BX
	LEAQ    edgemask<>(SB), R9
	VMOVDQU (R9)(BX*8), Y0
	VMOVDQU 32(R9)(BX*8), Y1
	PSTORE(Y4, Y5)
	PSTORE(Y6, Y7)
	PSTORE(Y8, Y9)
	PSTORE(Y10, Y11)
	PSTORE(Y12, Y13)
	PSTORE(Y14, Y15)

done:
	VZEROUPPER
	RET

// func kernel6x8s(k int, a *float64, lda int, b *float64, ldb int, c *float64, ldc int)
// is kernel6x8 on unpacked operands: row p of the A panel (6 values) is at
// a+p·lda and row p of the B panel (8 values) at b+p·ldb.
TEXT ·kernel6x8s(SB), NOSPLIT, $0-56
	MOVQ k+0(FP), CX
	MOVQ a+8(FP), SI
	MOVQ lda+16(FP), R9
	MOVQ b+24(FP), DI
	MOVQ ldb+32(FP), R10
	MOVQ c+40(FP), DX
	MOVQ ldc+48(FP), R8
	SHLQ $3, R8
	SHLQ $3, R9
	SHLQ $3, R10
	ZERO12
	TESTQ CX, CX
	JZ    sstore

sloop:
	PREFETCHT0 (SI)(R9*8)
	PREFETCHT0 (DI)(R10*8)
	STEP(0, 0)
	ADDQ R9, SI
	ADDQ R10, DI
	DECQ CX
	JNZ  sloop

sstore:
	STORE12
	VZEROUPPER
	RET





// func dot2x4(n int, x *float64, ldx int, y *float64, ldy int, out *[8]float64)
// sets out[4i+j] to the dot product of the first 4n values of row i of x
// and row j of y, for i < 2 and j < 4; rows are ldx and ldy values apart.
TEXT ·dot2x4(SB), NOSPLIT, $0-48
	MOVQ n+0(FP), CX
	MOVQ x+8(FP), SI
	MOVQ ldx+16(FP), R8
	MOVQ y+24(FP), DI
	MOVQ ldy+32(FP), R9
	MOVQ out+40(FP), DX
	SHLQ $3, R8
	SHLQ $3, R9
	LEAQ (SI)(R8*1), R10       // row 1 of x
	LEAQ (R9)(R9*2), R11       // 3 rows of y, in bytes
	VXORPD Y4, Y4, Y4
	VXORPD Y5, Y5, Y5
	VXORPD Y6, Y6, Y6
	VXORPD Y7, Y7, Y7
	VXORPD Y8, Y8, Y8
	VXORPD Y9, Y9, Y9
	VXORPD Y10, Y10, Y10
	VXORPD Y11, Y11, Y11
	XORQ   AX, AX
	TESTQ  CX, CX
	JZ     dotsum

dotloop:
	VMOVUPD     (SI)(AX*1), Y0
	VMOVUPD     (R10)(AX*1), Y1
	LEAQ        (DI)(AX*1), BX
	VMOVUPD     (BX), Y2
	VFMADD231PD Y0, Y2, Y4
	VFMADD231PD Y1, Y2, Y8
	VMOVUPD     (BX)(R9*1), Y3
	VFMADD231PD Y0, Y3, Y5
	VFMADD231PD Y1, Y3, Y9
	VMOVUPD     (BX)(R9*2), Y2
	VFMADD231PD Y0, Y2, Y6
	VFMADD231PD Y1, Y2, Y10
	VMOVUPD     (BX)(R11*1), Y3
	VFMADD231PD Y0, Y3, Y7
	VFMADD231PD Y1, Y3, Y11
	ADDQ        $32, AX
	DECQ        CX
	JNZ         dotloop

dotsum:
	// Sum the four lanes of each accumulator: out[0:4] from Y4…Y7,
	// out[4:8] from Y8…Y11.
	VHADDPD    Y5, Y4, Y12
	VHADDPD    Y7, Y6, Y13
	VPERM2F128 $0x20, Y13, Y12, Y0
	VPERM2F128 $0x31, Y13, Y12, Y1
	VADDPD     Y1, Y0, Y0
	VMOVUPD    Y0, (DX)
	VHADDPD    Y9, Y8, Y12
	VHADDPD    Y11, Y10, Y13
	VPERM2F128 $0x20, Y13, Y12, Y0
	VPERM2F128 $0x31, Y13, Y12, Y1
	VADDPD     Y1, Y0, Y0
	VMOVUPD    Y0, 32(DX)
	VZEROUPPER
	RET

// The float32 kernel and packing of Dgemm32.

// STORE32 converts the float32 accumulators lo and hi (xlo and xhi name
// their low halves) to float64, adds them to the 16 values of the row of
// C at DX, and moves DX to the next row.
#define STORE32(xlo, lo, xhi, hi) \
	VCVTPS2PD    xlo, Y0;        \
	VEXTRACTF128 $1, lo, X1;     \
	VCVTPS2PD    X1, Y1;         \
	VADDPD       (DX), Y0, Y0;   \
	VADDPD       32(DX), Y1, Y1; \
	VMOVUPD      Y0, (DX);       \
	VMOVUPD      Y1, 32(DX);     \
	VCVTPS2PD    xhi, Y2;        \
	VEXTRACTF128 $1, hi, X3;     \
	VCVTPS2PD    X3, Y3;         \
	VADDPD       64(DX), Y2, Y2; \
	VADDPD       96(DX), Y3, Y3; \
	VMOVUPD      Y2, 64(DX);     \
	VMOVUPD      Y3, 96(DX);     \
	ADDQ         R8, DX

// RSTORE32 is STORE32 for the first AX rows of a tile: it jumps to done32
// after the last.
#define RSTORE32(xlo, lo, xhi, hi) \
	STORE32(xlo, lo, xhi, hi); \
	DECQ AX;                   \
	JZ   done32

// PGROUP converts the 4 float32 values in the XMM register x to float64
// and adds them to the columns of the 4 at off(DX) that the mask at
// off(R9) selects.
#define PGROUP(x, off) \
	VCVTPS2PD  x, Y1;           \
	VMOVDQU    off(R9), Y0;     \
	VMASKMOVPD off(DX), Y0, Y2; \
	VADDPD     Y2, Y1, Y1;      \
	VMASKMOVPD Y1, Y0, off(DX)

// PSTORE32 is STORE32 for the columns j < nn of an edge tile, whose masks
// are at R9; it jumps to done32 after the last of AX rows.
#define PSTORE32(xlo, lo, xhi, hi) \
	PGROUP(xlo, 0);           \
	VEXTRACTF128 $1, lo, X3;  \
	PGROUP(X3, 32);           \
	PGROUP(xhi, 64);          \
	VEXTRACTF128 $1, hi, X3;  \
	PGROUP(X3, 96);           \
	ADDQ         R8, DX;      \
	DECQ         AX;          \
	JZ           done32

// TRANSPOSE4S transposes the 4×4 block in Y0…Y3 (one row each) and stores
// its columns, times Y12 and converted to float32, at off, off+stride,
// off+2·stride and off+3·stride bytes from DI.
#define TRANSPOSE4S(off, stride) \
	TRANSPOSEMUL4;                      \
	VCVTPD2PSY Y8, X8;                  \
	VCVTPD2PSY Y9, X9;                  \
	VCVTPD2PSY Y10, X10;                \
	VCVTPD2PSY Y11, X11;                \
	VMOVUPS    X8, off(DI);             \
	VMOVUPS    X9, (off+stride)(DI);    \
	VMOVUPS    X10, (off+2*stride)(DI); \
	VMOVUPS    X11, (off+3*stride)(DI)

// func kernel6x16(k int, a, b *float32, c *float64, ldc, mm, nn int)
// adds the product of the packed float32 6×k micro-panel a and k×16
// micro-panel b, summed in float32, to the float64 tile of C at c, rows
// ldc values apart: to all of it, or to only its first mm rows and nn
// columns when mm < 6 or nn < 16.
TEXT ·kernel6x16(SB), NOSPLIT, $0-56
	KERNEL(STEP32, 24)
	MOVQ mm+40(FP), AX
	MOVQ nn+48(FP), BX
	CMPQ AX, $6
	JNE  partial32
	CMPQ BX, $16
	JNE  partial32
	STORE32(X4, Y4, X5, Y5)
	STORE32(X6, Y6, X7, Y7)
	STORE32(X8, Y8, X9, Y9)
	STORE32(X10, Y10, X11, Y11)
	STORE32(X12, Y12, X13, Y13)
	STORE32(X14, Y14, X15, Y15)
	VZEROUPPER
	RET

partial32:
	// All 16 columns of the first mm rows: no masks.
	CMPQ BX, $16
	JNE  masked32
	RSTORE32(X4, Y4, X5, Y5)
	RSTORE32(X6, Y6, X7, Y7)
	RSTORE32(X8, Y8, X9, Y9)
	RSTORE32(X10, Y10, X11, Y11)
	RSTORE32(X12, Y12, X13, Y13)

masked32:
	// R9 points to the masks of the columns j < nn, four by four, in the
	// table of 16 ones (all bits) and 16 zeros.
	NEGQ BX
	ADDQ $16, BX
	LEAQ edgemask<>(SB), R9
	LEAQ (R9)(BX*8), R9
	PSTORE32(X4, Y4, X5, Y5)
	PSTORE32(X6, Y6, X7, Y7)
	PSTORE32(X8, Y8, X9, Y9)
	PSTORE32(X10, Y10, X11, Y11)
	PSTORE32(X12, Y12, X13, Y13)
	PSTORE32(X14, Y14, X15, Y15)

done32:
	VZEROUPPER
	RET

// The packing routines. Each one is a loop over n groups, DEAL or GATHER,
// around a body that packs one group.

// DEAL is a whole deal routine: for each of the n groups, body stores the
// values at SI, times alpha, at DI; then SI moves on by srcbytes and DI by
// the stride. shift is log2 of the size of the values stored at DI.
#define DEAL(shift, body, srcbytes) \
	DEALARGS(shift);     \
	JZ   dealdone;       \
dealloop:                \
	body;                \
	ADDQ $srcbytes, SI;  \
	ADDQ R8, DI;         \
	DECQ CX;             \
	JNZ  dealloop;       \
dealdone:                \
	VZEROUPPER;          \
	RET

// GATHER is a whole gather routine: for each of the n groups of 4
// columns, body packs them from the rows at SI (and at R9, 4 rows
// further) to DI; then SI and R9 move on by 4 values and DI by dstbytes.
#define GATHER(body, dstbytes) \
	GATHERARGS;          \
	JZ   gatherdone;     \
gatherloop:              \
	body;                \
	ADDQ $32, SI;        \
	ADDQ $32, R9;        \
	ADDQ $dstbytes, DI;  \
	DECQ CX;             \
	JNZ  gatherloop;     \
gatherdone:              \
	VZEROUPPER;          \
	RET

#define DEAL8 \
	VMULPD  (SI), Y12, Y0;   \
	VMULPD  32(SI), Y12, Y1; \
	VMOVUPD Y0, (DI);        \
	VMOVUPD Y1, 32(DI)

// func deal8(n int, src *float64, stride int, dst *float64, alpha float64)
// copies n groups of 8 consecutive values, times alpha, from src to dst,
// dst+stride, …
TEXT ·deal8(SB), NOSPLIT, $0-40
	DEAL(3, DEAL8, 64)

#define DEAL6 \
	VMULPD  (SI), Y12, Y0;   \
	VMULPD  32(SI), X12, X1; \
	VMOVUPD Y0, (DI);        \
	VMOVUPD X1, 32(DI)

// func deal6(n int, src *float64, stride int, dst *float64, alpha float64)
// copies n groups of 6 consecutive values, times alpha, from src to dst,
// dst+stride, …
TEXT ·deal6(SB), NOSPLIT, $0-40
	DEAL(3, DEAL6, 48)

#define GATHER8 \
	LOAD4(SI);          \
	TRANSPOSE4(0, 64);  \
	LOAD4(R9);          \
	TRANSPOSE4(32, 64)

// func gather8(n int, src *float64, ld int, dst *float64, alpha float64)
// sets dst[8q+j] = alpha·src[j·ld+q] for j < 8 and q < 4n.
TEXT ·gather8(SB), NOSPLIT, $0-40
	GATHER(GATHER8, 256)

// GATHER6 packs rows 0 to 3 as GATHER8 does; rows 4 and 5 are paired up:
// Y4 holds their values at q and q+2, Y5 at q+1 and q+3.
#define GATHER6 \
	LOAD4(SI);                \
	TRANSPOSE4(0, 48);        \
	VMOVUPD      (R9), Y0;    \
	VMOVUPD      (R9)(R8*1), Y1; \
	VUNPCKLPD    Y1, Y0, Y4;  \
	VUNPCKHPD    Y1, Y0, Y5;  \
	VMULPD       Y12, Y4, Y4; \
	VMULPD       Y12, Y5, Y5; \
	VMOVUPD      X4, 32(DI);  \
	VMOVUPD      X5, 80(DI);  \
	VEXTRACTF128 $1, Y4, X6;  \
	VEXTRACTF128 $1, Y5, X7;  \
	VMOVUPD      X6, 128(DI); \
	VMOVUPD      X7, 176(DI)

// func gather6(n int, src *float64, ld int, dst *float64, alpha float64)
// sets dst[6q+i] = alpha·src[i·ld+q] for i < 6 and q < 4n.
TEXT ·gather6(SB), NOSPLIT, $0-40
	GATHER(GATHER6, 192)

// The float32 packing of Dgemm32: the same, converting to float32.

#define DEAL16S \
	VMULPD     (SI), Y12, Y0;   \
	VMULPD     32(SI), Y12, Y1; \
	VMULPD     64(SI), Y12, Y2; \
	VMULPD     96(SI), Y12, Y3; \
	VCVTPD2PSY Y0, X0;          \
	VCVTPD2PSY Y1, X1;          \
	VCVTPD2PSY Y2, X2;          \
	VCVTPD2PSY Y3, X3;          \
	VMOVUPS    X0, (DI);        \
	VMOVUPS    X1, 16(DI);      \
	VMOVUPS    X2, 32(DI);      \
	VMOVUPS    X3, 48(DI)

// func deal16s(n int, src *float64, stride int, dst *float32, alpha float64)
// stores n groups of 16 consecutive values, times alpha and converted to
// float32, from src to dst, dst+stride, …
TEXT ·deal16s(SB), NOSPLIT, $0-40
	DEAL(2, DEAL16S, 128)

#define DEAL6S \
	VMULPD     (SI), Y12, Y0;   \
	VMULPD     32(SI), X12, X1; \
	VCVTPD2PSY Y0, X0;          \
	VCVTPD2PSX X1, X1;          \
	VMOVUPS    X0, (DI);        \
	VMOVSD     X1, 16(DI)

// func deal6s(n int, src *float64, stride int, dst *float32, alpha float64)
// stores n groups of 6 consecutive values, times alpha and converted to
// float32, from src to dst, dst+stride, …
TEXT ·deal6s(SB), NOSPLIT, $0-40
	DEAL(2, DEAL6S, 48)

// GATHER16S packs 16 rows, from SI, R9, R11 (row 8) and R12 (row 12).
#define GATHER16S \
	LEAQ (SI)(R8*8), R11;  \
	LEAQ (R11)(R8*4), R12; \
	LOAD4(SI);             \
	TRANSPOSE4S(0, 64);    \
	LOAD4(R9);             \
	TRANSPOSE4S(16, 64);   \
	LOAD4(R11);            \
	TRANSPOSE4S(32, 64);   \
	LOAD4(R12);            \
	TRANSPOSE4S(48, 64)

// func gather16s(n int, src *float64, ld int, dst *float32, alpha float64)
// sets dst[16q+j] = float32(alpha·src[j·ld+q]) for j < 16 and q < 4n.
TEXT ·gather16s(SB), NOSPLIT, $0-40
	GATHER(GATHER16S, 256)

// GATHER6S is GATHER6 in float32: converted, each pair of rows 4 and 5 is
// the last 8 bytes of a group of 6.
#define GATHER6S \
	LOAD4(SI);                 \
	TRANSPOSE4S(0, 24);        \
	VMOVUPD    (R9), Y0;       \
	VMOVUPD    (R9)(R8*1), Y1; \
	VUNPCKLPD  Y1, Y0, Y4;     \
	VUNPCKHPD  Y1, Y0, Y5;     \
	VMULPD     Y12, Y4, Y4;    \
	VMULPD     Y12, Y5, Y5;    \
	VCVTPD2PSY Y4, X4;         \
	VCVTPD2PSY Y5, X5;         \
	VMOVSD     X4, 16(DI);     \
	VMOVSD     X5, 40(DI);     \
	VMOVHPS    X4, 64(DI);     \
	VMOVHPS    X5, 88(DI)

// func gather6s(n int, src *float64, ld int, dst *float32, alpha float64)
// sets dst[6q+i] = float32(alpha·src[i·ld+q]) for i < 6 and q < 4n.
TEXT ·gather6s(SB), NOSPLIT, $0-40
	GATHER(GATHER6S, 96)
