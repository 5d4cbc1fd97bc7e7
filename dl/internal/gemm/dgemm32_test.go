package gemm

import (
	"math"
	"math/rand/v2"
	"runtime"
	"testing"

	"gonum.org/v1/gonum/blas"
)

// TestDgemm32InFloat32 checks that Dgemm32 does compute in float32 where it
// says so: on shapes that take the blocked algorithm, it takes the path
// "blocked32", and its results are off the float64 ones by more than
// float64 rounding, though within bound32 (which check tests everywhere).
// For tiny and skinny shapes its results must not differ at all from
// Dgemm's (those of this package's float64 product): they stay in
// float64.
func TestDgemm32InFloat32(t *testing.T) {
	cases := []pathCase{
		{blas.NoTrans, blas.NoTrans, 64, 256, 784, "blocked32", true},
		{blas.Trans, blas.NoTrans, 784, 256, 64, "blocked32", true},
		{blas.NoTrans, blas.Trans, 64, 784, 256, "blocked32", true},
		{blas.NoTrans, blas.NoTrans, 40, 35, 1, "blocked32", true},
		{blas.NoTrans, blas.NoTrans, 7, 7, 7, "naive", true},
		{blas.NoTrans, blas.Trans, 8, 9, 784, "dots", true},
		{blas.Trans, blas.NoTrans, 16, 16, 20000, "outer", true},
	}
	kernels(t, func(t *testing.T) {
		rng := rand.New(rand.NewPCG(12, 12))
		for _, tc := range cases {
			if tc.skinny() && !useAsm {
				continue
			}
			a, lda, b, ldb := tc.operands(rng)
			c64, c32 := make([]float64, tc.m*tc.n), make([]float64, tc.m*tc.n)
			// This package's float64 product (Dgemm, unless that is OpenBLAS).
			blocked(false, tc.tA != blas.NoTrans, tc.tB != blas.NoTrans, tc.m, tc.n, tc.k, 1, a, lda, b, ldb, 0, c64, tc.n)
			stop := CountPaths()
			Dgemm32(tc.tA, tc.tB, tc.m, tc.n, tc.k, 1, a, lda, b, ldb, 0, c32, tc.n)
			if paths := stop(); paths[tc.path] != 1 {
				t.Errorf("%v: took the paths %v, want %q", tc, paths, tc.path)
			}
			worst := 0.0 // the largest difference, relative to the bound's scale
			for i := range c64 {
				worst = max(worst, math.Abs(c32[i]-c64[i])/float64(tc.k))
			}
			switch float32 := tc.path == "blocked32"; {
			case float32 && worst < 1e-10:
				t.Errorf("%v: within %.3g·k of float64 everywhere: not float32", tc, worst)
			case !float32 && worst != 0:
				t.Errorf("%v: differs from float64 by up to %.3g·k; this path should be Dgemm's", tc, worst)
			}
		}
	})
}

// TestPack checks the packing of both precisions, in assembly and
// portable, against its definition: a micro-panel of r rows holds
// T(alpha·X[i, q]) at [r·q+i], zeros past the last row. Converting to
// float32 rounds once in either case, so the bits must be the same.
func TestPack(t *testing.T) {
	rng := rand.New(rand.NewPCG(14, 14))
	kernels(t, func(t *testing.T) {
		for range 200 {
			nb, kb := 1+rng.IntN(40), 1+rng.IntN(40)
			trans := rng.IntN(2) == 0
			ld := nb + rng.IntN(3)
			if !trans {
				ld = kb + rng.IntN(3)
			}
			rows := nb // X is nb×kb, stored transposed when trans
			if trans {
				rows = kb
			}
			x := randSlice(rng, rows*ld)
			x[rng.IntN(len(x))] = 1e39 // beyond float32: +Inf
			alpha := []float64{1, -0.3}[rng.IntN(2)]
			at := func(i, q int) float64 {
				if trans {
					return x[q*ld+i]
				}
				return x[i*ld+q]
			}
			for _, r := range []int{mr, nr} {
				got := make([]float64, roundUp(nb, r)*kb)
				prec64.pack(r, x, ld, trans, 0, 0, nb, kb, alpha, got)
				checkPacked(t, "float64", r, nb, kb, trans, got, func(i, q int) float64 { return alpha * at(i, q) })
			}
			for _, r := range []int{mr, nr32} {
				got := make([]float32, roundUp(nb, r)*kb)
				prec32.pack(r, x, ld, trans, 0, 0, nb, kb, alpha, got)
				checkPacked(t, "float32", r, nb, kb, trans, got, func(i, q int) float32 { return float32(alpha * at(i, q)) })
			}
		}
	})
}

func checkPacked[T elem](t *testing.T, prec string, r, nb, kb int, trans bool, got []T, want func(i, q int) T) {
	t.Helper()
	for i := range roundUp(nb, r) {
		for q := range kb {
			w := T(0)
			if i < nb {
				w = want(i, q)
			}
			if g := got[i/r*r*kb+q*r+i%r]; g != w {
				t.Fatalf("%s r=%d nb=%d kb=%d trans=%v: X[%d, %d] packed as %v, want %v", prec, r, nb, kb, trans, i, q, g, w)
			}
		}
	}
}

// TestDgemm32Allocs checks that a repeated Dgemm32, on one thread or
// split, keeps its float32 pack buffers for the next products: it does
// not allocate.
func TestDgemm32Allocs(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(2))
	rng := rand.New(rand.NewPCG(15, 15))
	for _, s := range [][3]int{{64, 256, 784}, {300, 300, 300}, {50, 60, 70}} {
		m, n, k := s[0], s[1], s[2]
		a, b, c := randSlice(rng, m*k), randSlice(rng, k*n), make([]float64, m*n)
		product := func() { Dgemm32(blas.NoTrans, blas.NoTrans, m, n, k, 1, a, k, b, n, 0, c, n) }
		product()
		if allocs := testing.AllocsPerRun(20, product); allocs != 0 {
			t.Errorf("%v: %v allocations per product, want 0", s, allocs)
		}
	}
}
