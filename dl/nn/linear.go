package nn

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/dlnb/dlnb/dl"
)

// Linear is a fully connected layer: y = x·W + B, for x [batch, in] and
// y [batch, out]. Each output is a weighted sum of all inputs plus a bias,
// the same unit as Rosenblatt's perceptron (1958) without the threshold.
//
// W [in, out] holds the weights, one column per output, and B [out] the
// biases; both are parameters. (PyTorch stores the weight as [out, in] and
// computes x·Wᵀ; keeping W [in, out] here makes the product read as
// written.) B is nil in a Linear without bias, y = x·W, as
// [Linear.WithoutBias] makes one.
type Linear struct {
	W *dl.Tensor // [in, out]
	B *dl.Tensor // [out], or nil for no bias
}

// NewLinear returns a Linear layer from in inputs to out outputs with
// Xavier (Glorot) uniform initialization (Glorot & Bengio, 2010): each
// weight is drawn from U(-a, a) with a = √(6/(in+out)), which keeps the
// variance of activations and of gradients about the same from layer to
// layer for tanh and sigmoid networks. The biases start at 0.
//
// NewLinear panics if in or out is below 1 or if rng is nil.
func NewLinear(rng *rand.Rand, in, out int) *Linear {
	checkLinear("NewLinear", rng, in, out)
	a := math.Sqrt(6 / float64(in+out))
	w := make([]float64, in*out)
	for i := range w {
		w[i] = a * (2*rng.Float64() - 1)
	}
	return &Linear{W: dl.Param(dl.New(w, in, out)), B: dl.Param(dl.Zeros(out))}
}

// NewLinearHe returns a Linear layer from in inputs to out outputs with He
// (Kaiming) normal initialization (He et al., 2015): each weight is drawn
// from N(0, 2/in). ReLU zeroes about half of its inputs; the factor 2 makes
// up for it, so deep ReLU networks neither shrink nor blow up their
// signals. The biases start at 0.
//
// NewLinearHe panics if in or out is below 1 or if rng is nil.
func NewLinearHe(rng *rand.Rand, in, out int) *Linear {
	checkLinear("NewLinearHe", rng, in, out)
	std := math.Sqrt(2 / float64(in))
	w := make([]float64, in*out)
	for i := range w {
		w[i] = std * rng.NormFloat64()
	}
	return &Linear{W: dl.Param(dl.New(w, in, out)), B: dl.Param(dl.Zeros(out))}
}

// checkLinear panics, naming op, when a constructor gets bad arguments.
func checkLinear(op string, rng *rand.Rand, in, out int) {
	if in < 1 || out < 1 {
		panic(fmt.Sprintf("nn: %s: sizes in=%d, out=%d; both must be at least 1", op, in, out))
	}
	if rng == nil {
		panic(fmt.Sprintf("nn: %s: rng is nil; pass one such as rand.New(rand.NewPCG(1, 2))", op))
	}
}

// WithoutBias removes l's bias and returns l, so that Forward computes
// x·W alone, as PyTorch's nn.Linear(in, out, bias=False) does:
//
//	proj := nn.NewLinear(rng, d, d).WithoutBias()
//
// B becomes nil, and Params returns W alone. A bias is redundant before a
// layer that subtracts the mean, such as [BatchNorm], and some models
// leave it out of their attention projections.
func (l *Linear) WithoutBias() *Linear {
	l.B = nil
	return l
}

// Forward returns x·W + B, of shape [batch, out], for x [batch, in]; the
// bias is broadcast over the batch. As in PyTorch, x may also be a single
// example [in], which gives [out], or have more leading dimensions: x
// [batch, t, in] gives [batch, t, out], every row through the same weights
// in one matrix product (see [dl.Linear]). It panics if x is a scalar or
// its last dimension is not in.
func (l *Linear) Forward(x *dl.Tensor) *dl.Tensor {
	notNil("Linear", "x", x)
	in := l.W.Shape()[0]
	if x.Dim() < 1 || x.Shape()[x.Dim()-1] != in {
		panic(fmt.Sprintf("nn: Linear: input shape %v does not fit weights %v; want [batch %d] or [%d]", x.Shape(), l.W.Shape(), in, in))
	}
	return dl.Linear(x, l.W, l.B)
}

// Params returns W and B, or W alone for a Linear without bias.
func (l *Linear) Params() []*dl.Tensor { return tensors(weightAndBias(l.W, l.B)) }

// Parts names W "W" and B "B" (see [Named]).
func (l *Linear) Parts() Parts { return Parts{Params: weightAndBias(l.W, l.B)} }

// weightAndBias returns w and b named "W" and "B", leaving out a nil b.
func weightAndBias(w, b *dl.Tensor) []NamedTensor {
	if b == nil {
		return []NamedTensor{{"W", w}}
	}
	return []NamedTensor{{"W", w}, {"B", b}}
}

// tensors returns the tensors of ts, in order.
func tensors(ts []NamedTensor) []*dl.Tensor {
	out := make([]*dl.Tensor, len(ts))
	for i, t := range ts {
		out[i] = t.Tensor
	}
	return out
}
