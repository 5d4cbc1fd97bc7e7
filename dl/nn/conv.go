package nn

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/dlnb/dlnb/dl"
)

// Conv2D is a 2-D convolution layer (LeCun et al., 1989): it slides
// Cout filters of size k×k over its input, x [batch, cin, h, w] →
// [batch, cout, oh, ow], where oh = (h + 2·padding − k)/stride + 1 and ow
// likewise (see [dl.Conv2D]).
//
// W [cout, cin/groups, k, k] holds the filters and B [cout] the biases;
// both are parameters. B is nil in a Conv2D without bias, as
// [Conv2D.WithoutBias] makes one. Options sets the stride, padding and
// groups; its zero value means stride 1, no padding, one group.
type Conv2D struct {
	W       *dl.Tensor // [cout, cin/groups, k, k]
	B       *dl.Tensor // [cout], or nil for no bias
	Options dl.ConvOptions
}

// NewConv2D returns a Conv2D layer from cin to cout channels with k×k
// filters and He (Kaiming) normal initialization (He et al., 2015): each
// weight is drawn from N(0, 2/fanIn) with fanIn = cin/groups·k·k. The
// biases start at 0.
//
// NewConv2D panics if cin, cout or k is below 1, if rng is nil, if an
// option is negative, or if the channels are not multiples of the groups.
func NewConv2D(rng *rand.Rand, cin, cout, k int, opt dl.ConvOptions) *Conv2D {
	if cin < 1 || cout < 1 || k < 1 {
		panic(fmt.Sprintf("nn: NewConv2D: sizes cin=%d, cout=%d, k=%d; all must be at least 1", cin, cout, k))
	}
	if rng == nil {
		panic("nn: NewConv2D: rng is nil; pass one such as rand.New(rand.NewPCG(1, 2))")
	}
	if opt.Stride < 0 || opt.Padding < 0 || opt.Groups < 0 {
		panic(fmt.Sprintf("nn: NewConv2D: negative option in %+v", opt))
	}
	groups := max(opt.Groups, 1)
	if cin%groups != 0 || cout%groups != 0 {
		panic(fmt.Sprintf("nn: NewConv2D: channels cin=%d, cout=%d are not multiples of groups=%d", cin, cout, groups))
	}
	fanIn := cin / groups * k * k
	std := math.Sqrt(2 / float64(fanIn))
	w := make([]float64, cout*fanIn)
	for i := range w {
		w[i] = std * rng.NormFloat64()
	}
	return &Conv2D{
		W:       dl.Param(dl.New(w, cout, cin/groups, k, k)),
		B:       dl.Param(dl.Zeros(cout)),
		Options: opt,
	}
}

// Forward returns the convolution of x [batch, cin, h, w] with the filters
// plus the biases, [batch, cout, oh, ow]. It panics if x is not 4-D or
// does not have cin channels, and where [dl.Conv2D] panics (a kernel larger
// than the padded input).
func (c *Conv2D) Forward(x *dl.Tensor) *dl.Tensor {
	notNil("Conv2D", "x", x)
	cin := c.W.Shape()[1] * max(c.Options.Groups, 1)
	if x.Dim() != 4 || x.Shape()[1] != cin {
		panic(fmt.Sprintf("nn: Conv2D: input shape %v does not fit weights %v; want [batch %d h w]", x.Shape(), c.W.Shape(), cin))
	}
	return dl.Conv2D(x, c.W, c.B, c.Options)
}

// WithoutBias removes c's bias and returns c, as PyTorch's
// nn.Conv2d(…, bias=False): the usual convolution before a [BatchNorm],
// whose mean subtraction would cancel a bias anyway, as in ResNet:
//
//	conv := nn.NewConv2D(rng, 16, 32, 3, dl.ConvOptions{Padding: 1}).WithoutBias()
//
// B becomes nil, and Params returns W alone.
func (c *Conv2D) WithoutBias() *Conv2D {
	c.B = nil
	return c
}

// Params returns W and B, or W alone for a Conv2D without bias.
func (c *Conv2D) Params() []*dl.Tensor { return tensors(weightAndBias(c.W, c.B)) }

// Parts names W "W" and B "B" (see [Named]).
func (c *Conv2D) Parts() Parts { return Parts{Params: weightAndBias(c.W, c.B)} }

// MaxPool2D is max pooling (as in Ranzato et al., 2007, and the CNNs
// since) as a module: the largest element of each Size×Size window, for
// windows Stride apart (0 means Size), x [batch, c, h, w] →
// [batch, c, (h−Size)/Stride+1, (w−Size)/Stride+1]. It has no parameters.
type MaxPool2D struct {
	Size, Stride int
}

// Forward returns the pooled x (see [dl.MaxPool2D]). It panics if x is not
// 4-D, and where dl.MaxPool2D panics (a bad size or a window larger than
// the input).
func (p MaxPool2D) Forward(x *dl.Tensor) *dl.Tensor {
	checkPool("MaxPool2D", x)
	return dl.MaxPool2D(x, p.Size, p.Stride)
}

// Params returns nil: MaxPool2D learns nothing.
func (MaxPool2D) Params() []*dl.Tensor { return nil }

// Parts returns no parts: MaxPool2D holds nothing (see [Named]).
func (MaxPool2D) Parts() Parts { return Parts{} }

// AvgPool2D is average pooling (as in LeCun et al., 1998, LeNet-5's
// subsampling) as a module: the mean of each Size×Size window, for windows
// Stride apart (0 means Size), x [batch, c, h, w] →
// [batch, c, (h−Size)/Stride+1, (w−Size)/Stride+1]. It has no parameters.
type AvgPool2D struct {
	Size, Stride int
}

// Forward returns the pooled x (see [dl.AvgPool2D]). It panics as
// [MaxPool2D.Forward] does.
func (p AvgPool2D) Forward(x *dl.Tensor) *dl.Tensor {
	checkPool("AvgPool2D", x)
	return dl.AvgPool2D(x, p.Size, p.Stride)
}

// Params returns nil: AvgPool2D learns nothing.
func (AvgPool2D) Params() []*dl.Tensor { return nil }

// Parts returns no parts: AvgPool2D holds nothing (see [Named]).
func (AvgPool2D) Parts() Parts { return Parts{} }

// checkPool panics, naming op, if x is not [batch, c, h, w].
func checkPool(op string, x *dl.Tensor) {
	notNil(op, "x", x)
	if x.Dim() != 4 {
		panic(fmt.Sprintf("nn: %s: input shape %v; want [batch c h w]", op, x.Shape()))
	}
}

// Flatten keeps the first (batch) dimension and joins all the others:
// x [batch, d1, d2, ...] → [batch, d1·d2·...], as between the convolutions
// and the Linear layers of a CNN. x [batch] becomes [batch, 1]. It has no
// parameters.
type Flatten struct{}

// Forward returns x reshaped to [batch, rest]; gradients flow back
// unchanged. It panics if x is a scalar.
func (Flatten) Forward(x *dl.Tensor) *dl.Tensor {
	notNil("Flatten", "x", x)
	if x.Dim() < 1 {
		panic(fmt.Sprintf("nn: Flatten: input shape %v has no batch dimension", x.Shape()))
	}
	n := x.Shape()[0]
	rest := 1
	for _, d := range x.Shape()[1:] {
		rest *= d
	}
	return dl.Reshape(x, n, rest)
}

// Params returns nil: Flatten learns nothing.
func (Flatten) Params() []*dl.Tensor { return nil }

// Parts returns no parts: Flatten holds nothing (see [Named]).
func (Flatten) Parts() Parts { return Parts{} }

// GELU is the Gaussian error linear unit x·Φ(x) (Hendrycks & Gimpel, 2016),
// the activation of BERT and GPT, as a module; it keeps the shape of its
// input and has no parameters.
type GELU struct{}

// Forward returns x·Φ(x) element by element, of x's shape.
func (GELU) Forward(x *dl.Tensor) *dl.Tensor { return dl.GELU(x) }

// Params returns nil: GELU learns nothing.
func (GELU) Params() []*dl.Tensor { return nil }

// Parts returns no parts: GELU holds nothing (see [Named]).
func (GELU) Parts() Parts { return Parts{} }
