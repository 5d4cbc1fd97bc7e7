package optim_test

import (
	"math"
	"testing"

	"github.com/dlnb/dlnb/dl"
	"github.com/dlnb/dlnb/dl/optim"
)

// setGrad gives p the gradient g, by Backward through Σ g·p.
func setGrad(p *dl.Tensor, g ...float64) {
	dl.ZeroGrad(p)
	dl.Sum(dl.Mul(p, dl.New(g))).Backward()
}

func param(v ...float64) *dl.Tensor { return dl.Param(dl.New(v)) }

// approx reports whether a and b have the same length and differ by at
// most tol in each element.
func approx(a, b []float64, tol float64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if math.Abs(a[i]-b[i]) > tol {
			return false
		}
	}
	return true
}

// TestSGDSteps checks Step against steps computed by hand from PyTorch's
// equations. Each case applies the gradients in grads, one step each, to a
// parameter that starts at start, and lists the parameter after each step.
func TestSGDSteps(t *testing.T) {
	runSteps(t, 1e-12, []stepCase{
		{
			// p − η·g: 1 − 0.1·0.5, 2 + 0.1·1
			name: "plain", opt: &optim.SGD{LR: 0.1},
			start: []float64{1, 2}, grads: [][]float64{{0.5, -1}, {0.5, -1}},
			want: [][]float64{{0.95, 2.1}, {0.9, 2.2}},
		},
		{
			// NewSGD is plain SGD: 1 − 0.01·1, then 0.99 − 0.01·1.
			name: "NewSGD", opt: optim.NewSGD(0.01),
			start: []float64{1}, grads: [][]float64{{1}, {1}},
			want: [][]float64{{0.99}, {0.98}},
		},
		{
			// v = 1, 1.9, 2.71; p −= 0.1·v
			name: "momentum", opt: &optim.SGD{LR: 0.1, Momentum: 0.9},
			start: []float64{0}, grads: [][]float64{{1}, {1}, {1}},
			want: [][]float64{{-0.1}, {-0.29}, {-0.561}},
		},
		{
			// v = 1, 1.9, 2.71; g + μ·v = 1.9, 2.71, 3.439; p −= 0.1·that
			name: "Nesterov", opt: &optim.SGD{LR: 0.1, Momentum: 0.9, Nesterov: true},
			start: []float64{0}, grads: [][]float64{{1}, {1}, {1}},
			want: [][]float64{{-0.19}, {-0.461}, {-0.8049}},
		},
		{
			// g + λ·p = 1 + 0.1·2 = 1.2, p = 2 − 0.5·1.2 = 1.4;
			// then 1 + 0.14 = 1.14, p = 1.4 − 0.57 = 0.83.
			name: "weight decay", opt: &optim.SGD{LR: 0.5, WeightDecay: 0.1},
			start: []float64{2}, grads: [][]float64{{1}, {1}},
			want: [][]float64{{1.4}, {0.83}},
		},
		{
			// g = 1.2, v = 1.2, p = 1.4; g = 1.14, v = 0.6 + 1.14 = 1.74, p = 1.4 − 0.87 = 0.53.
			name: "weight decay with momentum", opt: &optim.SGD{LR: 0.5, Momentum: 0.5, WeightDecay: 0.1},
			start: []float64{2}, grads: [][]float64{{1}, {1}},
			want: [][]float64{{1.4}, {0.53}},
		},
		{
			// g = 1 + 0.1·2 = 1.2, v = 1.2, g + μ·v = 1.2 + 0.6 = 1.8, p = 2 − 0.9 = 1.1.
			name: "weight decay with Nesterov", opt: &optim.SGD{LR: 0.5, Momentum: 0.5, Nesterov: true, WeightDecay: 0.1},
			start: []float64{2}, grads: [][]float64{{1}},
			want: [][]float64{{1.1}},
		},
		{
			// Momentum with a gradient that changes sign: v = 2, then 0.5·2 − 1 = 0.
			name: "momentum, changing gradient", opt: &optim.SGD{LR: 1, Momentum: 0.5},
			start: []float64{0, 0}, grads: [][]float64{{2, -2}, {-1, 1}},
			want: [][]float64{{-2, 2}, {-2, 2}},
		},
	})
}

// Each parameter has its own velocity, and a parameter without a gradient
// is skipped: neither it nor its velocity changes.
func TestSGDStatePerParam(t *testing.T) {
	opt := &optim.SGD{LR: 0.1, Momentum: 0.9}
	a, b := param(0), param(0)
	setGrad(a, 1)
	setGrad(b, -1)
	opt.Step([]*dl.Tensor{a, b}) // v_a = 1, v_b = −1
	if !approx(a.Data(), []float64{-0.1}, 1e-12) || !approx(b.Data(), []float64{0.1}, 1e-12) {
		t.Fatalf("after step 1: a = %v, b = %v; want -0.1 and 0.1", a.Data(), b.Data())
	}
	dl.ZeroGrad(b) // b gets no gradient in step 2
	setGrad(a, 1)
	opt.Step([]*dl.Tensor{a, b}) // v_a = 1.9
	if !approx(a.Data(), []float64{-0.29}, 1e-12) || !approx(b.Data(), []float64{0.1}, 1e-12) {
		t.Fatalf("after step 2: a = %v, b = %v; want -0.29 and 0.1 (skipped)", a.Data(), b.Data())
	}
	setGrad(b, -1)
	opt.Step([]*dl.Tensor{b}) // v_b = 0.9·(−1) − 1 = −1.9: kept from step 1
	if !approx(b.Data(), []float64{0.29}, 1e-12) {
		t.Errorf("after step 3: b = %v, want 0.29", b.Data())
	}
}

// SGD with momentum finds the minimum of a quadratic bowl.
func TestSGDMinimizes(t *testing.T) {
	for _, opt := range []*optim.SGD{{LR: 0.1}, {LR: 0.05, Momentum: 0.9}, {LR: 0.05, Momentum: 0.9, Nesterov: true}} {
		w := param(0, 0)
		target := dl.New([]float64{3, -1})
		for range 300 {
			dl.ZeroGrad(w)
			d := dl.Sub(w, target)
			dl.Sum(dl.Mul(d, d)).Backward()
			opt.Step([]*dl.Tensor{w})
		}
		if !approx(w.Data(), target.Data(), 1e-6) {
			t.Errorf("%+v: w = %v, want %v", *opt, w.Data(), target.Data())
		}
	}
}
