//go:build !(openblas && cgo)

package gemm

// dgemm does the work of Dgemm after its arguments were checked.
func dgemm(aTrans, bTrans bool, m, n, k int, alpha float64, a []float64, lda int, b []float64, ldb int, beta float64, c []float64, ldc int) {
	blocked(false, aTrans, bTrans, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
}

// Faster reports whether Dgemm beats gonum's own Dgemm on this machine:
// true when the AVX2/FMA micro-kernel runs. The portable kernel is slower
// than gonum's, which has SSE2 assembly on amd64.
func Faster() bool { return useAsm }
