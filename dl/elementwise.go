package dl

import (
	"fmt"
	"math"
	"slices"
)

// Add returns a + b, element by element, with NumPy broadcasting: shapes
// are matched from the last dimension, and a dimension of size 1 (or a
// missing one) stretches to the other's size, so [batch, out] + [out] is
// [batch, out] and [3, 1] + [1, 4] is [3, 4]. Add panics if the shapes do
// not broadcast.
func Add(a, b *Tensor) *Tensor {
	return binary("Add", a, b, func(x, y float64) float64 { return x + y },
		func(x, y, g float64) (float64, float64) { return g, g })
}

// Sub returns a - b, element by element, with broadcasting as in Add. Sub
// panics if the shapes do not broadcast.
func Sub(a, b *Tensor) *Tensor {
	return binary("Sub", a, b, func(x, y float64) float64 { return x - y },
		func(x, y, g float64) (float64, float64) { return g, -g })
}

// Mul returns a * b, element by element, with broadcasting as in Add. Mul
// panics if the shapes do not broadcast.
func Mul(a, b *Tensor) *Tensor {
	return binary("Mul", a, b, func(x, y float64) float64 { return x * y },
		func(x, y, g float64) (float64, float64) { return g * y, g * x })
}

// Div returns a / b, element by element, with broadcasting as in Add. Div
// panics if the shapes do not broadcast.
func Div(a, b *Tensor) *Tensor {
	return binary("Div", a, b, func(x, y float64) float64 { return x / y },
		func(x, y, g float64) (float64, float64) { return g / y, -g * x / (y * y) })
}

// binary applies f to broadcast pairs of a and b; df gives the partial
// derivatives times the output gradient g.
func binary(op string, a, b *Tensor, f func(x, y float64) float64, df func(x, y, g float64) (float64, float64)) *Tensor {
	shape, ia, ib := broadcast(op, a.shape, b.shape)
	data := make([]float64, numel(shape))
	if ia == nil { // same shapes: the common, fast case
		for i := range data {
			data[i] = f(a.data[i], b.data[i])
		}
	} else {
		for i := range data {
			data[i] = f(a.data[ia[i]], b.data[ib[i]])
		}
	}
	out := result(op, data, shape, a, b)
	if out.requiresGrad {
		out.backward = func() {
			ga, gb := gradFor(a), gradFor(b)
			for i, g := range out.grad {
				j, k := i, i
				if ia != nil {
					j, k = ia[i], ib[i]
				}
				da, db := df(a.data[j], b.data[k], g)
				if ga != nil {
					ga[j] += da
				}
				if gb != nil {
					gb[k] += db
				}
			}
		}
	}
	return out
}

// gradFor returns t's gradient buffer to add into, or nil if t needs none.
func gradFor(t *Tensor) []float64 {
	if !t.requiresGrad {
		return nil
	}
	if t.grad == nil {
		t.grad = make([]float64, len(t.data))
	}
	return t.grad
}

// broadcast returns the shape that a and b broadcast to and, unless both
// are that shape already, the index into a and into b of every element of
// the result.
func broadcast(op string, a, b []int) (shape []int, ia, ib []int) {
	if slices.Equal(a, b) {
		return slices.Clone(a), nil, nil
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
	return shape, broadcastIndex(a, shape), broadcastIndex(b, shape)
}

// dimFromEnd returns the size of the dimension k places from the end of
// shape, or 1 if shape has fewer dimensions.
func dimFromEnd(shape []int, k int) int {
	if k < len(shape) {
		return shape[len(shape)-1-k]
	}
	return 1
}

// broadcastIndex returns, for every element of out, the index of the
// element of a tensor of shape in that broadcasts to it.
func broadcastIndex(in, out []int) []int {
	// in's strides, aligned to out's last dimensions; 0 where in is
	// stretched, so that one element is read many times.
	stride := make([]int, len(out))
	s := strides(in)
	for k, n := range in {
		if n != 1 {
			stride[len(out)-len(in)+k] = s[k]
		}
	}
	return offsets(out, stride)
}

// unary applies f to every element; df gives the derivative from the input
// x and the output y.
func unary(op string, x *Tensor, f func(float64) float64, df func(x, y float64) float64) *Tensor {
	data := make([]float64, len(x.data))
	for i, v := range x.data {
		data[i] = f(v)
	}
	out := result(op, data, slices.Clone(x.shape), x)
	if out.requiresGrad {
		out.backward = func() {
			gx := gradFor(x)
			for i, g := range out.grad {
				gx[i] += g * df(x.data[i], out.data[i])
			}
		}
	}
	return out
}

// Neg returns -x, of x's shape.
func Neg(x *Tensor) *Tensor {
	return unary("Neg", x, func(v float64) float64 { return -v }, func(_, _ float64) float64 { return -1 })
}

// Exp returns e to the power of each element of x, in x's shape.
func Exp(x *Tensor) *Tensor {
	return unary("Exp", x, math.Exp, func(_, y float64) float64 { return y })
}

// Log returns the natural logarithm of each element of x, in x's shape:
// NaN for negative elements and -Inf for 0.
func Log(x *Tensor) *Tensor {
	return unary("Log", x, math.Log, func(v, _ float64) float64 { return 1 / v })
}

// Sqrt returns the square root of each element of x, in x's shape: NaN
// for negative elements.
func Sqrt(x *Tensor) *Tensor {
	return unary("Sqrt", x, math.Sqrt, func(_, y float64) float64 { return 0.5 / y })
}

// Pow returns each element of x to the power p, in x's shape.
func Pow(x *Tensor, p float64) *Tensor {
	return unary("Pow", x, func(v float64) float64 { return math.Pow(v, p) },
		func(v, _ float64) float64 { return p * math.Pow(v, p-1) })
}

// Tanh returns the hyperbolic tangent of each element of x, in x's shape.
func Tanh(x *Tensor) *Tensor {
	return unary("Tanh", x, math.Tanh, func(_, y float64) float64 { return 1 - y*y })
}

// Sigmoid returns 1/(1+e^-x) for each element of x, in x's shape: the
// logistic function of the first neural networks.
func Sigmoid(x *Tensor) *Tensor {
	return unary("Sigmoid", x, sigmoid, func(_, y float64) float64 { return y * (1 - y) })
}

// sigmoid is the logistic function, computed without overflow.
func sigmoid(v float64) float64 {
	if v >= 0 {
		return 1 / (1 + math.Exp(-v))
	}
	e := math.Exp(v)
	return e / (1 + e)
}

// ReLU returns max(0, x) for each element of x, in x's shape (Nair and
// Hinton, 2010). Its derivative at 0 is taken as 0.
func ReLU(x *Tensor) *Tensor {
	return unary("ReLU", x, func(v float64) float64 { return max(v, 0) }, func(v, _ float64) float64 {
		if v > 0 {
			return 1
		}
		return 0
	})
}

// Abs returns the absolute value of each element of x, in x's shape. Its
// derivative at 0 is taken as 0.
func Abs(x *Tensor) *Tensor {
	return unary("Abs", x, math.Abs, func(v, _ float64) float64 {
		switch {
		case v > 0:
			return 1
		case v < 0:
			return -1
		}
		return 0
	})
}

// Softplus returns log(1 + e^x) for each element of x, in x's shape,
// computed without overflow for large |x|. Its derivative is Sigmoid(x).
func Softplus(x *Tensor) *Tensor {
	return unary("Softplus", x, func(v float64) float64 {
		return max(v, 0) + math.Log1p(math.Exp(-math.Abs(v)))
	}, func(v, _ float64) float64 { return sigmoid(v) })
}
