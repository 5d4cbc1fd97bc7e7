package dl

import (
	"fmt"

	"github.com/dlnb/dlnb/dl/internal/parallel"
	"gonum.org/v1/gonum/blas"
)

// Linear returns x·w + b, the affine map of a fully connected layer, for
// x [..., in], w [in, out] and b [out] or nil: every row of x (every
// token, for x [batch, t, in]) goes through the same weights, and the
// result is [..., out]. It is MatMul followed by Add, fused into one op:
// the bias is written first and the product added onto it, so the graph
// has one node and one gradient buffer instead of two. (w is [in, out],
// not PyTorch's [out, in], so that the product reads as written.)
//
// Derivative: for y = x·w + b and the gradient g = ∂L/∂y, with x seen as
// the matrix of its rows,
//
//	∂L/∂x = g·wᵀ    ∂L/∂w = xᵀ·g    ∂L/∂b = Σ over the rows of g
//
// as for MatMul followed by Add.
//
// Linear panics if x has fewer than one dimension, w is not [in, out] for
// x's last dimension in, or b is not [out].
func Linear(x, w, b *Tensor) *Tensor {
	notNil("Linear", "x", x)
	notNil("Linear", "w", w)
	notReleased("Linear", "b", b)
	if x.Dim() < 1 || w.Dim() != 2 || x.shape[x.Dim()-1] != w.shape[0] ||
		b != nil && (b.Dim() != 1 || b.shape[0] != w.shape[1]) {
		var bs []int
		if b != nil {
			bs = b.shape
		}
		panic(fmt.Sprintf("dl: Linear: input shape %v, weight shape %v and bias shape %v do not fit", x.shape, w.shape, bs))
	}
	in, out := w.shape[0], w.shape[1]
	rows := len(x.data) / max(in, 1)
	if in == 0 {
		rows = numel(x.shape[:x.Dim()-1])
	}
	shape := append(x.shape[:x.Dim()-1:x.Dim()-1], out)
	var data []float64
	if b != nil {
		data = alloc(rows * out) // every row starts as a copy of b
		parallel.For(rows, rows*out, func(lo, hi int) {
			for r := lo; r < hi; r++ {
				copy(data[r*out:(r+1)*out], b.data)
			}
		})
	} else {
		data = allocZeroed(rows * out)
	}
	gemm(blas.NoTrans, blas.NoTrans, rows, out, in, x.data, w.data, data)
	prod, bias := 2*rows*in*out, 0
	if b != nil {
		bias = rows * out
	}
	y := product("Linear", prod+bias, data, shape, inputs(x, w, b)...)
	y.bwdFLOPs = gradsWanted([]*Tensor{x, w, b}, prod, prod, bias)
	if y.requiresGrad {
		y.backward = func() {
			g := y.grad
			if gx := gradFor(x); gx != nil { // gx += g·wᵀ
				gemm(blas.NoTrans, blas.Trans, rows, in, out, g, w.data, gx)
			}
			if gw := gradFor(w); gw != nil { // gw += xᵀ·g
				gemm(blas.Trans, blas.NoTrans, in, out, rows, x.data, g, gw)
			}
			if b != nil && b.requiresGrad { // gb += Σ over the rows of g
				parallel.Sum(gradFor(b), rows, rows*out, func(lo, hi int, acc []float64) {
					for r := lo; r < hi; r++ {
						for j, v := range g[r*out : (r+1)*out] {
							acc[j] += v
						}
					}
				})
			}
		}
	}
	return y
}
