package optim_test

import (
	"fmt"
	"math"
	"testing"

	"github.com/dlnb/dlnb/dl"
	"github.com/dlnb/dlnb/dl/optim"
)

// All optimizers are Optimizers and LRSetters.
var (
	_ optim.Optimizer = (*optim.RMSProp)(nil)
	_ optim.Optimizer = (*optim.Adam)(nil)
	_ optim.Optimizer = (*optim.AdamW)(nil)
	_ optim.LRSetter  = (*optim.SGD)(nil)
	_ optim.LRSetter  = (*optim.RMSProp)(nil)
	_ optim.LRSetter  = (*optim.Adam)(nil)
	_ optim.LRSetter  = (*optim.AdamW)(nil)
)

// stepCase applies the gradients in grads, one step each, to a parameter
// that starts at start, and lists the parameter after each step.
type stepCase struct {
	name  string
	opt   optim.Optimizer
	start []float64
	grads [][]float64
	want  [][]float64
}

// runSteps runs each case and compares the parameter after every step
// with its hand-computed value, within tol. (For RMSProp and Adam, Eps =
// 1e-8 moves those values by about 1e-9.)
func runSteps(t *testing.T, tol float64, tests []stepCase) {
	t.Helper()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := param(tt.start...)
			for i, g := range tt.grads {
				setGrad(p, g...)
				tt.opt.Step([]*dl.Tensor{p})
				if !approx(p.Data(), tt.want[i], tol) {
					t.Errorf("after step %d: p = %v, want %v", i+1, p.Data(), tt.want[i])
				}
			}
		})
	}
}

// TestRMSPropSteps checks Step against steps computed by hand from
// PyTorch's equations. With Alpha 0.75 and gradients ±2, ±1 in turn, the
// mean square s stays 1: 0.25·4 = 1, then 0.75·1 + 0.25·1 = 1.
func TestRMSPropSteps(t *testing.T) {
	runSteps(t, 1e-8, []stepCase{
		{
			// NewRMSProp: Alpha 0.99. s = 0.01·1, √s = 0.1, p = 1 − 0.01·1/0.1
			name: "NewRMSProp", opt: optim.NewRMSProp(0.01),
			start: []float64{1}, grads: [][]float64{{1}},
			want: [][]float64{{0.9}},
		},
		{
			// Alpha 0 means 0: s = g², so each step is η·sign(g):
			// 1 − 0.1, then 0.9 + 0.1. (With Alpha 0.99, s would be 0.04
			// and the first step 1.)
			name: "Alpha 0", opt: &optim.RMSProp{LR: 0.1, Alpha: 0, Eps: 1e-8},
			start: []float64{1}, grads: [][]float64{{2}, {-0.5}},
			want: [][]float64{{0.9}, {1}},
		},
		{
			// s = 1 each step; p −= 0.1·g: 2 then −1 then 1.
			// Second element, twice the gradients: s = 4, so the same steps.
			name: "plain", opt: &optim.RMSProp{LR: 0.1, Alpha: 0.75, Eps: 1e-8},
			start: []float64{1, 0}, grads: [][]float64{{2, 4}, {-1, -2}, {1, 2}},
			want: [][]float64{{0.8, -0.2}, {0.9, -0.1}, {0.8, -0.2}},
		},
		{
			// b = 2, 0.5·2 − 1 = 0, 0 + 1 = 1; p −= 0.1·b
			name: "momentum", opt: &optim.RMSProp{LR: 0.1, Alpha: 0.75, Eps: 1e-8, Momentum: 0.5},
			start: []float64{1}, grads: [][]float64{{2}, {-1}, {1}},
			want: [][]float64{{0.8}, {0.8}, {0.7}},
		},
		{
			// g + λ·p = 1 + 0.5·2 = 2, s = 1, p = 2 − 0.2 = 1.8;
			// then 0.1 + 0.5·1.8 = 1, s = 1, p = 1.8 − 0.1 = 1.7.
			name: "weight decay", opt: &optim.RMSProp{LR: 0.1, Alpha: 0.75, Eps: 1e-8, WeightDecay: 0.5},
			start: []float64{2}, grads: [][]float64{{1}, {0.1}},
			want: [][]float64{{1.8}, {1.7}},
		},
	})
}

// TestAdamSteps checks Adam and AdamW against steps computed by hand
// from PyTorch's equations. Adam's first step is always η·sign(g), since
// m̂ = g and v̂ = g².
func TestAdamSteps(t *testing.T) {
	runSteps(t, 1e-8, []stepCase{
		{
			// p = 1 − 1e-3
			name: "NewAdam", opt: optim.NewAdam(1e-3),
			start: []float64{1}, grads: [][]float64{{1}},
			want: [][]float64{{0.999}},
		},
		{
			// Step 2, first element: m = 0.09 − 0.1 = −0.01, m̂ = −0.01/0.19;
			// v = 0.000999 + 0.001 = 0.001999, v̂ = 1; p = 0.9 + 0.1/19.
			// Second element: constant g, so m̂ = g, v̂ = g², p −= 0.1 each step.
			name: "Adam", opt: optim.NewAdam(0.1),
			start: []float64{1, 2}, grads: [][]float64{{1, 2}, {-1, 2}},
			want: [][]float64{{0.9, 1.9}, {0.9 + 0.1/19, 1.8}},
		},
		{
			// Step 2: m = 0.25 − 0.5, m̂ = −0.25/0.75 = −1/3;
			// v = 0.1875 + 0.25 = 0.4375, v̂ = 0.4375/(1 − 0.5625) = 1.
			name: "Adam betas", opt: &optim.Adam{LR: 0.1, Beta1: 0.5, Beta2: 0.75, Eps: 1e-8},
			start: []float64{1}, grads: [][]float64{{1}, {-1}},
			want: [][]float64{{0.9}, {0.9 + 0.1/3}},
		},
		{
			// Beta1 0 means 0: m = g, m̂ = g. Step 2: v = 0.000999 + 0.001,
			// v̂ = 1, so p = 0.9 + 0.1·1/1 = 1. (With Beta1 0.9, as in the
			// "Adam" case, it is 0.9 + 0.1/19.)
			name: "Adam Beta1 0", opt: &optim.Adam{LR: 0.1, Beta1: 0, Beta2: 0.999, Eps: 1e-8},
			start: []float64{1}, grads: [][]float64{{1}, {-1}},
			want: [][]float64{{0.9}, {1}},
		},
		{
			// Beta2 0 means 0: v = g², v̂ = g². Step 2: m = 0.25 − 1 = −0.75,
			// m̂ = −0.75/0.75 = −1, √v̂ = 2, so p = 0.9 + 0.1·1/2.
			name: "Adam Beta2 0", opt: &optim.Adam{LR: 0.1, Beta1: 0.5, Beta2: 0, Eps: 1e-8},
			start: []float64{1}, grads: [][]float64{{1}, {-2}},
			want: [][]float64{{0.9}, {0.95}},
		},
		{
			// Both 0: every step is η·sign(g), whatever the size of g.
			name: "Adam Beta1 and Beta2 0", opt: &optim.Adam{LR: 0.1, Eps: 1e-8},
			start: []float64{1}, grads: [][]float64{{3}, {-0.5}, {5}},
			want: [][]float64{{0.9}, {1}, {0.9}},
		},
		{
			// g + λ·p = 0 + 0.5·2 = 1: p = 1.9. Then g = 0.95:
			// m = 0.09 + 0.095 = 0.185, m̂ = 0.185/0.19;
			// v = 0.000999 + 0.0009025 = 0.0019015, v̂ = 0.0019015/0.001999;
			// p = 1.9 − 0.1·m̂/√v̂.
			name: "Adam weight decay", opt: &optim.Adam{LR: 0.1, Beta1: 0.9, Beta2: 0.999, Eps: 1e-8, WeightDecay: 0.5},
			start: []float64{2}, grads: [][]float64{{0}, {0}},
			want: [][]float64{{1.9}, {1.9 - 0.1*(0.185/0.19)/math.Sqrt(0.0019015/0.001999)}},
		},
		{
			// NewAdamW: WeightDecay 0.01. p·(1 − 1e-3·0.01) − 1e-3
			name: "NewAdamW", opt: optim.NewAdamW(1e-3),
			start: []float64{1}, grads: [][]float64{{1}},
			want: [][]float64{{0.99899}},
		},
		{
			// p·(1 − 0.1·0.5), then the Adam step of 0.1:
			// 2·0.95 − 0.1 = 1.8, 1.8·0.95 − 0.1 = 1.61.
			name: "AdamW", opt: &optim.AdamW{LR: 0.1, Beta1: 0.9, Beta2: 0.999, Eps: 1e-8, WeightDecay: 0.5},
			start: []float64{2}, grads: [][]float64{{1}, {1}},
			want: [][]float64{{1.8}, {1.61}},
		},
		{
			// WeightDecay 0 means 0: no decay, the Adam step alone,
			// 2 − 0.1 twice. (NewAdamW(0.1) would give 2·0.999 − 0.1.)
			name: "AdamW WeightDecay 0", opt: &optim.AdamW{LR: 0.1, Beta1: 0.9, Beta2: 0.999, Eps: 1e-8, WeightDecay: 0},
			start: []float64{2}, grads: [][]float64{{1}, {1}},
			want: [][]float64{{1.9}, {1.8}},
		},
	})
}

// Each parameter has its own moments and step count, and a parameter
// without a gradient is skipped: neither it nor its state changes.
func TestAdaptiveStatePerParam(t *testing.T) {
	for _, newOpt := range []func() optim.Optimizer{
		func() optim.Optimizer { return optim.NewAdam(0.1) },
		func() optim.Optimizer { return optim.NewAdamW(0.1) },
		func() optim.Optimizer { return &optim.RMSProp{LR: 0.1, Alpha: 0.75, Eps: 1e-8, Momentum: 0.5} },
	} {
		opt := newOpt()
		t.Run(fmt.Sprintf("%T", opt), func(t *testing.T) {
			a, b := param(1), param(1)
			setGrad(a, 1)
			setGrad(b, 2)
			opt.Step([]*dl.Tensor{a, b})
			after1 := b.Data()[0]
			setGrad(a, -1)
			dl.ZeroGrad(b) // b gets no gradient in step 2
			opt.Step([]*dl.Tensor{a, b})
			if b.Data()[0] != after1 {
				t.Fatalf("b without a gradient moved from %v to %v", after1, b.Data()[0])
			}
			// b's second step must match the second step of a fresh
			// parameter, with a fresh optimizer, given the same gradients:
			// b's state was kept, and a's steps did not touch it.
			c, fresh := param(1), newOpt()
			for _, g := range []float64{2, -1} {
				setGrad(c, g)
				fresh.Step([]*dl.Tensor{c})
			}
			setGrad(b, -1)
			opt.Step([]*dl.Tensor{b})
			if !approx(b.Data(), c.Data(), 1e-15) {
				t.Errorf("b after its second step = %v, want %v", b.Data(), c.Data())
			}
		})
	}
}

// Adam, AdamW and RMSProp find the minimum of a quadratic bowl whose two
// directions have gradients of very different scales.
func TestAdaptiveMinimizes(t *testing.T) {
	for _, opt := range []optim.Optimizer{
		optim.NewAdam(0.05),
		&optim.AdamW{LR: 0.05, Beta1: 0.9, Beta2: 0.999, Eps: 1e-8, WeightDecay: 1e-4},
		&optim.RMSProp{LR: 0.01, Alpha: 0.99, Eps: 1e-8, Momentum: 0.5},
	} {
		w := param(0, 0)
		target := dl.New([]float64{3, -1})
		scale := dl.New([]float64{100, 0.01})
		for range 2000 {
			dl.ZeroGrad(w)
			d := dl.Sub(w, target)
			dl.Sum(dl.Mul(scale, dl.Mul(d, d))).Backward()
			opt.Step([]*dl.Tensor{w})
		}
		// AdamW's decay pulls its minimum towards 0 by about η·λ per step,
		// hence the tolerance.
		if !approx(w.Data(), target.Data(), 1e-2) {
			t.Errorf("%T: w = %v, want %v", opt, w.Data(), target.Data())
		}
	}
}
