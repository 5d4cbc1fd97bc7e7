package optim_test

import (
	"testing"

	"github.com/dlnb/dlnb/dl"
	"github.com/dlnb/dlnb/dl/optim"
	"github.com/dlnb/dlnb/internal/testutil"
)

// TestClipGradNorm uses gradients [3 0] and [4], whose global norm is 5,
// and a third parameter with no gradient.
func TestClipGradNorm(t *testing.T) {
	tests := []struct {
		maxNorm float64
		wantA   []float64
		wantB   []float64
	}{
		{10, []float64{3, 0}, []float64{4}},    // below the max: unchanged
		{5, []float64{3, 0}, []float64{4}},     // at the max: unchanged
		{1, []float64{0.6, 0}, []float64{0.8}}, // scaled by 1/(5 + 1e-6)
		{2.5, []float64{1.5, 0}, []float64{2}}, // scaled by 2.5/(5 + 1e-6)
		{0, []float64{0, 0}, []float64{0}},     // scaled by 0
	}
	for _, tt := range tests {
		a, b, c := param(1, 1), param(1), param(1)
		setGrad(a, 3, 0)
		setGrad(b, 4)
		norm := optim.ClipGradNorm([]*dl.Tensor{a, b, c}, tt.maxNorm)
		if norm != 5 {
			t.Errorf("maxNorm %v: norm %v, want 5", tt.maxNorm, norm)
		}
		if !approx(a.Grad(), tt.wantA, 1e-6) || !approx(b.Grad(), tt.wantB, 1e-6) {
			t.Errorf("maxNorm %v: grads %v and %v, want %v and %v", tt.maxNorm, a.Grad(), b.Grad(), tt.wantA, tt.wantB)
		}
		if c.Grad() != nil {
			t.Errorf("maxNorm %v: nil gradient became %v", tt.maxNorm, c.Grad())
		}
	}
	// Just above the max, the new norm lands just below it.
	a := param(0, 0)
	setGrad(a, 3, 4)
	optim.ClipGradNorm([]*dl.Tensor{a}, 4.9)
	// A second call clips nothing and returns the clipped norm.
	if n := optim.ClipGradNorm([]*dl.Tensor{a}, 4.9); n >= 4.9 || n < 4.9-1e-5 {
		t.Errorf("norm after clipping to 4.9 is %v", n)
	}
	if n := optim.ClipGradNorm(nil, 1); n != 0 {
		t.Errorf("norm of no gradients is %v, want 0", n)
	}
	testutil.Panics(t, "optim: ClipGradNorm: maxNorm -1 must not be negative", func() { optim.ClipGradNorm(nil, -1) })
}

func TestSchedules(t *testing.T) {
	tests := []struct {
		name  string
		sched optim.Schedule
		steps []int
		want  []float64
	}{
		{
			name: "StepDecay", sched: optim.StepDecay(0.1, 10, 0.5),
			steps: []int{0, 9, 10, 19, 20, 35},
			want:  []float64{0.1, 0.1, 0.05, 0.05, 0.025, 0.0125},
		},
		{
			// (1 + cos(π·step/3))/2 with cos(π/3) = 0.5: 1, 0.75, 0.25, 0, then held.
			name: "Cosine", sched: optim.Cosine(1, 0, 3),
			steps: []int{0, 1, 2, 3, 4, 100},
			want:  []float64{1, 0.75, 0.25, 0, 0, 0},
		},
		{
			// 0.1 + 0.9·(1 + cos(π/2))/2 = 0.55 halfway.
			name: "Cosine with min", sched: optim.Cosine(1, 0.1, 10),
			steps: []int{0, 5, 10, 11},
			want:  []float64{1, 0.55, 0.1, 0.1},
		},
		{
			// then(0)·(step + 1)/4 for step < 3, then the cosine from its step 0.
			name: "Warmup", sched: optim.Warmup(3, optim.Cosine(1, 0, 3)),
			steps: []int{0, 1, 2, 3, 4, 5, 6, 7},
			want:  []float64{0.25, 0.5, 0.75, 1, 0.75, 0.25, 0, 0},
		},
		{
			name: "Warmup 0", sched: optim.Warmup(0, optim.StepDecay(2, 1, 0.5)),
			steps: []int{0, 1, 2},
			want:  []float64{2, 1, 0.5},
		},
	}
	for _, tt := range tests {
		for i, step := range tt.steps {
			if got := tt.sched(step); !approx([]float64{got}, []float64{tt.want[i]}, 1e-12) {
				t.Errorf("%s: step %d: lr %v, want %v", tt.name, step, got, tt.want[i])
			}
		}
	}
}

func TestSchedulePanics(t *testing.T) {
	cos := optim.Cosine(1, 0, 10)
	tests := []struct {
		name string
		f    func()
		want string
	}{
		{"StepDecay base", func() { optim.StepDecay(-1, 1, 0.5) }, "optim: StepDecay: base -1 and gamma 0.5 must not be negative, and every 1 must be positive"},
		{"StepDecay gamma", func() { optim.StepDecay(1, 1, -0.5) }, "must not be negative"},
		{"StepDecay every", func() { optim.StepDecay(1, 0, 0.5) }, "every 0 must be positive"},
		{"StepDecay step", func() { optim.StepDecay(1, 1, 0.5)(-1) }, "optim: StepDecay: step -1 must not be negative"},
		{"Cosine base", func() { optim.Cosine(-1, 0, 10) }, "optim: Cosine: base -1 and min 0 must not be negative, and total 10 must be positive"},
		{"Cosine min", func() { optim.Cosine(1, -1, 10) }, "must not be negative"},
		{"Cosine total", func() { optim.Cosine(1, 0, 0) }, "total 0 must be positive"},
		{"Cosine step", func() { cos(-2) }, "optim: Cosine: step -2 must not be negative"},
		{"Warmup steps", func() { optim.Warmup(-1, cos) }, "optim: Warmup: steps -1 must not be negative"},
		{"Warmup nil", func() { optim.Warmup(1, nil) }, "optim: Warmup: then is nil"},
		{"Warmup step", func() { optim.Warmup(1, cos)(-1) }, "optim: Warmup: step -1 must not be negative"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { testutil.Panics(t, tt.want, tt.f) })
	}
}

// A schedule drives any optimizer through SetLR or its LR field.
func TestScheduleDrivesOptimizer(t *testing.T) {
	sched := optim.StepDecay(1, 2, 0.5) // 1, 1, 0.5, 0.5
	// The schedule sets LR before each Step, so 0.1 is never used.
	opt := optim.NewSGD(0.1)
	p := param(0)
	for step := range 4 {
		opt.SetLR(sched(step))
		setGrad(p, -1)
		opt.Step([]*dl.Tensor{p})
	}
	if !approx(p.Data(), []float64{3}, 1e-12) {
		t.Errorf("p = %v, want 1 + 1 + 0.5 + 0.5 = 3", p.Data())
	}
}

// An LR of 0 means 0: Cosine to 0 ends at 0 and stays there, and the
// optimizer it drives stands still from then on, with no jump back to
// any default rate.
func TestScheduleToZero(t *testing.T) {
	sched := optim.Cosine(0.1, 0, 3) // 0.1, 0.075, 0.025, then 0
	for _, opt := range []interface {
		optim.Optimizer
		optim.LRSetter
	}{optim.NewSGD(1), optim.NewRMSProp(1), optim.NewAdam(1), optim.NewAdamW(1)} {
		p := param(0)
		var at3 float64
		for step := range 8 {
			opt.SetLR(sched(step))
			setGrad(p, -1)
			opt.Step([]*dl.Tensor{p})
			if step == 2 {
				at3 = p.Data()[0]
			}
		}
		if at3 <= 0 || p.Data()[0] != at3 {
			t.Errorf("%T: p = %v after 3 steps and %v after 8; want it above 0 and then unchanged", opt, at3, p.Data()[0])
		}
	}
	if lr := sched(1000); lr != 0 {
		t.Errorf("Cosine(0.1, 0, 3) at step 1000 = %v, want 0", lr)
	}
}
