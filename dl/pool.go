package dl

import (
	"fmt"

	"github.com/dlnb/dlnb/dl/internal/parallel"
)

// MaxPool2D returns the largest element of each size×size window of x,
// for windows stride apart (stride 0 means size, windows side by side),
// without padding:
//
//	x [batch, c, h, w] → [batch, c, (h-size)/stride+1, (w-size)/stride+1]
//
// with the divisions rounded down. The gradient of each output goes to
// the first largest element of its window.
//
// MaxPool2D panics if x is not 4-D, size is not positive, stride is
// negative, or the window is larger than the input.
func MaxPool2D(x *Tensor, size, stride int) *Tensor {
	p := newPool("MaxPool2D", x, size, stride)
	idx := make([]int, numel(p.shape))
	per := p.oh * p.ow // outputs per plane
	parallel.For(p.planes, size*size*len(idx), func(lo, hi int) {
		for plane := lo; plane < hi; plane++ {
			base := plane * p.h * p.w
			o := plane * per
			if size == 2 && p.stride == 2 { // the common case, unrolled
				for oy := range p.oh {
					r0, r1 := base+2*oy*p.w, base+(2*oy+1)*p.w
					for ox := range p.ow {
						at, best := r0+2*ox, x.data[r0+2*ox]
						at, best = pick(at, best, r0+2*ox+1, x.data[r0+2*ox+1])
						at, best = pick(at, best, r1+2*ox, x.data[r1+2*ox])
						at, _ = pick(at, best, r1+2*ox+1, x.data[r1+2*ox+1])
						idx[o] = at
						o++
					}
				}
				continue
			}
			for oy := range p.oh {
				for ox := range p.ow {
					first := base + oy*p.stride*p.w + ox*p.stride
					at, best := first, x.data[first]
					for i := range size {
						row := base + (oy*p.stride+i)*p.w + ox*p.stride
						for j, v := range x.data[row : row+size] {
							at, best = pick(at, best, row+j, v)
						}
					}
					idx[o] = at
					o++
				}
			}
		}
	})
	return gather("MaxPool2D", x, p.shape, idx)
}

// AvgPool2D returns the mean of each size×size window of x, for windows
// stride apart (stride 0 means size), without padding:
//
//	x [batch, c, h, w] → [batch, c, (h-size)/stride+1, (w-size)/stride+1]
//
// with the divisions rounded down. It panics as MaxPool2D does.
func AvgPool2D(x *Tensor, size, stride int) *Tensor {
	p := newPool("AvgPool2D", x, size, stride)
	scale := 1 / float64(size*size)
	// window calls f with each output's index and the index in x of each
	// element of its window.
	window := func(f func(o, i int)) {
		o := 0
		for plane := range p.planes {
			base := plane * p.h * p.w
			for oy := range p.oh {
				for ox := range p.ow {
					for i := range size {
						row := base + (oy*p.stride+i)*p.w + ox*p.stride
						for j := range size {
							f(o, row+j)
						}
					}
					o++
				}
			}
		}
	}
	data := make([]float64, numel(p.shape))
	window(func(o, i int) { data[o] += x.data[i] })
	for o := range data {
		data[o] *= scale
	}
	out := result("AvgPool2D", data, p.shape, x)
	if out.requiresGrad {
		out.backward = func() {
			gx := gradFor(x)
			window(func(o, i int) { gx[i] += out.grad[o] * scale })
		}
	}
	return out
}

// pool is the geometry of a pooling op: planes of h×w, each pooled to
// oh×ow, and the output shape.
type pool struct {
	planes, h, w, oh, ow, stride int
	shape                        []int
}

// newPool checks the arguments of a pooling op and returns its geometry.
func newPool(op string, x *Tensor, size, stride int) pool {
	if stride == 0 {
		stride = size
	}
	if x.Dim() != 4 || size <= 0 || stride < 0 || size > x.shape[2] || size > x.shape[3] {
		panic(fmt.Sprintf("dl: %s: window %d with stride %d does not fit input shape %v", op, size, stride, x.shape))
	}
	h, w := x.shape[2], x.shape[3]
	oh, ow := (h-size)/stride+1, (w-size)/stride+1
	return pool{
		planes: x.shape[0] * x.shape[1], h: h, w: w, oh: oh, ow: ow, stride: stride,
		shape: []int{x.shape[0], x.shape[1], oh, ow},
	}
}

// pick returns the index and value of the larger of the element best at
// at and the element v at j, which comes after it: > keeps the first
// largest, and NaN wins, as in Max. The choice is made without a branch,
// which random data would mispredict half the time.
func pick(at int, best float64, j int, v float64) (int, float64) {
	take := -(bit(v > best) | bit(v != v)&bit(best == best)) // all ones or 0
	return int(uint(at)&^take | uint(j)&take), max(best, v)
}

// bit returns 1 for true and 0 for false; the compiler makes it a flag
// move, not a branch.
func bit(c bool) uint {
	var b uint
	if c {
		b = 1
	}
	return b
}
