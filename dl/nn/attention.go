package nn

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"

	"github.com/dlnb/dlnb/dl"
)

// MultiHeadAttention is scaled dot-product self-attention with several
// heads (Vaswani et al., 2017, "Attention Is All You Need"). For x
// [batch, t, d] it projects every token to a query, a key and a value,
// splits each into heads of dk = d/heads features, and lets every token
// take a weighted average of the values of all tokens, weighted by
// softmax(q·kᵀ/√dk). The heads are merged back to [batch, t, d] and go
// through an output projection.
//
// With Causal set, token i attends only to tokens 0…i, so the output at a
// position does not depend on later tokens, as a language model needs.
//
// Weights holds the attention weights of the last Forward, [batch, heads,
// t, t], detached from the graph so that a notebook can plot them: row i
// of a head says how much token i looked at each token.
type MultiHeadAttention struct {
	Wq, Wk, Wv, Wo *Linear // each [d, d], with biases [d]
	Heads          int
	Causal         bool
	Weights        *dl.Tensor // [batch, heads, t, t] of the last Forward

	mask []bool // the causal mask of the last Forward, kept for the next
}

// NewMultiHeadAttention returns self-attention over d features with the
// given number of heads; the four projections get Xavier initialization
// ([NewLinear]). NewMultiHeadAttention panics if d or heads is below 1, if
// heads does not divide d, or if rng is nil.
func NewMultiHeadAttention(rng *rand.Rand, d, heads int, causal bool) *MultiHeadAttention {
	if d < 1 || heads < 1 || d%heads != 0 {
		panic(fmt.Sprintf("nn: NewMultiHeadAttention: d=%d, heads=%d; heads must divide d", d, heads))
	}
	checkLinear("NewMultiHeadAttention", rng, d, d)
	return &MultiHeadAttention{
		Wq: NewLinear(rng, d, d), Wk: NewLinear(rng, d, d),
		Wv: NewLinear(rng, d, d), Wo: NewLinear(rng, d, d),
		Heads: heads, Causal: causal,
	}
}

// Forward returns the attention output [batch, t, d] for x [batch, t, d]
// and sets Weights. It panics if x is not [batch, t, d] for the layer's d.
func (m *MultiHeadAttention) Forward(x *dl.Tensor) *dl.Tensor {
	d := m.Wq.W.Shape()[0]
	s := x.Shape()
	if x.Dim() != 3 || s[2] != d {
		panic(fmt.Sprintf("nn: MultiHeadAttention: input shape %v; want [batch, t, %d]", s, d))
	}
	b, t, h := s[0], s[1], m.Heads
	dk := d / h
	// split turns [batch, t, d] into [batch, heads, t, dk].
	split := func(y *dl.Tensor) *dl.Tensor {
		return dl.Permute(dl.Reshape(y, b, t, h, dk), 0, 2, 1, 3)
	}
	// The queries are scaled by 1/√dk before the product rather than the
	// scores after it: the same numbers, on a tensor t/dk times smaller.
	q := split(dl.Mul(m.Wq.Forward(x), dl.Scalar(1/math.Sqrt(float64(dk)))))
	k, v := split(m.Wk.Forward(x)), split(m.Wv.Forward(x))
	scores := dl.MatMul(q, dl.Transpose(k)) // [b, h, t, t]
	if m.Causal {
		if len(m.mask) != b*h*t*t {
			m.mask = causalMask(b*h, t)
		}
		scores = dl.MaskedFill(scores, m.mask, math.Inf(-1))
	}
	weights := dl.Softmax(scores, -1)
	m.Weights = weights.Detach()
	out := dl.MatMul(weights, v)                               // [b, h, t, dk]
	merged := dl.Reshape(dl.Permute(out, 0, 2, 1, 3), b, t, d) // [b, t, d]
	return m.Wo.Forward(merged)
}

// Params returns the weights and biases of Wq, Wk, Wv and Wo, in that order.
func (m *MultiHeadAttention) Params() []*dl.Tensor {
	var ps []*dl.Tensor
	for _, l := range []*Linear{m.Wq, m.Wk, m.Wv, m.Wo} {
		ps = append(ps, l.Params()...)
	}
	return ps
}

// causalMask returns n stacked [t, t] masks that are true above the
// diagonal: the future that token i must not see.
func causalMask(n, t int) []bool {
	mask := make([]bool, n*t*t)
	for k := range n {
		for i := range t {
			for j := i + 1; j < t; j++ {
				mask[(k*t+i)*t+j] = true
			}
		}
	}
	return mask
}

// Residual adds a skip connection around Inner: Forward(x) = x +
// Inner.Forward(x) (He et al., 2015, "Deep Residual Learning"). The
// gradient reaches x both through Inner and directly, which lets very
// deep networks train. Inner must keep the shape of its input.
type Residual struct {
	Inner Module
}

// Forward returns x + Inner.Forward(x), of x's shape. It panics if Inner's
// output does not have x's shape.
func (r Residual) Forward(x *dl.Tensor) *dl.Tensor {
	y := r.Inner.Forward(x)
	if !slices.Equal(x.Shape(), y.Shape()) {
		panic(fmt.Sprintf("nn: Residual: input shape %v but Inner gives %v", x.Shape(), y.Shape()))
	}
	return dl.Add(x, y)
}

// Params returns Inner's parameters.
func (r Residual) Params() []*dl.Tensor { return r.Inner.Params() }
