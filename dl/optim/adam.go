package optim

import (
	"math"

	"github.com/dlnb/dlnb/dl"
	"github.com/dlnb/dlnb/dl/internal/parallel"
)

// Adam is adaptive moment estimation (Kingma & Ba, 2014): momentum on the
// gradient, divided by a running root mean square of the gradient as in
// [RMSProp], with both averages corrected for starting at 0. Build it with
// [NewAdam], which sets the paper's values, and change the fields you
// want:
//
//	opt := optim.NewAdam(3e-4)
//	opt.Beta1 = 0 // no momentum: every field means its value
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
// With β₁ = 0, m̂ is this step's g; with β₂ = 0, v̂ is this step's g², and
// with both, each step is η·sign(g) (up to ε).
//
// With Adam, L2 weight decay is divided by √v̂ like the rest of the
// gradient, so weights with large gradients are decayed less; [AdamW]
// decouples the decay from the gradient instead.
type Adam struct {
	LR          float64 // learning rate η, above 0
	Beta1       float64 // decay β₁ of the mean gradient m, in [0, 1); NewAdam sets 0.9
	Beta2       float64 // decay β₂ of the mean square v, in [0, 1); NewAdam sets 0.999
	Eps         float64 // ε > 0 added to √v̂ to avoid dividing by 0; NewAdam sets 1e-8
	WeightDecay float64 // L2 penalty λ ≥ 0 added to the gradient as λ·p; 0 means none

	Freezer // parameters that Step skips (Freeze, Unfreeze); none at first

	moments map[*dl.Tensor]*adamState
	checked bool // the first Step's Validate passed
}

// NewAdam returns Adam with learning rate lr, Beta1 0.9, Beta2 0.999,
// Eps 1e-8 and WeightDecay 0: the values of the paper, and of
// torch.optim.Adam(params, lr).
func NewAdam(lr float64) *Adam {
	return &Adam{LR: lr, Beta1: 0.9, Beta2: 0.999, Eps: 1e-8}
}

// AdamW is [Adam] with decoupled weight decay (Loshchilov & Hutter, 2017):
// instead of adding λ·p to the gradient, each step shrinks p directly, so
// every weight decays at the same rate whatever its gradient. Build it
// with [NewAdamW], which sets PyTorch's values, including a weight decay
// of 0.01, and change the fields you want:
//
//	opt := optim.NewAdamW(3e-4)
//	opt.WeightDecay = 0.1
//
// Step follows PyTorch's torch.optim.AdamW (without amsgrad) exactly: it
// first decays the parameter,
//
//	p ← p − η·λ·p
//
// and then takes the [Adam] step with no L2 term (λ = 0 there). With
// WeightDecay 0 it is Adam.
type AdamW struct {
	LR          float64 // learning rate η, above 0
	Beta1       float64 // decay β₁ of the mean gradient m, in [0, 1); NewAdamW sets 0.9
	Beta2       float64 // decay β₂ of the mean square v, in [0, 1); NewAdamW sets 0.999
	Eps         float64 // ε > 0 added to √v̂ to avoid dividing by 0; NewAdamW sets 1e-8
	WeightDecay float64 // decoupled decay rate λ ≥ 0, applied as p ← p − η·λ·p; NewAdamW sets 0.01

	Freezer // parameters that Step skips (Freeze, Unfreeze); none at first

	moments map[*dl.Tensor]*adamState
	checked bool // the first Step's Validate passed
}

// NewAdamW returns AdamW with learning rate lr, Beta1 0.9, Beta2 0.999,
// Eps 1e-8 and WeightDecay 0.01, as torch.optim.AdamW(params, lr).
func NewAdamW(lr float64) *AdamW {
	return &AdamW{LR: lr, Beta1: 0.9, Beta2: 0.999, Eps: 1e-8, WeightDecay: 0.01}
}

// adamState is what Adam and AdamW keep for one parameter.
type adamState struct {
	m, v []float64 // running means of g and g²
	t    int       // steps taken so far
}

// Validate returns an error, naming the field and its value, if a setting
// cannot work: LR or Eps not above 0, Beta1 or Beta2 outside [0, 1), a
// negative WeightDecay, or a NaN or infinity.
func (o *Adam) Validate() error {
	return validateAdam("Adam", ", which sets Beta1 0.9, Beta2 0.999 and Eps 1e-8", o.LR, o.Beta1, o.Beta2, o.Eps, o.WeightDecay)
}

// Validate returns an error, naming the field and its value, if a setting
// cannot work: LR or Eps not above 0, Beta1 or Beta2 outside [0, 1), a
// negative WeightDecay, or a NaN or infinity.
func (o *AdamW) Validate() error {
	return validateAdam("AdamW", ", which sets Beta1 0.9, Beta2 0.999, Eps 1e-8 and WeightDecay 0.01", o.LR, o.Beta1, o.Beta2, o.Eps, o.WeightDecay)
}

// validateAdam checks the settings of Adam or AdamW, name; sets says what
// its constructor sets.
func validateAdam(name, sets string, lr, beta1, beta2, eps, weightDecay float64) error {
	return validate(name, bareLiteral(name, sets),
		setting{"LR", lr, aboveZero},
		setting{"Beta1", beta1, unitRange},
		setting{"Beta2", beta2, unitRange},
		setting{"Eps", eps, aboveZero},
		setting{"WeightDecay", weightDecay, atLeastZero})
}

// Step moves each parameter in params by the equations in the [Adam] doc.
// Parameters with a nil gradient and frozen parameters ([Freezer]) are
// skipped: their moments and step count are left as they were.
//
// The first Step panics with the message of [Adam.Validate] if a setting
// cannot work; later steps do not check again.
func (o *Adam) Step(params []*dl.Tensor) {
	checkOnce(&o.checked, o.Validate)
	adamStep(&o.moments, &o.Freezer, params, o.LR, o.Beta1, o.Beta2, o.Eps, o.WeightDecay, 0)
}

// Step moves each parameter in params by the equations in the [AdamW] doc.
// Parameters with a nil gradient and frozen parameters ([Freezer]) are
// skipped: they are not decayed, and their moments and step count are left
// as they were.
//
// The first Step panics with the message of [AdamW.Validate] if a setting
// cannot work; later steps do not check again.
func (o *AdamW) Step(params []*dl.Tensor) {
	checkOnce(&o.checked, o.Validate)
	adamStep(&o.moments, &o.Freezer, params, o.LR, o.Beta1, o.Beta2, o.Eps, 0, o.WeightDecay)
}

// adamStep is the step shared by Adam (L2 decay l2) and AdamW (decoupled
// decay decoupled), skipping the parameters in frozen; the caller has
// checked the settings.
func adamStep(moments *map[*dl.Tensor]*adamState, frozen *Freezer, params []*dl.Tensor, lr, beta1, beta2, eps, l2, decoupled float64) {
	for _, p := range params {
		data, grad := buffers(p)
		if grad == nil || frozen.IsFrozen(p) {
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
		m, v := st.m, st.v
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
