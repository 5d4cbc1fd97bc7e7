package optim

import (
	"math"

	"github.com/dlnb/dlnb/dl"
)

// RMSProp divides each step by a running root mean square of recent
// gradients, so that every weight moves at about the same speed whatever
// the scale of its gradient (Hinton, 2012, Coursera lecture 6e). Build it
// with [NewRMSProp], which sets PyTorch's values, and change the fields
// you want:
//
//	opt := optim.NewRMSProp(1e-3)
//	opt.Momentum = 0.5
//
// Step follows PyTorch's torch.optim.RMSprop (not centered) exactly. For
// each parameter p with gradient g, with λ = WeightDecay, α = Alpha,
// μ = Momentum, ε = Eps and η = LR, and all operations elementwise:
//
//	g ← g + λ·p                  (weight decay: the gradient of λ/2·‖p‖²)
//	s ← α·s + (1 − α)·g²         (s starts at 0)
//	b ← μ·b + g/(√s + ε)         (momentum only; b starts at 0)
//	p ← p − η·b if μ > 0, else p ← p − η·g/(√s + ε)
//
// Alpha 0 keeps only the last gradient in s, so that each step is
// η·sign(g) (up to ε).
type RMSProp struct {
	LR          float64 // learning rate η, above 0
	Alpha       float64 // decay α of the mean square, in [0, 1); NewRMSProp sets 0.99
	Eps         float64 // ε > 0 added to √s to avoid dividing by 0; NewRMSProp sets 1e-8
	Momentum    float64 // momentum μ in [0, 1); 0 means none
	WeightDecay float64 // L2 penalty λ ≥ 0 added to the gradient as λ·p; 0 means none

	Freezer // parameters that Step skips (Freeze, Unfreeze); none at first

	square   map[*dl.Tensor][]float64 // s for each parameter
	velocity map[*dl.Tensor][]float64 // b for each parameter, when Momentum > 0
	checked  bool                     // the first Step's Validate passed
}

// NewRMSProp returns RMSProp with learning rate lr, Alpha 0.99, Eps 1e-8,
// Momentum 0 and WeightDecay 0, as torch.optim.RMSprop(params, lr).
func NewRMSProp(lr float64) *RMSProp {
	return &RMSProp{LR: lr, Alpha: 0.99, Eps: 1e-8}
}

// Validate returns an error, naming the field and its value, if a setting
// cannot work: LR or Eps not above 0, Alpha or Momentum outside [0, 1), a
// negative WeightDecay, or a NaN or infinity.
func (o *RMSProp) Validate() error {
	return validate("RMSProp", bareLiteral("RMSProp", ", which sets Alpha 0.99 and Eps 1e-8"),
		setting{"LR", o.LR, aboveZero},
		setting{"Alpha", o.Alpha, unitRange},
		setting{"Eps", o.Eps, aboveZero},
		setting{"Momentum", o.Momentum, unitRange},
		setting{"WeightDecay", o.WeightDecay, atLeastZero})
}

// Step moves each parameter in params by the equations in the [RMSProp]
// doc. Parameters with a nil gradient and frozen parameters ([Freezer])
// are skipped, and their state is left as it was.
//
// The first Step panics with the message of [RMSProp.Validate] if a setting
// cannot work; later steps do not check again.
func (o *RMSProp) Step(params []*dl.Tensor) {
	checkOnce(&o.checked, o.Validate)
	lr, alpha, eps := o.LR, o.Alpha, o.Eps
	for _, p := range params {
		data, grad := buffers(p)
		if grad == nil || o.IsFrozen(p) {
			continue
		}
		s := state(&o.square, p)
		var b []float64
		if o.Momentum != 0 {
			b = state(&o.velocity, p)
		}
		for i, g := range grad {
			g += o.WeightDecay * data[i]
			s[i] = alpha*s[i] + (1-alpha)*g*g
			g /= math.Sqrt(s[i]) + eps
			if b != nil {
				b[i] = o.Momentum*b[i] + g
				g = b[i]
			}
			data[i] -= lr * g
		}
	}
}

// state returns the slice that *m holds for p, making the map and a
// zeroed slice of p's length the first time.
func state(m *map[*dl.Tensor][]float64, p *dl.Tensor) []float64 {
	if *m == nil {
		*m = make(map[*dl.Tensor][]float64)
	}
	s := (*m)[p]
	if s == nil {
		s = make([]float64, p.Len())
		(*m)[p] = s
	}
	return s
}
