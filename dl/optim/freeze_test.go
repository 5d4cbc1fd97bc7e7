package optim_test

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/dlnb/dlnb/dl"
	"github.com/dlnb/dlnb/dl/data"
	"github.com/dlnb/dlnb/dl/nn"
	"github.com/dlnb/dlnb/dl/optim"
	"github.com/dlnb/dlnb/dl/train"
	"github.com/dlnb/dlnb/internal/testutil"
)

// freezeOptimizers returns a fresh optimizer of each kind, with momentum
// and weight decay on, so that a frozen parameter would move if any part
// of a step reached it.
func freezeOptimizers() map[string]func() optim.Freezable {
	return map[string]func() optim.Freezable{
		"SGD": func() optim.Freezable {
			return &optim.SGD{LR: 0.05, Momentum: 0.9, WeightDecay: 0.01}
		},
		"SGD-Nesterov": func() optim.Freezable {
			return &optim.SGD{LR: 0.05, Momentum: 0.9, Nesterov: true, WeightDecay: 0.01}
		},
		"RMSProp": func() optim.Freezable {
			o := optim.NewRMSProp(0.01)
			o.Momentum, o.WeightDecay = 0.9, 0.01
			return o
		},
		"Adam": func() optim.Freezable {
			o := optim.NewAdam(0.01)
			o.WeightDecay = 0.01
			return o
		},
		"AdamW": func() optim.Freezable {
			o := optim.NewAdamW(0.01)
			o.WeightDecay = 0.1
			return o
		},
	}
}

func freezeData() data.Set {
	rng := rand.New(rand.NewPCG(7, 8))
	x := dl.Randn(rng, 64, 3)
	y := make([]float64, 64)
	for i := range y {
		if x.Data()[3*i]+x.Data()[3*i+1]*x.Data()[3*i+2] > 0 {
			y[i] = 1
		}
	}
	return data.Set{X: x, Y: dl.New(y, 64)}
}

func snapshot(ps []*dl.Tensor) [][]float64 {
	out := make([][]float64, len(ps))
	for i, p := range ps {
		out[i] = slices.Clone(p.Data())
	}
	return out
}

// TestFreezeThroughFit trains an MLP with train.Fit, which passes every
// parameter to Step, with its first layer frozen: that layer stays bit for
// bit as it was while the rest moves. Unfrozen, it moves in the next Fit.
func TestFreezeThroughFit(t *testing.T) {
	set := freezeData()
	for name, newOpt := range freezeOptimizers() {
		t.Run(name, func(t *testing.T) {
			m := nn.MLP(rand.New(rand.NewPCG(1, 2)), 3, 8, 8, 2)
			all := m.Params()
			frozen, free := all[:2], all[2:] // the first Linear's W and B
			opt := newOpt()
			opt.Freeze(frozen...)
			if !opt.IsFrozen(frozen[0]) || opt.IsFrozen(free[0]) {
				t.Fatal("IsFrozen does not report what Freeze set")
			}
			before, beforeFree := snapshot(frozen), snapshot(free)
			cfg := train.Config{Loss: nn.CrossEntropy, Optimizer: opt, Epochs: 3, BatchSize: 16, Seed: 1}
			if _, err := train.Fit(m, set, cfg); err != nil {
				t.Fatal(err)
			}
			for i, p := range frozen {
				if !slices.Equal(p.Data(), before[i]) {
					t.Errorf("frozen parameter %d changed in training", i)
				}
				if p.Grad() == nil {
					t.Errorf("frozen parameter %d has no gradient: the test would not test the skip", i)
				}
			}
			for i, p := range free {
				if slices.Equal(p.Data(), beforeFree[i]) {
					t.Errorf("free parameter %d did not move", i)
				}
			}
			opt.Unfreeze(frozen...)
			if opt.IsFrozen(frozen[0]) {
				t.Fatal("IsFrozen after Unfreeze")
			}
			if _, err := train.Fit(m, set, cfg); err != nil {
				t.Fatal(err)
			}
			for i, p := range frozen {
				if slices.Equal(p.Data(), before[i]) {
					t.Errorf("parameter %d did not move after Unfreeze", i)
				}
			}
		})
	}
}

// TestFreezeIsSkip checks that a frozen parameter is handled exactly as
// one that is not passed to Step at all. Two copies of a model train with
// two optimizers: A freezes the first layer and is given every parameter,
// B is given only the other layers. After 5 steps they agree bit for bit.
// Then A unfreezes the layer and B is given it too: they go on agreeing,
// so Unfreeze resumes from the state the optimizer kept (for Adam, the
// other layers' step count and none for the layer that never stepped).
func TestFreezeIsSkip(t *testing.T) {
	set := freezeData()
	step := func(m *nn.Sequential, opt optim.Optimizer, params []*dl.Tensor) {
		dl.ZeroGrad(m.Params()...)
		loss := nn.CrossEntropy(m.Forward(set.X), set.Y)
		loss.Backward()
		opt.Step(params)
		loss.Release()
	}
	for name, newOpt := range freezeOptimizers() {
		t.Run(name, func(t *testing.T) {
			a := nn.MLP(rand.New(rand.NewPCG(1, 2)), 3, 8, 2)
			b := nn.MLP(rand.New(rand.NewPCG(1, 2)), 3, 8, 2)
			start := snapshot(a.Params())
			optA, optB := newOpt(), newOpt()
			optA.Freeze(a.Params()[:2]...)
			for range 5 {
				step(a, optA, a.Params())
				step(b, optB, b.Params()[2:])
			}
			same(t, "frozen", a.Params(), b.Params())
			if !slices.Equal(a.Params()[0].Data(), start[0]) || slices.Equal(a.Params()[2].Data(), start[2]) {
				t.Error("the frozen layer moved, or the free one did not")
			}
			optA.Unfreeze(a.Params()[:2]...)
			for range 5 {
				step(a, optA, a.Params())
				step(b, optB, b.Params())
			}
			same(t, "unfrozen", a.Params(), b.Params())
			if slices.Equal(a.Params()[0].Data(), start[0]) {
				t.Error("the unfrozen layer did not move")
			}
		})
	}
}

func same(t *testing.T, when string, a, b []*dl.Tensor) {
	t.Helper()
	for i := range a {
		if !slices.Equal(a[i].Data(), b[i].Data()) {
			t.Errorf("%s: parameter %d differs between the frozen one and the one not passed", when, i)
		}
	}
}

func TestFreezePanics(t *testing.T) {
	opt := optim.NewAdam(1e-3)
	testutil.Panics(t, "optim: Freeze: parameter 1 is nil", func() { opt.Freeze(dl.Param(dl.Zeros(1)), nil) })
	testutil.Panics(t, "optim: Unfreeze: parameter 0 is nil", func() { opt.Unfreeze(nil) })
}

// Freeze a parameter, step, and unfreeze it: only the free one moves at
// first, even with weight decay.
func ExampleFreezer() {
	w, b := dl.Param(dl.New([]float64{1, 2})), dl.Param(dl.New([]float64{3}))
	opt := optim.NewAdamW(0.1)
	opt.Freeze(w)
	for range 2 {
		dl.ZeroGrad(w, b)
		dl.Add(dl.Sum(w), dl.Sum(b)).Backward()
		opt.Step([]*dl.Tensor{w, b})
	}
	fmt.Printf("frozen: w %.3f, b %.3f\n", w.Data(), b.Data())
	opt.Unfreeze(w)
	dl.ZeroGrad(w, b)
	dl.Add(dl.Sum(w), dl.Sum(b)).Backward()
	opt.Step([]*dl.Tensor{w, b})
	fmt.Printf("unfrozen: w %.3f, b %.3f\n", w.Data(), b.Data())
	// Output:
	// frozen: w [1.000 2.000], b [2.794]
	// unfrozen: w [0.899 1.898], b [2.691]
}
