package dl

import (
	"fmt"
	"math"
	"slices"

	"github.com/dlnb/dlnb/dl/internal/parallel"
	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas64"
)

// Attention returns scaled dot-product attention with several heads
// (Vaswani et al., 2017), fused into one op, for queries, keys and values
// q, k, v [batch, t, d]. The d features of each token are split into heads
// of dk = d/heads consecutive features; for each batch element and head,
//
//	weights = softmax(q·kᵀ/√dk)   [t, t], each row summing to 1
//	out     = weights·v           [t, dk]
//
// and the heads' outputs sit side by side again in out [batch, t, d]. With
// causal set, row i of weights is 0 after position i: a token attends
// only to itself and the tokens before it, as masking the scores with
// -Inf (MaskedFill) before Softmax would do.
//
// This is the same as splitting the heads with Reshape and Permute and
// calling MatMul, Transpose, Mul, MaskedFill, Softmax and MatMul, as
// PyTorch's scaled_dot_product_attention is; fused, it reads the heads in
// place and keeps only weights for the backward pass, not four [t, t]
// tensors per head and their gradients.
//
// Derivative: for each batch element and head, with s = q·kᵀ/√dk, the
// gradient g = ∂L/∂out and ⊙ the element-wise product,
//
//	∂L/∂v       = weightsᵀ·g
//	∂L/∂weights = g·vᵀ
//	∂L/∂s       = weights ⊙ (∂L/∂weights - r), with r the sum over each
//	              row of ∂L/∂weights ⊙ weights (Softmax's rule)
//	∂L/∂q       = ∂L/∂s·k/√dk
//	∂L/∂k       = (∂L/∂s)ᵀ·q/√dk
//
// weights [batch, heads, t, t] is returned for plotting. It is not part
// of the graph, and it shares the op's storage: do not change it. When
// Release ends a graph that holds out, it releases weights too (Clone it
// before, to keep it).
//
// Attention panics if q, k and v are not all [batch, t, d] with the same
// shape, or heads does not divide d.
func Attention(q, k, v *Tensor, heads int, causal bool) (out, weights *Tensor) {
	notNil("Attention", "q", q)
	notNil("Attention", "k", k)
	notNil("Attention", "v", v)
	if q.Dim() != 3 || !slices.Equal(q.shape, k.shape) || !slices.Equal(q.shape, v.shape) || heads < 1 || q.shape[2]%heads != 0 {
		panic(fmt.Sprintf("dl: Attention: shapes %v, %v and %v with %d heads; want three [batch t d] with heads dividing d",
			q.shape, k.shape, v.shape, heads))
	}
	b, t, d := q.shape[0], q.shape[1], q.shape[2]
	dk := d / heads
	scale := 1 / math.Sqrt(float64(dk))
	// head returns head j of batch element i of x as a [t, dk] matrix,
	// read in place with the row stride d.
	head := func(x []float64, i, j int) blas64.General {
		off := i*t*d + j*dk
		return blas64.General{Rows: t, Cols: dk, Stride: d, Data: x[off : off+(t-1)*d+dk]}
	}
	square := func(x []float64, p int) blas64.General { // p-th [t, t] matrix
		return blas64.General{Rows: t, Cols: t, Stride: t, Data: x[p*t*t : (p+1)*t*t]}
	}
	// The products with beta 0 overwrite data and w, and the softmax
	// rows set every weight.
	data := alloc(len(q.data))
	w := alloc(b * heads * t * t)
	pairs := b * heads
	if t > 0 && dk > 0 {
		parallel.For(pairs, 4*pairs*t*t*dk, func(lo, hi int) {
			for p := lo; p < hi; p++ {
				i, j := p/heads, p%heads
				s := square(w, p)
				gemmGeneral(blas.NoTrans, blas.Trans, scale, head(q.data, i, j), head(k.data, i, j), 0, s)
				for r := range t {
					row := s.Data[r*t : (r+1)*t]
					n := t
					if causal {
						n = r + 1
					}
					softmaxRow(row[:n])
					clear(row[n:])
				}
				gemmGeneral(blas.NoTrans, blas.NoTrans, 1, s, head(v.data, i, j), 0, head(data, i, j))
			}
		})
	}
	macs := b * t * t * d // of each of the four products
	out = product("Attention", 4*macs+b*heads*t*t, data, []int{b, t, d}, q, k, v)
	out.bwdFLOPs = gradsWanted([]*Tensor{q, k, v}, 4*macs, 2*macs, 2*macs)
	if out.requiresGrad {
		out.backward = func() {
			gq, gk, gv := gradFor(q), gradFor(k), gradFor(v)
			if t == 0 || dk == 0 {
				return
			}
			parallel.For(pairs, 8*pairs*t*t*dk, func(lo, hi int) {
				ds := blas64.General{Rows: t, Cols: t, Stride: t, Data: scratch(t * t)}
				defer putScratch(ds.Data)
				for p := lo; p < hi; p++ {
					i, j := p/heads, p%heads
					pw, g := square(w, p), head(out.grad, i, j)
					if gv != nil { // gv += weightsᵀ·g
						gemmGeneral(blas.Trans, blas.NoTrans, 1, pw, g, 1, head(gv, i, j))
					}
					if gq == nil && gk == nil {
						continue
					}
					// ds = g·vᵀ, the gradient of the weights, then through the
					// softmax, row by row: ds = weights ⊙ (ds - Σ ds ⊙ weights).
					gemmGeneral(blas.NoTrans, blas.Trans, 1, g, head(v.data, i, j), 0, ds)
					for r := range t {
						pr, dr := pw.Data[r*t:(r+1)*t], ds.Data[r*t:(r+1)*t]
						dot := 0.0
						for c, x := range pr {
							dot += x * dr[c]
						}
						for c, x := range pr {
							dr[c] = x * (dr[c] - dot)
						}
					}
					if gq != nil { // gq += ds·k/√dk
						gemmGeneral(blas.NoTrans, blas.NoTrans, scale, ds, head(k.data, i, j), 1, head(gq, i, j))
					}
					if gk != nil { // gk += dsᵀ·q/√dk
						gemmGeneral(blas.Trans, blas.NoTrans, scale, ds, head(q.data, i, j), 1, head(gk, i, j))
					}
				}
			})
		}
	}
	weights = &Tensor{data: w, shape: []int{b, heads, t, t}, op: "Attention", own: true}
	if out.requiresGrad {
		out.extras = append(out.extras, weights) // released with out
	}
	return out, weights
}

// softmaxRow replaces the scores in row by their softmax, computed stably
// by subtracting the largest first.
func softmaxRow(row []float64) {
	mx := math.Inf(-1)
	for _, x := range row {
		mx = max(mx, x)
	}
	sum := 0.0
	for c, x := range row {
		e := math.Exp(x - mx)
		row[c] = e
		sum += e
	}
	inv := 1 / sum
	for c := range row {
		row[c] *= inv
	}
}
