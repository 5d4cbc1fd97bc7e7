package dl

import par "github.com/dlnb/dlnb/dl/internal/parallel"

// parallel calls work(lo, hi) on consecutive ranges that cover [0, n),
// on all the CPUs when the job, about cost element operations, is big
// enough (see package dl/internal/parallel).
func parallel(n, cost int, work func(lo, hi int)) { par.For(n, cost, work) }

// parallelSum is parallel for work that adds into one small buffer, such
// as a bias gradient summed over many rows; see par.Sum.
func parallelSum(dst []float64, n, cost int, work func(lo, hi int, acc []float64)) {
	par.Sum(dst, n, cost, work)
}
