package data

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/dlnb/dlnb/dl"
)

// RandomErase sets a random rectangle of each image of x to 0 with
// probability p, and leaves the image as it is otherwise: random erasing
// (Zhong et al., 2017) or, with square holes, Cutout (DeVries & Taylor,
// 2017). The rectangle's height and width are drawn uniformly from
// 1..maxSide (at most h and w), and its place uniformly among those where
// it fits inside the image; the same for all channels of an image. 0 is
// the background of images such as MNIST's, so the erased part looks
// like a missing stroke. A network that must recognise an image without
// some of its parts learns to look at all of them.
//
// x holds images as for [RandomShift]: [n, c, h, w], [n, h*w], or anything
// with c*h*w values per row. The result is a new tensor of x's shape; x is
// not changed. With p = 0 it is a copy of x.
//
// RandomErase panics if p is not in [0, 1], if maxSide is below 1, if rng
// is nil, or if the rows of x do not hold a whole number of h×w images.
func RandomErase(x *dl.Tensor, h, w int, p float64, maxSide int, rng *rand.Rand) *dl.Tensor {
	notNil("RandomErase", "x", x)
	if !(p >= 0 && p <= 1) {
		panic(fmt.Sprintf("data: RandomErase: probability p = %v, want p in [0, 1]", p))
	}
	if maxSide < 1 {
		panic(fmt.Sprintf("data: RandomErase: maxSide = %d, want a side of at least 1 pixel", maxSide))
	}
	n, c := images("RandomErase", x, h, w)
	needRNG("RandomErase", rng)
	out := x.Clone()
	d := out.Data()
	for i := range n {
		if rng.Float64() >= p {
			continue
		}
		eh, ew := 1+rng.IntN(min(maxSide, h)), 1+rng.IntN(min(maxSide, w))
		top, left := rng.IntN(h-eh+1), rng.IntN(w-ew+1)
		for ch := range c {
			base := (i*c + ch) * h * w
			for r := top; r < top+eh; r++ {
				clear(d[base+r*w+left : base+r*w+left+ew])
			}
		}
	}
	return out
}

// Augmentation is a recipe of random changes to a batch of images, applied
// by Apply in this order: a random crop of at least Crop of the image's
// side, scaled back to full size ([RandomResizedCrop]), a shift of up to
// Shift pixels ([RandomShift]), with probability EraseP a rectangle of
// sides up to EraseMax set to 0 ([RandomErase]), then Gaussian noise of
// standard deviation Noise ([GaussianNoise]). Each image gets its own
// draws. H and W, the size of one image, are required; a zero in any
// other field leaves that change out. For MNIST's 28×28 digits, for
// example:
//
//	aug := data.Augmentation{H: 28, W: 28, Crop: 0.6, Shift: 2, EraseP: 0.5, EraseMax: 10, Noise: 0.1}
//
// Contrastive learning (SimCLR, Chen et al., 2020) trains a network to map
// two such versions of the same image close together: whatever the
// augmentation changes, the network learns to ignore. SimCLR's own recipe
// for ImageNet photos is a random crop resized to full size, a flip, and
// strong colour changes; for small gray digits the crop, a shift, a
// missing piece and noise play that part.
type Augmentation struct {
	H, W     int     // the size of one image, h×w pixels; required
	Crop     float64 // if > 0, a RandomResizedCrop with this minScale in (0, 1], first
	Shift    int     // the largest shift in pixels, in each direction
	EraseP   float64 // the probability that an image gets a rectangle erased, in [0, 1]
	EraseMax int     // the largest side of the erased rectangle; required when EraseP > 0
	Noise    float64 // the standard deviation of the added Gaussian noise, ≥ 0
}

// check panics, naming op, if a cannot work.
func (a Augmentation) check(op string) {
	switch {
	case a.H < 1 || a.W < 1:
		panic(fmt.Sprintf("data: %s: Augmentation.H, W = %d, %d; set the image size, e.g. 28, 28 for MNIST", op, a.H, a.W))
	case !(a.Crop >= 0 && a.Crop <= 1):
		panic(fmt.Sprintf("data: %s: Augmentation.Crop = %v, want a minScale in (0, 1], or 0 for no crop", op, a.Crop))
	case a.Shift < 0:
		panic(fmt.Sprintf("data: %s: Augmentation.Shift = %d, want ≥ 0", op, a.Shift))
	case !(a.EraseP >= 0 && a.EraseP <= 1):
		panic(fmt.Sprintf("data: %s: Augmentation.EraseP = %v, want a probability in [0, 1]", op, a.EraseP))
	case a.EraseP > 0 && a.EraseMax < 1:
		panic(fmt.Sprintf("data: %s: Augmentation.EraseMax = %d with EraseP = %v; set the largest side of the erased rectangle", op, a.EraseMax, a.EraseP))
	case !(a.Noise >= 0) || math.IsInf(a.Noise, 0):
		panic(fmt.Sprintf("data: %s: Augmentation.Noise = %v, want a finite std ≥ 0", op, a.Noise))
	}
}

// Apply returns a randomly changed copy of the images x, as the fields of a
// say, drawing from rng; x is not changed. x holds images of a.H×a.W
// pixels as for [RandomShift], [n, c, h, w] or [n, h*w], and the result has
// its shape.
//
// Apply panics if a field of a cannot work (see [Augmentation]), if rng is
// nil, or if x does not hold a.H×a.W images.
func (a Augmentation) Apply(x *dl.Tensor, rng *rand.Rand) *dl.Tensor {
	notNil("Augmentation", "x", x)
	a.check("Augmentation")
	images("Augmentation", x, a.H, a.W)
	needRNG("Augmentation", rng)
	out := x
	if a.Crop > 0 {
		out = RandomResizedCrop(out, a.H, a.W, a.Crop, rng)
	}
	out = RandomShift(out, a.H, a.W, a.Shift, rng)
	if a.EraseP > 0 {
		out = RandomErase(out, a.H, a.W, a.EraseP, a.EraseMax, rng)
	}
	if a.Noise > 0 {
		out = GaussianNoise(out, a.Noise, rng)
	}
	return out
}

// TwoViews returns two independently augmented copies of the batch of
// images x, v1 = a.Apply(x) and v2 = a.Apply(x) with the next draws of rng:
// row i of v1 and row i of v2 are two views of image i, the positive pair
// of contrastive learning. Fed through one network, they go to
// nn.NTXent:
//
//	v1, v2 := data.TwoViews(batch.X, aug, rng)
//	loss := nn.NTXent(model.Forward(v1), model.Forward(v2), 0.5)
//
// TwoViews panics as [Augmentation.Apply] does.
func TwoViews(x *dl.Tensor, a Augmentation, rng *rand.Rand) (v1, v2 *dl.Tensor) {
	notNil("TwoViews", "x", x)
	a.check("TwoViews")
	images("TwoViews", x, a.H, a.W)
	needRNG("TwoViews", rng)
	return a.Apply(x, rng), a.Apply(x, rng)
}

// RandomResizedCrop cuts a random square out of each image of x and scales
// it back to h×w pixels, with bilinear interpolation: a random zoom that
// also shifts, SimCLR's most important augmentation (Chen et al., 2020,
// §3; there with rectangles of random aspect). The square's side is
// s·min(h, w) with s drawn uniformly from [minScale, 1], and its place
// uniformly among those where it fits inside the image; with s = 1 the
// image comes back unchanged. The same crop is used for all channels of
// an image. A small minScale zooms in far, onto a part of the digit.
//
// x holds images as for [RandomShift]: [n, c, h, w], [n, h*w], or anything
// with c*h*w values per row. The result is a new tensor of x's shape; x is
// not changed.
//
// RandomResizedCrop panics if minScale is not in (0, 1], if rng is nil, or
// if the rows of x do not hold a whole number of h×w images.
func RandomResizedCrop(x *dl.Tensor, h, w int, minScale float64, rng *rand.Rand) *dl.Tensor {
	notNil("RandomResizedCrop", "x", x)
	if !(minScale > 0 && minScale <= 1) {
		panic(fmt.Sprintf("data: RandomResizedCrop: minScale = %v, want a fraction of the image's side in (0, 1]", minScale))
	}
	n, c := images("RandomResizedCrop", x, h, w)
	needRNG("RandomResizedCrop", rng)
	src := x.Data()
	out := make([]float64, len(src))
	side := float64(min(h, w))
	for i := range n {
		s := side * (minScale + (1-minScale)*rng.Float64()) // the crop's side in pixels
		top, left := rng.Float64()*(float64(h)-s), rng.Float64()*(float64(w)-s)
		for ch := range c {
			img := src[(i*c+ch)*h*w : (i*c+ch+1)*h*w]
			dst := out[(i*c+ch)*h*w : (i*c+ch+1)*h*w]
			for r := range h {
				// Output pixel centres map to points of the crop; pixel k covers [k, k+1).
				y := top + (float64(r)+0.5)*s/float64(h) - 0.5
				for col := range w {
					xx := left + (float64(col)+0.5)*s/float64(w) - 0.5
					dst[r*w+col] = bilinear(img, h, w, y, xx)
				}
			}
		}
	}
	return dl.New(out, x.Shape()...)
}

// bilinear returns the value of the h×w image img at the point (y, x),
// between pixel centres, interpolating the 4 pixels around it; points
// outside are clamped to the border.
func bilinear(img []float64, h, w int, y, x float64) float64 {
	y = min(max(y, 0), float64(h-1))
	x = min(max(x, 0), float64(w-1))
	r0, c0 := int(y), int(x)
	r1, c1 := min(r0+1, h-1), min(c0+1, w-1)
	fy, fx := y-float64(r0), x-float64(c0)
	top := img[r0*w+c0]*(1-fx) + img[r0*w+c1]*fx
	bottom := img[r1*w+c0]*(1-fx) + img[r1*w+c1]*fx
	return top*(1-fy) + bottom*fy
}
