//go:build !amd64 || purego || (openblas && cgo)

package gemm

// haveAsm is false: there is no assembly micro-kernel for this build.
const haveAsm = false

func kernelAsm(kc int, a, b, c []float64, ldc, mm, nn int) {
	panic("gemm: no assembly kernel in this build")
}

func kernelAsm32(kc int, a, b []float32, c []float64, ldc, mm, nn int) {
	panic("gemm: no assembly kernel in this build")
}

func gatherRows(r, kb int, src []float64, ld int, dst []float64, alpha float64) int { return 0 }

func gatherRows32(r, kb int, src []float64, ld int, dst []float32, alpha float64) int { return 0 }

func dealPanels(r int, src, dst []float64, stride int, alpha float64) {
	dealPanelsGo(r, src, dst, stride, alpha)
}

func dealPanels32(r int, src []float64, dst []float32, stride int, alpha float64) {
	dealPanelsGo(r, src, dst, stride, alpha)
}

func dots(k int, x []float64, ldx int, y []float64, ldy int, out *[8]float64) {
	panic("gemm: no assembly kernel in this build")
}

func kernelStrided(k int, a []float64, lda int, b []float64, ldb int, c []float64, ldc int) {
	panic("gemm: no assembly kernel in this build")
}
