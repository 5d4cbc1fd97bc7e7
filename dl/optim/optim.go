package optim

import (
	"errors"

	"github.com/dlnb/dlnb/dl"
	"github.com/dlnb/dlnb/dl/internal/mem"
	"github.com/dlnb/dlnb/dl/internal/parallel"
)

// buffers returns p's data and gradient, for a step to update in place.
// It reads them as dl's own ops do, without handing them out as p.Data()
// and p.Grad() would, so that dl.ZeroGrad can give the gradient's buffer
// back to dl's pool for the next Backward. A step must not keep them.
func buffers(p *dl.Tensor) (data, grad []float64) { return mem.Buffers(p) }

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
// the form of Sutskever et al., 2013) and L2 weight decay. [NewSGD] gives
// plain SGD; set the other fields as you need them:
//
//	opt := optim.NewSGD(0.1)
//	opt.Momentum = 0.9
//
// Every field means its value, and 0 is no momentum and no decay, so a
// literal that names LR, such as &optim.SGD{LR: 0.1, Momentum: 0.9}, is
// fine too.
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
	LR          float64 // learning rate η, above 0
	Momentum    float64 // momentum μ in [0, 1), usually 0.9; 0 means plain SGD
	Nesterov    bool    // look ahead along the velocity (needs Momentum > 0)
	WeightDecay float64 // L2 penalty λ ≥ 0 added to the gradient as λ·p; 0 means none

	Freezer // parameters that Step skips (Freeze, Unfreeze); none at first

	velocity map[*dl.Tensor][]float64 // v for each parameter, when Momentum > 0
	checked  bool                     // the first Step's Validate passed
}

// NewSGD returns plain SGD with learning rate lr: Momentum 0, no Nesterov
// and WeightDecay 0, as torch.optim.SGD(params, lr) is.
func NewSGD(lr float64) *SGD { return &SGD{LR: lr} }

// Validate returns an error, naming the field and its value, if a setting
// cannot work: LR not above 0, Momentum outside [0, 1) (with μ ≥ 1 the
// velocity never forgets a gradient, and the steps grow without bound), a
// negative WeightDecay, a NaN or infinity, or Nesterov with Momentum 0.
func (o *SGD) Validate() error {
	err := validate("SGD", bareLiteral("SGD", ""),
		setting{"LR", o.LR, aboveZero},
		setting{"Momentum", o.Momentum, unitRange},
		setting{"WeightDecay", o.WeightDecay, atLeastZero})
	if err == nil && o.Nesterov && o.Momentum == 0 {
		err = errors.New("optim: SGD: Nesterov is set but Momentum is 0; Nesterov needs a Momentum above 0, e.g. 0.9")
	}
	return err
}

// Step moves each parameter in params against its gradient, by the
// equations in the [SGD] doc. Parameters with a nil gradient and frozen
// parameters ([Freezer]) are skipped, and their velocity is left as it was.
//
// The first Step panics with the message of [SGD.Validate] if a setting
// cannot work; later steps do not check again.
func (o *SGD) Step(params []*dl.Tensor) {
	checkOnce(&o.checked, o.Validate)
	lr := o.LR
	for _, p := range params {
		data, grad := buffers(p)
		if grad == nil || o.IsFrozen(p) {
			continue
		}
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
