package dl

import (
	"fmt"
	"slices"

	"github.com/dlnb/dlnb/dl/internal/loops"
	"github.com/dlnb/dlnb/dl/internal/parallel"
)

// GELU returns the Gaussian error linear unit x·Φ(x) of each element of x,
// in x's shape (Hendrycks and Gimpel, 2016). It uses the tanh
// approximation of GPT-2 and BERT,
//
//	0.5·x·(1 + t),  t = tanh(u),  u = √(2/π)·(x + 0.044715·x³)
//
// Derivative: that of the formula, not of x·Φ(x):
//
//	d/dx = 0.5·(1 + t) + 0.5·x·(1 - t²)·√(2/π)·(1 + 3·0.044715·x²)
func GELU(x *Tensor) *Tensor {
	notNil("GELU", "x", x)
	data := alloc(len(x.data))
	th := alloc(len(x.data)) // the tanh of each element, for backward
	// loops.GELU takes t as 1 - 2/(e^(2u) + 1) with a vectorized e^x,
	// within 3e-16 of tanh(u). The backward pass reads that stored t: the
	// derivative is the formula's exact derivative at a t off by at most
	// that, which no gradient check can tell apart.
	parallel.For(len(data), 4*len(data), func(lo, hi int) {
		// data = 0.5·x·(1 + t) and th = t, four elements at a time.
		loops.GELU(data[lo:hi], th[lo:hi], x.data[lo:hi])
	})
	out := result("GELU", data, slices.Clone(x.shape), x)
	out.keep(th)
	if out.requiresGrad {
		out.backward = func() {
			gx := gradFor(x)
			parallel.For(len(data), 4*len(data), func(lo, hi int) {
				// gx += g·(0.5·(1 + t) + 0.5·x·(1 - t²)·√(2/π)·(1 + 3·0.044715·x²)),
				// four elements at a time.
				loops.GELUGrad(gx[lo:hi], out.grad[lo:hi], x.data[lo:hi], th[lo:hi])
			})
		}
	}
	return out
}

// Clip returns each element of x limited to [lo, hi], min(max(x, lo), hi),
// in x's shape.
//
// Derivative: 1 where lo ≤ x ≤ hi, and 0 where x was clipped.
//
// Clip panics if lo > hi.
func Clip(x *Tensor, lo, hi float64) *Tensor {
	notNil("Clip", "x", x)
	if lo > hi {
		panic(fmt.Sprintf("dl: Clip: lo %g is greater than hi %g for shape %v", lo, hi, x.shape))
	}
	return unary("Clip", x, func(v float64) float64 { return min(max(v, lo), hi) },
		func(v, _ float64) float64 {
			if v >= lo && v <= hi {
				return 1
			}
			return 0
		})
}

// Where returns, element by element, a where cond is true and b where it is
// false, in the shape of a and b. cond holds one flag per element, in
// row-major order.
//
// Derivative: ∂out/∂a = 1 where cond is true and 0 elsewhere, ∂out/∂b the
// reverse: each input gets the gradient of the elements it gave.
//
// Where panics if a and b differ in shape or cond does not have one flag
// per element.
func Where(cond []bool, a, b *Tensor) *Tensor {
	notNil("Where", "a", a)
	notNil("Where", "b", b)
	if !slices.Equal(a.shape, b.shape) {
		panic(fmt.Sprintf("dl: Where: shapes %v and %v differ", a.shape, b.shape))
	}
	if len(cond) != len(a.data) {
		panic(fmt.Sprintf("dl: Where: %d flags for shape %v of %d elements", len(cond), a.shape, len(a.data)))
	}
	data := alloc(len(a.data))
	for i, c := range cond {
		if c {
			data[i] = a.data[i]
		} else {
			data[i] = b.data[i]
		}
	}
	out := result("Where", data, slices.Clone(a.shape), a, b)
	if out.requiresGrad {
		out.backward = func() {
			ga, gb := gradFor(a), gradFor(b)
			for i, g := range out.grad {
				switch {
				case cond[i] && ga != nil:
					ga[i] += g
				case !cond[i] && gb != nil:
					gb[i] += g
				}
			}
		}
	}
	return out
}

// MaskedFill returns x with v in every element whose mask flag is true, in
// x's shape, as torch.masked_fill does. With v = -Inf before a Softmax it
// hides the future from causal attention. mask holds one flag per
// element, in row-major order.
//
// Derivative: 1 where the mask is false and 0 where it is true (there the
// output is the constant v): masked elements pass no gradient back to x.
//
// MaskedFill panics if mask does not have one flag per element.
func MaskedFill(x *Tensor, mask []bool, v float64) *Tensor {
	notNil("MaskedFill", "x", x)
	if len(mask) != len(x.data) {
		panic(fmt.Sprintf("dl: MaskedFill: %d flags for shape %v of %d elements", len(mask), x.shape, len(x.data)))
	}
	data := alloc(len(x.data))
	copy(data, x.data)
	for i, m := range mask {
		if m {
			data[i] = v
		}
	}
	out := result("MaskedFill", data, slices.Clone(x.shape), x)
	if out.requiresGrad {
		out.backward = func() {
			gx := gradFor(x)
			for i, g := range out.grad {
				if !mask[i] {
					gx[i] += g
				}
			}
		}
	}
	return out
}
