package data

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/dlnb/dlnb/dl"
)

// RandomShift moves each image of x by up to k pixels in each direction,
// filling the pixels that come in with zeros: the same as padding the image
// with k zeros on every side and cropping an h×w window at a random place
// (the augmentation of Krizhevsky et al., 2012, and of most CNNs on CIFAR
// since). The shifts dy and dx of each image are drawn uniformly from
// -k..k with rng, the same for all its channels.
//
// x holds n images of c channels of h×w pixels, row by row: [n, c, h, w],
// [n, h, w], [n, h*w] or [n, c*h*w], anything with c*h*w values per row.
// The result is a new tensor of the same shape; x is not changed. With
// k = 0 it is a copy of x.
//
// RandomShift panics if h or w is below 1, if k is negative, if rng is nil,
// or if the rows of x do not hold a whole number of h×w images.
func RandomShift(x *dl.Tensor, h, w, k int, rng *rand.Rand) *dl.Tensor {
	notNil("RandomShift", "x", x)
	if k < 0 {
		panic(fmt.Sprintf("data: RandomShift: shift k = %d, want k >= 0", k))
	}
	n, c := images("RandomShift", x, h, w)
	needRNG("RandomShift", rng)
	src := x.Data()
	out := make([]float64, len(src))
	for i := range n {
		dy, dx := rng.IntN(2*k+1)-k, rng.IntN(2*k+1)-k
		for ch := range c {
			base := (i*c + ch) * h * w
			// Output pixel (r, col) takes input pixel (r-dy, col-dx).
			for r := max(0, dy); r < min(h, h+dy); r++ {
				from := base + (r-dy)*w
				to := base + r*w
				lo, hi := max(0, dx), min(w, w+dx)
				copy(out[to+lo:to+hi], src[from+lo-dx:from+hi-dx])
			}
		}
	}
	return dl.New(out, x.Shape()...)
}

// GaussianNoise returns x plus noise drawn independently for each value
// from a normal distribution with mean 0 and standard deviation std, with
// rng. x may have any shape; the result is a new tensor of the same shape,
// and x is not changed. The values are not clipped, so pixels in [0, 1]
// may leave that range. With std = 0 the result is a copy of x.
//
// GaussianNoise panics if std is negative, NaN or infinite, or if rng is
// nil.
func GaussianNoise(x *dl.Tensor, std float64, rng *rand.Rand) *dl.Tensor {
	notNil("GaussianNoise", "x", x)
	if !(std >= 0) || math.IsInf(std, 0) {
		panic(fmt.Sprintf("data: GaussianNoise: std %v, want a finite std >= 0", std))
	}
	needRNG("GaussianNoise", rng)
	out := x.Clone()
	d := out.Data()
	for i := range d {
		d[i] += std * rng.NormFloat64()
	}
	return out
}

// images returns the number of images n and of channels c of each in x,
// which holds c×h×w values per row. It panics, naming op, if x cannot be
// read so.
func images(op string, x *dl.Tensor, h, w int) (n, c int) {
	if h < 1 || w < 1 {
		panic(fmt.Sprintf("data: %s: image size %d×%d, want h and w at least 1", op, h, w))
	}
	if x.Dim() < 2 {
		panic(fmt.Sprintf("data: %s: x of shape %v, want images [n, c, h, w] or [n, h*w]", op, x.Shape()))
	}
	n, per := x.Shape()[0], 1
	for _, d := range x.Shape()[1:] {
		per *= d
	}
	if per == 0 || per%(h*w) != 0 {
		panic(fmt.Sprintf("data: %s: x of shape %v does not hold %d×%d images: %d values per row is not a multiple of %d",
			op, x.Shape(), h, w, per, h*w))
	}
	return n, per / (h * w)
}
