package gemm

// kernelGo is the portable micro-kernel: it adds the product of the packed
// mr×kc micro-panel a and the packed kc×nr micro-panel b to the mr×nr tile
// of C at c[0], whose rows are ldc apart. It works through the tile in
// 2×4 pieces, whose eight sums stay in registers.
func kernelGo(kc int, a, b, c []float64, ldc int) {
	a, b = a[:kc*mr], b[:kc*nr]
	_ = c[(mr-1)*ldc+nr-1]
	for i := 0; i < mr; i += 2 {
		for j := 0; j < nr; j += 4 {
			var c00, c01, c02, c03, c10, c11, c12, c13 float64
			for q := range kc {
				aa := (*[2]float64)(a[q*mr+i:])
				bb := (*[4]float64)(b[q*nr+j:])
				a0, a1 := aa[0], aa[1]
				t := bb[0]
				c00 += a0 * t
				c10 += a1 * t
				t = bb[1]
				c01 += a0 * t
				c11 += a1 * t
				t = bb[2]
				c02 += a0 * t
				c12 += a1 * t
				t = bb[3]
				c03 += a0 * t
				c13 += a1 * t
			}
			r0 := (*[4]float64)(c[i*ldc+j:])
			r1 := (*[4]float64)(c[(i+1)*ldc+j:])
			r0[0] += c00
			r0[1] += c01
			r0[2] += c02
			r0[3] += c03
			r1[0] += c10
			r1[1] += c11
			r1[2] += c12
			r1[3] += c13
		}
	}
}
