package optim

import (
	"fmt"
	"math"

	"github.com/dlnb/dlnb/dl"
	"github.com/dlnb/dlnb/dl/internal/parallel"
)

// Adam is adaptive moment estimation (Kingma & Ba, 2014): momentum on the
// gradient, divided by a running root mean square of the gradient as in
// [RMSProp], with both averages corrected for starting at 0. Its zero
// value uses the paper's defaults; set only the fields you need:
//
//	opt := &optim.Adam{LR: 3e-4}
//
// Step follows PyTorch's torch.optim.Adam (without amsgrad) exactly. For
// each parameter p with gradient g, with λ = WeightDecay, β₁ = Beta1,
// β₂ = Beta2, ε = Eps and η = LR, all operations elementwise, and t the
// number of steps this parameter has taken, counting this one:
//
//	g ← g + λ·p                  (L2 weight decay, as in SGD)
//	m ← β₁·m + (1 − β₁)·g        (m and v start at 0)
//	v ← β₂·v + (1 − β₂)·g²
//	m̂ = m/(1 − β₁ᵗ), v̂ = v/(1 − β₂ᵗ)   (bias correction)
//	p ← p − η·m̂/(√v̂ + ε)
//
// With Adam, L2 weight decay is divided by √v̂ like the rest of the
// gradient, so weights with large gradients are decayed less; [AdamW]
// decouples the decay from the gradient instead.
//
// Because 0 means "default", Beta1, Beta2 and Eps cannot be set to exactly 0.
type Adam struct {
	LR          float64 // learning rate η; 0 means 1e-3
	Beta1       float64 // decay β₁ of the mean gradient m, in [0, 1); 0 means 0.9
	Beta2       float64 // decay β₂ of the mean square v, in [0, 1); 0 means 0.999
	Eps         float64 // ε added to √v̂ to avoid dividing by 0; 0 means 1e-8
	WeightDecay float64 // L2 penalty λ added to the gradient as λ·p; 0 means none

	moments map[*dl.Tensor]*adamState
}

// AdamW is [Adam] with decoupled weight decay (Loshchilov & Hutter, 2017):
// instead of adding λ·p to the gradient, each step shrinks p directly, so
// every weight decays at the same rate whatever its gradient. Its zero
// value uses PyTorch's defaults, including a weight decay of 0.01:
//
//	opt := &optim.AdamW{LR: 3e-4, WeightDecay: 0.1}
//
// Step follows PyTorch's torch.optim.AdamW (without amsgrad) exactly: it
// first decays the parameter,
//
//	p ← p − η·λ·p
//
// and then takes the [Adam] step with no L2 term (λ = 0 there).
//
// Because 0 means "default", WeightDecay cannot be set to exactly 0; use
// [Adam] for no weight decay.
type AdamW struct {
	LR          float64 // learning rate η; 0 means 1e-3
	Beta1       float64 // decay β₁ of the mean gradient m, in [0, 1); 0 means 0.9
	Beta2       float64 // decay β₂ of the mean square v, in [0, 1); 0 means 0.999
	Eps         float64 // ε added to √v̂ to avoid dividing by 0; 0 means 1e-8
	WeightDecay float64 // decoupled decay rate λ, applied as p ← p − η·λ·p; 0 means 0.01

	moments map[*dl.Tensor]*adamState
}

// adamState is what Adam and AdamW keep for one parameter.
type adamState struct {
	m, v []float64 // running means of g and g²
	t    int       // steps taken so far
}

// Step moves each parameter in params by the equations in the [Adam] doc.
// Parameters with a nil gradient are skipped: their moments and step count
// are left as they were.
//
// Step panics if LR, Eps or WeightDecay is negative, or if Beta1 or Beta2
// is not in [0, 1).
func (o *Adam) Step(params []*dl.Tensor) {
	if o.LR < 0 || o.Eps < 0 || o.WeightDecay < 0 {
		panic(fmt.Sprintf("optim: Adam: LR %v, Eps %v and WeightDecay %v must not be negative", o.LR, o.Eps, o.WeightDecay))
	}
	adamStep("Adam", &o.moments, params, o.LR, o.Beta1, o.Beta2, o.Eps, o.WeightDecay, 0)
}

// Step moves each parameter in params by the equations in the [AdamW] doc.
// Parameters with a nil gradient are skipped: they are not decayed, and
// their moments and step count are left as they were.
//
// Step panics if LR, Eps or WeightDecay is negative, or if Beta1 or Beta2
// is not in [0, 1).
func (o *AdamW) Step(params []*dl.Tensor) {
	if o.LR < 0 || o.Eps < 0 || o.WeightDecay < 0 {
		panic(fmt.Sprintf("optim: AdamW: LR %v, Eps %v and WeightDecay %v must not be negative", o.LR, o.Eps, o.WeightDecay))
	}
	adamStep("AdamW", &o.moments, params, o.LR, o.Beta1, o.Beta2, o.Eps, 0, orDefault(o.WeightDecay, 0.01))
}

// adamStep is the step shared by Adam (L2 decay l2) and AdamW (decoupled
// decay decoupled); the caller has checked the signs of the settings.
func adamStep(name string, moments *map[*dl.Tensor]*adamState, params []*dl.Tensor, lr, beta1, beta2, eps, l2, decoupled float64) {
	if beta1 < 0 || beta1 >= 1 || beta2 < 0 || beta2 >= 1 {
		panic(fmt.Sprintf("optim: %s: Beta1 %v and Beta2 %v must be in [0, 1)", name, beta1, beta2))
	}
	lr, beta1, beta2, eps = orDefault(lr, 1e-3), orDefault(beta1, 0.9), orDefault(beta2, 0.999), orDefault(eps, 1e-8)
	for _, p := range params {
		grad := p.Grad()
		if grad == nil {
			continue
		}
		if *moments == nil {
			*moments = make(map[*dl.Tensor]*adamState)
		}
		st := (*moments)[p]
		if st == nil {
			st = &adamState{m: make([]float64, len(grad)), v: make([]float64, len(grad))}
			(*moments)[p] = st
		}
		st.t++
		correct1 := 1 - math.Pow(beta1, float64(st.t))
		correct2 := 1 - math.Pow(beta2, float64(st.t))
		data, m, v := p.Data(), st.m, st.v
		parallel.For(len(grad), 20*len(grad), func(lo, hi int) {
			for i := lo; i < hi; i++ {
				g := grad[i]
				data[i] -= lr * decoupled * data[i]
				g += l2 * data[i]
				m[i] = beta1*m[i] + (1-beta1)*g
				v[i] = beta2*v[i] + (1-beta2)*g*g
				data[i] -= lr * (m[i] / correct1) / (math.Sqrt(v[i]/correct2) + eps)
			}
		})
	}
}
