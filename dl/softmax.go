package dl

import (
	"slices"

	"github.com/dlnb/dlnb/dl/internal/loops"
	"github.com/dlnb/dlnb/dl/internal/parallel"
)

// LogSoftmax returns log(Softmax(x, axis)), of x's shape: for scores
// [batch, classes] and axis -1, the log-probabilities of the classes. Along
// axis, yᵢ = xᵢ - log Σₖ e^xₖ, computed stably by subtracting the maximum
// first. A negative axis counts from the end.
//
// Derivative: ∂yᵢ/∂xⱼ = δᵢⱼ - softmaxⱼ (δᵢⱼ is 1 for i = j, else 0), so
// along axis the input's gradient is g - softmax(x)·Σₖ gₖ.
//
// LogSoftmax panics if axis is out of range.
func LogSoftmax(x *Tensor, axis int) *Tensor { return softmax("LogSoftmax", x, axis, true) }

// Softmax returns e^x normalized to sum to 1 along axis, of x's shape
// (Bridle, 1990): it turns scores into probabilities. Along axis,
// yᵢ = e^xᵢ / Σₖ e^xₖ, computed stably by subtracting the maximum first.
// A negative axis counts from the end.
//
// Derivative: ∂yᵢ/∂xⱼ = yᵢ·(δᵢⱼ - yⱼ), so along axis the input's gradient
// is y ⊙ (g - Σₖ gₖ·yₖ), with ⊙ the element-wise product.
//
// Softmax panics if axis is out of range.
func Softmax(x *Tensor, axis int) *Tensor { return softmax("Softmax", x, axis, false) }

// softmax does the work of Softmax, or of LogSoftmax when log is set. Each
// slice along axis (a row, for the last axis) is done on its own, by
// loops.Softmax or loops.LogSoftmax, the slices split across the CPUs. A
// slice along another axis is strided: it is copied to a buffer and back.
func softmax(op string, x *Tensor, axis int, log bool) *Tensor {
	notNil(op, "x", x)
	a := normAxis(op, axis, x.shape)
	outer, n, inner := axisLayout(x.shape, a)
	// Slice r holds the elements at base(r) + j·inner for j in [0, n).
	base := func(r int) int { return r/inner*n*inner + r%inner }
	rows := outer * inner
	row := loops.Softmax
	if log {
		row = loops.LogSoftmax
	}
	data := alloc(len(x.data)) // every slice sets its elements
	parallel.For(rows, 4*len(data), func(lo, hi int) {
		if inner == 1 {
			for r := lo; r < hi; r++ {
				row(data[r*n:(r+1)*n], x.data[r*n:(r+1)*n])
			}
			return
		}
		buf := scratch(n) // set from x before it is read
		defer putScratch(buf)
		for r := lo; r < hi; r++ {
			b := base(r)
			for j := range n {
				buf[j] = x.data[b+j*inner]
			}
			row(buf, buf)
			for j := range n {
				data[b+j*inner] = buf[j]
			}
		}
	})
	out := result(op, data, slices.Clone(x.shape), x)
	if out.requiresGrad {
		out.backward = func() {
			gx := gradFor(x)
			parallel.For(rows, 4*len(data), func(lo, hi int) {
				e := scratch(n) // LogSoftmax: softmax = e^y, set row by row
				defer putScratch(e)
				for r := lo; r < hi; r++ {
					b := base(r)
					if log {
						// gx = g - softmax·Σ g, where softmax = e^y
						s := 0.0
						for j := range n {
							s += out.grad[b+j*inner]
							e[j] = out.data[b+j*inner]
						}
						loops.Exp(e, e)
						for j := range n {
							i := b + j*inner
							gx[i] += out.grad[i] - e[j]*s
						}
						continue
					}
					// gx = y ⊙ (g - Σ g·y)
					s := 0.0
					for j := range n {
						s += out.grad[b+j*inner] * out.data[b+j*inner]
					}
					for j := range n {
						i := b + j*inner
						gx[i] += out.data[i] * (out.grad[i] - s)
					}
				}
			})
		}
	}
	return out
}

// axisLayout splits shape around axis a: element (o, j, i) of x, with o
// over the dimensions before a, j along a and i over those after, is at
// (o·n + j)·inner + i.
func axisLayout(shape []int, a int) (outer, n, inner int) {
	return numel(shape[:a]), shape[a], numel(shape[a+1:])
}
