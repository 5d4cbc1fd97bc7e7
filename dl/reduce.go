package dl

import (
	"fmt"
	"slices"
)

// Sum returns the sum of x's elements over the given axes, which are
// removed from the shape. With no axes it sums everything and returns a
// scalar (shape []). Negative axes count from the end. Sum panics if an
// axis is out of range or repeated.
func Sum(x *Tensor, axes ...int) *Tensor {
	shape, idx := reduction("Sum", x.shape, axes)
	data := make([]float64, numel(shape))
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

// Mean returns the mean of x's elements over the given axes, as Sum does.
func Mean(x *Tensor, axes ...int) *Tensor {
	s := Sum(x, axes...)
	n := float64(len(x.data)) / float64(max(len(s.data), 1))
	return Div(s, Scalar(n))
}

// reduction returns the shape left after removing axes from shape, and for
// every element of the input the index of the output element it goes to.
func reduction(op string, shape []int, axes []int) (out []int, idx []int) {
	drop := make([]bool, len(shape))
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
	// Output strides, aligned to the input's dimensions; 0 on dropped ones.
	strides := make([]int, len(shape))
	s := 1
	for d := len(shape) - 1; d >= 0; d-- {
		if !drop[d] {
			strides[d] = s
			s *= shape[d]
		}
	}
	for d, n := range shape {
		if !drop[d] {
			out = append(out, n)
		}
	}
	if out == nil {
		out = []int{}
	}
	idx = make([]int, numel(shape))
	pos := make([]int, len(shape))
	at := 0
	for i := range idx {
		idx[i] = at
		for d := len(shape) - 1; d >= 0; d-- {
			pos[d]++
			at += strides[d]
			if pos[d] < shape[d] {
				break
			}
			at -= strides[d] * pos[d]
			pos[d] = 0
		}
	}
	return out, idx
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

// Reshape returns x with a new shape holding the same elements in the same
// order. One size may be -1: it is inferred. Reshape panics if the sizes
// do not match.
func Reshape(x *Tensor, shape ...int) *Tensor {
	shape = slices.Clone(shape)
	infer, known := -1, 1
	for i, d := range shape {
		switch {
		case d == -1 && infer < 0:
			infer = i
		case d < 0:
			panic(fmt.Sprintf("dl: Reshape: bad shape %v for a tensor of shape %v", shape, x.shape))
		default:
			known *= d
		}
	}
	if infer >= 0 && known > 0 && len(x.data)%known == 0 {
		shape[infer] = len(x.data) / known
	}
	if infer >= 0 && shape[infer] < 0 || numel(shape) != len(x.data) {
		panic(fmt.Sprintf("dl: Reshape: shapes %v and %v do not hold the same number of elements", x.shape, shape))
	}
	out := result("Reshape", x.data, shape, x)
	if out.requiresGrad {
		out.backward = func() { x.accumulate(out.grad) }
	}
	return out
}
