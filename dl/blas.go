package dl

import (
	"gonum.org/v1/gonum/blas/blas64"

	fastgemm "github.com/dlnb/dlnb/dl/internal/gemm"
)

// init installs this module's Dgemm (package dl/internal/gemm) as gonum's
// float64 BLAS. Every matrix product in dl, and in gonum/mat for the whole
// program, goes through Dgemm, and gonum's own is pure Go without SIMD
// beyond SSE2: it left most of the time of training an MLP in gonum's inner
// loop. gemm's blocked, packed Dgemm with an AVX2/FMA micro-kernel, using
// every core, is several times faster; the other BLAS routines stay
// gonum's. Built with the openblas tag, Dgemm calls OpenBLAS instead. On a
// CPU without AVX2 and FMA (or with the purego tag) gonum's Dgemm stays:
// gemm's portable kernel is slower than it.
func init() {
	if fastgemm.Faster() {
		blas64.Use(fastgemm.Implementation{})
	}
}
