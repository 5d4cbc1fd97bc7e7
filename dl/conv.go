package dl

import (
	"fmt"

	"github.com/dlnb/dlnb/dl/internal/loops"
	"github.com/dlnb/dlnb/dl/internal/parallel"
	"gonum.org/v1/gonum/blas"
)

// ConvOptions are the options of Conv2D. The zero value means stride 1,
// no padding and one group.
type ConvOptions struct {
	// Stride is the step of the kernel across the input, the same in both
	// directions; 0 means 1.
	Stride int
	// Padding is the number of zeros added on each side of the input's
	// height and width.
	Padding int
	// Groups splits the input and output channels into that many groups,
	// each convolved with its own filters only; 0 means 1. Both channel
	// counts must be multiples of it.
	Groups int
}

// Conv2D returns the 2-D convolution (strictly, cross-correlation) of x
// with the filters w, plus the bias b when b is not nil (LeCun et al.,
// 1989). The shapes are
//
//	x [batch, cin, h, w]
//	w [cout, cin/groups, kh, kw]
//	b [cout], or nil
//	→ [batch, cout, oh, ow]
//
// where oh = (h + 2·padding - kh)/stride + 1 and ow likewise, rounded
// down. The output channels of each group see only the input channels of
// the same group.
//
// Conv2D works by im2col: for each batch element and group it copies every
// kernel-sized patch of the input into a column of a matrix, and one
// matrix product with the filters gives all the outputs. The backward pass
// uses the same products, transposed, and adds the columns back into the
// input's gradient (col2im).
//
// Derivative: with cols the im2col matrix of an image and group, out =
// w·cols + b, and g = ∂L/∂out,
//
//	∂L/∂w = g·colsᵀ (summed over the images)
//	∂L/∂cols = wᵀ·g, added back into ∂L/∂x by col2im
//	∂L/∂b = Σ of g over the images and positions of each channel
//
// as for MatMul: each weight meets every patch of the input, and each
// input element every weight whose patch covers it.
//
// Conv2D panics if x or w is not 4-D, if the channels do not fit the
// groups, if the kernel is larger than the padded input, if b is not
// [cout], or if an option is negative.
func Conv2D(x, w *Tensor, b *Tensor, opt ConvOptions) *Tensor {
	notNil("Conv2D", "x", x)
	notNil("Conv2D", "w", w)
	notReleased("Conv2D", "b", b)
	stride, pad, groups := opt.Stride, opt.Padding, opt.Groups
	if stride == 0 {
		stride = 1
	}
	if groups == 0 {
		groups = 1
	}
	if stride < 0 || pad < 0 || groups < 0 {
		panic(fmt.Sprintf("dl: Conv2D: negative option in %+v", opt))
	}
	if x.Dim() != 4 || w.Dim() != 4 || x.shape[1]%groups != 0 || w.shape[0]%groups != 0 ||
		w.shape[1] != x.shape[1]/groups ||
		w.shape[2] > x.shape[2]+2*pad || w.shape[3] > x.shape[3]+2*pad {
		panic(fmt.Sprintf("dl: Conv2D: input shape %v and weight shape %v do not fit (groups %d, padding %d)",
			x.shape, w.shape, groups, pad))
	}
	batch, cin, h, wd := x.shape[0], x.shape[1], x.shape[2], x.shape[3]
	cout, kh, kw := w.shape[0], w.shape[2], w.shape[3]
	if b != nil && (b.Dim() != 1 || b.shape[0] != cout) {
		panic(fmt.Sprintf("dl: Conv2D: bias shape %v does not fit weight shape %v", b.shape, w.shape))
	}
	geom := loops.Conv{
		Cin: cin / groups, H: h, W: wd, KH: kh, KW: kw, Stride: stride, Pad: pad,
		OH: (h+2*pad-kh)/stride + 1, OW: (wd+2*pad-kw)/stride + 1,
	}
	// coutG output channels per group; the im2col matrix is [k, l].
	coutG := cout / groups
	k, l := geom.Cin*kh*kw, geom.OH*geom.OW
	xSize, outSize := cin*h*wd, cout*l

	shape := []int{batch, cout, geom.OH, geom.OW}
	cost := batch * cout * l * k // multiply-adds

	data := allocZeroed(numel(shape)) // gemm adds into it
	// The images of the batch are independent: they are split across the
	// CPUs, each with its own im2col buffer.
	parallel.For(batch, cost, func(lo, hi int) {
		cols := scratch(k * l) // reused for each image and group; Im2col sets it
		defer putScratch(cols)
		for n := lo; n < hi; n++ {
			for gi := range groups {
				geom.Im2col(part(part(x.data, n, xSize), gi, geom.Cin*h*wd), cols)
				// out[n, group gi] [coutG, l] += w[group gi] [coutG, k] · cols [k, l]
				gemm(blas.NoTrans, blas.NoTrans, coutG, l, k,
					part(w.data, gi, coutG*k), cols, part(part(data, n, outSize), gi, coutG*l))
			}
			if b != nil {
				for c, bc := range b.data {
					o := part(part(data, n, outSize), c, l)
					for i := range o {
						o[i] += bc
					}
				}
			}
		}
	})

	bias := 0
	if b != nil {
		bias = numel(shape)
	}
	out := product("Conv2D", 2*cost+bias, data, shape, inputs(x, w, b)...)
	out.bwdFLOPs = gradsWanted([]*Tensor{x, w, b}, 2*cost, 2*cost, bias)
	if out.requiresGrad {
		out.backward = func() {
			gx, gw := gradFor(x), gradFor(w)
			if gw == nil {
				gw = []float64{} // no gradient wanted for w: an empty sum
			}
			// Each range of images adds its part of w's gradient into its own dw.
			parallel.Sum(gw, batch, 2*cost, func(lo, hi int, dw []float64) {
				var cols, dcols []float64
				if len(dw) > 0 {
					cols = scratch(k * l)
					defer putScratch(cols)
				}
				if gx != nil {
					dcols = scratch(k * l)
					defer putScratch(dcols)
				}
				for n := lo; n < hi; n++ {
					for gi := range groups {
						g := part(part(out.grad, n, outSize), gi, coutG*l) // [coutG, l]
						// gw += g·colsᵀ
						if len(dw) > 0 {
							geom.Im2col(part(part(x.data, n, xSize), gi, geom.Cin*h*wd), cols)
							gemm(blas.NoTrans, blas.Trans, coutG, k, l, g, cols, part(dw, gi, coutG*k))
						}
						// gcols = wᵀ·g, then back into the image: gx += col2im(gcols)
						if gx != nil {
							clear(dcols)
							gemm(blas.Trans, blas.NoTrans, k, l, coutG, part(w.data, gi, coutG*k), g, dcols)
							geom.Col2im(dcols, part(part(gx, n, xSize), gi, geom.Cin*h*wd))
						}
					}
				}
			})
			if b != nil && b.requiresGrad {
				parallel.Sum(gradFor(b), batch, batch*outSize, func(lo, hi int, gb []float64) {
					for n := lo; n < hi; n++ {
						for c := range cout {
							s := 0.0
							for _, v := range part(part(out.grad, n, outSize), c, l) {
								s += v
							}
							gb[c] += s
						}
					}
				})
			}
		}
	}
	return out
}
