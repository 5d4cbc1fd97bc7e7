package nn

import (
	"fmt"
	"math/rand/v2"

	"github.com/dlnb/dlnb/dl"
)

// TransformerBlock is one layer of a Transformer (Vaswani et al., 2017) in
// the pre-norm arrangement of GPT-2 (Radford et al., 2019), for x
// [batch, t, d]:
//
//	x = x + Attn(Norm1(x))
//	x = x + FC2(GELU(FC1(Norm2(x))))
//
// The MLP widens each token to 4d features and back to d. Normalizing
// before each sublayer, not after, leaves the residual path an identity,
// which makes deep stacks train without warm-up. The output has x's shape.
// Norm1 and Norm2 are [LayerNorm]s (Ba et al., 2016).
type TransformerBlock struct {
	Attn         *MultiHeadAttention
	Norm1, Norm2 *LayerNorm // [d], before Attn and before the MLP
	FC1, FC2     *Linear    // [d, 4d] and [4d, d]
}

// NewTransformerBlock returns a block over d features with the given
// number of attention heads, causal if causal is set. The LayerNorms start
// as the identity (gamma 1, beta 0, as [NewLayerNorm]), the attention and
// MLP weights with Xavier initialization. NewTransformerBlock panics if d
// or heads is below 1, if heads does not divide d, or if rng is nil.
func NewTransformerBlock(rng *rand.Rand, d, heads int, causal bool) *TransformerBlock {
	if d < 1 || heads < 1 || d%heads != 0 {
		panic(fmt.Sprintf("nn: NewTransformerBlock: d=%d, heads=%d; heads must divide d", d, heads))
	}
	checkLinear("NewTransformerBlock", rng, d, d)
	return &TransformerBlock{
		Attn:  NewMultiHeadAttention(rng, d, heads, causal),
		Norm1: NewLayerNorm(d), Norm2: NewLayerNorm(d),
		FC1: NewLinear(rng, d, 4*d), FC2: NewLinear(rng, 4*d, d),
	}
}

// Forward returns the block's output [batch, t, d] for x [batch, t, d]
// and sets Attn.Weights. It panics if x is not [batch, t, d].
func (b *TransformerBlock) Forward(x *dl.Tensor) *dl.Tensor {
	notNil("TransformerBlock", "x", x)
	d := b.Norm1.Gamma.Len()
	if x.Dim() != 3 || x.Shape()[2] != d {
		panic(fmt.Sprintf("nn: TransformerBlock: input shape %v; want [batch, t, %d]", x.Shape(), d))
	}
	x = dl.Add(x, b.Attn.Forward(b.Norm1.Forward(x)))
	h := dl.GELU(b.FC1.Forward(b.Norm2.Forward(x)))
	return dl.Add(x, b.FC2.Forward(h))
}

// Params returns the attention parameters, then those of Norm1 and Norm2,
// then the MLP's weights and biases.
func (b *TransformerBlock) Params() []*dl.Tensor {
	var ps []*dl.Tensor
	for _, m := range b.Parts().Modules {
		ps = append(ps, m.Module.Params()...)
	}
	return ps
}

// Parts names the sublayers "Attn", "Norm1", "Norm2", "FC1" and "FC2", so
// that the query weights are "Attn.Wq.W" and the first scale
// "Norm1.Gamma" (see [Named]).
func (b *TransformerBlock) Parts() Parts {
	return Parts{Modules: []NamedModule{
		{"Attn", b.Attn}, {"Norm1", b.Norm1}, {"Norm2", b.Norm2}, {"FC1", b.FC1}, {"FC2", b.FC2},
	}}
}
