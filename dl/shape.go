package dl

import (
	"fmt"
	"slices"
)

// Reshape returns x with a new shape holding the same elements in the same
// row-major order, e.g. [2, 3, 4] to [6, 4] or [2, -1]. One size may be
// -1: it is inferred from the others. The result shares x's data. Reshape
// panics if a size is negative (other than one -1) or the new shape does
// not hold x's number of elements.
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

// Transpose returns x with its last two dimensions swapped: [m, n] becomes
// [n, m], and [b, m, n] becomes [b, n, m]. Transpose panics if x has fewer
// than two dimensions.
func Transpose(x *Tensor) *Tensor {
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
// axes count from the end. Permute panics if axes is not a permutation of
// x's dimensions.
func Permute(x *Tensor, axes ...int) *Tensor {
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
	xs := strides(x.shape)
	for i, a := range axes {
		shape[i], stride[i] = x.shape[a], xs[a]
	}
	data := make([]float64, len(x.data))
	runs(shape, stride, func(o, at, n, step int) {
		for j := range n {
			data[o+j] = x.data[at+j*step]
		}
	})
	out := result(op, data, shape, x)
	if out.requiresGrad {
		out.backward = func() {
			gx := gradFor(x)
			runs(shape, stride, func(o, at, n, step int) {
				for j, g := range out.grad[o : o+n] {
					gx[at+j*step] += g
				}
			})
		}
	}
	return out
}

// runs visits a tensor of the given shape in row-major order, one run
// along its last dimension at a time: f gets the run's first index o, the
// offset at of its first element in a tensor read with the given strides,
// its length n and the stride step of the last dimension. A scalar is one
// run of length 1.
func runs(shape, stride []int, f func(o, at, n, step int)) {
	if len(shape) == 0 {
		f(0, 0, 1, 0)
		return
	}
	last := len(shape) - 1
	n, step := shape[last], stride[last]
	total := numel(shape)
	if total == 0 {
		return
	}
	pos := make([]int, last)
	at := 0
	for o := 0; o < total; o += n {
		f(o, at, n, step)
		for d := last - 1; d >= 0; d-- { // next run, odometer style
			pos[d]++
			at += stride[d]
			if pos[d] < shape[d] {
				break
			}
			at -= stride[d] * pos[d]
			pos[d] = 0
		}
	}
}

// gather returns the tensor of the given shape whose element i is
// x.data[idx[i]]; the gradient flows back along the same indices.
func gather(op string, x *Tensor, shape []int, idx []int) *Tensor {
	data := make([]float64, len(idx))
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
