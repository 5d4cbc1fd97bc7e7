package dl

import (
	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas64"
	"gonum.org/v1/gonum/blas/gonum"

	fastgemm "github.com/dlnb/dlnb/dl/internal/gemm"
)

// dgemm computes c = alpha·op(a)·op(b) + beta·c for row-major matrices
// with leading dimensions lda, ldb and ldc, as BLAS's Dgemm does: every
// matrix product in dl goes through it. It is the packed GEMM of package
// dl/internal/gemm, with an AVX2/FMA micro-kernel on all cores, where that
// is the faster one (gemm.Faster; with the openblas build tag it calls
// OpenBLAS); on a CPU without AVX2 and FMA, or with the purego tag, it is
// gonum's own pure-Go Dgemm, whose SSE2 assembly beats gemm's portable
// loops. Either is called directly, not through blas64, so that
// importing dl leaves gonum's global BLAS as the program set it.
var dgemm = func() dgemmFunc {
	if fastgemm.Faster() {
		return fastgemm.Dgemm
	}
	return gonum.Implementation{}.Dgemm
}()

// dgemmFunc is the signature of BLAS's Dgemm, for row-major matrices.
type dgemmFunc func(tA, tB blas.Transpose, m, n, k int, alpha float64, a []float64, lda int, b []float64, ldb int, beta float64, c []float64, ldc int)

// UseFastBLAS installs dl's matrix product, the packed GEMM that dl's own
// ops use, as the Dgemm of gonum's float64 BLAS (blas64.Use), and reports
// whether it did. It does nothing and returns false where gonum's own
// Dgemm is the faster one: on a CPU without AVX2 and FMA, or in a build
// with the purego tag.
//
// dl's ops do not need it: they call the fast GEMM directly, whatever
// gonum's BLAS is. It helps a program that also multiplies large
// matrices with gonum/mat (hundreds of rows and columns or more):
// mat.Dense.Mul, and the QR, SVD and eigenvalue decompositions that block
// their work into products, then run several times faster than with
// gonum's pure-Go Dgemm. The other BLAS routines stay gonum's.
//
// UseFastBLAS is global: like blas64.Use, it changes the implementation
// behind gonum/mat for every package of the program, not only the caller.
// Call it once, at the start of main, before other goroutines use gonum.
func UseFastBLAS() bool {
	if !fastgemm.Faster() {
		return false
	}
	blas64.Use(fastgemm.Implementation{})
	return true
}
