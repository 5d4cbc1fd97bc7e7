package data

import (
	"fmt"
	"math/rand/v2"

	"github.com/dlnb/dlnb/dl"
)

// FlipLabels adds symmetric label noise: each class label of s, independently
// with probability rate, is replaced by a different class drawn uniformly from
// the other classes-1. It returns the noisy set and the indices of the rows
// whose label changed, in increasing order; about rate*n of them.
//
// s.Y must hold class labels [n] in 0..classes-1. noisy.Y is a new tensor and
// s is not changed. noisy.X is s.X itself, not a copy: the inputs are the same,
// and copying them for every noise rate would cost memory for nothing (a copy
// of MNIST is 376 MB). Clone it before changing it in place.
//
// FlipLabels panics if rate is not in [0, 1], if classes < 2, if rng is nil,
// if Y is not [n] or a label is not a class in 0..classes-1, or if X and Y do
// not have the same number of rows.
func FlipLabels(s Set, rate float64, classes int, rng *rand.Rand) (noisy Set, flipped []int) {
	checkRate("FlipLabels", rate)
	if classes < 2 {
		panic(fmt.Sprintf("data: FlipLabels: %d classes, want at least 2 so that a label can change", classes))
	}
	needRNG("FlipLabels", rng)
	y := classLabels("FlipLabels", s, classes)
	for i, v := range y {
		if rng.Float64() < rate {
			// Draw one of the other classes-1 classes: skip over the old one.
			c := rng.IntN(classes - 1)
			if c >= int(v) {
				c++
			}
			y[i] = float64(c)
			flipped = append(flipped, i)
		}
	}
	return Set{X: s.X, Y: dl.New(y, len(y))}, flipped
}

// SwapLabels adds class-dependent label noise between two classes that look
// alike, such as 3 and 8 among the digits: each label a becomes b, and each
// label b becomes a, independently with probability rate. Other labels do not
// change. It returns the noisy set and the indices of the rows whose label
// changed, in increasing order.
//
// s.Y must hold class labels [n]. As with [FlipLabels], noisy.Y is a new
// tensor, noisy.X is s.X itself, and s is not changed.
//
// SwapLabels panics if rate is not in [0, 1], if a or b is negative or a == b,
// if rng is nil, if Y is not [n] or holds a label that is not a whole number
// >= 0, or if X and Y do not have the same number of rows.
func SwapLabels(s Set, a, b int, rate float64, rng *rand.Rand) (noisy Set, flipped []int) {
	checkRate("SwapLabels", rate)
	if a < 0 || b < 0 || a == b {
		panic(fmt.Sprintf("data: SwapLabels: classes %d and %d, want two different classes >= 0", a, b))
	}
	needRNG("SwapLabels", rng)
	y := classLabels("SwapLabels", s, 0)
	fa, fb := float64(a), float64(b)
	for i, v := range y {
		if v != fa && v != fb {
			continue
		}
		if rng.Float64() < rate {
			y[i] = fa + fb - v // a becomes b, b becomes a
			flipped = append(flipped, i)
		}
	}
	return Set{X: s.X, Y: dl.New(y, len(y))}, flipped
}

// checkRate panics, naming op, when rate is not a probability.
func checkRate(op string, rate float64) {
	if !(rate >= 0 && rate <= 1) {
		panic(fmt.Sprintf("data: %s: rate %v is not in [0, 1]; it is the probability that a label changes, e.g. 0.2", op, rate))
	}
}

// classLabels returns a copy of the class labels of s, checking that Y is [n]
// with one label per row of X, and that each label is a whole number in
// 0..classes-1 (or >= 0 when classes is 0). It panics, naming op, otherwise.
func classLabels(op string, s Set, classes int) []float64 {
	if s.Y == nil || s.Y.Dim() != 1 {
		var shape []int
		if s.Y != nil {
			shape = s.Y.Shape()
		}
		panic(fmt.Sprintf("data: %s: Y of shape %v, want class labels [n]", op, shape))
	}
	rows(op, s)
	y := s.Y.Clone().Data()
	checkClasses(op, y, classes)
	return y
}

// checkClasses panics, naming op, when a label of y is not a whole number in
// 0..classes-1 (or >= 0 when classes is 0).
func checkClasses(op string, y []float64, classes int) {
	for i, v := range y {
		c := int(v)
		if float64(c) != v || c < 0 || (classes > 0 && c >= classes) {
			if classes > 0 {
				panic(fmt.Sprintf("data: %s: label %v at row %d is not a class in 0..%d", op, v, i, classes-1))
			}
			panic(fmt.Sprintf("data: %s: label %v at row %d is not a class (a whole number >= 0)", op, v, i))
		}
	}
}
