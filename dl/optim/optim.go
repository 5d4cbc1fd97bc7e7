// Package optim provides the optimizers that update a model's parameters
// from their gradients, as torch.optim does for PyTorch.
//
// # Overview
//
// An [Optimizer] takes the parameters after Backward and moves each one a
// little against its gradient. Optimizers are plain structs whose zero
// values mean defaults, and they keep any state they need (such as
// momentum) per parameter:
//
//	opt := &optim.SGD{LR: 0.1, Momentum: 0.9}
//	for step := range steps {
//		dl.ZeroGrad(model.Params()...)
//		loss := nn.CrossEntropy(model.Forward(x), y)
//		loss.Backward()
//		opt.Step(model.Params())
//	}
//
// The optimizers are [SGD] (with momentum and Nesterov), [RMSProp], [Adam]
// and [AdamW]. [ClipGradNorm] limits the size of a step, and a [Schedule]
// changes the learning rate over training through [LRSetter].
//
// # Errors
//
// Bad settings, such as a negative learning rate, are programmer errors:
// Step panics with a message that starts with "optim:".
package optim

import (
	"fmt"

	"github.com/dlnb/dlnb/dl"
	"github.com/dlnb/dlnb/dl/internal/parallel"
)

// Optimizer updates parameters from their gradients.
//
// Step changes the data of each parameter in params using its Grad(). A
// parameter whose gradient is nil (no gradient reached it since the last
// dl.ZeroGrad) is skipped. An optimizer with state keeps it per parameter
// tensor, so pass the same tensors on every step.
type Optimizer interface {
	Step(params []*dl.Tensor)
}

// SGD is stochastic gradient descent (Robbins & Monro, 1951), with
// optional momentum (Polyak, 1964), Nesterov momentum (Nesterov, 1983, in
// the form of Sutskever et al., 2013) and L2 weight decay. Its zero value
// is plain SGD with a learning rate of 0.01; set only the fields you need:
//
//	opt := &optim.SGD{LR: 0.1, Momentum: 0.9}
//
// Step follows PyTorch's torch.optim.SGD (with dampening 0) exactly. For
// each parameter p with gradient g, with λ = WeightDecay, μ = Momentum and
// η = LR:
//
//	g ← g + λ·p              (weight decay: the gradient of λ/2·‖p‖²)
//	v ← μ·v + g              (momentum only; v starts at 0, so the first v is g)
//	g ← g + μ·v if Nesterov, else g ← v   (momentum only)
//	p ← p − η·g
//
// PyTorch's momentum form differs from the textbook one, v ← μ·v − η·g and
// p ← p + v, only in where η sits; with a constant learning rate the two
// take the same steps.
type SGD struct {
	LR          float64 // learning rate η; 0 means 0.01
	Momentum    float64 // momentum μ, usually 0.9; 0 means plain SGD
	Nesterov    bool    // look ahead along the velocity (needs Momentum > 0)
	WeightDecay float64 // L2 penalty λ added to the gradient as λ·p; 0 means none

	velocity map[*dl.Tensor][]float64 // v for each parameter, when Momentum > 0
}

// Step moves each parameter in params against its gradient, by the
// equations in the [SGD] doc. Parameters with a nil gradient are skipped,
// and their velocity is left as it was.
//
// Step panics if LR, Momentum or WeightDecay is negative, or if Nesterov
// is set without a Momentum.
func (o *SGD) Step(params []*dl.Tensor) {
	if o.LR < 0 || o.Momentum < 0 || o.WeightDecay < 0 {
		panic(fmt.Sprintf("optim: SGD: LR %v, Momentum %v and WeightDecay %v must not be negative", o.LR, o.Momentum, o.WeightDecay))
	}
	if o.Nesterov && o.Momentum == 0 {
		panic("optim: SGD: Nesterov needs a Momentum, e.g. 0.9")
	}
	lr := o.LR
	if lr == 0 {
		lr = 0.01
	}
	for _, p := range params {
		grad := p.Grad()
		if grad == nil {
			continue
		}
		data := p.Data()
		var v []float64
		if o.Momentum != 0 {
			if o.velocity == nil {
				o.velocity = make(map[*dl.Tensor][]float64)
			}
			v = o.velocity[p]
			if v == nil {
				v = make([]float64, len(data))
				o.velocity[p] = v
			}
		}
		// One loop per form, so that the choice is made once per parameter
		// rather than once per element.
		// Large parameters are updated on all CPUs: the loop is bound by
		// memory, and one core alone does not use all of its bandwidth.
		wd, mu, nesterov := o.WeightDecay, o.Momentum, o.Nesterov
		parallel.For(len(grad), 4*len(grad), func(lo, hi int) {
			grad, data := grad[lo:hi], data[lo:hi]
			switch {
			case v == nil:
				for i, g := range grad {
					data[i] -= lr * (g + wd*data[i])
				}
			case nesterov:
				v := v[lo:hi]
				for i, g := range grad {
					g += wd * data[i]
					v[i] = mu*v[i] + g
					data[i] -= lr * (g + mu*v[i])
				}
			default:
				v := v[lo:hi]
				for i, g := range grad {
					v[i] = mu*v[i] + (g + wd*data[i])
					data[i] -= lr * v[i]
				}
			}
		})
	}
}
