package gemm

// byDots computes C = alpha·A·Bᵀ + beta·C, A being m×k and B n×k with
// contiguous rows, as m·n dot products, using the assembly dots. For a small
// C and a long inner dimension (as a convolution's weight gradient), this
// beats packing: it reads A and B once, in place, and wastes nothing on
// tiles that hang over the edges of C.
func byDots(m, n, k int, alpha float64, a []float64, lda int, b []float64, ldb int, beta float64, c []float64, ldc int) {
	var out [8]float64
	m2, m4, n4 := m/2*2, m/4*4, n/4*4
	// Pairs of rows of A against groups of 4 rows of B.
	for i := 0; i < m2; i += 2 {
		for j := 0; j < n4; j += 4 {
			dots(k, a[i*lda:], lda, b[j*ldb:], ldb, &out)
			update(c[i*ldc+j:][:4], out[:4], alpha, beta)
			update(c[(i+1)*ldc+j:][:4], out[4:], alpha, beta)
		}
	}
	// The last row of an odd m, given twice, against groups of 4 rows of B.
	if m2 < m {
		for j := 0; j < n4; j += 4 {
			dots(k, a[(m-1)*lda:], 0, b[j*ldb:], ldb, &out)
			update(c[(m-1)*ldc+j:][:4], out[:4], alpha, beta)
		}
	}
	// The last columns of C: each row of B there, given twice, against
	// groups of 4 rows of A.
	for j := n4; j < n; j++ {
		for i := 0; i < m4; i += 4 {
			dots(k, b[j*ldb:], 0, a[i*lda:], lda, &out)
			for s := range 4 {
				update(c[(i+s)*ldc+j:][:1], out[s:s+1], alpha, beta)
			}
		}
		// The corner that is left.
		for i := m4; i < m; i++ {
			ai, bj := a[i*lda:][:k], b[j*ldb:][:k]
			var s float64
			for l, v := range ai {
				s += v * bj[l]
			}
			update(c[i*ldc+j:][:1], []float64{s}, alpha, beta)
		}
	}
}

// update sets c to alpha·d + beta·c, not reading c when beta is zero.
func update(c, d []float64, alpha, beta float64) {
	d = d[:len(c)]
	for i := range c {
		if beta == 0 {
			c[i] = alpha * d[i]
		} else {
			c[i] = alpha*d[i] + beta*c[i]
		}
	}
}
