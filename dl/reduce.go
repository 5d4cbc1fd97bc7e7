package dl

import (
	"fmt"
	"math"
	"slices"

	"github.com/dlnb/dlnb/dl/internal/loops"
)

// Sum returns the sum of x's elements over the given axes, which are
// removed from the shape: Sum of [batch, n] over axis 1 is [batch]. With no
// axes it sums everything and returns a scalar (shape []). Negative axes
// count from the end.
//
// Derivative: ∂(Σ x)/∂xᵢ = 1, so every element of x gets the gradient of
// the sum it went into: the output's gradient, copied back along the
// summed axes.
//
// Sum panics if an axis is out of range or repeated.
func Sum(x *Tensor, axes ...int) *Tensor { return sum("Sum", x, axes) }

// sum does the work of Sum, with op naming the caller in panics.
func sum(op string, x *Tensor, axes []int) *Tensor {
	notNil(op, "x", x)
	shape, drop := reduced(op, x.shape, axes)
	lo, hi, ok := run(drop)
	if !ok { // axes apart, such as 0 and 2 of three: index every element
		idx := reductionIndex(x.shape, drop)
		data := allocZeroed(numel(shape))
		for i, v := range x.data {
			data[idx[i]] += v
		}
		out := result("Sum", data, shape, x)
		if out.requiresGrad {
			out.backward = func() {
				gx := gradFor(x)
				for i := range gx {
					gx[i] += out.grad[idx[i]]
				}
			}
		}
		return out
	}
	// The axes are consecutive: x is [outer, n, inner] summed over n.
	outer, n, inner := numel(x.shape[:lo]), numel(x.shape[lo:hi]), numel(x.shape[hi:])
	data := allocZeroed(outer * inner)
	for o := range outer {
		dst := data[o*inner : (o+1)*inner]
		for j := range n {
			for i, v := range x.data[(o*n+j)*inner : (o*n+j+1)*inner] {
				dst[i] += v
			}
		}
	}
	out := result("Sum", data, shape, x)
	if out.requiresGrad {
		out.backward = func() {
			gx := gradFor(x)
			for o := range outer {
				g := out.grad[o*inner : (o+1)*inner]
				for j := range n {
					for i, v := range g {
						gx[(o*n+j)*inner+i] += v
					}
				}
			}
		}
	}
	return out
}

// Mean returns the mean of x's elements over the given axes, which are
// removed from the shape, as in Sum: their sum divided by their number n.
//
// Derivative: ∂(Σ x / n)/∂xᵢ = 1/n. Mean is Sum followed by a Div by n,
// and their rules give it.
//
// Mean panics if an axis is out of range or repeated.
func Mean(x *Tensor, axes ...int) *Tensor {
	s := sum("Mean", x, axes)
	n := float64(len(x.data)) / float64(max(len(s.data), 1))
	return Div(s, Scalar(n))
}

// reduction returns the shape left after removing axes from shape, and for
// every element of the input the index of the output element it goes to.
func reduction(op string, shape []int, axes []int) (out []int, idx []int) {
	out, drop := reduced(op, shape, axes)
	return out, reductionIndex(shape, drop)
}

// reduced returns the shape left after removing axes from shape, and which
// of shape's dimensions are removed. With no axes, all are.
func reduced(op string, shape []int, axes []int) (out []int, drop []bool) {
	drop = make([]bool, len(shape))
	if len(axes) == 0 {
		for i := range drop {
			drop[i] = true
		}
	}
	for _, a := range axes {
		a = normAxis(op, a, shape)
		if drop[a] {
			panic(fmt.Sprintf("dl: %s: axis %d repeated for shape %v", op, a, shape))
		}
		drop[a] = true
	}
	out = []int{}
	for d, n := range shape {
		if !drop[d] {
			out = append(out, n)
		}
	}
	return out, drop
}

// run returns the dropped dimensions as the range [lo, hi), if they are
// consecutive; a shape with none dropped is the empty range at 0.
func run(drop []bool) (lo, hi int, ok bool) {
	lo = slices.Index(drop, true)
	if lo < 0 {
		return 0, 0, true
	}
	hi = lo
	for hi < len(drop) && drop[hi] {
		hi++
	}
	return lo, hi, !slices.Contains(drop[hi:], true)
}

// reductionIndex returns, for every element of a tensor of shape, the
// index of the output element it goes to when the dimensions in drop are
// removed.
func reductionIndex(shape []int, drop []bool) []int {
	// Output strides, aligned to the input's dimensions; 0 on dropped ones,
	// so that all the elements along them go to one output element.
	stride := make([]int, len(shape))
	s := 1
	for d := len(shape) - 1; d >= 0; d-- {
		if !drop[d] {
			stride[d] = s
			s *= shape[d]
		}
	}
	return loops.Offsets(shape, stride)
}

// normAxis turns a possibly negative axis into an index of shape, and
// panics if it is out of range.
func normAxis(op string, axis int, shape []int) int {
	a := axis
	if a < 0 {
		a += len(shape)
	}
	if a < 0 || a >= len(shape) {
		panic(fmt.Sprintf("dl: %s: axis %d out of range for shape %v", op, axis, shape))
	}
	return a
}

// Max returns the largest of x's elements along axis, which is removed
// from the shape: Max of [b, n] along 1 is [b]. A negative axis counts
// from the end. NaN counts as larger than any number, as in NumPy.
//
// Derivative: ∂ max(x)/∂xᵢ is 1 for the largest element and 0 for the
// others, so the gradient goes to the first largest element of each slice
// only.
//
// Max panics if axis is out of range or its size is 0.
func Max(x *Tensor, axis int) *Tensor {
	shape, arg := argmax("Max", x, axis)
	return gather("Max", x, shape, arg)
}

// Argmax returns the index along axis of the largest of x's elements in
// each slice, for every position of x's shape without axis, in row-major
// order: for scores [b, classes] and axis 1, the predicted class of each
// of the b rows. Ties go to the first. Argmax is not an op: it records no
// graph and passes no gradient. It panics as Max does.
func Argmax(x *Tensor, axis int) []int {
	_, arg := argmax("Argmax", x, axis)
	a := normAxis("Argmax", axis, x.shape)
	inner := numel(x.shape[a+1:]) // stride of axis
	for o, i := range arg {
		arg[o] = i / inner % x.shape[a]
	}
	return arg
}

// argmax returns the shape of x without axis and, for each of its
// elements, the index in x of the first largest element along axis.
func argmax(op string, x *Tensor, axis int) (shape, arg []int) {
	notNil(op, "x", x)
	a := normAxis(op, axis, x.shape)
	if x.shape[a] == 0 {
		panic(fmt.Sprintf("dl: %s: axis %d of shape %v is empty", op, axis, x.shape))
	}
	shape, idx := reduction(op, x.shape, []int{a})
	arg = make([]int, numel(shape))
	for o := range arg {
		arg[o] = -1
	}
	for i, v := range x.data {
		o := idx[i]
		if j := arg[o]; j < 0 || v > x.data[j] || math.IsNaN(v) && !math.IsNaN(x.data[j]) {
			arg[o] = i
		}
	}
	return shape, arg
}
