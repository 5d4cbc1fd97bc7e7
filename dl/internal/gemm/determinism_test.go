package gemm

import (
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"strings"
	"testing"

	"gonum.org/v1/gonum/blas"
)

// pathCase is a product of random matrices of one shape, by Dgemm or
// Dgemm32, and the path that it takes (see CountPaths).
type pathCase struct {
	tA, tB  blas.Transpose
	m, n, k int
	path    string
	single  bool // Dgemm32
}

func (tc pathCase) String() string {
	name := fmt.Sprintf("%c%c m=%d n=%d k=%d", tc.tA, tc.tB, tc.m, tc.n, tc.k)
	if tc.single {
		return "Dgemm32 " + name
	}
	return name
}

// skinny reports whether tc's path is one of the shortcuts that exist only
// with the assembly kernel.
func (tc pathCase) skinny() bool { return tc.path == "dots" || strings.HasPrefix(tc.path, "outer") }

// operands returns random A and B for tc and their leading dimensions.
func (tc pathCase) operands(rng *rand.Rand) (a []float64, lda int, b []float64, ldb int) {
	a, b = randSlice(rng, tc.m*tc.k), randSlice(rng, tc.k*tc.n)
	lda, ldb = tc.k, tc.n
	if tc.tA != blas.NoTrans {
		lda = tc.m
	}
	if tc.tB != blas.NoTrans {
		ldb = tc.k
	}
	return a, lda, b, ldb
}

// TestDgemmDeterministic checks that Dgemm and Dgemm32 give the very same
// bits under GOMAXPROCS 1, 2 and 4 and on repeated runs, for shapes that
// take each path (under GOMAXPROCS 4); CountPaths shows that they do.
func TestDgemmDeterministic(t *testing.T) {
	cases := []pathCase{
		{blas.Trans, blas.NoTrans, 16, 16, 20000, "outer k-split", false},
		{blas.Trans, blas.NoTrans, 13, 11, 30001, "outer k-split", false}, // edge tiles
		{blas.NoTrans, blas.Trans, 10, 20, 5000, "dots", false},
		{blas.NoTrans, blas.NoTrans, 300, 300, 100, "blocked 2-D", false},
		{blas.Trans, blas.Trans, 301, 299, 301, "blocked 2-D", false}, // edges, two kc slices
		{blas.NoTrans, blas.NoTrans, 7, 7, 7, "naive", false},
		{blas.NoTrans, blas.NoTrans, 300, 300, 100, "blocked 2-D", true},
		{blas.Trans, blas.Trans, 301, 299, 301, "blocked 2-D", true},
		{blas.NoTrans, blas.Trans, 64, 784, 256, "blocked split", true}, // an MLP's dX
		{blas.Trans, blas.NoTrans, 13, 11, 30001, "outer k-split", true},
	}
	kernels(t, func(t *testing.T) {
		for _, tc := range cases {
			if tc.skinny() && !useAsm {
				continue
			}
			product := Dgemm
			if tc.single {
				product = Dgemm32
			}
			rng := rand.New(rand.NewPCG(10, uint64(tc.m)))
			a, lda, b, ldb := tc.operands(rng)
			c0 := randSlice(rng, tc.m*tc.n)
			var want []float64
			for _, procs := range []int{1, 2, 4, 4} {
				old := runtime.GOMAXPROCS(procs)
				c := append([]float64(nil), c0...)
				stop := CountPaths()
				product(tc.tA, tc.tB, tc.m, tc.n, tc.k, -0.7, a, lda, b, ldb, 0.3, c, tc.n)
				paths := stop()
				runtime.GOMAXPROCS(old)
				if procs == 4 && paths[tc.path] != 1 {
					t.Errorf("%v: took the paths %v, want %q", tc, paths, tc.path)
				}
				if blocked := tc.path == "blocked 2-D" || tc.path == "blocked split"; blocked && tc.single && paths["blocked32"] != 1 {
					t.Errorf("%v: took the paths %v, want it in float32 (blocked32)", tc, paths)
				}
				if want == nil {
					want = c
					continue
				}
				for i := range c {
					if math.Float64bits(c[i]) != math.Float64bits(want[i]) {
						t.Errorf("%v: GOMAXPROCS %d: C[%d] = %v, under 1 it is %v", tc, procs, i, c[i], want[i])
						break
					}
				}
			}
		}
	})
}

// TestOuterChunkOrder checks that byOuter adds its chunks' partial products
// in chunk order: the result equals alpha·(P0 + P1 + …) + beta·C, summed in
// that order, where Pi is the product over chunk i alone.
func TestOuterChunkOrder(t *testing.T) {
	if !haveAsm {
		t.Skip("byOuter needs the assembly kernel")
	}
	defer func(old bool) { useAsm = old }(useAsm)
	useAsm = true
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(3))
	const m, n, k, alpha, beta = 12, 19, 30011, 1.5, -0.5
	rng := rand.New(rand.NewPCG(11, 11))
	a, b, c := randSlice(rng, k*m), randSlice(rng, k*n), randSlice(rng, m*n)
	chunks, cs := outerChunks(m, n, k)
	if chunks < 3 {
		t.Fatalf("%d chunks; the test needs at least 3", chunks)
	}
	sum := make([]float64, m*n)
	part := make([]float64, m*n)
	for i := range chunks {
		q0, q1 := i*cs, min((i+1)*cs, k)
		Dgemm(blas.Trans, blas.NoTrans, m, n, q1-q0, 1, a[q0*m:], m, b[q0*n:], n, 0, part, n)
		for j, v := range part {
			if i == 0 {
				sum[j] = v
			} else {
				sum[j] += v
			}
		}
	}
	want := make([]float64, m*n)
	for j := range want {
		want[j] = alpha*sum[j] + beta*c[j]
	}
	Dgemm(blas.Trans, blas.NoTrans, m, n, k, alpha, a, m, b, n, beta, c, n)
	for j := range c {
		if math.Float64bits(c[j]) != math.Float64bits(want[j]) {
			t.Fatalf("C[%d] = %v, the chunks added in order give %v", j, c[j], want[j])
		}
	}
}

// TestOuterChunks checks that byOuter's chunks cover the inner dimension,
// are bounded in number, and grow in number with the work.
func TestOuterChunks(t *testing.T) {
	for _, s := range [][3]int{{6, 8, 64}, {16, 16, 4095}, {16, 16, 4096}, {16, 16, 20000}, {16, 16, 1 << 20}, {13, 11, 30001}} {
		m, n, k := s[0], s[1], s[2]
		chunks, cs := outerChunks(m, n, k)
		want := max(1, min(maxOuterChunks, m*n*k/outerChunkWork))
		if chunks < 1 || chunks > want || (chunks-1)*cs >= k || chunks*cs < k {
			t.Errorf("m=%d n=%d k=%d: %d chunks of %d, want about %d covering k", m, n, k, chunks, cs, want)
		}
	}
}

// TestOuterAllocs checks that byOuter, split or not, keeps its partial
// sums in pooled memory: a repeated product does not allocate.
func TestOuterAllocs(t *testing.T) {
	if !haveAsm {
		t.Skip("byOuter needs the assembly kernel")
	}
	defer func(old bool) { useAsm = old }(useAsm)
	useAsm = true
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(2))
	rng := rand.New(rand.NewPCG(13, 13))
	for _, k := range []int{100, 20000} { // one chunk, several
		a, b, c := randSlice(rng, k*16), randSlice(rng, k*16), make([]float64, 16*16)
		product := func() { Dgemm(blas.Trans, blas.NoTrans, 16, 16, k, 1, a, 16, b, 16, 0, c, 16) }
		if n := testing.AllocsPerRun(20, product); n != 0 {
			t.Errorf("k=%d: %v allocations per product, want 0", k, n)
		}
	}
}
