//go:build !(openblas && cgo)

package gemm

// dgemm does the work of Dgemm after its arguments were checked.
func dgemm(aTrans, bTrans bool, m, n, k int, alpha float64, a []float64, lda int, b []float64, ldb int, beta float64, c []float64, ldc int) {
	blocked(aTrans, bTrans, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
}
