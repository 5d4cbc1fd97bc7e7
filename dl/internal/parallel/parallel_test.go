package parallel

import (
	"sync/atomic"
	"testing"
)

// TestForCovers checks that For visits every index exactly once, whether
// the job is split or not.
func TestForCovers(t *testing.T) {
	for _, c := range []struct{ n, cost int }{{0, 0}, {1, MinWork}, {7, 1}, {1000, 10 * MinWork}, {3, 10 * MinWork}} {
		seen := make([]atomic.Int32, c.n)
		For(c.n, c.cost, func(lo, hi int) {
			for i := lo; i < hi; i++ {
				seen[i].Add(1)
			}
		})
		for i := range seen {
			if v := seen[i].Load(); v != 1 {
				t.Errorf("n %d, cost %d: index %d visited %d times", c.n, c.cost, i, v)
			}
		}
	}
}

func TestSum(t *testing.T) {
	const n = 10000
	dst := []float64{1, 2}
	Sum(dst, n, 10*MinWork, func(lo, hi int, acc []float64) {
		for i := lo; i < hi; i++ {
			acc[0]++
			acc[1] += float64(i)
		}
	})
	if want := []float64{1 + n, 2 + n*(n-1)/2}; dst[0] != want[0] || dst[1] != want[1] {
		t.Errorf("Sum = %v, want %v", dst, want)
	}
}
