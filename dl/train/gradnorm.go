package train

import (
	"fmt"
	"math"
	"slices"

	"github.com/dlnb/dlnb/dl"
	"github.com/dlnb/dlnb/dl/nn"
)

// WeightGradNorms returns the size of the gradient that each layer's weights
// get on one batch: it runs x [batch, ...] through model, computes
// loss(model(x), y), calls Backward, and returns ‖∂loss/∂W‖, the square
// root of the sum of the squared gradients, for each weight W of model, from
// the input to the output. The weights are the parameters with two or more
// dimensions, in the order of model.Params(): the matrices of nn.Linear and
// the kernels of nn.Conv2D. Vectors (biases, nn.BatchNorm's Gamma and Beta)
// are left out, so an MLP of depth d gives d numbers.
//
// At initialization these numbers show whether a deep network can learn at
// all: when the gradients of the first layers are orders of magnitude smaller
// than those of the last (vanishing gradients, Hochreiter 1991; Glorot &
// Bengio 2010) or of a shallower network, gradient descent barely moves them.
//
//	norms := train.WeightGradNorms(model, batch.X, batch.Y, nn.CrossEntropy)
//	plotting.LayerBars([]plotting.Series{{Name: "depth 32", Y: norms}}, plotting.Options{LogY: true}).Show()
//
// It runs the model in training mode, as Fit does, so that nn.BatchNorm
// normalizes with the statistics of the batch; it puts BatchNorm's running
// statistics back as they were and leaves the model in training mode. It
// clears the gradients of the parameters (dl.ZeroGrad) before and after, so
// that it leaves no gradient behind for an optimizer to step with, and the
// parameters do not change.
//
// WeightGradNorms panics if model, x or y is nil, if the model has no
// parameter with two or more dimensions, if the loss is not a scalar, and
// where the model or the loss panic, for example on shapes that do not fit.
func WeightGradNorms(model nn.Module, x, y *dl.Tensor, loss func(yHat, y *dl.Tensor) *dl.Tensor) []float64 {
	const fn = "WeightGradNorms"
	checkModel(fn, model)
	checkTensor(fn, "x", x)
	checkTensor(fn, "y", y)
	if loss == nil {
		panic("train: WeightGradNorms: loss is nil; pass one, e.g. nn.CrossEntropy")
	}
	var weights []*dl.Tensor
	for _, p := range model.Params() {
		if p.Dim() >= 2 {
			weights = append(weights, p)
		}
	}
	if len(weights) == 0 {
		panic(fmt.Sprintf("train: WeightGradNorms: the %s has no weights (parameters with two or more dimensions); "+
			"give it a model with Linear or Conv2D layers", nn.TypeName(model)))
	}
	buffers := nn.Buffers(model)
	saved := make([][]float64, len(buffers))
	for i, b := range buffers {
		saved[i] = slices.Clone(b.Data())
	}
	params := model.Params()
	dl.ZeroGrad(params...)
	nn.SetTraining(model, true)
	l := loss(model.Forward(x), y)
	if l.Len() != 1 {
		panic(fmt.Sprintf("train: WeightGradNorms: the loss has shape %v; want a scalar (reduce it, e.g. with dl.Mean)", l.Shape()))
	}
	l.Backward()
	norms := make([]float64, len(weights))
	for i, w := range weights {
		s := 0.0
		for _, g := range w.Grad() {
			s += g * g
		}
		norms[i] = math.Sqrt(s)
	}
	l.Release()
	dl.ZeroGrad(params...)
	for i, b := range buffers {
		copy(b.Data(), saved[i])
	}
	return norms
}
