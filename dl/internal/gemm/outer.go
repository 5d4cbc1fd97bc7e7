package gemm

import "runtime"

// byOuter computes C = alpha·Aᵀ·B + beta·C, A being k×m and B k×n, for a
// small C (m·n ≤ outerWork, but at least one tile: m ≥ mr, n ≥ nr) and a
// long inner dimension, as a convolution's weight gradient with im2col
// rows. Packing would copy both operands for little reuse, so the strided
// micro-kernel reads them in place: column p of op(A) is row p of A. The
// tiles at the edges of C are shifted back inside it, and only the part
// that the tiles before them did not cover is kept. The inner dimension is
// split over the threads, each summing its part, and the parts are added
// at the end.
func byOuter(m, n, k int, alpha float64, a []float64, lda int, b []float64, ldb int, beta float64, c []float64, ldc int) {
	nt := max(1, min(runtime.GOMAXPROCS(0), m*n*k/parWork))
	p := problems.Get().(*problem)
	*p = problem{k: k, a: a, lda: lda, b: b, ldb: ldb, outer: true, m: m, n: n}
	defer p.release()
	if nt == 1 {
		p.runOuter(0, k)
	} else {
		chunks := nt * chunksPerThread
		p.cs = (k + chunks - 1) / chunks
		p.parallel((k+p.cs-1)/p.cs, nt-1)
	}
	for i := range m {
		update(c[i*ldc:][:n], p.sum[i*n:][:n], alpha, beta)
	}
}

// runOuter adds the part of Aᵀ·B from the rows q0 to q1 of A and B to
// p.sum.
func (p *problem) runOuter(q0, q1 int) {
	m, n := p.m, p.n
	var acc [outerWork]float64
	var tile [mr * nr]float64
	for i0 := 0; i0 < m; i0 += mr {
		iw := min(i0, m-mr) // the tile's first row, inside C
		for j0 := 0; j0 < n; j0 += nr {
			jw := min(j0, n-nr)
			tile = [mr * nr]float64{}
			kernelStrided(q1-q0, p.a[q0*p.lda+iw:], p.lda, p.b[q0*p.ldb+jw:], p.ldb, tile[:], nr)
			for i := i0; i < min(i0+mr, m); i++ {
				for j := j0; j < min(j0+nr, n); j++ {
					acc[i*n+j] += tile[(i-iw)*nr+j-jw]
				}
			}
		}
	}
	p.mu.Lock()
	for i, v := range acc[:m*n] {
		p.sum[i] += v
	}
	p.mu.Unlock()
}
