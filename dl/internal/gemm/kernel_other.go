//go:build !amd64 || purego || (openblas && cgo)

package gemm

// haveAsm is false: there is no assembly micro-kernel for this build.
const haveAsm = false

func kernelAsm(kc int, a, b, c []float64, ldc int) {
	panic("gemm: no assembly kernel in this build")
}
