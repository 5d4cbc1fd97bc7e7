package data

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/dlnb/dlnb/dl"
)

// Set is a labelled data set: X holds one example per row, Y the targets.
//
// Row i of X goes with row i of Y. Y may be nil for a set without targets;
// the functions of this package then leave it nil.
type Set struct {
	X *dl.Tensor // [n, features...]
	Y *dl.Tensor // [n] class labels as float64 (0, 1, ...), or [n, k] regression targets
}

// Len returns n, the number of examples (rows of X). The zero Set has
// length 0.
func (s Set) Len() int {
	if s.X == nil || s.X.Dim() == 0 {
		return 0
	}
	return s.X.Shape()[0]
}

// Subset returns the rows idx of s, in that order, as a new Set: X
// [len(idx), features...] and Y [len(idx), ...]. The data are copied, so
// changing the subset does not change s. An index may appear more than once.
//
// Subset panics if an index is out of range, or if X and Y do not have the
// same number of rows.
func (s Set) Subset(idx []int) Set {
	n := rows("Subset", s)
	for _, i := range idx {
		if i < 0 || i >= n {
			panic(fmt.Sprintf("data: Subset: index %d out of range for a set of %d rows", i, n))
		}
	}
	if s.X == nil {
		return Set{}
	}
	return Set{X: takeRows(s.X, n, idx), Y: takeRows(s.Y, n, idx)}
}

// Head returns the first n rows of s as a new Set, as s.Slice(0, n) does:
// X [n, features...] and Y [n, ...], copied.
//
// Head panics if n < 0 or n > s.Len(), or if X and Y do not have the same
// number of rows.
func (s Set) Head(n int) Set {
	rows := rows("Head", s)
	if n < 0 || n > rows {
		panic(fmt.Sprintf("data: Head: %d rows of a set of %d; want 0 <= n <= %d", n, rows, rows))
	}
	return s.Slice(0, n)
}

// Slice returns rows from, from+1, ..., to-1 of s as a new Set, like the Go
// slice expression s[from:to]: X [to-from, features...] and Y [to-from,
// ...]. The data are copied, so changing the slice does not change s.
//
// Slice panics unless 0 <= from <= to <= s.Len(), or if X and Y do not have
// the same number of rows.
func (s Set) Slice(from, to int) Set {
	n := rows("Slice", s)
	if from < 0 || from > to || to > n {
		panic(fmt.Sprintf("data: Slice: rows [%d:%d] of a set of %d; want 0 <= from <= to <= %d", from, to, n, n))
	}
	idx := make([]int, 0, to-from)
	for i := from; i < to; i++ {
		idx = append(idx, i)
	}
	return s.Subset(idx)
}

// Labels returns the class labels of s, Y [n] (or [n, 1]), as ints: for
// printing with %d, and for comparing with predicted classes such as those
// of dl.Argmax. It returns a new slice each time.
//
// Labels panics if Y is nil or has another shape, or if a label is not a
// whole number.
func (s Set) Labels() []int {
	n := rows("Labels", s)
	if s.Y == nil || s.Y.Len() != n || s.Y.Dim() > 2 {
		var shape []int
		if s.Y != nil {
			shape = s.Y.Shape()
		}
		panic(fmt.Sprintf("data: Labels: Y of shape %v, want class labels [%d]", shape, n))
	}
	out := make([]int, n)
	for i, v := range s.Y.Data() {
		if v != math.Trunc(v) || math.IsInf(v, 0) {
			panic(fmt.Sprintf("data: Labels: label %v at row %d is not a whole number", v, i))
		}
		out[i] = int(v)
	}
	return out
}

// Shuffle returns the rows of s in a random order drawn from rng, as a new
// Set (the data are copied).
//
// Shuffle panics if rng is nil, or if X and Y do not have the same number of
// rows.
func Shuffle(s Set, rng *rand.Rand) Set {
	needRNG("Shuffle", rng)
	n := rows("Shuffle", s)
	return s.Subset(rng.Perm(n))
}

// Split shuffles the rows of s with rng and splits them in two: test gets
// round(n*testFrac) rows and train the others. Every row of s lands in
// exactly one of them, and the data are copied. With a small n one of the two
// may be empty.
//
// Split panics if testFrac is not in (0, 1), if rng is nil, or if X and Y do
// not have the same number of rows.
func Split(s Set, testFrac float64, rng *rand.Rand) (train, test Set) {
	if !(testFrac > 0 && testFrac < 1) {
		panic(fmt.Sprintf("data: Split: testFrac %v is not in (0, 1); use e.g. 0.2 for 20%% test rows", testFrac))
	}
	needRNG("Split", rng)
	n := rows("Split", s)
	perm := rng.Perm(n)
	nTest := int(math.Round(float64(n) * testFrac))
	return s.Subset(perm[nTest:]), s.Subset(perm[:nTest])
}

// Batches cuts s into mini-batches of size rows; the last one is smaller when
// size does not divide n. Each row of s is in exactly one batch. With a
// non-nil rng the rows are shuffled first; with a nil rng they stay in order.
// The batches hold copies of the data. An empty set gives no batches.
//
// Batches panics if size < 1, or if X and Y do not have the same number of
// rows.
func Batches(s Set, size int, rng *rand.Rand) []Set {
	if size < 1 {
		panic(fmt.Sprintf("data: Batches: batch size %d, want at least 1", size))
	}
	n := rows("Batches", s)
	var order []int
	if rng != nil {
		order = rng.Perm(n)
	} else {
		order = make([]int, n)
		for i := range order {
			order[i] = i
		}
	}
	var out []Set
	for start := 0; start < n; start += size {
		out = append(out, s.Subset(order[start:min(start+size, n)]))
	}
	return out
}

// OneHot turns class labels y [n] into one-hot rows [n, classes]: row i has
// a 1 in column y[i] and 0 elsewhere.
//
// OneHot panics if y is not one-dimensional, if classes < 1, or if a label is
// not a whole number in 0..classes-1.
func OneHot(y *dl.Tensor, classes int) *dl.Tensor {
	notNil("OneHot", "y", y)
	if y.Dim() != 1 {
		panic(fmt.Sprintf("data: OneHot: labels of shape %v, want [n]", y.Shape()))
	}
	if classes < 1 {
		panic(fmt.Sprintf("data: OneHot: %d classes, want at least 1", classes))
	}
	labels := y.Data()
	out := make([]float64, len(labels)*classes)
	for i, v := range labels {
		c := int(v)
		if float64(c) != v || c < 0 || c >= classes {
			panic(fmt.Sprintf("data: OneHot: label %v at row %d is not a class in 0..%d", v, i, classes-1))
		}
		out[i*classes+c] = 1
	}
	return dl.New(out, len(labels), classes)
}

// Standardize rescales the features of train and test with the mean and
// standard deviation of each feature over train: x' = (x - mean) / std. A
// feature that is constant in train (std 0) is only shifted (std taken as 1).
// Using train's statistics for both keeps test unseen, as it must be.
//
// X may have any shape [n, features...]; each of the features is one column.
// The returned sets hold copies; Y is copied unchanged. test may be empty.
//
// Standardize panics if train is empty, if the two sets do not have the same
// features per row, or if X and Y do not have the same number of rows.
func Standardize(train, test Set) (Set, Set) {
	n := rows("Standardize", train)
	rows("Standardize", test)
	if n == 0 {
		panic("data: Standardize: train is empty, so there is no mean or std to compute")
	}
	f := train.X.Len() / n
	if test.Len() > 0 && test.X.Len()/test.Len() != f {
		panic(fmt.Sprintf("data: Standardize: train X %v and test X %v do not have the same features per row",
			train.X.Shape(), test.X.Shape()))
	}
	x := train.X.Data()
	mean := make([]float64, f)
	std := make([]float64, f)
	for i := range n {
		for j, v := range x[i*f : (i+1)*f] {
			mean[j] += v
		}
	}
	for j := range mean {
		mean[j] /= float64(n)
	}
	for i := range n {
		for j, v := range x[i*f : (i+1)*f] {
			d := v - mean[j]
			std[j] += d * d
		}
	}
	for j := range std {
		std[j] = math.Sqrt(std[j] / float64(n))
		if std[j] == 0 {
			std[j] = 1
		}
	}
	apply := func(s Set) Set {
		if s.X == nil {
			return s
		}
		out := s.X.Clone()
		d := out.Data()
		for i := range d {
			j := i % f
			d[i] = (d[i] - mean[j]) / std[j]
		}
		var y *dl.Tensor
		if s.Y != nil {
			y = s.Y.Clone()
		}
		return Set{X: out, Y: y}
	}
	return apply(train), apply(test)
}

// rows returns the number of rows of s. It panics, naming op, when X is a
// scalar or when X and Y disagree on the number of rows.
func rows(op string, s Set) int {
	if s.X == nil {
		if s.Y != nil {
			panic(fmt.Sprintf("data: %s: Y %v has no X", op, s.Y.Shape()))
		}
		return 0
	}
	if s.X.Dim() == 0 {
		panic(fmt.Sprintf("data: %s: X is a scalar; want one example per row, [n, features...]", op))
	}
	n := s.X.Shape()[0]
	if s.Y != nil && (s.Y.Dim() == 0 || s.Y.Shape()[0] != n) {
		panic(fmt.Sprintf("data: %s: X %v and Y %v do not have the same number of rows", op, s.X.Shape(), s.Y.Shape()))
	}
	return n
}

// takeRows copies rows idx of t, which has n rows, into a new tensor.
func takeRows(t *dl.Tensor, n int, idx []int) *dl.Tensor {
	if t == nil {
		return nil
	}
	w := 0
	if n > 0 {
		w = t.Len() / n
	}
	src := t.Data()
	out := make([]float64, 0, len(idx)*w)
	for _, i := range idx {
		out = append(out, src[i*w:(i+1)*w]...)
	}
	shape := append([]int{len(idx)}, t.Shape()[1:]...)
	return dl.New(out, shape...)
}

// notNil panics if the tensor t, the argument arg of op, is nil, with a
// message that names both, "data: OneHot: y is nil", rather than the bare
// nil dereference that would follow.
func notNil(op, arg string, t *dl.Tensor) {
	if t == nil {
		panic(fmt.Sprintf("data: %s: %s is nil", op, arg))
	}
}

// needRNG panics, naming op, when rng is nil.
func needRNG(op string, rng *rand.Rand) {
	if rng == nil {
		panic(fmt.Sprintf("data: %s: rng is nil; pass one such as rand.New(rand.NewPCG(1, 2))", op))
	}
}
