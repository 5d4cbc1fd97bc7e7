package dl

import (
	"fmt"
	"slices"

	"github.com/dlnb/dlnb/dl/internal/loops"
)

// Reshape returns x with a new shape holding the same elements in the same
// row-major order, e.g. [2, 3, 4] to [6, 4] or [2, -1]. One size may be
// -1: it is inferred from the others. The result shares x's data.
//
// Derivative: reshaping moves no value, so element i of the result is
// element i of x, and x gets the gradient element by element: gx += g.
//
// Reshape panics if a size is negative (other than one -1) or the new
// shape does not hold x's number of elements.
func Reshape(x *Tensor, shape ...int) *Tensor {
	notNil("Reshape", "x", x)
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
	out.own, out.base = false, x // a view: x's data, given back with x
	if x.base != nil {
		out.base = x.base
	}
	if out.requiresGrad {
		out.backward = func() { x.accumulate(out.grad) } // gx += g
	}
	return out
}

// Transpose returns x with its last two dimensions swapped: [m, n] becomes
// [n, m], and [b, m, n] becomes [b, n, m].
//
// Derivative: element (i, j) of the result is element (j, i) of x, so x
// gets the gradient transposed back: gx += gᵀ.
//
// Transpose panics if x has fewer than two dimensions.
func Transpose(x *Tensor) *Tensor {
	notNil("Transpose", "x", x)
	n := x.Dim()
	if n < 2 {
		panic(fmt.Sprintf("dl: Transpose: shape %v has fewer than 2 dimensions", x.shape))
	}
	axes := make([]int, n)
	for i := range axes {
		axes[i] = i
	}
	axes[n-2], axes[n-1] = n-1, n-2
	return permute("Transpose", x, axes)
}

// Permute returns x with its dimensions reordered, as torch.permute does:
// dimension i of the result is dimension axes[i] of x. For x of shape
// [b, t, h, d], Permute(x, 0, 2, 1, 3) has shape [b, h, t, d]. Negative
// axes count from the end.
//
// Derivative: every element of the result is one element of x, moved, so
// x gets the gradient moved back (permuted by the inverse permutation).
//
// Permute panics if axes is not a permutation of x's dimensions.
func Permute(x *Tensor, axes ...int) *Tensor {
	notNil("Permute", "x", x)
	if len(axes) != x.Dim() {
		panic(fmt.Sprintf("dl: Permute: axes %v do not permute shape %v", axes, x.shape))
	}
	norm := make([]int, len(axes))
	seen := make([]bool, len(axes))
	for i, a := range axes {
		a = normAxis("Permute", a, x.shape)
		if seen[a] {
			panic(fmt.Sprintf("dl: Permute: axes %v do not permute shape %v", axes, x.shape))
		}
		seen[a] = true
		norm[i] = a
	}
	return permute("Permute", x, norm)
}

// permute does the work of Permute for valid axes. It copies x run by
// run along the result's last dimension, with no index per element.
func permute(op string, x *Tensor, axes []int) *Tensor {
	shape := make([]int, len(axes))
	stride := make([]int, len(axes))
	xs := loops.Strides(x.shape)
	for i, a := range axes {
		shape[i], stride[i] = x.shape[a], xs[a]
	}
	data := alloc(len(x.data)) // Runs visits every element
	loops.Runs(shape, stride, func(o, at, n, step int) {
		for j := range n {
			data[o+j] = x.data[at+j*step]
		}
	})
	out := result(op, data, shape, x)
	if out.requiresGrad {
		out.backward = func() {
			gx := gradFor(x)
			loops.Runs(shape, stride, func(o, at, n, step int) {
				for j, g := range out.grad[o : o+n] {
					gx[at+j*step] += g
				}
			})
		}
	}
	return out
}

// gather returns the tensor of the given shape whose element i is
// x.data[idx[i]]; the gradient flows back along the same indices.
func gather(op string, x *Tensor, shape []int, idx []int) *Tensor {
	data := alloc(len(idx))
	for i, j := range idx {
		data[i] = x.data[j]
	}
	out := result(op, data, shape, x)
	if out.requiresGrad {
		out.backward = func() {
			gx := gradFor(x)
			for i, j := range idx {
				gx[j] += out.grad[i]
			}
		}
	}
	return out
}
