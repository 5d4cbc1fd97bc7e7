package nn

import (
	"fmt"
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
// of a head says how much token i looked at each token. They live as long
// as the graph of that Forward: once it is released (dl's Release, which
// train.Fit calls after each step), reading them panics. To plot the
// weights of a trained model, run Forward (or train.Predict) on the
// example to show, then read Weights.
type MultiHeadAttention struct {
	Wq, Wk, Wv, Wo *Linear // each [d, d], with biases [d]
	Heads          int
	Causal         bool
	Weights        *dl.Tensor // [batch, heads, t, t] of the last Forward
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
	notNil("MultiHeadAttention", "x", x)
	d := m.Wq.W.Shape()[0]
	s := x.Shape()
	if x.Dim() != 3 || s[2] != d {
		panic(fmt.Sprintf("nn: MultiHeadAttention: input shape %v; want [batch, t, %d]", s, d))
	}
	out, weights := dl.Attention(m.Wq.Forward(x), m.Wk.Forward(x), m.Wv.Forward(x), m.Heads, m.Causal)
	m.Weights = weights
	return m.Wo.Forward(out)
}

// Params returns the weights and biases of Wq, Wk, Wv and Wo, in that order.
func (m *MultiHeadAttention) Params() []*dl.Tensor {
	var ps []*dl.Tensor
	for _, l := range []*Linear{m.Wq, m.Wk, m.Wv, m.Wo} {
		ps = append(ps, l.Params()...)
	}
	return ps
}

// Parts names the projections "Wq", "Wk", "Wv" and "Wo", so that the
// query weights are "Wq.W" (see [Named]).
func (m *MultiHeadAttention) Parts() Parts {
	return Parts{Modules: []NamedModule{{"Wq", m.Wq}, {"Wk", m.Wk}, {"Wv", m.Wv}, {"Wo", m.Wo}}}
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
	notNil("Residual", "x", x)
	y := r.Inner.Forward(x)
	if y == nil {
		panic(fmt.Sprintf("nn: Residual: Inner (%T) returned nil", r.Inner))
	}
	if !slices.Equal(x.Shape(), y.Shape()) {
		panic(fmt.Sprintf("nn: Residual: input shape %v but Inner gives %v", x.Shape(), y.Shape()))
	}
	return dl.Add(x, y)
}

// Params returns Inner's parameters.
func (r Residual) Params() []*dl.Tensor { return r.Inner.Params() }

// Parts names Inner "Inner", so that a weight of a Linear inside is
// "Inner.W" (see [Named]).
func (r Residual) Parts() Parts { return Parts{Modules: []NamedModule{{"Inner", r.Inner}}} }
