package gemm

import (
	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/gonum"
)

// Implementation is gonum's pure-Go BLAS with Dgemm replaced by this
// package's. Install it with blas64.Use(gemm.Implementation{}).
type Implementation struct{ gonum.Implementation }

// Dgemm computes C = alpha·op(A)·op(B) + beta·C; see the package function Dgemm.
func (Implementation) Dgemm(tA, tB blas.Transpose, m, n, k int, alpha float64, a []float64, lda int, b []float64, ldb int, beta float64, c []float64, ldc int) {
	Dgemm(tA, tB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
}

// Panic messages, the same as gonum's.
const (
	badTranspose = "blas: illegal transpose"
	mLT0         = "blas: m < 0"
	nLT0         = "blas: n < 0"
	kLT0         = "blas: k < 0"
	badLdA       = "blas: bad leading dimension of A"
	badLdB       = "blas: bad leading dimension of B"
	badLdC       = "blas: bad leading dimension of C"
	shortA       = "blas: insufficient length of a"
	shortB       = "blas: insufficient length of b"
	shortC       = "blas: insufficient length of c"
)

// Dgemm performs one of the matrix-matrix operations
//
//	C = alpha * A * B + beta * C
//	C = alpha * Aᵀ * B + beta * C
//	C = alpha * A * Bᵀ + beta * C
//	C = alpha * Aᵀ * Bᵀ + beta * C
//
// where A is an m×k or k×m matrix, B is a k×n or n×k matrix, C is an m×n
// matrix, all row-major with leading dimensions lda, ldb and ldc, and alpha
// and beta are scalars. tA and tB specify whether A or B are transposed
// (blas.ConjTrans is the same as blas.Trans). The semantics, including the
// panics for bad arguments, are those of gonum's Dgemm: in particular, when
// beta is zero C is overwritten without being read, and when alpha or k is
// zero A and B are not read.
func Dgemm(tA, tB blas.Transpose, m, n, k int, alpha float64, a []float64, lda int, b []float64, ldb int, beta float64, c []float64, ldc int) {
	if checkArgs(tA, tB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc) {
		dgemm(tA != blas.NoTrans, tB != blas.NoTrans, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
	}
}

// Dgemm32 is Dgemm computed in float32 where that is faster: the same
// operation on the same float64 matrices, with the same panics, but the
// blocked algorithm converts alpha·op(A) and op(B) to float32 as it packs
// them, and its micro-kernel (6×16, eight float32 per AVX2 register)
// sums each slice of at most 256 terms of the inner dimension in float32;
// each slice's sum, converted to float64, is added to C in float64. So
// the error of an element is bounded by that of one slice, whatever k:
//
//	|C32 − C| ≤ (min(k, 256) + 2)·u·(|alpha|·|op(A)|·|op(B)|)  + float64 rounding
//
// elementwise, u = 2⁻²⁴ being float32's unit roundoff (the two extra u
// are those of converting the operands). That bound is for the worst
// case: on random data the roundings mostly cancel, and the error is
// typically a few u times the same sum. Values beyond float32's range
// (about 3.4e38) become ±Inf, and those below about 1e-38 lose precision
// or become 0.
//
// The products that do not take the blocked algorithm, with m·n·k ≤ 512
// or one of the two skinny shortcuts (see the package doc), are computed
// in float64, as by Dgemm: they read their float64 operands in place, and
// converting them would cost more than float32 saves. Dgemm32 gives the
// same bits on every run and under any GOMAXPROCS, as Dgemm does. Only
// with the assembly kernel ([Faster32]) is it faster than Dgemm.
func Dgemm32(tA, tB blas.Transpose, m, n, k int, alpha float64, a []float64, lda int, b []float64, ldb int, beta float64, c []float64, ldc int) {
	if checkArgs(tA, tB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc) {
		blocked(true, tA != blas.NoTrans, tB != blas.NoTrans, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
	}
}

// Faster32 reports whether Dgemm32 runs the float32 AVX2/FMA micro-kernel
// (on amd64 with AVX2 and FMA, without the purego and openblas tags), and
// so beats Dgemm.
func Faster32() bool { return useAsm }

// checkArgs checks the arguments of Dgemm or Dgemm32 and panics as gonum's
// Dgemm does. It does what is left when nothing needs multiplying (C
// empty, or alpha or k zero) and returns whether a product is left to
// compute.
func checkArgs(tA, tB blas.Transpose, m, n, k int, alpha float64, a []float64, lda int, b []float64, ldb int, beta float64, c []float64, ldc int) bool {
	switch tA {
	default:
		panic(badTranspose)
	case blas.NoTrans, blas.Trans, blas.ConjTrans:
	}
	switch tB {
	default:
		panic(badTranspose)
	case blas.NoTrans, blas.Trans, blas.ConjTrans:
	}
	if m < 0 {
		panic(mLT0)
	}
	if n < 0 {
		panic(nLT0)
	}
	if k < 0 {
		panic(kLT0)
	}
	aTrans := tA != blas.NoTrans
	bTrans := tB != blas.NoTrans
	if aTrans {
		if lda < max(1, m) {
			panic(badLdA)
		}
	} else if lda < max(1, k) {
		panic(badLdA)
	}
	if bTrans {
		if ldb < max(1, k) {
			panic(badLdB)
		}
	} else if ldb < max(1, n) {
		panic(badLdB)
	}
	if ldc < max(1, n) {
		panic(badLdC)
	}
	if m == 0 || n == 0 {
		return false
	}
	// For k == 0 the length checks on a and b are trivially satisfied.
	if aTrans {
		if len(a) < (k-1)*lda+m {
			panic(shortA)
		}
	} else if len(a) < (m-1)*lda+k {
		panic(shortA)
	}
	if bTrans {
		if len(b) < (n-1)*ldb+k {
			panic(shortB)
		}
	} else if len(b) < (k-1)*ldb+n {
		panic(shortB)
	}
	if len(c) < (m-1)*ldc+n {
		panic(shortC)
	}
	if alpha == 0 || k == 0 {
		scale(beta, c, ldc, 0, m, 0, n)
		return false
	}
	return true
}

// scale multiplies C[r0:r1, c0:c1] by beta, setting it to zero (without
// reading it) when beta is zero.
func scale(beta float64, c []float64, ldc, r0, r1, c0, c1 int) {
	if beta == 1 {
		return
	}
	for i := r0; i < r1; i++ {
		row := c[i*ldc+c0 : i*ldc+c1]
		if beta == 0 {
			clear(row)
			continue
		}
		for j := range row {
			row[j] *= beta
		}
	}
}
