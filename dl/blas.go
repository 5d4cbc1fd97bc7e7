package dl

import (
	"fmt"
	"sync/atomic"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas64"
	"gonum.org/v1/gonum/blas/gonum"

	fastgemm "github.com/dlnb/dlnb/dl/internal/gemm"
)

// Precision is the precision in which dl multiplies matrices; see
// SetMatMulPrecision.
type Precision int

const (
	// Float64 computes matrix products in float64, as every other op of
	// dl: the default.
	Float64 Precision = iota
	// Float32 lets matrix products run in float32, about twice as fast,
	// like torch.set_float32_matmul_precision("medium") lets PyTorch use
	// bfloat16.
	Float32
)

// String returns "Float64" or "Float32".
func (p Precision) String() string {
	switch p {
	case Float64:
		return "Float64"
	case Float32:
		return "Float32"
	}
	return fmt.Sprintf("Precision(%d)", int(p))
}

// matMulPrecision is the Precision that SetMatMulPrecision set.
var matMulPrecision atomic.Int64

// SetMatMulPrecision sets the precision of every matrix product in dl, for
// the whole program: MatMul, Linear, Conv2D (a product after im2col) and
// Attention, forward and backward. It is Float64 until a program changes
// it, like PyTorch's torch.set_float32_matmul_precision.
//
// With Float32, a product converts its float64 operands to float32 as it
// packs them, sums in float32 (eight values per AVX2 register, twice as
// many as in float64) over slices of at most 256 of its inner dimension,
// and adds each slice's sum to the float64 result in float64. Tensors stay
// float64 everywhere else: a result differs from the float64 one by at
// most about 258·2⁻²⁴ ≈ 1.5e-5 times Σ|a|·|b| (and typically by much
// less), whatever the inner dimension. Training is then faster and its
// numbers differ in the last digits, but they still repeat bit for bit on
// every run and any number of CPUs (see Determinism in the package doc).
//
// Some products stay float64 even then: tiny ones (m·n·k ≤ 512) and the
// skinny ones with a small result and a long inner dimension, such as a
// convolution's weight gradient, which read their float64 operands once
// and would gain nothing. Without the float32 assembly kernel (on CPUs
// without AVX2 and FMA, on other architectures, or with the purego or
// openblas build tags) Float32 would be slower, so every product stays
// float64; MatMulPrecision still returns Float32.
//
// SetMatMulPrecision may be called from any goroutine at any time. Each
// product reads the setting once, as it starts, and finishes in that
// precision; an op that makes several products (a batched MatMul,
// Attention, a backward pass) may compute some in each precision if the
// setting changes while it runs on another goroutine. So for results that
// repeat, set it before training or between steps. Finite-difference
// gradient checks need float64 products: the test helpers set Float64
// while they run.
//
// SetMatMulPrecision panics if p is neither Float64 nor Float32.
func SetMatMulPrecision(p Precision) {
	if p != Float64 && p != Float32 {
		panic(fmt.Sprintf("dl: SetMatMulPrecision: precision %v; want dl.Float64 or dl.Float32", p))
	}
	matMulPrecision.Store(int64(p))
}

// MatMulPrecision returns the precision that SetMatMulPrecision set last:
// Float64 unless the program changed it.
func MatMulPrecision() Precision { return Precision(matMulPrecision.Load()) }

// dgemm computes c = alpha·op(a)·op(b) + beta·c for row-major matrices
// with leading dimensions lda, ldb and ldc, as BLAS's Dgemm does: every
// matrix product in dl goes through it. With MatMulPrecision Float32 it
// is gemm's Dgemm32, where that runs the float32 assembly kernel
// (gemm.Faster32); otherwise it is dgemm64.
func dgemm(tA, tB blas.Transpose, m, n, k int, alpha float64, a []float64, lda int, b []float64, ldb int, beta float64, c []float64, ldc int) {
	if matMulPrecision.Load() == int64(Float32) && fastgemm.Faster32() {
		fastgemm.Dgemm32(tA, tB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
		return
	}
	dgemm64(tA, tB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
}

// dgemm64 is dl's float64 product. It is the packed GEMM of package
// dl/internal/gemm, with an AVX2/FMA micro-kernel on all cores, where that
// is the faster one (gemm.Faster; with the openblas build tag it calls
// OpenBLAS); on a CPU without AVX2 and FMA, or with the purego tag, it is
// gonum's own pure-Go Dgemm, whose SSE2 assembly beats gemm's portable
// loops. Either is called directly, not through blas64, so that
// importing dl leaves gonum's global BLAS as the program set it.
var dgemm64 = func() dgemmFunc {
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
// gonum's pure-Go Dgemm. The other BLAS routines stay gonum's. It
// installs the float64 product, whatever SetMatMulPrecision says.
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
