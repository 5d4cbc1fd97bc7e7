//go:build amd64 && !purego && !(openblas && cgo)

package gemm

import "golang.org/x/sys/cpu"

// haveAsm says whether the CPU runs the AVX2/FMA micro-kernel.
var haveAsm = cpu.X86.HasAVX2 && cpu.X86.HasFMA

// kernel6x8 is the assembly micro-kernel: C[0:6, 0:8] += A·B, where a
// points to k rows of 6 values, b to k rows of 8 values, and c to the tile
// of C, whose rows are ldc values apart; k must be positive. For a tile at
// the edge of C, only the first mm rows and nn columns of C are read and
// written.
//
//go:noescape
func kernel6x8(k int, a, b, c *float64, ldc, mm, nn int)

// kernelAsm adds the product of the packed micro-panels a (mr×kc) and b
// (kc×nr) to the tile of C at c[0]: to all of it, or, at the edge of C,
// to its first mm rows and nn columns.
func kernelAsm(kc int, a, b, c []float64, ldc, mm, nn int) {
	_ = a[kc*mr-1]
	_ = b[kc*nr-1]
	_ = c[(mm-1)*ldc+nn-1]
	kernel6x8(kc, &a[0], &b[0], &c[0], ldc, mm, nn)
}

// The assembly packing routines. deal8 and deal6 copy n groups of 8 or 6
// consecutive values, times alpha, from src to dst, dst+stride,
// dst+2·stride, …; gather8 and gather6 set dst[r·q+i] = alpha·src[i·ld+q]
// for i < r (8 or 6) and q < 4n. deal16s, deal6s, gather16s and gather6s
// (in kernel32_amd64.go) do the same for Dgemm32, with 16 or 6 values
// converted to float32.
//
//go:noescape
func deal8(n int, src *float64, stride int, dst *float64, alpha float64)

//go:noescape
func deal6(n int, src *float64, stride int, dst *float64, alpha float64)

//go:noescape
func gather8(n int, src *float64, ld int, dst *float64, alpha float64)

//go:noescape
func gather6(n int, src *float64, ld int, dst *float64, alpha float64)

// packAsm is the signature of the assembly packing routines: n groups from
// src, rows ld (or groups stride) values apart, to dst, times alpha.
type packAsm[T elem] func(n int, src *float64, ld int, dst *T, alpha float64)

// gatherRows sets dst[r·q+i] = alpha·src[i·ld+q] for i < r and q < kb,
// where r is 6 or 8: it packs a full micro-panel from r rows of src. It
// returns how many q it did (a multiple of 4); the caller does the rest.
func gatherRows(r, kb int, src []float64, ld int, dst []float64, alpha float64) int {
	return gatherAsm(r, kb, src, ld, dst, alpha, nr, gather8, gather6)
}

// dealPanels copies alpha times src[r·i:r·i+r] to dst[i*stride:] for
// i < len(src)/r, r being 6 or 8.
func dealPanels(r int, src, dst []float64, stride int, alpha float64) {
	dealAsm(r, src, dst, stride, alpha, nr, deal8, deal6)
}

// gatherAsm is gatherRows (and gatherRows32) for r = 6 or r = width, with
// the assembly routines gather6 and wide: it returns 0, and leaves all to
// the caller, without the assembly kernel.
func gatherAsm[T elem](r, kb int, src []float64, ld int, dst []T, alpha float64, width int, wide, gather6 packAsm[T]) int {
	n := kb / 4
	if n == 0 || !useAsm {
		return 0
	}
	_ = src[(r-1)*ld+4*n-1]
	_ = dst[r*4*n-1]
	if r == width {
		wide(n, &src[0], ld, &dst[0], alpha)
	} else {
		gather6(n, &src[0], ld, &dst[0], alpha)
	}
	return 4 * n
}

// dealAsm is dealPanels (and dealPanels32) for r = 6 or r = width, with
// the assembly routines deal6 and wide, or dealPanelsGo without the
// assembly kernel.
func dealAsm[T elem](r int, src []float64, dst []T, stride int, alpha float64, width int, wide, deal6 packAsm[T]) {
	n := len(src) / r
	if n == 0 || !useAsm {
		dealPanelsGo(r, src, dst, stride, alpha)
		return
	}
	_ = dst[(n-1)*stride+r-1]
	if r == width {
		wide(n, &src[0], stride, &dst[0], alpha)
	} else {
		deal6(n, &src[0], stride, &dst[0], alpha)
	}
}

//go:noescape
func dot2x4(n int, x *float64, ldx int, y *float64, ldy int, out *[8]float64)

// dots sets out[4i+j] to the dot product of the first k values of rows i
// of x and j of y, for i < 2 and j < 4; rows are ldx and ldy values apart.
func dots(k int, x []float64, ldx int, y []float64, ldy int, out *[8]float64) {
	k4 := k / 4 * 4
	_ = x[ldx+k-1]
	_ = y[3*ldy+k-1]
	if k4 > 0 {
		dot2x4(k4/4, &x[0], ldx, &y[0], ldy, out)
	} else {
		*out = [8]float64{}
	}
	for i := range 2 {
		for j := range 4 {
			xi, yj := x[i*ldx:][:k], y[j*ldy:][:k]
			for l := k4; l < k; l++ {
				out[4*i+j] += xi[l] * yj[l]
			}
		}
	}
}

//go:noescape
func kernel6x8s(k int, a *float64, lda int, b *float64, ldb int, c *float64, ldc int)

// kernelStrided adds the product of the 6×k block of op(A) = Aᵀ whose
// column p is a[p*lda:p*lda+6] and the k×8 block of B whose row p is
// b[p*ldb:p*ldb+8] to the 6×8 tile of C at c[0].
func kernelStrided(k int, a []float64, lda int, b []float64, ldb int, c []float64, ldc int) {
	_ = a[(k-1)*lda+mr-1]
	_ = b[(k-1)*ldb+nr-1]
	_ = c[(mr-1)*ldc+nr-1]
	kernel6x8s(k, &a[0], lda, &b[0], ldb, &c[0], ldc)
}
