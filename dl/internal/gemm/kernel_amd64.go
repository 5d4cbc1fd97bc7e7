//go:build amd64 && !purego && !(openblas && cgo)

package gemm

import "golang.org/x/sys/cpu"

// haveAsm says whether the CPU runs the AVX2/FMA micro-kernel.
var haveAsm = cpu.X86.HasAVX2 && cpu.X86.HasFMA

// kernel6x8 is the assembly micro-kernel: C[0:6, 0:8] += A·B, where a
// points to k rows of 6 values, b to k rows of 8 values, and c to the tile
// of C, whose rows are ldc values apart. k must be positive.
//
//go:noescape
func kernel6x8(k int, a, b, c *float64, ldc int)

func kernelAsm(kc int, a, b, c []float64, ldc int) {
	_ = a[kc*mr-1]
	_ = b[kc*nr-1]
	_ = c[(mr-1)*ldc+nr-1]
	kernel6x8(kc, &a[0], &b[0], &c[0], ldc)
}
