//go:build amd64 && !purego && !(openblas && cgo)

package gemm

// kernel6x16 is the float32 assembly micro-kernel of Dgemm32:
// C[0:6, 0:16] += A·B, where a points to k rows of 6 float32 values, b to
// k rows of 16, and c to the float64 tile of C, whose rows are ldc values
// apart; k must be positive. It sums in float32 and adds each sum,
// converted to float64, to C. For a tile at the edge of C, only the first
// mm rows and nn columns of C are read and written.
//
//go:noescape
func kernel6x16(k int, a, b *float32, c *float64, ldc, mm, nn int)

// kernelAsm32 adds the product of the packed float32 micro-panels a
// (mr×kc) and b (kc×nr32) to the tile of C at c[0]: to all of it, or, at
// the edge of C, to its first mm rows and nn columns.
func kernelAsm32(kc int, a, b []float32, c []float64, ldc, mm, nn int) {
	_ = a[kc*mr-1]
	_ = b[kc*nr32-1]
	_ = c[(mm-1)*ldc+nn-1]
	kernel6x16(kc, &a[0], &b[0], &c[0], ldc, mm, nn)
}

//go:noescape
func deal16s(n int, src *float64, stride int, dst *float32, alpha float64)

//go:noescape
func deal6s(n int, src *float64, stride int, dst *float32, alpha float64)

//go:noescape
func gather16s(n int, src *float64, ld int, dst *float32, alpha float64)

//go:noescape
func gather6s(n int, src *float64, ld int, dst *float32, alpha float64)

// gatherRows32 is gatherRows for Dgemm32: it packs a full float32
// micro-panel from r rows of src, r being 6 or 16, and returns how many
// columns it did (a multiple of 4).
func gatherRows32(r, kb int, src []float64, ld int, dst []float32, alpha float64) int {
	return gatherAsm(r, kb, src, ld, dst, alpha, nr32, gather16s, gather6s)
}

// dealPanels32 is dealPanels for Dgemm32: it stores alpha times
// src[r·i:r·i+r], converted to float32, at dst[i*stride:] for
// i < len(src)/r, r being 6 or 16.
func dealPanels32(r int, src []float64, dst []float32, stride int, alpha float64) {
	dealAsm(r, src, dst, stride, alpha, nr32, deal16s, deal6s)
}
