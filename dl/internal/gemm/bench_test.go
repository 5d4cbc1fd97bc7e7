package gemm

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/gonum"
)

// benchShapes are the products of an MLP 784-256-128-10 at batch 64
// (forward, dW = Xᵀ·dY, dX = dY·Wᵀ), square ones, the im2col products of
// a 3×3 convolution with 8 output channels on 64 images of 28×28 (as one
// product and as dl does it, per image), and those of the Transformer
// workload (bench/workloads: 32 sequences of 64 tokens, d = 64, 4 heads of
// 16): its Linears over 2048 rows, and the per-head products of Attention.
var benchShapes = []struct {
	name    string
	tA, tB  blas.Transpose
	m, n, k int
}{
	{"mlp1/fwd", blas.NoTrans, blas.NoTrans, 64, 256, 784},
	{"mlp1/dW", blas.Trans, blas.NoTrans, 784, 256, 64},
	{"mlp1/dX", blas.NoTrans, blas.Trans, 64, 784, 256},
	{"mlp2/fwd", blas.NoTrans, blas.NoTrans, 64, 128, 256},
	{"mlp2/dW", blas.Trans, blas.NoTrans, 256, 128, 64},
	{"mlp2/dX", blas.NoTrans, blas.Trans, 64, 256, 128},
	{"mlp3/fwd", blas.NoTrans, blas.NoTrans, 64, 10, 128},
	{"mlp3/dW", blas.Trans, blas.NoTrans, 128, 10, 64},
	{"mlp3/dX", blas.NoTrans, blas.Trans, 64, 128, 10},
	{"square256", blas.NoTrans, blas.NoTrans, 256, 256, 256},
	{"square512", blas.NoTrans, blas.NoTrans, 512, 512, 512},
	{"conv/fwd", blas.NoTrans, blas.NoTrans, 50176, 8, 9},
	{"conv/dW", blas.Trans, blas.NoTrans, 9, 8, 50176},
	{"conv/dcols", blas.NoTrans, blas.Trans, 50176, 9, 8},
	{"convimg/fwd", blas.NoTrans, blas.NoTrans, 8, 784, 9},
	{"convimg/dW", blas.NoTrans, blas.Trans, 8, 9, 784},
	{"convimg/dcols", blas.Trans, blas.NoTrans, 9, 784, 8},
	{"tf/proj/fwd", blas.NoTrans, blas.NoTrans, 2048, 64, 64},
	{"tf/proj/dX", blas.NoTrans, blas.Trans, 2048, 64, 64},
	{"tf/proj/dW", blas.Trans, blas.NoTrans, 64, 64, 2048},
	{"tf/ff1/fwd", blas.NoTrans, blas.NoTrans, 2048, 256, 64},
	{"tf/ff1/dX", blas.NoTrans, blas.Trans, 2048, 64, 256},
	{"tf/ff1/dW", blas.Trans, blas.NoTrans, 64, 256, 2048},
	{"tf/ff2/fwd", blas.NoTrans, blas.NoTrans, 2048, 64, 256},
	{"tf/ff2/dX", blas.NoTrans, blas.Trans, 2048, 256, 64},
	{"tf/ff2/dW", blas.Trans, blas.NoTrans, 256, 64, 2048},
	{"tf/head/fwd", blas.NoTrans, blas.NoTrans, 2048, 65, 64},
	{"tf/attn/scores", blas.NoTrans, blas.Trans, 64, 64, 16},
	{"tf/attn/wv", blas.NoTrans, blas.NoTrans, 64, 16, 64},
	{"tf/attn/dv", blas.Trans, blas.NoTrans, 64, 16, 64},
}

// BenchmarkDgemm times Dgemm (impl=gemm), Dgemm32 (impl=gemm32) and
// gonum's Dgemm (impl=gonum) on benchShapes, with alpha = beta = 1 as dl
// calls it.
func BenchmarkDgemm(b *testing.B) {
	impls := []struct {
		name  string
		dgemm func(tA, tB blas.Transpose, m, n, k int, alpha float64, a []float64, lda int, b []float64, ldb int, beta float64, c []float64, ldc int)
	}{
		{"gemm", Dgemm},
		{"gemm32", Dgemm32},
		{"gonum", gonum.Implementation{}.Dgemm},
	}
	for _, s := range benchShapes {
		rng := rand.New(rand.NewPCG(7, 7))
		x, y, z := randSlice(rng, s.m*s.k), randSlice(rng, s.k*s.n), randSlice(rng, s.m*s.n)
		lda, ldb := s.k, s.n
		if s.tA != blas.NoTrans {
			lda = s.m
		}
		if s.tB != blas.NoTrans {
			ldb = s.k
		}
		for _, impl := range impls {
			b.Run(fmt.Sprintf("%s/%dx%dx%d/impl=%s", s.name, s.m, s.n, s.k, impl.name), func(b *testing.B) {
				b.ReportAllocs()
				impl.dgemm(s.tA, s.tB, s.m, s.n, s.k, 1, x, lda, y, ldb, 1, z, s.n) // warm up the pools
				b.ResetTimer()
				for b.Loop() {
					impl.dgemm(s.tA, s.tB, s.m, s.n, s.k, 1, x, lda, y, ldb, 1, z, s.n)
				}
				b.ReportMetric(2*float64(s.m*s.n*s.k)*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOPS")
			})
		}
	}
}
