package dl

import (
	"fmt"
	"math"
	"slices"

	"github.com/dlnb/dlnb/dl/internal/loops"
	"github.com/dlnb/dlnb/dl/internal/parallel"
)

// LayerNorm normalizes each slice of x along its last dimension to mean 0
// and variance 1, then scales by gamma and shifts by beta (Ba et al.,
// 2016): for x [..., d], gamma and beta are [d] and the result has x's
// shape. The variance is the biased one (divided by d), and eps is added
// to it before the square root. A nil gamma or beta means no scale or no
// shift. Within each row of d elements,
//
//	x̂ = (x - mean)·rstd,  rstd = 1/√(variance + eps),  y = gamma·x̂ + beta
//
// Derivative: with g = ∂L/∂y, dx̂ = g·gamma, and means taken over the row,
//
//	∂L/∂gamma = Σ over the rows of g·x̂    ∂L/∂beta = Σ over the rows of g
//	∂L/∂x     = rstd·(dx̂ - mean(dx̂) - x̂·mean(dx̂·x̂))
//
// where the two means pass back x's part in the row's own mean and
// variance.
//
// LayerNorm panics if x is a scalar or gamma or beta is not [d].
func LayerNorm(x, gamma, beta *Tensor, eps float64) *Tensor {
	notNil("LayerNorm", "x", x)
	notReleased("LayerNorm", "gamma", gamma)
	notReleased("LayerNorm", "beta", beta)
	if x.Dim() == 0 {
		panic(fmt.Sprintf("dl: LayerNorm: shape %v has no last dimension", x.shape))
	}
	d := x.shape[len(x.shape)-1]
	checkAffine("LayerNorm", x, gamma, beta, d)
	rows := len(x.data) / max(d, 1)
	// Each row is normalized on its own, the rows split across the CPUs.
	// The backward pass needs x̂ = (x - mean)·rstd: it keeps each row's
	// mean and rstd and recomputes x̂, which is cheaper than writing it out
	// and reading it back.
	means := alloc(rows)
	rstd := alloc(rows)
	data := alloc(len(x.data))
	var gd, bd []float64 // gamma's and beta's data, or nil
	if gamma != nil {
		gd = gamma.data
	}
	if beta != nil {
		bd = beta.data
	}
	parallel.For(rows, 4*len(x.data), func(lo, hi int) {
		for r := lo; r < hi; r++ {
			xr, or := x.data[r*d:(r+1)*d], data[r*d:(r+1)*d]
			mean := loops.Sum(xr) / float64(d)
			rs := 1 / math.Sqrt(loops.SumSquaredDiff(xr, mean)/float64(d)+eps)
			means[r], rstd[r] = mean, rs
			loops.Normalize(or, xr, mean, rs, gd, bd) // (x - mean)·rstd·gamma + beta
		}
	})
	out := result("LayerNorm", data, slices.Clone(x.shape), inputs(x, gamma, beta)...)
	out.keep(means)
	out.keep(rstd)
	if out.requiresGrad {
		out.backward = func() {
			var gg, gb []float64 // the gradients of gamma and beta, if wanted
			if gamma != nil && gamma.requiresGrad {
				gg = gradFor(gamma)
			}
			if beta != nil && beta.requiresGrad {
				gb = gradFor(beta)
			}
			gx := gradFor(x)
			if gg == nil && gb == nil && gx == nil {
				return
			}
			w := gd // gamma, or ones
			if w == nil {
				w = scratch(d)
				defer putScratch(w)
				for i := range w {
					w[i] = 1
				}
			}
			// One sweep over the rows, split across the CPUs. Each row adds
			// its part of ∂L/∂gamma = Σ g·x̂ and ∂L/∂beta = Σ g into acc,
			// [gamma | beta], and adds its part of ∂L/∂x into gx: with
			// dx̂ = g·gamma, dx = rstd · (dx̂ - mean(dx̂) - x̂ · mean(dx̂ · x̂)).
			acc := allocZeroed(2 * d)
			defer putScratch(acc)
			parallel.Sum(acc, rows, 8*len(x.data), func(lo, hi int, acc []float64) {
				accG, accB := acc[:d], acc[d:]
				for r := lo; r < hi; r++ {
					g, xr := out.grad[r*d:(r+1)*d], x.data[r*d:(r+1)*d]
					mean, rs := means[r], rstd[r]
					sdx, sdxx := 0.0, 0.0 // Σ dx̂ and Σ dx̂·x̂
					for i, v := range g {
						h := (xr[i] - mean) * rs // x̂
						accG[i] += v * h
						accB[i] += v
						sdx += v * w[i]
						sdxx += v * w[i] * h
					}
					if gx == nil {
						continue
					}
					mdx, mdxx := sdx/float64(d), sdxx/float64(d)
					gr := gx[r*d : (r+1)*d]
					for i, v := range g {
						gr[i] += rs * (v*w[i] - mdx - (xr[i]-mean)*rs*mdxx)
					}
				}
			})
			for i := range d {
				if gg != nil {
					gg[i] += acc[i]
				}
				if gb != nil {
					gb[i] += acc[d+i]
				}
			}
		}
	}
	return out
}

// inputs returns those of ts that are not nil: the inputs of an op with
// optional ones, such as a bias.
func inputs(ts ...*Tensor) []*Tensor {
	var in []*Tensor
	for _, t := range ts {
		if t != nil {
			in = append(in, t)
		}
	}
	return in
}

// BatchNormTrain normalizes x over every axis but 1, the channels, with
// the statistics of the batch, then scales by gamma and shifts by beta
// (Ioffe and Szegedy, 2015): for x [n, c] or [n, c, h, w], gamma and beta
// are [c] and the result has x's shape. It also returns each channel's
// mean and biased variance (divided by the count, as used to normalize),
// for a module to keep running averages of; BatchNormEval uses them. eps
// is added to the variance before the square root. A nil gamma or beta
// means no scale or no shift.
//
// Derivative: that of LayerNorm, with the means taken over each channel's
// elements (across the batch and positions) instead of over a row:
//
//	∂L/∂x = rstd·(dx̂ - mean(dx̂) - x̂·mean(dx̂·x̂)),  dx̂ = g·gamma
//
// BatchNormTrain panics if x has fewer than 2 dimensions, if gamma or beta
// is not [c], or if a channel has fewer than 2 values in the batch (n·h·w
// < 2, as for one example [1, c]): the mean of a single value is that
// value and its variance 0, so every output would be beta and no gradient
// would reach x. PyTorch refuses it too. Use a batch of at least 2, or
// BatchNormEval with running statistics to normalize a single example.
func BatchNormTrain(x, gamma, beta *Tensor, eps float64) (out *Tensor, mean, variance []float64) {
	c, inner := batchNormShape("BatchNormTrain", x, gamma, beta)
	if count := x.shape[0] * inner; count < 2 {
		panic(fmt.Sprintf("dl: BatchNormTrain: shape %v: batch statistics need at least 2 values per channel, and "+
			"this batch has %d; the mean of one value is the value itself and its variance 0, so every output "+
			"would be beta. Use a batch of at least 2, or BatchNormEval (evaluation mode) with running statistics",
			x.shape, count))
	}
	return batchNormTrain(x, gamma, beta, eps, c, inner)
}

// BatchNormEval normalizes x over every axis but 1 with the given
// per-channel mean and variance, such as running averages of
// BatchNormTrain's, then scales by gamma and shifts by beta (Ioffe and
// Szegedy, 2015): for x [n, c] or [n, c, h, w], mean and variance have c
// values, gamma and beta are [c] or nil, and the result has x's shape.
// mean and variance are constants: no gradient goes to them.
//
// Derivative: with the statistics fixed, y = (x - mean)·rstd·gamma + beta
// is an affine map in each channel, rstd = 1/√(variance + eps):
// ∂y/∂x = rstd·gamma, ∂y/∂gamma = (x - mean)·rstd and ∂y/∂beta = 1. It is
// built from Sub, Mul and Add, which apply these.
//
// BatchNormEval panics if x has fewer than 2 dimensions, or gamma, beta,
// mean or variance does not have c values.
func BatchNormEval(x, gamma, beta *Tensor, mean, variance []float64, eps float64) *Tensor {
	c, _ := batchNormShape("BatchNormEval", x, gamma, beta)
	if len(mean) != c || len(variance) != c {
		panic(fmt.Sprintf("dl: BatchNormEval: %d means and %d variances for shape %v with %d channels",
			len(mean), len(variance), x.shape, c))
	}
	// With fixed statistics this is an affine map, built from other ops:
	// (x - mean) · 1/√(variance+eps) · gamma + beta, with the [c] vectors
	// shaped [c, 1, ...] to broadcast along axis 1.
	bshape := make([]int, x.Dim()-1)
	for i := range bshape {
		bshape[i] = 1
	}
	bshape[0] = c
	rstd := make([]float64, c)
	for k, v := range variance {
		rstd[k] = 1 / math.Sqrt(v+eps)
	}
	out := Mul(Sub(x, New(slices.Clone(mean), bshape...)), New(rstd, bshape...))
	if gamma != nil {
		out = Mul(out, Reshape(gamma, bshape...))
	}
	if beta != nil {
		out = Add(out, Reshape(beta, bshape...))
	}
	return out
}

// batchNormShape checks the shapes for a batch norm and returns the number
// of channels and the number of elements per channel in each example.
func batchNormShape(op string, x, gamma, beta *Tensor) (c, inner int) {
	notNil(op, "x", x)
	notReleased(op, "gamma", gamma)
	notReleased(op, "beta", beta)
	if x.Dim() < 2 {
		panic(fmt.Sprintf("dl: %s: shape %v has fewer than 2 dimensions", op, x.shape))
	}
	c = x.shape[1]
	checkAffine(op, x, gamma, beta, c)
	return c, max(numel(x.shape[2:]), 1)
}

// checkAffine panics unless gamma and beta are nil or of shape [d].
func checkAffine(op string, x, gamma, beta *Tensor, d int) {
	for _, p := range []*Tensor{gamma, beta} {
		if p != nil && !slices.Equal(p.shape, []int{d}) {
			panic(fmt.Sprintf("dl: %s: scale or shift of shape %v for x of shape %v; want [%d]", op, p.shape, x.shape, d))
		}
	}
}

// batchNormTrain is BatchNormTrain for c channels of inner elements per
// example, once the shapes are checked. It is one fused op, rather than
// Mean, Sub, Pow and Div, which keeps the graph small and the backward
// pass to two sweeps. Each channel is normalized with its own statistics,
// so the channels are split across the CPUs. Each channel's sums run over
// its elements in order, example by example, whatever the split, and so
// give the same bits on any number of CPUs.
func batchNormTrain(x, gamma, beta *Tensor, eps float64, c, inner int) (*Tensor, []float64, []float64) {
	n := len(x.data) / max(c*inner, 1) // examples
	count := float64(n * inner)        // elements per channel
	// The loops index x.data directly, example b's channel k being the
	// inner elements from (b*c+k)*inner: with inner 1, the [n, c] input of
	// an MLP, a slice per element would cost more than the arithmetic.
	mean := make([]float64, c)
	variance := make([]float64, c)
	rstd := alloc(c) // 1/√(variance+eps), set for every channel
	data := alloc(len(x.data))
	xs := x.data
	// Each range of channels reads, for each example, the contiguous
	// block of its channels.
	parallel.For(c, 6*len(x.data), func(lo, hi int) {
		for b := range n {
			for k := lo; k < hi; k++ {
				s := mean[k]
				for _, v := range xs[(b*c+k)*inner : (b*c+k+1)*inner] {
					s += v
				}
				mean[k] = s
			}
		}
		for k := lo; k < hi; k++ {
			mean[k] /= count
		}
		for b := range n {
			for k := lo; k < hi; k++ {
				s, m := variance[k], mean[k]
				for _, v := range xs[(b*c+k)*inner : (b*c+k+1)*inner] {
					s += (v - m) * (v - m)
				}
				variance[k] = s
			}
		}
		for k := lo; k < hi; k++ {
			variance[k] /= count
			rstd[k] = 1 / math.Sqrt(variance[k]+eps)
		}
		for b := range n {
			for k := lo; k < hi; k++ {
				m, r := mean[k], rstd[k]
				at := (b*c + k) * inner
				out := data[at : at+inner]
				for i, v := range xs[at : at+inner] {
					h := (v - m) * r // x̂
					if gamma != nil {
						h *= gamma.data[k]
					}
					if beta != nil {
						h += beta.data[k]
					}
					out[i] = h
				}
			}
		}
	})
	out := result("BatchNormTrain", data, slices.Clone(x.shape), inputs(x, gamma, beta)...)
	out.keep(rstd)
	if out.requiresGrad {
		out.backward = func() {
			var gg, gb []float64
			if gamma != nil {
				gg = gradFor(gamma)
			}
			if beta != nil {
				gb = gradFor(beta)
			}
			gx := gradFor(x)
			// With dx̂ = g·gamma, within each channel of count elements:
			// dx = rstd · (dx̂ - mean(dx̂) - x̂ · mean(dx̂ · x̂)).
			// The first sweep sums, the second writes dx.
			sums := allocZeroed(2 * c)
			defer putScratch(sums)
			sdx, sdxx := sums[:c], sums[c:] // Σ dx̂ and Σ dx̂·x̂
			parallel.For(c, 12*len(x.data), func(lo, hi int) {
				for b := range n {
					for k := lo; k < hi; k++ {
						m, r := mean[k], rstd[k]
						at := (b*c + k) * inner
						g := out.grad[at : at+inner]
						for i, v := range xs[at : at+inner] {
							h := (v - m) * r
							if gg != nil {
								gg[k] += g[i] * h
							}
							if gb != nil {
								gb[k] += g[i]
							}
							d := g[i]
							if gamma != nil {
								d *= gamma.data[k]
							}
							sdx[k] += d
							sdxx[k] += d * h
						}
					}
				}
				if gx == nil {
					return
				}
				for b := range n {
					for k := lo; k < hi; k++ {
						m, r := mean[k], rstd[k]
						at := (b*c + k) * inner
						g, gr := out.grad[at:at+inner], gx[at:at+inner]
						for i, v := range xs[at : at+inner] {
							h := (v - m) * r
							d := g[i]
							if gamma != nil {
								d *= gamma.data[k]
							}
							gr[i] += r * (d - sdx[k]/count - h*sdxx[k]/count)
						}
					}
				}
			})
		}
	}
	return out, mean, variance
}
