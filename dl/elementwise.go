package dl

import (
	"fmt"
	"math"
	"slices"

	"github.com/dlnb/dlnb/dl/internal/loops"
	"github.com/dlnb/dlnb/dl/internal/parallel"
)

// The element-wise ops on two tensors follow one pattern. binary checks
// the shapes, lines a and b up under the output (broadcasting) and runs
// the forward loop, which sets out from a and b. The backward closure
// then states the derivative with respect to each input, as a loop that
// adds into its gradient: ga += g·∂out/∂a, where g is the gradient that
// reached out. The loops run over blocks of the tensors, and where an
// input was broadcast, loops.Broadcast sums its gradient over the
// elements it was stretched to.

// Add returns a + b, element by element, with NumPy broadcasting: shapes
// are matched from the last dimension, and a dimension of size 1 (or a
// missing one) stretches to the other's size, so [batch, out] + [out] is
// [batch, out] and [3, 1] + [1, 4] is [3, 4].
//
// Derivative: ∂(a+b)/∂a = 1 and ∂(a+b)/∂b = 1, so both inputs get the
// output's gradient g. An input that was broadcast gets the sum of g over
// the dimensions it was stretched along: a bias [out] added to every row
// of [batch, out] gets the sum of g over the batch.
//
// Add panics if the shapes do not broadcast.
func Add(a, b *Tensor) *Tensor {
	out, bc := binary("Add", a, b, func(out, a, b []float64) {
		for i := range out {
			out[i] = a[i] + b[i]
		}
	})
	if out.requiresGrad {
		out.backward = func() {
			bc.GradA(gradFor(a), out.grad, func(ga, g, _, _ []float64) {
				for i := range g {
					ga[i] += g[i]
				}
			})
			bc.GradB(gradFor(b), out.grad, func(gb, g, _, _ []float64) {
				for i := range g {
					gb[i] += g[i]
				}
			})
		}
	}
	return out
}

// Sub returns a - b, element by element, with broadcasting as in Add.
//
// Derivative: ∂(a-b)/∂a = 1 and ∂(a-b)/∂b = -1; a broadcast input gets
// the sum over the dimensions it was stretched along, as in Add.
//
// Sub panics if the shapes do not broadcast.
func Sub(a, b *Tensor) *Tensor {
	out, bc := binary("Sub", a, b, func(out, a, b []float64) {
		for i := range out {
			out[i] = a[i] - b[i]
		}
	})
	if out.requiresGrad {
		out.backward = func() {
			bc.GradA(gradFor(a), out.grad, func(ga, g, _, _ []float64) {
				for i := range g {
					ga[i] += g[i]
				}
			})
			bc.GradB(gradFor(b), out.grad, func(gb, g, _, _ []float64) {
				for i := range g {
					gb[i] -= g[i]
				}
			})
		}
	}
	return out
}

// Mul returns a * b, element by element, with broadcasting as in Add.
//
// Derivative: ∂(a·b)/∂a = b and ∂(a·b)/∂b = a; a broadcast input gets the
// sum over the dimensions it was stretched along, as in Add.
//
// Mul panics if the shapes do not broadcast.
func Mul(a, b *Tensor) *Tensor {
	out, bc := binary("Mul", a, b, func(out, a, b []float64) {
		for i := range out {
			out[i] = a[i] * b[i]
		}
	})
	if out.requiresGrad {
		out.backward = func() {
			bc.GradA(gradFor(a), out.grad, func(ga, g, _, b []float64) {
				for i := range g {
					ga[i] += g[i] * b[i]
				}
			})
			bc.GradB(gradFor(b), out.grad, func(gb, g, a, _ []float64) {
				for i := range g {
					gb[i] += g[i] * a[i]
				}
			})
		}
	}
	return out
}

// Div returns a / b, element by element, with broadcasting as in Add.
//
// Derivative: ∂(a/b)/∂a = 1/b and ∂(a/b)/∂b = -a/b²; a broadcast input
// gets the sum over the dimensions it was stretched along, as in Add.
//
// Div panics if the shapes do not broadcast.
func Div(a, b *Tensor) *Tensor {
	out, bc := binary("Div", a, b, func(out, a, b []float64) {
		for i := range out {
			out[i] = a[i] / b[i]
		}
	})
	if out.requiresGrad {
		out.backward = func() {
			bc.GradA(gradFor(a), out.grad, func(ga, g, _, b []float64) {
				for i := range g {
					ga[i] += g[i] / b[i]
				}
			})
			bc.GradB(gradFor(b), out.grad, func(gb, g, a, b []float64) {
				for i := range g {
					gb[i] -= g[i] * a[i] / (b[i] * b[i])
				}
			})
		}
	}
	return out
}

// binary makes the output of an element-wise op on a and b, broadcast to
// a common shape: fwd(out, a, b) sets out from a and b, and is called on
// blocks of them. It returns the output and the broadcast, whose GradA and
// GradB the op's backward closure calls.
func binary(op string, a, b *Tensor, fwd func(out, a, b []float64)) (*Tensor, *loops.Broadcast) {
	notNil(op, "a", a)
	notNil(op, "b", b)
	shape := broadcast(op, a.shape, b.shape)
	bc := loops.NewBroadcast(a.data, a.shape, b.data, b.shape, shape)
	data := alloc(numel(shape)) // fwd sets every element
	bc.Forward(data, fwd)
	out := result(op, data, shape, a, b)
	for _, buf := range bc.Buffers() {
		out.keep(buf) // backward reads them
	}
	return out, bc
}

// broadcast returns the shape that a and b broadcast to.
func broadcast(op string, a, b []int) (shape []int) {
	if slices.Equal(a, b) {
		return slices.Clone(a)
	}
	n := max(len(a), len(b))
	shape = make([]int, n)
	for i := range n {
		da, db := dimFromEnd(a, n-1-i), dimFromEnd(b, n-1-i)
		switch {
		case da == db || db == 1:
			shape[i] = da
		case da == 1:
			shape[i] = db
		default:
			panic(fmt.Sprintf("dl: %s: shapes %v and %v do not broadcast", op, a, b))
		}
	}
	return shape
}

// dimFromEnd returns the size of the dimension k places from the end of
// shape, or 1 if shape has fewer dimensions.
func dimFromEnd(shape []int, k int) int {
	if k < len(shape) {
		return shape[len(shape)-1-k]
	}
	return 1
}

// unary applies f to every element of x, and its backward pass adds
// g·dy/dx into x's gradient, with df(x, y) giving the derivative dy/dx
// from the input x and the output y = f(x). Large tensors are split across
// the CPUs.
func unary(op string, x *Tensor, f func(float64) float64, df func(x, y float64) float64) *Tensor {
	return unaryLoop(op, x, 4, func(out, x []float64) {
		for i, v := range x {
			out[i] = f(v)
		}
	}, df)
}

// unaryLoop is unary with the forward pass as a loop over a block of
// elements, fwd(out, x), such as the vectorized loops of
// dl/internal/loops; cost is its cost per element, in additions.
func unaryLoop(op string, x *Tensor, cost int, fwd func(out, x []float64), df func(x, y float64) float64) *Tensor {
	notNil(op, "x", x)
	data := alloc(len(x.data))
	parallel.For(len(data), cost*len(data), func(lo, hi int) {
		fwd(data[lo:hi], x.data[lo:hi])
	})
	out := result(op, data, slices.Clone(x.shape), x)
	if out.requiresGrad {
		out.backward = func() {
			gx := gradFor(x)
			parallel.For(len(data), 4*len(data), func(lo, hi int) {
				for i := lo; i < hi; i++ {
					gx[i] += out.grad[i] * df(x.data[i], out.data[i])
				}
			})
		}
	}
	return out
}

// Neg returns -x, of x's shape.
//
// Derivative: d(-x)/dx = -1.
func Neg(x *Tensor) *Tensor {
	return unary("Neg", x, func(v float64) float64 { return -v },
		func(_, _ float64) float64 { return -1 })
}

// Exp returns e to the power of each element of x, in x's shape: within
// 0.75 ulp of the exact value (about 1e-16 relative), +Inf above 709.78
// and 0 below -745.14.
//
// Derivative: d(eˣ)/dx = eˣ, the output itself.
func Exp(x *Tensor) *Tensor {
	return unaryLoop("Exp", x, 2, loops.Exp,
		func(_, y float64) float64 { return y })
}

// Log returns the natural logarithm of each element of x, in x's shape:
// NaN for negative elements and -Inf for 0.
//
// Derivative: d(log x)/dx = 1/x.
func Log(x *Tensor) *Tensor {
	return unary("Log", x, math.Log,
		func(x, _ float64) float64 { return 1 / x })
}

// Sqrt returns the square root of each element of x, in x's shape: NaN
// for negative elements.
//
// Derivative: d(√x)/dx = 1/(2√x) = 0.5/y.
func Sqrt(x *Tensor) *Tensor {
	return unary("Sqrt", x, math.Sqrt,
		func(_, y float64) float64 { return 0.5 / y })
}

// Pow returns each element of x to the power p, in x's shape.
//
// Derivative: d(xᵖ)/dx = p·xᵖ⁻¹.
func Pow(x *Tensor, p float64) *Tensor {
	return unary("Pow", x, func(v float64) float64 { return math.Pow(v, p) },
		func(x, _ float64) float64 { return p * math.Pow(x, p-1) })
}

// Tanh returns the hyperbolic tangent of each element of x, in x's shape,
// within 2 ulp of the exact value.
//
// Derivative: d(tanh x)/dx = 1 - tanh²x = 1 - y².
func Tanh(x *Tensor) *Tensor {
	return unaryLoop("Tanh", x, 4, loops.Tanh,
		func(_, y float64) float64 { return 1 - y*y })
}

// Sigmoid returns σ(x) = 1/(1+e⁻ˣ) for each element of x, in x's shape:
// the logistic function of the first neural networks. It is computed
// without overflow, within 2 ulp of the exact value.
//
// Derivative: dσ/dx = σ(x)·(1 - σ(x)) = y·(1 - y).
func Sigmoid(x *Tensor) *Tensor {
	return unaryLoop("Sigmoid", x, 3, loops.Sigmoid,
		func(_, y float64) float64 { return y * (1 - y) })
}

// ReLU returns max(0, x) for each element of x, in x's shape (Nair and
// Hinton, 2010).
//
// Derivative: d max(0, x)/dx = 1 where x > 0 and 0 where x < 0; at 0 it
// is taken as 0. So the gradient passes where the output y is not 0 and
// stops where it is.
func ReLU(x *Tensor) *Tensor {
	notNil("ReLU", "x", x)
	data := alloc(len(x.data))
	parallel.For(len(data), len(data), func(lo, hi int) {
		for i, v := range x.data[lo:hi] {
			data[lo+i] = max(v, 0)
		}
	})
	out := result("ReLU", data, slices.Clone(x.shape), x)
	if out.requiresGrad {
		out.backward = func() {
			gx := gradFor(x)
			parallel.For(len(data), len(data), func(lo, hi int) {
				// gx += g where y ≠ 0, done without a branch.
				loops.AddWhereNonzero(gx[lo:hi], out.grad[lo:hi], out.data[lo:hi])
			})
		}
	}
	return out
}

// Abs returns the absolute value of each element of x, in x's shape.
//
// Derivative: d|x|/dx = 1 where x > 0 and -1 where x < 0; at 0 it is
// taken as 0.
func Abs(x *Tensor) *Tensor {
	return unary("Abs", x, math.Abs, func(x, _ float64) float64 {
		switch {
		case x > 0:
			return 1
		case x < 0:
			return -1
		}
		return 0
	})
}

// Softplus returns log(1 + eˣ) for each element of x, in x's shape,
// computed without overflow for large |x|, as max(x, 0) + log(1 + e^-|x|):
// a smooth ReLU.
//
// Derivative: d log(1 + eˣ)/dx = eˣ/(1 + eˣ) = σ(x), the Sigmoid.
func Softplus(x *Tensor) *Tensor {
	return unaryLoop("Softplus", x, 8, func(out, x []float64) {
		for i, v := range x {
			out[i] = -math.Abs(v)
		}
		loops.Exp(out, out) // e^-|x|, four at a time
		for i, v := range x {
			out[i] = max(v, 0) + math.Log1p(out[i])
		}
	}, func(x, _ float64) float64 { return sigmoid(x) })
}

// sigmoid is the logistic function of one value, computed without
// overflow; Sigmoid has the vectorized loop.
func sigmoid(v float64) float64 {
	if v >= 0 {
		return 1 / (1 + math.Exp(-v))
	}
	e := math.Exp(v)
	return e / (1 + e)
}
