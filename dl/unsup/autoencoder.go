package unsup

import (
	"fmt"
	"math/rand/v2"
	"slices"

	"github.com/dlnb/dlnb/dl"
	"github.com/dlnb/dlnb/dl/nn"
)

// Autoencoder is a network trained to reproduce its input: an encoder
// squeezes each row into a small code and a decoder rebuilds the row from
// the code. To rebuild well, the code must keep what matters in the data,
// so it learns a compression without labels: a nonlinear PCA. Deep
// autoencoders go back to Hinton & Salakhutdinov (2006).
//
// An Autoencoder is an nn.Module: train it with train.Fit on the set
// data.Set{X: x, Y: x} with the loss nn.MSE.
type Autoencoder struct {
	Encoder *nn.Sequential // [batch, d] → [batch, code]
	Decoder *nn.Sequential // [batch, code] → [batch, d]
}

// NewAutoencoder returns an autoencoder with the given layer sizes, from
// the input down to the code. For example NewAutoencoder(rng, 64, 32, 2)
// has
//
//	encoder: Linear(64→32), ReLU, Linear(32→2)           a linear code
//	decoder: Linear(2→32), ReLU, Linear(32→64), Sigmoid  the mirror image
//
// The sigmoid keeps the output in (0, 1), which suits inputs in [0, 1]
// such as pixel intensities; scale other data to [0, 1] first. The
// weights get He initialization, as in nn.MLP.
//
// NewAutoencoder panics with fewer than 2 sizes, with a size below 1, or
// if rng is nil.
func NewAutoencoder(rng *rand.Rand, sizes ...int) *Autoencoder {
	if len(sizes) < 2 {
		panic(fmt.Sprintf("unsup: NewAutoencoder: sizes %v; want at least 2 (input and code), e.g. 64, 32, 2", sizes))
	}
	for _, s := range sizes {
		if s < 1 {
			panic(fmt.Sprintf("unsup: NewAutoencoder: sizes %v; each must be at least 1", sizes))
		}
	}
	if rng == nil {
		panic("unsup: NewAutoencoder: rng is nil; pass one such as rand.New(rand.NewPCG(1, 2))")
	}
	encoder := nn.MLP(rng, sizes...)
	back := slices.Clone(sizes)
	slices.Reverse(back)
	decoder := nn.MLP(rng, back...)
	decoder.Layers = append(decoder.Layers, nn.Sigmoid{})
	return &Autoencoder{Encoder: encoder, Decoder: decoder}
}

// Forward returns the reconstruction of x [batch, d], of the same shape:
// Decode(Encode(x)). It panics if x is not [batch, d].
func (a *Autoencoder) Forward(x *dl.Tensor) *dl.Tensor { return a.Decode(a.Encode(x)) }

// Encode returns the code of x [batch, d], of shape [batch, code]. It
// panics if x is not [batch, d].
func (a *Autoencoder) Encode(x *dl.Tensor) *dl.Tensor { return a.Encoder.Forward(x) }

// Decode returns the rows [batch, d] rebuilt from codes z [batch, code];
// decoding a grid of codes shows what the code has learnt. It panics if z
// is not [batch, code].
func (a *Autoencoder) Decode(z *dl.Tensor) *dl.Tensor { return a.Decoder.Forward(z) }

// Params returns the parameters of the encoder, then of the decoder.
func (a *Autoencoder) Params() []*dl.Tensor {
	return append(a.Encoder.Params(), a.Decoder.Params()...)
}

// Parts names the two halves "Encoder" and "Decoder", so that the first
// weights are "Encoder.0.W" in a saved file (see nn.Named).
func (a *Autoencoder) Parts() nn.Parts {
	return nn.Parts{Modules: []nn.NamedModule{{Name: "Encoder", Module: a.Encoder}, {Name: "Decoder", Module: a.Decoder}}}
}
