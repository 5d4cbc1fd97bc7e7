package data

import (
	"fmt"
	"math"
	"math/rand/v2"
)

// Subsample returns n rows of s drawn without replacement, in a random order,
// as a new Set (the data are copied). Use it for "more data helps": train on
// Subsample(train, n, rng) for growing n.
//
// The samples are nested: with rngs in the same state, a smaller sample is
// the start of a larger one, so Subsample(s, 100, rand.New(rand.NewPCG(1, 2)))
// holds the first 100 rows of Subsample(s, 200, rand.New(rand.NewPCG(1, 2))).
//
// Subsample panics if n < 0 or n > s.Len(), if rng is nil, or if X and Y do
// not have the same number of rows.
func Subsample(s Set, n int, rng *rand.Rand) Set {
	m := rows("Subsample", s)
	if n < 0 || n > m {
		panic(fmt.Sprintf("data: Subsample: n = %d rows from a set of %d, want 0 <= n <= %d", n, m, m))
	}
	needRNG("Subsample", rng)
	return s.Subset(rng.Perm(m)[:n])
}

// Biased returns a sample of s with a selection bias: it keeps row i with
// probability keep(x, y), where x is row i of X flattened to [features] and y
// its label, Y[i]. The kept rows stay in their order and are copied. Biased
// draws one number from rng per row, whatever keep returns.
//
// A bias that depends on x shifts the inputs (a camera that only sees daylight
// photos); one that depends on y shifts the classes, as [ClassWeighted] does.
// For example, to keep only a quarter of the points on the right:
//
//	left := data.Biased(moons, func(x []float64, y float64) float64 {
//		if x[0] > 0.5 {
//			return 0.25
//		}
//		return 1
//	}, rng)
//
// x is a view of s.X: keep must not change it. Y must be nil or [n]; when it
// is nil, y is NaN.
//
// Biased panics if keep returns a value outside [0, 1] (NaN included), if keep
// or rng is nil, if Y is not [n], or if X and Y do not have the same number of
// rows.
func Biased(s Set, keep func(x []float64, y float64) float64, rng *rand.Rand) Set {
	n := rows("Biased", s)
	if keep == nil {
		panic("data: Biased: keep is nil; pass a function that returns the probability to keep a row")
	}
	needRNG("Biased", rng)
	if s.Y != nil && s.Y.Dim() != 1 {
		panic(fmt.Sprintf("data: Biased: Y of shape %v, want labels [n] or no Y", s.Y.Shape()))
	}
	var x, y []float64
	f := 0
	if n > 0 {
		x = s.X.Data()
		f = len(x) / n
	}
	if s.Y != nil {
		y = s.Y.Data()
	}
	var kept []int
	for i := range n {
		label := math.NaN()
		if y != nil {
			label = y[i]
		}
		// The full slice expression caps the view, so that an append in keep
		// cannot write into the next row.
		p := keep(x[i*f:(i+1)*f:(i+1)*f], label)
		if !(p >= 0 && p <= 1) {
			panic(fmt.Sprintf("data: Biased: keep returned %v for row %d, want a probability in [0, 1]", p, i))
		}
		if rng.Float64() < p {
			kept = append(kept, i)
		}
	}
	return s.Subset(kept)
}

// ClassWeighted returns a sample of s that under-represents some classes: it
// keeps each row of class c with probability weights[c], so weights
// {1, 1, 0.1} keeps about a tenth of class 2 and all of the others. The kept
// rows stay in their order and are copied. It is [Biased] with a keep that
// looks only at the label.
//
// s.Y must hold class labels [n] in 0..len(weights)-1.
//
// ClassWeighted panics if weights is empty or a weight is not in [0, 1], if
// rng is nil, if Y is not [n] or a label is not a class in
// 0..len(weights)-1, or if X and Y do not have the same number of rows.
func ClassWeighted(s Set, weights []float64, rng *rand.Rand) Set {
	if len(weights) == 0 {
		panic("data: ClassWeighted: no weights; want one keep probability per class")
	}
	for c, w := range weights {
		if !(w >= 0 && w <= 1) {
			panic(fmt.Sprintf("data: ClassWeighted: weight %v for class %d is not a probability in [0, 1]", w, c))
		}
	}
	needRNG("ClassWeighted", rng)
	classLabels("ClassWeighted", s, len(weights))
	return Biased(s, func(_ []float64, y float64) float64 { return weights[int(y)] }, rng)
}
