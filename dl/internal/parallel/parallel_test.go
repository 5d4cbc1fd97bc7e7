package parallel

import (
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
)

// TestForCovers checks that For visits every index exactly once, whether
// the job is split or not, on one CPU or several.
func TestForCovers(t *testing.T) {
	for _, procs := range []int{1, 4} {
		defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(procs))
		for _, c := range []struct{ n, cost int }{{0, 0}, {1, MinWork}, {7, 1}, {1000, 10 * MinWork}, {3, 10 * MinWork}, {100000, 100 * MinWork}} {
			seen := make([]atomic.Int32, c.n)
			For(c.n, c.cost, func(lo, hi int) {
				for i := lo; i < hi; i++ {
					seen[i].Add(1)
				}
			})
			for i := range seen {
				if v := seen[i].Load(); v != 1 {
					t.Errorf("GOMAXPROCS %d, n %d, cost %d: index %d visited %d times", procs, c.n, c.cost, i, v)
				}
			}
		}
	}
}

// TestForChunks checks that For cuts the loop into the same ranges
// whatever GOMAXPROCS, and on one CPU takes them in order.
func TestForChunks(t *testing.T) {
	const n, cost = 1000, 100 * MinWork
	ranges := func() [][2]int {
		var mu sync.Mutex
		var r [][2]int
		For(n, cost, func(lo, hi int) {
			mu.Lock()
			r = append(r, [2]int{lo, hi})
			mu.Unlock()
		})
		return r
	}
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	want := ranges()
	if len(want) != Chunks(n, cost) || len(want) < 2 {
		t.Fatalf("%d ranges, Chunks says %d", len(want), Chunks(n, cost))
	}
	for i, r := range want { // in order, and consecutive
		if r[0] != i*n/len(want) || r[1] != (i+1)*n/len(want) {
			t.Fatalf("range %d is %v, want [%d, %d)", i, r, i*n/len(want), (i+1)*n/len(want))
		}
	}
	for _, procs := range []int{2, 3, 8} {
		runtime.GOMAXPROCS(procs)
		got := ranges()
		slices.SortFunc(got, func(a, b [2]int) int { return a[0] - b[0] })
		if !slices.Equal(got, want) {
			t.Errorf("GOMAXPROCS %d: ranges %v, under 1: %v", procs, got, want)
		}
	}
}

// TestChunks checks the number of chunks against the size of the job.
func TestChunks(t *testing.T) {
	for _, c := range []struct{ n, cost, want int }{
		{0, 0, 1},
		{1, 100 * MinWork, 1},
		{1000, MinWork - 1, 1},     // too little work to split
		{1000, MinWork, 2},         // just enough
		{1000, 5 * chunkWork, 5},   // one per chunkWork
		{1000, 1000 * MinWork, 32}, // at most maxChunks
		{3, 1000 * MinWork, 3},     // at most n
	} {
		if got := Chunks(c.n, c.cost); got != c.want {
			t.Errorf("Chunks(%d, %d) = %d, want %d", c.n, c.cost, got, c.want)
		}
	}
}

// TestSumChunks checks that Sum's chunks are those of For, fewer when the
// buffer is long.
func TestSumChunks(t *testing.T) {
	for _, c := range []struct{ n, cost, d, want int }{
		{1000, 1000 * MinWork, 1, 32},  // as For
		{1000, MinWork - 1, 1, 1},      // as For: too little work
		{1000, 64 * MinWork, 4096, 32}, // as For: the buffer is short enough
		{64, 64 * 4096, 4096, 8},       // 64 rows of 4096: 8 chunks of 8 rows
		{1 << 20, 1 << 20, 1 << 20, 1}, // a buffer as long as the work
		{1000, 100 * MinWork, 0, 32},   // an empty buffer
	} {
		if got := sumChunks(c.n, c.cost, c.d); got != c.want {
			t.Errorf("sumChunks(%d, %d, %d) = %d, want %d", c.n, c.cost, c.d, got, c.want)
		}
	}
}

func TestSum(t *testing.T) {
	const n = 10000
	for _, cost := range []int{1, 10 * MinWork} {
		dst := []float64{1, 2}
		Sum(dst, n, cost, func(lo, hi int, acc []float64) {
			for i := lo; i < hi; i++ {
				acc[0]++
				acc[1] += float64(i)
			}
		})
		if want := []float64{1 + n, 2 + n*(n-1)/2}; dst[0] != want[0] || dst[1] != want[1] {
			t.Errorf("cost %d: Sum = %v, want %v", cost, dst, want)
		}
	}
}

// TestSumDeterministic checks that Sum gives the same bits under any
// GOMAXPROCS and on every run, with terms of very different magnitudes,
// whose float sum depends on the order of the additions: the chunks' sums
// are added into dst in chunk order.
func TestSumDeterministic(t *testing.T) {
	const n, d = 4096, 3
	rng := rand.New(rand.NewPCG(1, 2))
	terms := make([]float64, n*d)
	for i := range terms {
		terms[i] = math.Ldexp(rng.NormFloat64(), rng.IntN(80)-40)
	}
	work := func(lo, hi int, acc []float64) {
		for i := lo; i < hi; i++ {
			for j := range d {
				acc[j] += terms[i*d+j]
			}
		}
	}
	cost := 100 * MinWork
	chunks := sumChunks(n, cost, d)
	// What Sum promises: each chunk summed from zero, the sums added into
	// dst in chunk order.
	want := []float64{0.5, -0.25, 3}
	parts := make([]float64, chunks*d)
	for c := range chunks {
		work(c*n/chunks, (c+1)*n/chunks, parts[c*d:(c+1)*d])
	}
	for c := range chunks {
		for j := range d {
			want[j] += parts[c*d+j]
		}
	}
	// The test can fail: another order of the same additions gives other bits.
	reversed := []float64{0.5, -0.25, 3}
	for c := chunks - 1; c >= 0; c-- {
		for j := range d {
			reversed[j] += parts[c*d+j]
		}
	}
	if slices.Equal(reversed, want) {
		t.Fatal("the terms' sum does not depend on the order; the test proves nothing")
	}
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(0))
	for _, procs := range []int{1, 2, 4, 8} {
		runtime.GOMAXPROCS(procs)
		for run := range 5 {
			dst := []float64{0.5, -0.25, 3}
			Sum(dst, n, cost, work)
			for j := range d {
				if math.Float64bits(dst[j]) != math.Float64bits(want[j]) {
					t.Errorf("GOMAXPROCS %d, run %d: dst[%d] = %v, want %v", procs, run, j, dst[j], want[j])
				}
			}
		}
	}
}

// TestCountSplits checks that CountSplits records the split calls of For
// and Sum, by call site, and only while it records.
func TestCountSplits(t *testing.T) {
	noop := func(lo, hi int) {}
	noopSum := func(lo, hi int, acc []float64) {}
	For(100, 10*MinWork, noop) // not recorded: before
	stop := CountSplits()
	inner := CountSplits()
	For(100, 10*MinWork, noop)
	_, _, line, _ := runtime.Caller(0)
	For(100, 10*MinWork, noop)
	For(100, 1, noop) // not split
	Sum(make([]float64, 2), 100, 10*MinWork, noopSum)
	Sum(make([]float64, 2), 100, 1, noopSum) // not split
	innerCounts := inner()
	counts := stop()
	For(100, 10*MinWork, noop) // not recorded: after
	site := func(fn string, line int) string {
		return fmt.Sprintf("%s dl/internal/parallel/parallel_test.go:%d", fn, line)
	}
	want := map[string]int{site("For", line-1): 1, site("For", line+1): 1, site("Sum", line+3): 1}
	for _, got := range []map[string]int{counts, innerCounts} {
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("CountSplits = %v, want %v", got, want)
		}
	}
	for k := range counts {
		if !strings.HasPrefix(strings.SplitN(k, " ", 2)[1], "dl/") {
			t.Errorf("call site %q is not relative to the module's root", k)
		}
	}
}
