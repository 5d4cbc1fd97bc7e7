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
//	x = x + Attn(LayerNorm1(x))
//	x = x + FC2(GELU(FC1(LayerNorm2(x))))
//
// The MLP widens each token to 4d features and back to d. Normalizing
// before each sublayer, not after, leaves the residual path an identity,
// which makes deep stacks train without warm-up. The output has x's shape.
//
// LayerNorm (Ba et al., 2016) is applied with dl.LayerNorm and the scale
// and shift parameters Gamma1, Beta1 and Gamma2, Beta2.
type TransformerBlock struct {
	Attn          *MultiHeadAttention
	Gamma1, Beta1 *dl.Tensor // [d], the LayerNorm before Attn
	Gamma2, Beta2 *dl.Tensor // [d], the LayerNorm before the MLP
	FC1, FC2      *Linear    // [d, 4d] and [4d, d]
}

// layerNormEps is added to the variance in the LayerNorms of a
// TransformerBlock, as in PyTorch.
const layerNormEps = 1e-5

// NewTransformerBlock returns a block over d features with the given
// number of attention heads, causal if causal is set. The LayerNorms start
// as the identity (gamma 1, beta 0), the attention and MLP weights with
// Xavier initialization. NewTransformerBlock panics if d or heads is below
// 1, if heads does not divide d, or if rng is nil.
func NewTransformerBlock(rng *rand.Rand, d, heads int, causal bool) *TransformerBlock {
	if d < 1 || heads < 1 || d%heads != 0 {
		panic(fmt.Sprintf("nn: NewTransformerBlock: d=%d, heads=%d; heads must divide d", d, heads))
	}
	checkLinear("NewTransformerBlock", rng, d, d)
	return &TransformerBlock{
		Attn:   NewMultiHeadAttention(rng, d, heads, causal),
		Gamma1: dl.Param(dl.Full(1, d)), Beta1: dl.Param(dl.Zeros(d)),
		Gamma2: dl.Param(dl.Full(1, d)), Beta2: dl.Param(dl.Zeros(d)),
		FC1: NewLinear(rng, d, 4*d), FC2: NewLinear(rng, 4*d, d),
	}
}

// Forward returns the block's output [batch, t, d] for x [batch, t, d]
// and sets Attn.Weights. It panics if x is not [batch, t, d].
func (b *TransformerBlock) Forward(x *dl.Tensor) *dl.Tensor {
	d := b.Gamma1.Len()
	if x.Dim() != 3 || x.Shape()[2] != d {
		panic(fmt.Sprintf("nn: TransformerBlock: input shape %v; want [batch, t, %d]", x.Shape(), d))
	}
	x = dl.Add(x, b.Attn.Forward(dl.LayerNorm(x, b.Gamma1, b.Beta1, layerNormEps)))
	h := dl.GELU(b.FC1.Forward(dl.LayerNorm(x, b.Gamma2, b.Beta2, layerNormEps)))
	return dl.Add(x, b.FC2.Forward(h))
}

// Params returns the attention parameters, then Gamma1, Beta1, Gamma2,
// Beta2, then the MLP's weights and biases.
func (b *TransformerBlock) Params() []*dl.Tensor {
	ps := b.Attn.Params()
	ps = append(ps, b.Gamma1, b.Beta1, b.Gamma2, b.Beta2)
	ps = append(ps, b.FC1.Params()...)
	return append(ps, b.FC2.Params()...)
}
