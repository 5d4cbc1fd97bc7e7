//go:build openblas && cgo

package gemm

/*
#cgo LDFLAGS: -lopenblas
#include <cblas.h>
*/
import "C"

import "runtime"

// With the openblas build tag, Dgemm calls OpenBLAS's cblas_dgemm, which
// runs on as many threads as GOMAXPROCS at the start of the program.
func init() {
	C.openblas_set_num_threads(C.int(runtime.GOMAXPROCS(0)))
}

// dgemm does the work of Dgemm after its arguments were checked: m, n and k
// are positive, so a, b and c are not empty.
func dgemm(aTrans, bTrans bool, m, n, k int, alpha float64, a []float64, lda int, b []float64, ldb int, beta float64, c []float64, ldc int) {
	tA, tB := uint32(C.CblasNoTrans), uint32(C.CblasNoTrans)
	if aTrans {
		tA = C.CblasTrans
	}
	if bTrans {
		tB = C.CblasTrans
	}
	C.cblas_dgemm(C.CblasRowMajor, tA, tB, C.blasint(m), C.blasint(n), C.blasint(k),
		C.double(alpha), (*C.double)(&a[0]), C.blasint(lda), (*C.double)(&b[0]), C.blasint(ldb),
		C.double(beta), (*C.double)(&c[0]), C.blasint(ldc))
}

// Faster reports whether Dgemm beats gonum's own Dgemm: with OpenBLAS, it
// does.
func Faster() bool { return true }
