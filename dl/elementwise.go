package dl

import (
	"fmt"
	"math"
	"slices"

	"github.com/dlnb/dlnb/dl/internal/parallel"
)

// Add returns a + b, element by element, with NumPy broadcasting: shapes
// are matched from the last dimension, and a dimension of size 1 (or a
// missing one) stretches to the other's size, so [batch, out] + [out] is
// [batch, out] and [3, 1] + [1, 4] is [3, 4]. Add panics if the shapes do
// not broadcast.
func Add(a, b *Tensor) *Tensor { return binary("Add", addOp, a, b) }

// Sub returns a - b, element by element, with broadcasting as in Add. Sub
// panics if the shapes do not broadcast.
func Sub(a, b *Tensor) *Tensor { return binary("Sub", subOp, a, b) }

// Mul returns a * b, element by element, with broadcasting as in Add. Mul
// panics if the shapes do not broadcast.
func Mul(a, b *Tensor) *Tensor { return binary("Mul", mulOp, a, b) }

// Div returns a / b, element by element, with broadcasting as in Add. Div
// panics if the shapes do not broadcast.
func Div(a, b *Tensor) *Tensor { return binary("Div", divOp, a, b) }

// arith is an element-wise arithmetic op, as loops over equal-length
// slices: fwd sets out = a ∘ b, and da and db add the output gradient g
// times the partial derivative with respect to a (or b) into ga (or gb).
// Loops over whole slices, rather than a function call per element, let
// the compiler keep them tight.
type arith struct {
	fwd    func(out, a, b []float64)
	da, db func(ga, g, a, b []float64)
}

var (
	addOp = arith{
		fwd: func(out, a, b []float64) {
			for i := range out {
				out[i] = a[i] + b[i]
			}
		},
		da: addInto,
		db: addInto,
	}
	subOp = arith{
		fwd: func(out, a, b []float64) {
			for i := range out {
				out[i] = a[i] - b[i]
			}
		},
		da: addInto,
		db: func(gb, g, _, _ []float64) {
			for i, v := range g {
				gb[i] -= v
			}
		},
	}
	mulOp = arith{
		fwd: func(out, a, b []float64) {
			for i := range out {
				out[i] = a[i] * b[i]
			}
		},
		da: func(ga, g, _, b []float64) {
			for i, v := range g {
				ga[i] += v * b[i]
			}
		},
		db: func(gb, g, a, _ []float64) {
			for i, v := range g {
				gb[i] += v * a[i]
			}
		},
	}
	divOp = arith{
		fwd: func(out, a, b []float64) {
			for i := range out {
				out[i] = a[i] / b[i]
			}
		},
		da: func(ga, g, _, b []float64) {
			for i, v := range g {
				ga[i] += v / b[i]
			}
		},
		db: func(gb, g, a, b []float64) {
			for i, v := range g {
				gb[i] -= v * a[i] / (b[i] * b[i])
			}
		},
	}
)

// addInto adds g into dst, element by element; the unused arguments let it
// serve as a derivative in arith.
func addInto(dst, g, _, _ []float64) {
	for i, v := range g {
		dst[i] += v
	}
}

// blockLen is the length of the blocks that binary works in: long enough
// to amortize a call, short enough to stay in cache.
const blockLen = 512

// operand is one input of a binary op as seen in blocks of the output:
// either full (the output's shape; block j reads the same elements) or
// repeating (its elements repeat along the output with period len(t.data),
// as a bias [d] over [n, d] or a scalar; every block reads rep, the data
// repeated to the block length).
type operand struct {
	t   *Tensor
	rep []float64 // nil when full
}

// block returns the elements of o under out[lo:hi].
func (o operand) block(lo, hi int) []float64 {
	if o.rep == nil {
		return o.t.data[lo:hi]
	}
	return o.rep[:hi-lo]
}

// binary applies k to broadcast pairs of a and b. The shapes that occur in
// practice, the same shapes or one input repeating along the other (a bias,
// a scalar), run in blocks over the data with no index; other broadcasts
// index every element.
func binary(op string, k arith, a, b *Tensor) *Tensor {
	shape := broadcast(op, a.shape, b.shape)
	n := numel(shape)
	if !(repeats(a.shape, shape) && repeats(b.shape, shape)) {
		return binaryIndexed(op, k, a, b, shape)
	}
	// Block length: a multiple of each repeating period, so that every block
	// starts at the start of a period.
	l := blockLen
	for _, t := range []*Tensor{a, b} {
		if p := len(t.data); p < n && p > 0 {
			l = p * max(1, blockLen/p)
		}
	}
	x, y := operand{t: a}, operand{t: b}
	for _, o := range []*operand{&x, &y} {
		if len(o.t.data) < n {
			o.rep = make([]float64, l)
			for i := range o.rep {
				o.rep[i] = o.t.data[i%len(o.t.data)]
			}
		}
	}
	blocks := (n + l - 1) / max(l, 1)
	data := make([]float64, n)
	parallel.For(blocks, n, func(lo, hi int) {
		for j := lo; j < hi; j++ {
			s, e := j*l, min((j+1)*l, n)
			k.fwd(data[s:e], x.block(s, e), y.block(s, e))
		}
	})
	out := result(op, data, shape, a, b)
	if out.requiresGrad {
		out.backward = func() {
			for _, side := range []struct {
				o operand
				d func(gx, g, a, b []float64)
			}{{x, k.da}, {y, k.db}} {
				gx := gradFor(side.o.t)
				if gx == nil {
					continue
				}
				if side.o.rep == nil { // full: each block adds into its own part
					parallel.For(blocks, n, func(lo, hi int) {
						for j := lo; j < hi; j++ {
							s, e := j*l, min((j+1)*l, n)
							side.d(gx[s:e], out.grad[s:e], x.block(s, e), y.block(s, e))
						}
					})
					continue
				}
				// Repeating: sum over the blocks, then fold the periods.
				acc := make([]float64, l)
				parallel.Sum(acc, blocks, n, func(lo, hi int, acc []float64) {
					for j := lo; j < hi; j++ {
						s, e := j*l, min((j+1)*l, n)
						side.d(acc[:e-s], out.grad[s:e], x.block(s, e), y.block(s, e))
					}
				})
				for i, v := range acc {
					gx[i%len(gx)] += v
				}
			}
		}
	}
	return out
}

// binaryIndexed is binary for any broadcast: it finds the element of a and
// of b under each output element through an index, and applies k to one
// element at a time.
func binaryIndexed(op string, k arith, a, b *Tensor, shape []int) *Tensor {
	ia, ib := broadcastIndex(a.shape, shape), broadcastIndex(b.shape, shape)
	data := make([]float64, numel(shape))
	for i := range data {
		k.fwd(data[i:i+1], a.data[ia[i]:ia[i]+1], b.data[ib[i]:ib[i]+1])
	}
	out := result(op, data, shape, a, b)
	if out.requiresGrad {
		out.backward = func() {
			ga, gb := gradFor(a), gradFor(b)
			for i := range out.grad {
				j, m := ia[i], ib[i]
				g, x, y := out.grad[i:i+1], a.data[j:j+1], b.data[m:m+1]
				if ga != nil {
					k.da(ga[j:j+1], g, x, y)
				}
				if gb != nil {
					k.db(gb[m:m+1], g, x, y)
				}
			}
		}
	}
	return out
}

// repeats reports whether a tensor of shape in, broadcast to out, repeats
// its elements in order with period numel(in): in, without its leading
// 1s, is the end of out. The same shape, a scalar and a bias [d] over
// [n, d] do; [n, 1] over [n, d] does not.
func repeats(in, out []int) bool {
	for len(in) > 0 && in[0] == 1 {
		in = in[1:]
	}
	return len(in) <= len(out) && slices.Equal(in, out[len(out)-len(in):])
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
// x and the output y. Large tensors are split across the CPUs.
func unary(op string, x *Tensor, f func(float64) float64, df func(x, y float64) float64) *Tensor {
	data := make([]float64, len(x.data))
	parallel.For(len(data), 4*len(data), func(lo, hi int) {
		for i, v := range x.data[lo:hi] {
			data[lo+i] = f(v)
		}
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
	data := make([]float64, len(x.data))
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
				for i := lo; i < hi; i++ {
					// Pass g where the output max(x, 0) is not 0. Done on the
					// bits, without a branch: on data whose signs look random
					// a branch is mispredicted half the time, which made this
					// loop eight times slower.
					y := math.Float64bits(out.data[i])
					keep := -((y | -y) >> 63) // all ones if y != +0, else 0
					gx[i] += math.Float64frombits(math.Float64bits(out.grad[i]) & keep)
				}
			})
		}
	}
	return out
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
