package gemm

import (
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"sync"
	"testing"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas64"
	"gonum.org/v1/gonum/blas/gonum"
)

var _ blas.Float64 = Implementation{}

// kernels runs f once with each micro-kernel this build has.
func kernels(t *testing.T, f func(t *testing.T)) {
	t.Run("go", func(t *testing.T) {
		defer func(old bool) { useAsm = old }(useAsm)
		useAsm = false
		f(t)
	})
	if haveAsm {
		t.Run("asm", func(t *testing.T) {
			defer func(old bool) { useAsm = old }(useAsm)
			useAsm = true
			f(t)
		})
	}
}

type gemmCase struct {
	tA, tB      blas.Transpose
	m, n, k     int
	alpha, beta float64
	padA, padB  int // extra leading dimension
	padC        int
	nanC        bool // fill C with NaN (only with beta 0)
	single      bool // call Dgemm32, not Dgemm
}

func (tc gemmCase) String() string {
	name := "Dgemm"
	if tc.single {
		name = "Dgemm32"
	}
	return fmt.Sprintf("%s %c%c m=%d n=%d k=%d alpha=%v beta=%v pad=%d,%d,%d",
		name, tc.tA, tc.tB, tc.m, tc.n, tc.k, tc.alpha, tc.beta, tc.padA, tc.padB, tc.padC)
}

// u32 is float32's unit roundoff, 2⁻²⁴: half its machine epsilon.
const u32 = 0x1p-24

// bound32 is Dgemm32's error bound relative to |alpha|·|op(A)|·|op(B)|
// for an inner dimension k, from its doc: each element's sum runs in
// float32 over at most kcBlock terms, which gives at most min(k, kcBlock)
// roundings, after one rounding of each operand to float32 (γ_n = n·u/(1−n·u)
// is (n+1)·u here, with room to spare).
func bound32(k int) float64 { return float64(min(k, kcBlock)+3) * u32 }

// check runs Dgemm, or Dgemm32 with tc.single, and gonum's reference Dgemm
// on the same random data and reports any difference inside the m×n
// window of C beyond 1e-12 relative to the sum of the magnitudes of the
// terms, |alpha|·|op(A)|·|op(B)| + |beta|·|C| (for Dgemm32, plus
// bound32(k) times the first of them), and any difference at all outside
// it. For Dgemm32 it checks the blocked algorithm in float32 too, which
// Dgemm32 leaves out for tiny and skinny shapes.
func check(t *testing.T, rng *rand.Rand, tc gemmCase) {
	t.Helper()
	ar, ac := tc.m, tc.k
	if tc.tA != blas.NoTrans {
		ar, ac = ac, ar
	}
	br, bc := tc.k, tc.n
	if tc.tB != blas.NoTrans {
		br, bc = bc, br
	}
	lda, ldb, ldc := max(1, ac+tc.padA), max(1, bc+tc.padB), max(1, tc.n+tc.padC)
	// A and B as short as Dgemm allows: the last row without its padding.
	a := randSlice(rng, max(0, (ar-1)*lda+ac))
	b := randSlice(rng, max(0, (br-1)*ldb+bc))
	c := randSlice(rng, tc.m*ldc+tc.padC) // extra rows' worth past the end too
	if tc.nanC {
		for i := range c {
			c[i] = math.NaN()
		}
	}
	want := append([]float64(nil), c...)
	ref := gonum.Implementation{}
	ref.Dgemm(tc.tA, tc.tB, tc.m, tc.n, tc.k, tc.alpha, a, lda, b, ldb, tc.beta, want, ldc)

	// Magnitudes of the terms, for the tolerance: of the product, and of
	// beta·C.
	abs := func(s []float64) []float64 {
		r := make([]float64, len(s))
		for i, v := range s {
			r[i] = math.Abs(v)
		}
		return r
	}
	magAB, magC := make([]float64, len(c)), abs(c)
	if tc.nanC {
		clear(magC)
	}
	if tc.m > 0 && tc.n > 0 {
		ref.Dgemm(tc.tA, tc.tB, tc.m, tc.n, tc.k, math.Abs(tc.alpha), abs(a), lda, abs(b), ldb, 0, magAB, ldc)
	}
	tol := func(i int) float64 { return 1e-12 * (magAB[i] + math.Abs(tc.beta)*magC[i]) }
	if tc.single {
		tol = func(i int) float64 {
			return bound32(tc.k)*magAB[i] + 1e-12*(magAB[i]+math.Abs(tc.beta)*magC[i])
		}
	}

	compare := func(how string, got []float64) {
		t.Helper()
		bad := 0
		for i := range c {
			r, col := i/ldc, i%ldc
			inside := r < tc.m && col < tc.n
			g, w := got[i], want[i]
			switch {
			case !inside && math.Float64bits(g) != math.Float64bits(w):
				t.Errorf("%v%s: C[%d] outside the window changed: %v, was %v", tc, how, i, g, w)
				bad++
			case inside && !(math.Abs(g-w) <= tol(i)) && !(math.IsNaN(w) && math.IsNaN(g)):
				t.Errorf("%v%s: C[%d,%d] = %v, want %v within %.3g", tc, how, r, col, g, w, tol(i))
				bad++
			}
			if bad > 5 {
				t.FailNow()
			}
		}
	}
	got := append([]float64(nil), c...)
	if !tc.single {
		Dgemm(tc.tA, tc.tB, tc.m, tc.n, tc.k, tc.alpha, a, lda, b, ldb, tc.beta, got, ldc)
		compare("", got)
		return
	}
	Dgemm32(tc.tA, tc.tB, tc.m, tc.n, tc.k, tc.alpha, a, lda, b, ldb, tc.beta, got, ldc)
	compare("", got)
	if tc.m > 0 && tc.n > 0 && tc.k > 0 && tc.alpha != 0 {
		got = append(got[:0], c...)
		blockedOnly(true, tc.tA != blas.NoTrans, tc.tB != blas.NoTrans, tc.m, tc.n, tc.k, tc.alpha, a, lda, b, ldb, tc.beta, got, ldc)
		compare(" (blocked, in float32)", got)
	}
}

// blockedOnly computes the product with the blocked algorithm, in float32
// when single is true, whatever its shape: also where Dgemm and Dgemm32
// take the plain loop or a skinny shortcut. The arguments must be valid,
// with m, n, k and alpha not zero.
func blockedOnly(single, aTrans, bTrans bool, m, n, k int, alpha float64, a []float64, lda int, b []float64, ldb int, beta float64, c []float64, ldc int) {
	p := &problem{aTrans: aTrans, bTrans: bTrans, single: single, k: k, alpha: alpha, a: a, lda: lda, b: b, ldb: ldb, beta: beta, c: c, ldc: ldc, m: m, n: n}
	p.run(0, m, 0, n)
}

func randSlice(rng *rand.Rand, n int) []float64 {
	s := make([]float64, n)
	for i := range s {
		s[i] = 2*rng.Float64() - 1
	}
	return s
}

var transposes = []blas.Transpose{blas.NoTrans, blas.Trans, blas.ConjTrans}

// TestDgemmSmall checks Dgemm and Dgemm32 on every transpose case and
// small sizes around the tiles (6×8 and 6×16) and the kernels' unrolling by
// 4 of the inner dimension.
func TestDgemmSmall(t *testing.T) {
	sizes := []int{0, 1, 2, 3, 5, 6, 7, 8, 9, 13, 16, 17}
	kernels(t, func(t *testing.T) {
		rng := rand.New(rand.NewPCG(1, 1))
		for _, tA := range transposes[:2] {
			for _, tB := range transposes[:2] {
				for _, m := range sizes {
					for _, n := range sizes {
						for _, k := range sizes {
							tc := gemmCase{tA: tA, tB: tB, m: m, n: n, k: k,
								alpha: []float64{1, -0.7, 0, 2.5}[rng.IntN(4)],
								beta:  []float64{1, 0, 0.3, -1}[rng.IntN(4)],
								padA:  rng.IntN(2) * 3, padB: rng.IntN(2) * 2, padC: rng.IntN(2)}
							tc.nanC = tc.beta == 0 && rng.IntN(2) == 0
							check(t, rng, tc)
							tc.single = true
							check(t, rng, tc)
						}
					}
				}
			}
		}
	})
}

func TestDgemmLarge(t *testing.T) {
	shapes := [][3]int{
		{64, 256, 784}, {784, 256, 64}, {64, 784, 256}, // MLP
		{97, 130, 300},  // odd sizes, several kc blocks
		{200, 33, 513},  // several mc blocks
		{5, 2100, 20},   // several nc blocks
		{301, 7, 9},     // skinny
		{9, 8, 3000},    // long inner dimension
		{16, 16, 20000}, // long inner dimension, split over threads
		{7, 13, 70},     // edge tiles shifted back inside C
		{1, 1000, 1000}, // one row
		{1000, 1, 1000}, // one column
		{130, 130, 64},  // parallel, just
	}
	for _, procs := range []int{1, 2, 3, 4} {
		t.Run(fmt.Sprintf("procs=%d", procs), func(t *testing.T) {
			defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(procs))
			kernels(t, func(t *testing.T) {
				rng := rand.New(rand.NewPCG(2, uint64(procs)))
				for _, s := range shapes {
					for _, tA := range transposes[:2] {
						for _, tB := range transposes[:2] {
							for _, single := range []bool{false, true} {
								check(t, rng, gemmCase{tA: tA, tB: tB, m: s[0], n: s[1], k: s[2],
									alpha: []float64{1, -1.5}[rng.IntN(2)],
									beta:  []float64{1, 0, 0.5}[rng.IntN(3)],
									padA:  rng.IntN(2) * 5, padB: rng.IntN(2) * 3, padC: rng.IntN(2) * 4,
									single: single})
							}
						}
					}
				}
			})
		})
	}
}

func TestDgemmRandom(t *testing.T) {
	kernels(t, func(t *testing.T) {
		rng := rand.New(rand.NewPCG(3, 3))
		n := 300
		if testing.Short() {
			n = 50
		}
		for range n {
			dim := func() int {
				if rng.IntN(4) == 0 {
					return rng.IntN(5)
				}
				return rng.IntN(150)
			}
			check(t, rng, gemmCase{
				tA: transposes[rng.IntN(3)], tB: transposes[rng.IntN(3)],
				m: dim(), n: dim(), k: dim(),
				alpha: []float64{1, 0, -2, 0.25}[rng.IntN(4)],
				beta:  []float64{1, 0, -2, 0.25}[rng.IntN(4)],
				padA:  rng.IntN(4), padB: rng.IntN(4), padC: rng.IntN(4),
				single: rng.IntN(2) == 0,
			})
		}
	})
}

// TestDgemmAlphaZero checks that A and B are not read when alpha is zero,
// as in gonum: NaNs in them do not reach C.
func TestDgemmAlphaZero(t *testing.T) {
	a := []float64{math.NaN(), math.NaN(), math.NaN(), math.NaN()}
	for _, beta := range []float64{0, 1, 2} {
		c := []float64{1, 2, 3, 4}
		Dgemm(blas.NoTrans, blas.NoTrans, 2, 2, 2, 0, a, 2, a, 2, beta, c, 2)
		for i, v := range c {
			if want := beta * float64(i+1); v != want {
				t.Errorf("beta=%v: C[%d] = %v, want %v", beta, i, v, want)
			}
		}
	}
}

func TestDgemmPanics(t *testing.T) {
	a, b, c := make([]float64, 12), make([]float64, 12), make([]float64, 12)
	type args struct {
		tA, tB  blas.Transpose
		m, n, k int
		a       []float64
		lda     int
		b       []float64
		ldb     int
		c       []float64
		ldc     int
	}
	cases := []args{
		{tA: 'X', tB: blas.NoTrans, m: 2, n: 2, k: 2, a: a, lda: 2, b: b, ldb: 2, c: c, ldc: 2},
		{tA: blas.NoTrans, tB: 0, m: 2, n: 2, k: 2, a: a, lda: 2, b: b, ldb: 2, c: c, ldc: 2},
		{tA: blas.NoTrans, tB: blas.NoTrans, m: -1, n: 2, k: 2, a: a, lda: 2, b: b, ldb: 2, c: c, ldc: 2},
		{tA: blas.NoTrans, tB: blas.NoTrans, m: 2, n: -1, k: 2, a: a, lda: 2, b: b, ldb: 2, c: c, ldc: 2},
		{tA: blas.NoTrans, tB: blas.NoTrans, m: 2, n: 2, k: -1, a: a, lda: 2, b: b, ldb: 2, c: c, ldc: 2},
		{tA: blas.NoTrans, tB: blas.NoTrans, m: 2, n: 2, k: 3, a: a, lda: 2, b: b, ldb: 2, c: c, ldc: 2},
		{tA: blas.Trans, tB: blas.NoTrans, m: 3, n: 2, k: 2, a: a, lda: 2, b: b, ldb: 2, c: c, ldc: 2},
		{tA: blas.NoTrans, tB: blas.NoTrans, m: 2, n: 3, k: 2, a: a, lda: 2, b: b, ldb: 2, c: c, ldc: 3},
		{tA: blas.NoTrans, tB: blas.Trans, m: 2, n: 2, k: 3, a: a, lda: 3, b: b, ldb: 2, c: c, ldc: 2},
		{tA: blas.NoTrans, tB: blas.NoTrans, m: 2, n: 3, k: 2, a: a, lda: 2, b: b, ldb: 3, c: c, ldc: 2},
		{tA: blas.NoTrans, tB: blas.NoTrans, m: 2, n: 2, k: 2, a: a[:3], lda: 2, b: b, ldb: 2, c: c, ldc: 2},
		{tA: blas.Trans, tB: blas.NoTrans, m: 2, n: 2, k: 2, a: a[:3], lda: 2, b: b, ldb: 2, c: c, ldc: 2},
		{tA: blas.NoTrans, tB: blas.NoTrans, m: 2, n: 2, k: 2, a: a, lda: 2, b: b[:3], ldb: 2, c: c, ldc: 2},
		{tA: blas.NoTrans, tB: blas.Trans, m: 2, n: 2, k: 2, a: a, lda: 2, b: b[:3], ldb: 2, c: c, ldc: 2},
		{tA: blas.NoTrans, tB: blas.NoTrans, m: 2, n: 2, k: 2, a: a, lda: 2, b: b, ldb: 2, c: c[:3], ldc: 2},
		{tA: blas.NoTrans, tB: blas.NoTrans, m: 2, n: 2, k: 0, a: nil, lda: 1, b: nil, ldb: 2, c: c[:3], ldc: 2},
		{tA: blas.NoTrans, tB: blas.NoTrans, m: 0, n: 2, k: 2, a: nil, lda: 1, b: nil, ldb: 2, c: c, ldc: 1},
	}
	recovered := func(f func()) (r any) {
		defer func() { r = recover() }()
		f()
		return nil
	}
	for i, x := range cases {
		want := recovered(func() {
			gonum.Implementation{}.Dgemm(x.tA, x.tB, x.m, x.n, x.k, 1, x.a, x.lda, x.b, x.ldb, 1, x.c, x.ldc)
		})
		got := recovered(func() {
			Dgemm(x.tA, x.tB, x.m, x.n, x.k, 1, x.a, x.lda, x.b, x.ldb, 1, x.c, x.ldc)
		})
		if got != want {
			t.Errorf("case %d: panic %v, want %v", i, got, want)
		}
	}
}

// TestDgemmConcurrent calls Dgemm and Dgemm32 from many goroutines at
// once, on small and parallel sizes; run it with -race.
func TestDgemmConcurrent(t *testing.T) {
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			rng := rand.New(rand.NewPCG(4, uint64(g)))
			for i := range 6 {
				s := 20 + 60*(i%2) + g
				check(t, rng, gemmCase{tA: transposes[i%2], tB: transposes[g%2], m: s, n: s + 3, k: s + 80, alpha: 1, beta: 1, single: i%3 == 0})
			}
		})
	}
	wg.Wait()
}

// TestImplementation checks that Implementation installed in blas64 reaches
// this package's Dgemm.
func TestImplementation(t *testing.T) {
	old := blas64.Implementation()
	defer blas64.Use(old)
	blas64.Use(Implementation{})
	rng := rand.New(rand.NewPCG(5, 5))
	x := blas64.General{Rows: 30, Cols: 20, Stride: 20, Data: randSlice(rng, 600)}
	y := blas64.General{Rows: 20, Cols: 25, Stride: 25, Data: randSlice(rng, 500)}
	got := blas64.General{Rows: 30, Cols: 25, Stride: 25, Data: make([]float64, 750)}
	want := blas64.General{Rows: 30, Cols: 25, Stride: 25, Data: make([]float64, 750)}
	blas64.Gemm(blas.NoTrans, blas.NoTrans, 1, x, y, 0, got)
	gonum.Implementation{}.Dgemm(blas.NoTrans, blas.NoTrans, 30, 25, 20, 1, x.Data, 20, y.Data, 25, 0, want.Data, 25)
	for i := range got.Data {
		if math.Abs(got.Data[i]-want.Data[i]) > 1e-12*20 {
			t.Fatalf("C[%d] = %v, want %v", i, got.Data[i], want.Data[i])
		}
	}
}

// FuzzDgemm checks Dgemm and Dgemm32 (in float32 through the blocked
// algorithm too, see check) on fuzzed shapes, with both kernels.
func FuzzDgemm(f *testing.F) {
	f.Add(uint64(1), uint8(7), uint8(9), uint8(13), uint8(0))
	f.Add(uint64(2), uint8(64), uint8(10), uint8(128), uint8(5))
	f.Add(uint64(3), uint8(13), uint8(33), uint8(1), uint8(3))
	f.Add(uint64(4), uint8(100), uint8(17), uint8(255), uint8(130))
	f.Fuzz(func(t *testing.T, seed uint64, m, n, k, flags uint8) {
		rng := rand.New(rand.NewPCG(seed, 6))
		tc := gemmCase{tA: transposes[flags&1], tB: transposes[flags>>1&1],
			m: int(m), n: int(n), k: int(k),
			alpha: []float64{1, -0.5}[flags>>2&1], beta: []float64{1, 0, 2, -1}[flags>>3&3],
			padA: int(flags >> 5 & 1), padB: int(flags >> 6 & 1), padC: int(flags >> 7)}
		defer func(old bool) { useAsm = old }(useAsm)
		for _, single := range []bool{false, true} {
			tc.single = single
			useAsm = haveAsm
			check(t, rng, tc)
			useAsm = false
			check(t, rng, tc)
		}
	})
}

// TestDgemmTightC gives Dgemm a C as short as it allows (no padding after
// the last row), where the edge tiles must not touch memory past it.
func TestDgemmTightC(t *testing.T) {
	kernels(t, func(t *testing.T) {
		rng := rand.New(rand.NewPCG(9, 9))
		for range 200 {
			m, n, k := 1+rng.IntN(40), 1+rng.IntN(40), 1+rng.IntN(300)
			tA, tB := transposes[rng.IntN(2)], transposes[rng.IntN(2)]
			ldc := n + rng.IntN(3)
			ar, ac, br, bc := m, k, k, n
			if tA != blas.NoTrans {
				ar, ac = k, m
			}
			if tB != blas.NoTrans {
				br, bc = n, k
			}
			a, b := randSlice(rng, ar*ac), randSlice(rng, br*bc)
			c := randSlice(rng, (m-1)*ldc+n)
			want := append([]float64(nil), c...)
			gonum.Implementation{}.Dgemm(tA, tB, m, n, k, 1, a, ac, b, bc, 1, want, ldc)
			Dgemm(tA, tB, m, n, k, 1, a, ac, b, bc, 1, c, ldc)
			for i := range c {
				if math.Abs(c[i]-want[i]) > 1e-12*float64(k)*(1+math.Abs(want[i])) {
					t.Fatalf("%c%c m=%d n=%d k=%d ldc=%d: C[%d] = %v, want %v", tA, tB, m, n, k, ldc, i, c[i], want[i])
				}
			}
		}
	})
}
