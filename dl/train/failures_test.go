package train_test

import (
	"bytes"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/dlnb/dlnb/dl"
	"github.com/dlnb/dlnb/dl/data"
	"github.com/dlnb/dlnb/dl/nn"
	"github.com/dlnb/dlnb/dl/optim"
	"github.com/dlnb/dlnb/dl/train"
	"github.com/dlnb/dlnb/internal/testutil"
)

// This file tests how the functions of train fail: Fit on numbers that
// stop being finite, and every function on a nil model.

// fitFails runs Fit and checks that it fails with an error that matches
// want, with a History of the epochs before the failure and one End event.
func fitFails(t *testing.T, model nn.Module, set data.Set, cfg train.Config, want string, epochsDone int) {
	t.Helper()
	ends := 0
	cfg.Callbacks = append(cfg.Callbacks, func(e train.Event) error {
		if e.Kind == train.End {
			ends++
		}
		return nil
	})
	h, err := train.Fit(model, set, cfg)
	if err == nil {
		t.Fatalf("Fit returned no error; want one matching %s", want)
	}
	if !regexp.MustCompile(want).MatchString(err.Error()) {
		t.Errorf("Fit: error\n%s\nwant one matching\n%s", err, want)
	}
	if len(h.Loss) != epochsDone || cfg.Val != nil && len(h.ValLoss) != epochsDone {
		t.Errorf("History has %d losses and %d validation losses; want %d", len(h.Loss), len(h.ValLoss), epochsDone)
	}
	if ends != 1 {
		t.Errorf("End sent %d times, want once", ends)
	}
}

// ones returns a Linear layer [4 → 1] whose weights are all 1 and bias 0,
// so that inputs of 1e308 give an output of +Inf.
func ones() nn.Module {
	return &nn.Linear{W: dl.Param(dl.Full(1, 4, 1)), B: dl.Param(dl.Zeros(1))}
}

// regression returns n examples of 4 features and 1 target.
func regression(seed uint64, n int) data.Set {
	rng := newRNG(seed)
	return data.Set{X: dl.Randn(rng, n, 4), Y: dl.Randn(rng, n, 1)}
}

// withValue returns a copy of t with v at flat index i.
func withValue(t *dl.Tensor, i int, v float64) *dl.Tensor {
	d := slices.Clone(t.Data())
	d[i] = v
	return dl.New(d, t.Shape()...)
}

// Fit does not report success when the last step broke the model: every
// loss it computed was finite, but the parameters, or the output they
// give, are not. (Issue 11, item 4.)
func TestFitLastStepBreaksTheModel(t *testing.T) {
	set := regression(20, 16)
	huge := optim.NewSGD(1e306)
	mlp := func() nn.Module { return nn.MLP(newRNG(21), 4, 8, 1) }
	tests := []struct {
		name  string
		model func() nn.Module
		opt   optim.Optimizer
		want  string
	}{
		// The parameters are about 1e306: finite, but the output is not.
		{"output", mlp, huge,
			`^train: after the last step of epoch 1 the model's output is NaN on that step's batch, whose loss was finite before the step; ` +
				`the parameters are finite but have grown as large as -3.0\d*e\+306 \(parameter "2.W"\): the learning rate \(1e\+306\) is probably too large: try a smaller one$`},
		// The output is finite, about 1e306, but its MSE is not.
		{"loss", func() nn.Module { return nn.NewLinear(newRNG(21), 4, 1) }, huge,
			`^train: after the last step of epoch 1 the model's loss is \+Inf on that step's batch, .* \(parameter "W"\): the learning rate \(1e\+306\)`},
		// A step to infinity: the gradient times 1e308 overflows.
		{"parameter", mlp, optim.NewSGD(1e308),
			`^train: parameter "2.W" holds [-+]Inf after the last step of epoch 1; the learning rate \(1e\+308\) is probably too large: try a smaller one$`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fitFails(t, tt.model(), set, train.Config{Loss: nn.MSE, Optimizer: tt.opt, Epochs: 1}, tt.want, 0)
			// The same on Val: found after the epoch, and blamed on the steps,
			// not on Val's data.
			val := regression(22, 8)
			fitFails(t, tt.model(), set, train.Config{Loss: nn.MSE, Optimizer: tt.opt, Epochs: 1, Val: &val}, `^train: (after|parameter) .*learning rate`, 0)
		})
	}

	// A healthy Fit leaves the model in training mode without Val, as before.
	model := nn.NewSequential(nn.NewLinear(newRNG(23), 4, 4), nn.NewDropout(newRNG(24), 0.5), nn.NewLinear(newRNG(25), 4, 1))
	if _, err := train.Fit(model, set, train.Config{Loss: nn.MSE, Epochs: 2}); err != nil {
		t.Fatal(err)
	}
	x := dl.Full(1, 1, 4)
	if a, b := model.Forward(x).Item(), model.Forward(x).Item(); a == b {
		t.Error("after Fit without Val, Dropout does not drop: the model is not in training mode")
	}
}

// A NaN or infinite loss on Val is an error, which says whether Val's data
// or the model's output on it is not finite.
func TestFitNonFiniteValidationLoss(t *testing.T) {
	set := regression(30, 16)
	val := regression(31, 8)
	tests := []struct {
		name string
		val  data.Set
		want string
	}{
		{"NaN in Y", data.Set{X: val.X, Y: withValue(val.Y, 5, math.NaN())},
			`^train: the validation loss is NaN after epoch 1; the validation set's Y holds NaN \(first in example 5, counting from 0\): the data are at fault`},
		{"Inf in X", data.Set{X: withValue(val.X, 4*3+2, math.Inf(-1)), Y: val.Y},
			`^train: the validation loss is (NaN|\+Inf) after epoch 1; the validation set's X holds -Inf \(first in example 3, counting from 0\)`},
		// Inputs far larger than the training data's: the model is fine,
		// but its output on them is not finite.
		{"huge inputs", data.Set{X: dl.Full(1e308, 8, 4), Y: val.Y},
			`^train: the validation loss is \+Inf after epoch 1; the model's output on it is \+Inf for finite inputs and finite parameters: .*data.Standardize`},
		{"huge targets", data.Set{X: val.X, Y: dl.Full(1e200, 8, 1)},
			`^train: the validation loss is \+Inf after epoch 1; the model's output on it is finite, but the loss of it is not`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var model nn.Module = nn.MLP(newRNG(32), 4, 8, 1)
			if tt.name == "huge inputs" {
				model = ones()
			}
			fitFails(t, model, set, train.Config{Loss: nn.MSE, Epochs: 3, Val: &tt.val}, tt.want, 0)
		})
	}
}

// When a loss is not finite, Fit's advice points at what is at fault: the
// data, the model or the loss before any step has run, and the learning
// rate only after steps. (Issue 11, item 5.)
func TestFitNonFiniteLossAdvice(t *testing.T) {
	set := regression(40, 16)
	lr := optim.NewSGD(0.01)
	logZero := func(yHat, y *dl.Tensor) *dl.Tensor { return dl.Log(dl.Mul(dl.Mean(yHat), dl.Scalar(0))) }
	tests := []struct {
		name  string
		model nn.Module
		set   data.Set
		loss  func(yHat, y *dl.Tensor) *dl.Tensor
		want  string
	}{
		{"NaN in X", nn.MLP(newRNG(41), 4, 8, 1), data.Set{X: withValue(set.X, 4*6+1, math.NaN()), Y: set.Y}, nn.MSE,
			`^train: loss is NaN at epoch 1, step 1; the training set's X holds NaN \(first in example 6, counting from 0\): the data are at fault, not the learning rate; remove or replace such values before training$`},
		{"Inf in Y", nn.MLP(newRNG(41), 4, 8, 1), data.Set{X: set.X, Y: withValue(set.Y, 9, math.Inf(1))}, nn.MSE,
			`^train: loss is \+Inf at epoch 1, step 1; the training set's Y holds \+Inf \(first in example 9, counting from 0\)`},
		{"NaN in a parameter", nanParam(nn.MLP(newRNG(41), 4, 8, 1)), set, nn.MSE,
			`^train: loss is NaN at epoch 1, step 1; no step has run yet, so the learning rate is not at fault: the model's parameter "2.B" holds NaN already; build or load the model again$`},
		{"huge inputs", ones(), data.Set{X: dl.Full(1e308, 16, 4), Y: set.Y}, nn.MSE,
			`^train: loss is \+Inf at epoch 1, step 1; no step has run yet, so the learning rate is not at fault: the model's output is \+Inf for finite inputs and finite parameters`},
		{"log of 0", nn.MLP(newRNG(41), 4, 8, 1), set, logZero,
			`^train: loss is -Inf at epoch 1, step 1; no step has run yet, so the learning rate is not at fault: the model's output is finite, but the loss of it is not: .* or the loss function is at fault$`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fitFails(t, tt.model, tt.set, train.Config{Loss: tt.loss, Optimizer: lr, Epochs: 2}, tt.want, 0)
		})
	}

	// NaN in an example of a later batch is still the data's fault.
	bad := data.Set{X: set.X, Y: withValue(set.Y, 13, math.NaN())}
	fitFails(t, nn.MLP(newRNG(41), 4, 8, 1), bad, train.Config{Loss: nn.MSE, Optimizer: lr, Epochs: 2, BatchSize: 4, Seed: 3},
		`^train: loss is NaN at epoch 1, step [2-4]; the training set's Y holds NaN \(first in example 13, counting from 0\)`, 0)
}

// nanParam puts a NaN into the last parameter of model.
func nanParam(model nn.Module) nn.Module {
	ps := model.Params()
	ps[len(ps)-1].Data()[0] = math.NaN()
	return model
}

// A NaN or infinite setting of an optimizer is rejected before training,
// as a negative one is. (Fit's own settings are whole numbers, checked
// in TestFitPanics.)
func TestFitNonFiniteSettings(t *testing.T) {
	set := regression(50, 8)
	nan, inf := math.NaN(), math.Inf(1)
	sgd := func(f func(*optim.SGD)) optim.Optimizer { o := optim.NewSGD(0.1); f(o); return o }
	adam := func(f func(*optim.Adam)) optim.Optimizer { o := optim.NewAdam(0.1); f(o); return o }
	tests := []struct {
		opt  optim.Optimizer
		want string
	}{
		{optim.NewSGD(nan), "train: Fit: optim: SGD: LR is NaN; it must be a finite number above 0"},
		{optim.NewSGD(inf), "train: Fit: optim: SGD: LR is +Inf; it must be a finite number above 0"},
		{optim.NewSGD(-1), "train: Fit: optim: SGD: LR is -1; it must be above 0"},
		{sgd(func(o *optim.SGD) { o.Momentum = nan }), "train: Fit: optim: SGD: Momentum is NaN"},
		{sgd(func(o *optim.SGD) { o.WeightDecay = inf }), "train: Fit: optim: SGD: WeightDecay is +Inf"},
		{optim.NewRMSProp(nan), "train: Fit: optim: RMSProp: LR is NaN"},
		{optim.NewAdam(inf), "train: Fit: optim: Adam: LR is +Inf"},
		{adam(func(o *optim.Adam) { o.Eps = nan }), "train: Fit: optim: Adam: Eps is NaN"},
		{optim.NewAdamW(-inf), "train: Fit: optim: AdamW: LR is -Inf"},
	}
	for _, tt := range tests {
		model := nn.NewLinear(newRNG(51), 4, 1)
		before := snapshot(model)
		steps := 0
		h, err := train.Fit(model, set, train.Config{Loss: nn.MSE, Optimizer: tt.opt,
			Callbacks: []train.Callback{func(train.Event) error { steps++; return nil }}})
		if err == nil || !strings.HasPrefix(err.Error(), tt.want) {
			t.Errorf("error %v\nwant one starting with %s", err, tt.want)
		}
		if len(h.Loss) != 0 || steps != 0 || !equalSnapshots(snapshot(model), before) {
			t.Errorf("%s: Fit trained: %d epochs, %d events", tt.want, len(h.Loss), steps)
		}
	}
}

// An empty Val is an error before training; a Val without targets a panic.
func TestFitBadValidationSet(t *testing.T) {
	set := regression(55, 8)
	empty := data.Set{}
	if _, err := train.Fit(nn.NewLinear(newRNG(56), 4, 1), set, train.Config{Loss: nn.MSE, Val: &empty}); err == nil ||
		err.Error() != "train: Fit: the validation set Config.Val is empty; set Val to nil to train without one" {
		t.Errorf("Fit with an empty Val: %v", err)
	}
	noY := data.Set{X: set.X}
	testutil.Panics(t, "train: Fit: the validation set Config.Val has X [8 4] but no targets Y", func() {
		train.Fit(nn.NewLinear(newRNG(56), 4, 1), set, train.Config{Loss: nn.MSE, Val: &noY})
	})
}

// Every function that takes a model panics with a message that names the
// function and the argument when the model is nil, or a nil pointer (a
// model declared but never built), and so on for nil tensors.
func TestNilArguments(t *testing.T) {
	set := regression(60, 4)
	var unbuilt *nn.Sequential
	model := nn.NewLinear(newRNG(61), 4, 1)
	dir := t.TempDir()
	file := filepath.Join(dir, "m.dlnb")
	if err := train.SaveFile(file, model); err != nil {
		t.Fatal(err)
	}
	for _, m := range []nn.Module{nil, unbuilt} {
		is := "model is nil"
		if m != nil {
			is = "model is a nil *nn.Sequential; build it first"
		}
		tests := []struct {
			fn string
			f  func()
		}{
			{"Fit", func() { train.Fit(m, set, train.Config{Loss: nn.MSE}) }},
			{"Evaluate", func() { train.Evaluate(m, set, nn.MSE) }},
			{"Predict", func() { train.Predict(m, set.X) }},
			{"PredictClasses", func() { train.PredictClasses(m, set.X) }},
			{"Summary", func() { train.Summary(m) }},
			{"StateNames", func() { train.StateNames(m) }},
			{"Save", func() { train.Save(&bytes.Buffer{}, m) }},
			{"SaveFile", func() { train.SaveFile(filepath.Join(dir, "new.dlnb"), m) }},
			{"Load", func() { train.Load(bytes.NewReader(nil), m) }},
			{"LoadFile", func() { train.LoadFile(file, m) }},
		}
		for _, tt := range tests {
			testutil.Panics(t, "train: "+tt.fn+": "+is, tt.f)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "new.dlnb")); !os.IsNotExist(err) {
		t.Errorf("SaveFile of a nil model made a file: %v", err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("SaveFile of a nil model left files: %v", entries)
	}
	testutil.Panics(t, "train: Predict: x is nil", func() { train.Predict(model, nil) })
	testutil.Panics(t, "train: PredictClasses: x is nil", func() { train.PredictClasses(model, nil) })
	testutil.Panics(t, "train: Accuracy: yHat is nil", func() { train.Accuracy(nil, set.Y) })
	testutil.Panics(t, "train: Confusion: y is nil", func() { train.Confusion(set.Y, nil) })
}
