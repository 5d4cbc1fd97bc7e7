package nn

import (
	"fmt"

	"github.com/dlnb/dlnb/dl"
)

// BatchNorm is batch normalization (Ioffe & Szegedy, 2015) over the
// channels of x [n, c] or [n, c, h, w]: each channel is normalized to mean
// 0 and variance 1, then scaled by Gamma and shifted by Beta, both [c]
// parameters. The result has x's shape.
//
// In training mode (the start) it normalizes with the statistics of the
// batch ([dl.BatchNormTrain]) and updates the running averages as PyTorch
// does: running = (1 − Momentum)·running + Momentum·batch, where the batch
// variance for RunningVar is the unbiased one (divided by count − 1). In
// evaluation mode it normalizes with RunningMean and RunningVar
// ([dl.BatchNormEval]) and leaves them alone. Switch with [SetTraining].
type BatchNorm struct {
	Gamma, Beta *dl.Tensor // [c]
	// Momentum is the weight of each new batch in the running averages.
	Momentum float64
	// Eps is added to the variance before the square root.
	Eps float64
	// RunningMean and RunningVar are the running averages of the batch
	// means and unbiased variances, one per channel; they start at 0 and 1.
	RunningMean, RunningVar []float64

	eval bool // evaluation mode; the zero value trains, as PyTorch's modules
}

// NewBatchNorm returns a BatchNorm layer for c channels, in training mode,
// with Gamma 1, Beta 0, Momentum 0.1 and Eps 1e-5 (PyTorch's defaults). It
// panics if c is below 1.
func NewBatchNorm(c int) *BatchNorm {
	if c < 1 {
		panic(fmt.Sprintf("nn: NewBatchNorm: %d channels; want at least 1", c))
	}
	rv := make([]float64, c)
	for i := range rv {
		rv[i] = 1
	}
	return &BatchNorm{
		Gamma:       dl.Param(dl.Full(1, c)),
		Beta:        dl.Param(dl.Zeros(c)),
		Momentum:    0.1,
		Eps:         1e-5,
		RunningMean: make([]float64, c),
		RunningVar:  rv,
	}
}

// SetTraining switches b to training mode (on: batch statistics) or
// evaluation mode (off: running statistics).
func (b *BatchNorm) SetTraining(on bool) { b.eval = !on }

// Forward returns the normalized x [n, c] or [n, c, h, w], of x's shape,
// and in training mode updates the running averages. It panics if x is not
// 2-D or 4-D, if it does not have c channels, or, in training mode, if a
// channel has fewer than 2 values in the batch (no variance to estimate).
func (b *BatchNorm) Forward(x *dl.Tensor) *dl.Tensor {
	notNil("BatchNorm", "x", x)
	c := b.Gamma.Len()
	if (x.Dim() != 2 && x.Dim() != 4) || x.Shape()[1] != c {
		panic(fmt.Sprintf("nn: BatchNorm: input shape %v; want [n %d] or [n %d h w]", x.Shape(), c, c))
	}
	if b.eval {
		return dl.BatchNormEval(x, b.Gamma, b.Beta, b.RunningMean, b.RunningVar, b.Eps)
	}
	count := x.Len() / c
	if count < 2 {
		panic(fmt.Sprintf("nn: BatchNorm: input shape %v: training mode needs at least 2 values per channel, and "+
			"this batch has %d; with one, the batch mean is the value itself and the variance 0, so every output "+
			"would be Beta. Use a batch of at least 2, or evaluation mode (nn.SetTraining(model, false))",
			x.Shape(), count))
	}
	out, mean, variance := dl.BatchNormTrain(x, b.Gamma, b.Beta, b.Eps)
	m := b.Momentum
	unbias := float64(count) / float64(count-1)
	for i := range c {
		b.RunningMean[i] = (1-m)*b.RunningMean[i] + m*mean[i]
		b.RunningVar[i] = (1-m)*b.RunningVar[i] + m*variance[i]*unbias
	}
	return out
}

// Params returns Gamma and Beta; the running statistics are not learned.
func (b *BatchNorm) Params() []*dl.Tensor { return []*dl.Tensor{b.Gamma, b.Beta} }

// Parts names the parameters "Gamma" and "Beta" and the buffers
// "RunningMean" and "RunningVar", [c] tensors that share the memory of the
// running statistics: writing into their Data changes them (see [Named]).
func (b *BatchNorm) Parts() Parts {
	return Parts{
		Params:  []NamedTensor{{"Gamma", b.Gamma}, {"Beta", b.Beta}},
		Buffers: []NamedTensor{{"RunningMean", dl.New(b.RunningMean)}, {"RunningVar", dl.New(b.RunningVar)}},
	}
}

// LayerNorm is layer normalization (Ba et al., 2016), the normalization of
// transformers: each slice of x [..., d] along its last dimension is
// normalized to mean 0 and variance 1, then scaled by Gamma and shifted by
// Beta, both [d] parameters. It uses no batch statistics, so it behaves the
// same in training and evaluation. The result has x's shape.
type LayerNorm struct {
	Gamma, Beta *dl.Tensor // [d]
	// Eps is added to the variance before the square root.
	Eps float64
}

// NewLayerNorm returns a LayerNorm layer for slices of d values, with Gamma
// 1, Beta 0 and Eps 1e-5 (PyTorch's defaults). It panics if d is below 1.
func NewLayerNorm(d int) *LayerNorm {
	if d < 1 {
		panic(fmt.Sprintf("nn: NewLayerNorm: size %d; want at least 1", d))
	}
	return &LayerNorm{Gamma: dl.Param(dl.Full(1, d)), Beta: dl.Param(dl.Zeros(d)), Eps: 1e-5}
}

// Forward returns the normalized x [..., d], of x's shape. It panics if x
// is a scalar or its last dimension is not d.
func (l *LayerNorm) Forward(x *dl.Tensor) *dl.Tensor {
	notNil("LayerNorm", "x", x)
	d := l.Gamma.Len()
	if x.Dim() == 0 || x.Shape()[x.Dim()-1] != d {
		panic(fmt.Sprintf("nn: LayerNorm: input shape %v; want [... %d]", x.Shape(), d))
	}
	return dl.LayerNorm(x, l.Gamma, l.Beta, l.Eps)
}

// Params returns Gamma and Beta.
func (l *LayerNorm) Params() []*dl.Tensor { return []*dl.Tensor{l.Gamma, l.Beta} }

// Parts names Gamma "Gamma" and Beta "Beta" (see [Named]).
func (l *LayerNorm) Parts() Parts {
	return Parts{Params: []NamedTensor{{"Gamma", l.Gamma}, {"Beta", l.Beta}}}
}
