package gemm

import "runtime"

const (
	// outerChunkWork is the least m·n·k of a chunk of byOuter: half of
	// parWork, so that a thread gets at least two chunks.
	outerChunkWork = parWork / chunksPerThread
	// maxOuterChunks bounds the chunks of byOuter, and so its partial
	// sums: two per thread on 16 threads.
	maxOuterChunks = 32
)

// byOuter computes C = alpha·Aᵀ·B + beta·C, A being k×m and B k×n, for a
// small C (m·n ≤ outerWork, but at least one tile: m ≥ mr, n ≥ nr) and a
// long inner dimension, as a layer's weight gradient Xᵀ·dY over many rows.
// Packing would copy both operands for little reuse, so the strided
// micro-kernel reads them in place: column p of op(A) is row p of A. The
// tiles at the edges of C are shifted back inside it, and only the part
// that the tiles before them did not cover is kept.
//
// The inner dimension is cut into chunks whose number depends only on m, n
// and k (see outerChunks), and the threads take the chunks in turn. Each
// chunk writes its own partial product; once all are done, the partials
// are added in chunk order. So the result has the same bits whatever the
// number of threads, one included. The partials live in the caller's
// workspace, which is kept for the next products: byOuter does not
// allocate.
func byOuter(m, n, k int, alpha float64, a []float64, lda int, b []float64, ldb int, beta float64, c []float64, ldc int) {
	chunks, cs := outerChunks(m, n, k)
	if chunks > 1 {
		note("outer k-split")
	}
	threads := max(1, min(runtime.GOMAXPROCS(0), m*n*k/parWork, chunks))
	ws := getWorkspace()
	mn := m * n
	if len(ws.parts) < chunks*mn {
		ws.parts = make([]float64, maxOuterChunks*outerWork)
	}
	p := problems.Get().(*problem)
	*p = problem{k: k, a: a, lda: lda, b: b, ldb: ldb, outer: true, m: m, n: n, cs: cs, parts: ws.parts[:chunks*mn]}
	p.parallel(chunks, threads-1)
	sum := ws.parts[:mn]
	for ch := 1; ch < chunks; ch++ {
		for i, v := range ws.parts[ch*mn : (ch+1)*mn] {
			sum[i] += v
		}
	}
	for i := range m {
		update(c[i*ldc:][:n], sum[i*n:][:n], alpha, beta)
	}
	p.release()
	putWorkspace(ws)
}

// outerChunks returns the number of chunks that byOuter cuts the inner
// dimension k into, one per outerChunkWork of m·n·k and at most
// maxOuterChunks, and the length cs of each (the last may be shorter). It
// depends on nothing but m, n and k.
func outerChunks(m, n, k int) (chunks, cs int) {
	chunks = max(1, min(maxOuterChunks, m*n*k/outerChunkWork))
	cs = (k + chunks - 1) / chunks
	return (k + cs - 1) / cs, cs
}

// runOuter sets dst [m×n] to the part of Aᵀ·B from the rows q0 to q1 of A
// and B.
func (p *problem) runOuter(q0, q1 int, dst []float64) {
	m, n := p.m, p.n
	var tile [mr * nr]float64
	for i0 := 0; i0 < m; i0 += mr {
		iw := min(i0, m-mr) // the tile's first row, inside C
		for j0 := 0; j0 < n; j0 += nr {
			jw := min(j0, n-nr)
			tile = [mr * nr]float64{}
			kernelStrided(q1-q0, p.a[q0*p.lda+iw:], p.lda, p.b[q0*p.ldb+jw:], p.ldb, tile[:], nr)
			for i := i0; i < min(i0+mr, m); i++ {
				for j := j0; j < min(j0+nr, n); j++ {
					dst[i*n+j] = tile[(i-iw)*nr+j-jw]
				}
			}
		}
	}
}
