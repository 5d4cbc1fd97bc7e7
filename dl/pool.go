package dl

import (
	"fmt"

	"github.com/dlnb/dlnb/dl/internal/loops"
	"github.com/dlnb/dlnb/dl/internal/mem"
	"github.com/dlnb/dlnb/dl/internal/parallel"
)

// MaxPool2D returns the largest element of each size×size window of x,
// for windows stride apart (stride 0 means size, windows side by side),
// without padding:
//
//	x [batch, c, h, w] → [batch, c, (h-size)/stride+1, (w-size)/stride+1]
//
// with the divisions rounded down.
//
// Derivative: ∂ max(window)/∂x is 1 for the window's largest element and
// 0 for the others, so the gradient of each output goes to the first
// largest element of its window only; an element that is the largest of
// several windows gets the sum of their gradients.
//
// MaxPool2D panics if x is not 4-D, size is not positive, stride is
// negative, or the window is larger than the input.
func MaxPool2D(x *Tensor, size, stride int) *Tensor {
	p := newPool("MaxPool2D", x, size, stride)
	per := p.OH * p.OW // outputs per plane
	// idx[o] is the index in x of the largest element of output o's
	// window; Argmax sets every one.
	idx := mem.Ints(numel(p.shape))
	parallel.For(p.planes, size*size*len(idx), func(lo, hi int) {
		for plane := lo; plane < hi; plane++ {
			p.Argmax(x.data, plane*p.H*p.W, idx[plane*per:(plane+1)*per])
		}
	})
	// out[o] = x[idx[o]], and backward does gx[idx[o]] += g[o].
	out := gather("MaxPool2D", x, p.shape, idx)
	out.keepInts(idx)
	return out
}

// AvgPool2D returns the mean of each size×size window of x, for windows
// stride apart (stride 0 means size), without padding:
//
//	x [batch, c, h, w] → [batch, c, (h-size)/stride+1, (w-size)/stride+1]
//
// with the divisions rounded down.
//
// Derivative: ∂ mean(window)/∂x = 1/size² for each element of the window,
// so each output's gradient is shared equally by its window; an element
// in several windows gets the sum of their shares.
//
// AvgPool2D panics as MaxPool2D does.
func AvgPool2D(x *Tensor, size, stride int) *Tensor {
	p := newPool("AvgPool2D", x, size, stride)
	scale := 1 / float64(size*size)
	// window calls f with each output's index and the index in x of each
	// element of its window.
	window := func(f func(o, i int)) {
		o := 0
		for plane := range p.planes {
			base := plane * p.H * p.W
			for oy := range p.OH {
				for ox := range p.OW {
					for i := range size {
						row := base + (oy*p.Stride+i)*p.W + ox*p.Stride
						for j := range size {
							f(o, row+j)
						}
					}
					o++
				}
			}
		}
	}
	data := allocZeroed(numel(p.shape))
	window(func(o, i int) { data[o] += x.data[i] })
	for o := range data {
		data[o] *= scale
	}
	out := result("AvgPool2D", data, p.shape, x)
	if out.requiresGrad {
		out.backward = func() {
			gx := gradFor(x)
			window(func(o, i int) { gx[i] += out.grad[o] * scale }) // gx += g/size²
		}
	}
	return out
}

// pool is the geometry of a pooling op: planes of H×W, each pooled to
// OH×OW, and the output shape.
type pool struct {
	loops.Pool
	planes int
	shape  []int
}

// newPool checks the arguments of a pooling op and returns its geometry.
func newPool(op string, x *Tensor, size, stride int) pool {
	notNil(op, "x", x)
	if stride == 0 {
		stride = size
	}
	if x.Dim() != 4 || size <= 0 || stride < 0 || size > x.shape[2] || size > x.shape[3] {
		panic(fmt.Sprintf("dl: %s: window %d with stride %d does not fit input shape %v", op, size, stride, x.shape))
	}
	h, w := x.shape[2], x.shape[3]
	oh, ow := (h-size)/stride+1, (w-size)/stride+1
	return pool{
		Pool:   loops.Pool{H: h, W: w, Size: size, Stride: stride, OH: oh, OW: ow},
		planes: x.shape[0] * x.shape[1],
		shape:  []int{x.shape[0], x.shape[1], oh, ow},
	}
}
