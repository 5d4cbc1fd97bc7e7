package optim

import (
	"fmt"
	"math"

	"github.com/dlnb/dlnb/dl"
)

// RMSProp divides each step by a running root mean square of recent
// gradients, so that every weight moves at about the same speed whatever
// the scale of its gradient (Hinton, 2012, Coursera lecture 6e). Its zero
// value uses PyTorch's defaults; set only the fields you need:
//
//	opt := &optim.RMSProp{LR: 1e-3}
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
// Because 0 means "default", Alpha and Eps cannot be set to exactly 0;
// Alpha 0 would forget all but the last gradient, which is rarely wanted.
type RMSProp struct {
	LR          float64 // learning rate η; 0 means 0.01
	Alpha       float64 // decay α of the mean square, in [0, 1); 0 means 0.99
	Eps         float64 // ε added to √s to avoid dividing by 0; 0 means 1e-8
	Momentum    float64 // momentum μ; 0 means none
	WeightDecay float64 // L2 penalty λ added to the gradient as λ·p; 0 means none

	square   map[*dl.Tensor][]float64 // s for each parameter
	velocity map[*dl.Tensor][]float64 // b for each parameter, when Momentum > 0
}

// Step moves each parameter in params by the equations in the [RMSProp]
// doc. Parameters with a nil gradient are skipped, and their state is left
// as it was.
//
// Step panics if LR, Eps, Momentum or WeightDecay is negative, or if Alpha
// is not in [0, 1).
func (o *RMSProp) Step(params []*dl.Tensor) {
	if o.LR < 0 || o.Eps < 0 || o.Momentum < 0 || o.WeightDecay < 0 {
		panic(fmt.Sprintf("optim: RMSProp: LR %v, Eps %v, Momentum %v and WeightDecay %v must not be negative", o.LR, o.Eps, o.Momentum, o.WeightDecay))
	}
	if o.Alpha < 0 || o.Alpha >= 1 {
		panic(fmt.Sprintf("optim: RMSProp: Alpha %v must be in [0, 1)", o.Alpha))
	}
	lr, alpha, eps := orDefault(o.LR, 0.01), orDefault(o.Alpha, 0.99), orDefault(o.Eps, 1e-8)
	for _, p := range params {
		grad := p.Grad()
		if grad == nil {
			continue
		}
		data := p.Data()
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

// orDefault returns v, or def if v is 0: zero-valued settings mean defaults.
func orDefault(v, def float64) float64 {
	if v == 0 {
		return def
	}
	return v
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
