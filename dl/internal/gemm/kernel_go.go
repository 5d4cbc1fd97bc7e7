package gemm

// kernelGo is the portable micro-kernel: it adds the product of the packed
// mr×kc micro-panel a and the packed kc×nr micro-panel b to the mr×nr tile
// of C at c[0], whose rows are ldc apart, summing in T (float64, or
// float32 for Dgemm32) and adding each sum to C in float64. It works
// through the tile in 2×2 pieces: their four sums, the two values of A and
// the two of B stay in registers, which larger pieces would overflow (the
// Go compiler then spills a sum to memory and the loop waits on it).
func kernelGo[T elem](nr, kc int, a, b []T, c []float64, ldc int) {
	a, b = a[:kc*mr], b[:kc*nr]
	_ = c[(mr-1)*ldc+nr-1]
	for i := 0; i < mr; i += 2 {
		for j := 0; j < nr; j += 2 {
			var c00, c01, c10, c11 T
			for q := range kc {
				aa := (*[2]T)(a[q*mr+i:])
				bb := (*[2]T)(b[q*nr+j:])
				a0, a1, b0, b1 := aa[0], aa[1], bb[0], bb[1]
				c00 += a0 * b0
				c01 += a0 * b1
				c10 += a1 * b0
				c11 += a1 * b1
			}
			r0 := (*[2]float64)(c[i*ldc+j:])
			r1 := (*[2]float64)(c[(i+1)*ldc+j:])
			r0[0] += float64(c00)
			r0[1] += float64(c01)
			r1[0] += float64(c10)
			r1[1] += float64(c11)
		}
	}
}
