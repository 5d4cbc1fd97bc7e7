package train_test

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/dlnb/dlnb/internal/testutil"

	"github.com/dlnb/dlnb/dl"
	"github.com/dlnb/dlnb/dl/data"
	"github.com/dlnb/dlnb/dl/nn"
	"github.com/dlnb/dlnb/dl/optim"
	"github.com/dlnb/dlnb/dl/train"
)

func newRNG(seed uint64) *rand.Rand { return rand.New(rand.NewPCG(seed, 7)) }

// An MLP learns XOR to 100% accuracy. (With 8 hidden units instead of 16
// about 1 seed in 20 ends with dead ReLU units and 75%: 4 examples give
// little to recover from.)
func TestFitLearnsXOR(t *testing.T) {
	for seed := range uint64(5) {
		model := nn.MLP(newRNG(seed), 2, 16, 2)
		h, err := train.Fit(model, data.XOR(), train.Config{
			Loss:      nn.CrossEntropy,
			Optimizer: &optim.SGD{LR: 0.1, Momentum: 0.9},
			Epochs:    200,
			Metrics:   []train.Metric{train.AccuracyMetric},
		})
		if err != nil {
			t.Fatal(err)
		}
		if len(h.Loss) != 200 || len(h.Metrics["accuracy"]) != 200 {
			t.Fatalf("History has %d losses and %d accuracies, want 200 each", len(h.Loss), len(h.Metrics["accuracy"]))
		}
		if len(h.ValLoss) != 0 || len(h.ValMetrics) != 0 {
			t.Errorf("without Val, ValLoss %v and ValMetrics %v must be empty", h.ValLoss, h.ValMetrics)
		}
		_, acc := train.Evaluate(model, data.XOR(), nn.CrossEntropy, train.AccuracyMetric)
		if acc["accuracy"] != 1 || h.Metrics["accuracy"][199] != 1 {
			t.Errorf("seed %d: accuracy on XOR %v (in History %v), want 1", seed, acc["accuracy"], h.Metrics["accuracy"][199])
		}
		if first, last := h.Loss[0], h.Loss[199]; !(last < 0.05 && last < first) {
			t.Errorf("seed %d: loss went from %v to %v; want it below 0.05", seed, first, last)
		}
	}
}

// blobs returns a separable 3-class problem, split into train and
// validation sets.
func blobs() (data.Set, data.Set) {
	rng := newRNG(2)
	return data.Blobs(rng, 150, 3, 0.4), data.Blobs(rng, 60, 3, 0.4)
}

func TestFitMinibatchesWithValidation(t *testing.T) {
	trainSet, val := blobs()
	model := nn.MLP(newRNG(3), 2, 16, 3)
	h, err := train.Fit(model, trainSet, train.Config{
		Loss:      nn.CrossEntropy,
		Optimizer: &optim.SGD{LR: 0.05},
		Epochs:    20,
		BatchSize: 16,
		Seed:      4,
		Val:       &val,
		Metrics:   []train.Metric{train.AccuracyMetric},
	})
	if err != nil {
		t.Fatal(err)
	}
	for name, got := range map[string]int{
		"Loss": len(h.Loss), "ValLoss": len(h.ValLoss),
		"Metrics": len(h.Metrics["accuracy"]), "ValMetrics": len(h.ValMetrics["accuracy"]),
	} {
		if got != 20 {
			t.Errorf("len(History.%s) = %d, want 20", name, got)
		}
	}
	if acc := h.ValMetrics["accuracy"][19]; acc != 1 {
		t.Errorf("validation accuracy %v, want 1", acc)
	}
	// The recorded validation values are Evaluate's.
	loss, values := train.Evaluate(model, val, nn.CrossEntropy, train.AccuracyMetric)
	if loss != h.ValLoss[19] || values["accuracy"] != h.ValMetrics["accuracy"][19] {
		t.Errorf("Evaluate gives %v %v, History's last %v %v", loss, values, h.ValLoss[19], h.ValMetrics["accuracy"][19])
	}
}

// fitBlobs trains a fresh model made from modelSeed with the given seed
// for shuffling.
func fitBlobs(t *testing.T, modelSeed, seed uint64, opt optim.Optimizer) *train.History {
	t.Helper()
	trainSet, val := blobs()
	h, err := train.Fit(nn.MLP(newRNG(modelSeed), 2, 8, 3), trainSet, train.Config{
		Loss: nn.CrossEntropy, Optimizer: opt, Epochs: 5, BatchSize: 10, Seed: seed,
		Val: &val, Metrics: []train.Metric{train.AccuracyMetric},
	})
	if err != nil {
		t.Fatal(err)
	}
	return h
}

func TestFitDeterministic(t *testing.T) {
	a := fitBlobs(t, 5, 6, &optim.SGD{LR: 0.05, Momentum: 0.9})
	b := fitBlobs(t, 5, 6, &optim.SGD{LR: 0.05, Momentum: 0.9})
	if !reflect.DeepEqual(a, b) {
		t.Errorf("the same seeds gave different histories:\n%+v\n%+v", a, b)
	}
	if c := fitBlobs(t, 5, 7, &optim.SGD{LR: 0.05, Momentum: 0.9}); reflect.DeepEqual(a.Loss, c.Loss) {
		t.Error("another shuffling seed gave the same losses")
	}
	// A nil Optimizer is optim.NewSGD(0.01).
	if d, e := fitBlobs(t, 5, 6, nil), fitBlobs(t, 5, 6, optim.NewSGD(0.01)); !reflect.DeepEqual(d, e) {
		t.Error("a nil Optimizer differs from optim.NewSGD(0.01)")
	}
}

func TestFitCallbacks(t *testing.T) {
	// 10 examples in batches of 4: steps of 4, 4 and 2 examples.
	rng := newRNG(8)
	set := data.Set{X: dl.Randn(rng, 10, 3), Y: dl.Randn(rng, 10, 1)}
	val := data.Set{X: dl.Randn(rng, 5, 3), Y: dl.Randn(rng, 5, 1)}
	var got []string
	var events []train.Event
	record := func(e train.Event) error {
		got = append(got, fmt.Sprintf("%v %d/%d %d/%d %d", e.Kind, e.Epoch, e.Epochs, e.Step, e.Steps, e.Samples))
		events = append(events, e)
		if e.Kind == train.EpochEnd && (len(e.History.Loss) != e.Epoch || len(e.History.ValLoss) != e.Epoch) {
			t.Errorf("at EpochEnd %d the History has %d losses and %d validation losses", e.Epoch, len(e.History.Loss), len(e.History.ValLoss))
		}
		return nil
	}
	calls := 0
	second := func(train.Event) error { calls++; return nil }
	h, err := train.Fit(nn.NewLinear(rng, 3, 1), set, train.Config{
		Loss: nn.MSE, Epochs: 2, BatchSize: 4, Val: &val, Callbacks: []train.Callback{record, second},
	})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"StepEnd 1/2 1/3 4", "StepEnd 1/2 2/3 8", "StepEnd 1/2 3/3 10", "EpochEnd 1/2 0/0 10",
		"StepEnd 2/2 1/3 14", "StepEnd 2/2 2/3 18", "StepEnd 2/2 3/3 20", "EpochEnd 2/2 0/0 20",
		"End 2/2 0/0 20",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("events:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if calls != len(want) {
		t.Errorf("the second callback was called %d times, want %d", calls, len(want))
	}
	// The epoch's loss is the mean over examples of the steps' batch means.
	for e := range 2 {
		s := events[4*e : 4*e+4]
		mean := (4*s[0].Loss + 4*s[1].Loss + 2*s[2].Loss) / 10
		if math.Abs(h.Loss[e]-mean) > 1e-12 || s[3].Loss != h.Loss[e] {
			t.Errorf("epoch %d: History.Loss %v, EpochEnd.Loss %v, mean of the steps %v", e+1, h.Loss[e], s[3].Loss, mean)
		}
	}
	if end := events[len(events)-1]; end.Loss != h.Loss[1] || end.History != h {
		t.Errorf("End carries loss %v and history %p; want %v and %p", end.Loss, end.History, h.Loss[1], h)
	}
}

func TestFitCallbackErrorStops(t *testing.T) {
	errStop := errors.New("stop here")
	var kinds []train.EventKind
	stopAtStep2 := func(e train.Event) error {
		kinds = append(kinds, e.Kind)
		if e.Kind == train.StepEnd && e.Epoch == 2 && e.Step == 2 {
			return errStop
		}
		return nil
	}
	rng := newRNG(9)
	set := data.Set{X: dl.Randn(rng, 12, 2), Y: dl.Randn(rng, 12, 1)}
	h, err := train.Fit(nn.NewLinear(rng, 2, 1), set, train.Config{
		Loss: nn.MSE, Epochs: 5, BatchSize: 4, Callbacks: []train.Callback{stopAtStep2},
	})
	if !errors.Is(err, errStop) {
		t.Fatalf("Fit returned %v, want the callback's error", err)
	}
	if len(h.Loss) != 1 {
		t.Errorf("History has %d epochs, want the 1 completed", len(h.Loss))
	}
	want := []train.EventKind{train.StepEnd, train.StepEnd, train.StepEnd, train.EpochEnd, train.StepEnd, train.StepEnd, train.End}
	if !reflect.DeepEqual(kinds, want) {
		t.Errorf("events %v, want %v", kinds, want)
	}
}

// other is an optimizer that is not one of package optim's.
type other struct{ sgd optim.SGD }

func (o *other) Step(ps []*dl.Tensor) { o.sgd.Step(ps) }

func TestFitNonFiniteLoss(t *testing.T) {
	rng := newRNG(10)
	set := data.Set{X: dl.Randn(rng, 32, 4), Y: dl.Randn(rng, 32, 1)}
	tests := []struct {
		opt  optim.Optimizer
		want string
	}{
		{&optim.SGD{LR: 1e6}, `; the learning rate \(1e\+06\) is probably too large: try a smaller one$`},
		// Adaptive steps are about LR long, so only a huge LR overflows.
		{optim.NewRMSProp(1e300), `; the learning rate \(1e\+300\) is probably too large`},
		{optim.NewAdam(1e300), `; the learning rate \(1e\+300\) is probably too large`},
		{optim.NewAdamW(2e300), `; the learning rate \(2e\+300\) is probably too large`},
		{&other{optim.SGD{LR: 1e6}}, `; try a smaller learning rate$`},
	}
	for _, tt := range tests {
		var ends int
		h, err := train.Fit(nn.NewLinear(newRNG(11), 4, 1), set, train.Config{
			Loss: nn.MSE, Optimizer: tt.opt, Epochs: 50, BatchSize: 8,
			Callbacks: []train.Callback{func(e train.Event) error {
				if e.Kind == train.End {
					ends++
				}
				return nil
			}},
		})
		if err == nil {
			t.Fatalf("Fit with %T %+v returned no error", tt.opt, tt.opt)
		}
		m := regexp.MustCompile(`^train: loss is (NaN|\+Inf) at epoch (\d+), step (\d+)` + tt.want).FindStringSubmatch(err.Error())
		if m == nil {
			t.Fatalf("error %q does not match", err)
		}
		var epoch, step int
		fmt.Sscan(m[2], &epoch)
		fmt.Sscan(m[3], &step)
		if len(h.Loss) != epoch-1 || step < 1 || step > 4 {
			t.Errorf("error at epoch %d, step %d; History has %d epochs", epoch, step, len(h.Loss))
		}
		if ends != 1 {
			t.Errorf("End sent %d times, want once", ends)
		}
	}
}

func TestFitDefaults(t *testing.T) {
	rng := newRNG(12)
	set := data.Set{X: dl.Randn(rng, 7, 2), Y: dl.Randn(rng, 7, 1)}
	steps := 0
	h, err := train.Fit(nn.NewLinear(rng, 2, 1), set, train.Config{
		Loss:      nn.MSE,
		Callbacks: []train.Callback{func(e train.Event) error { steps = max(steps, e.Steps); return nil }},
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(h.Loss) != 1 || steps != 1 {
		t.Errorf("the zero Config gave %d epochs of %d steps, want 1 of 1 (the whole set)", len(h.Loss), steps)
	}
	if _, err := train.Fit(nn.NewLinear(rng, 2, 1), data.Set{}, train.Config{Loss: nn.MSE}); err == nil ||
		!strings.Contains(err.Error(), "train: Fit: the training set is empty") {
		t.Errorf("Fit on an empty set: error %v", err)
	}
}

// Fit checks the optimizer's settings before training, and returns what
// is wrong as an error, with an empty History, without a step or an event.
func TestFitBadOptimizer(t *testing.T) {
	rng := newRNG(14)
	set := data.Set{X: dl.Randn(rng, 8, 2), Y: dl.Randn(rng, 8, 1)}
	tests := []struct {
		opt  optim.Optimizer
		want string
	}{
		{&optim.Adam{LR: 1e-3}, "train: Fit: optim: Adam: Eps is 0; it must be above 0. A bare optim.Adam{...} literal"},
		{&optim.SGD{}, "train: Fit: optim: SGD: LR is 0; it must be above 0."},
		{&optim.SGD{LR: 0.1, Nesterov: true}, "train: Fit: optim: SGD: Nesterov is set but Momentum is 0"},
		{adamWithBeta1(1), "train: Fit: optim: Adam: Beta1 is 1; it must be in [0, 1)"},
	}
	for _, tt := range tests {
		model := nn.NewLinear(newRNG(15), 2, 1)
		before := slices.Clone(model.Params()[0].Data())
		events := 0
		h, err := train.Fit(model, set, train.Config{
			Loss: nn.MSE, Optimizer: tt.opt, Val: &set,
			Callbacks: []train.Callback{func(train.Event) error { events++; return nil }},
		})
		if err == nil || !strings.HasPrefix(err.Error(), tt.want) {
			t.Errorf("%T%+v: error %v, want one starting with %q", tt.opt, tt.opt, err, tt.want)
		}
		if h == nil || len(h.Loss) != 0 || len(h.ValLoss) != 0 || events != 0 {
			t.Errorf("%T%+v: History %+v and %d events, want an empty History and none", tt.opt, tt.opt, h, events)
		}
		if !slices.Equal(model.Params()[0].Data(), before) {
			t.Errorf("%T%+v: the weights changed", tt.opt, tt.opt)
		}
	}
}

// adamWithBeta1 is optim.NewAdam(1e-3) with Beta1 set to b.
func adamWithBeta1(b float64) *optim.Adam {
	opt := optim.NewAdam(1e-3)
	opt.Beta1 = b
	return opt
}

func TestFitPanics(t *testing.T) {
	rng := newRNG(13)
	set := data.Set{X: dl.Randn(rng, 4, 2), Y: dl.Randn(rng, 4, 1)}
	model := nn.NewLinear(rng, 2, 1)
	sum := func(yHat, y *dl.Tensor) *dl.Tensor { return dl.Sub(yHat, y) } // forgot to reduce
	tests := []struct {
		name, want string
		cfg        train.Config
		set        data.Set
	}{
		{"no loss", "train: Fit: Config.Loss is nil", train.Config{}, set},
		{"negative epochs", "train: Fit: Epochs -1 and BatchSize 0 must not be negative", train.Config{Loss: nn.MSE, Epochs: -1}, set},
		{"no targets", "train: Fit: the training set has X [4 2] but no targets Y", train.Config{Loss: nn.MSE}, data.Set{X: set.X}},
		{"rows differ", "train: Fit: the training set has X [4 2] and Y [3 1], which do not have the same number of rows",
			train.Config{Loss: nn.MSE}, data.Set{X: set.X, Y: dl.Zeros(3, 1)}},
		{"loss not scalar", "train: Fit: the loss has shape [4 1]; want a scalar", train.Config{Loss: sum}, set},
		{"same metric twice", `train: Fit: two metrics are named "accuracy"`,
			train.Config{Loss: nn.MSE, Metrics: []train.Metric{train.AccuracyMetric, train.AccuracyMetric}}, set},
		{"metric without Fn", "train: Fit: metric 0 needs both a Name and an Fn",
			train.Config{Loss: nn.MSE, Metrics: []train.Metric{{Name: "x"}}}, set},
		{"model shape", "nn: Linear: input shape [4 3] does not fit weights [2 1]",
			train.Config{Loss: nn.MSE}, data.Set{X: dl.Zeros(4, 3), Y: dl.Zeros(4, 1)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			testutil.Panics(t, tt.want, func() { train.Fit(model, tt.set, tt.cfg) })
		})
	}
}

func TestAccuracy(t *testing.T) {
	m := func(rows, cols int, v ...float64) *dl.Tensor { return dl.New(v, rows, cols) }
	v := func(x ...float64) *dl.Tensor { return dl.New(x) }
	tests := []struct {
		name    string
		yHat, y *dl.Tensor
		want    float64
	}{
		{"argmax against labels", m(4, 3, 1, 2, 3, 5, 0, 0, 0, 0, 9, 0, 4, 1), v(2, 0, 1, 1), 0.75},
		{"labels [n,1]", m(2, 2, 1, 0, 0, 1), m(2, 1, 0, 0), 0.5},
		{"ties go to the first", m(2, 3, 1, 1, 0, 0, 2, 2), v(0, 2), 0.5},
		{"one-hot targets", m(3, 2, 1, 0, 0, 1, 0, 1), m(3, 2, 1, 0, 0, 1, 1, 0), 2.0 / 3},
		{"one logit, labels 0/1", v(2, -1, 0.5, -3), v(1, 0, 0, 0), 0.75},
		{"one logit [n,1], labels -1/+1", m(3, 1, 2, -1, 0.5), v(1, -1, -1), 2.0 / 3},
		{"zero logit is negative", v(0), v(0), 1},
	}
	for _, tt := range tests {
		if got := train.Accuracy(tt.yHat, tt.y); math.Abs(got-tt.want) > 1e-15 {
			t.Errorf("%s: Accuracy = %v, want %v", tt.name, got, tt.want)
		}
	}
	if got := train.Accuracy(dl.Zeros(0, 3), dl.Zeros(0)); !math.IsNaN(got) {
		t.Errorf("Accuracy of nothing = %v, want NaN", got)
	}
	testutil.Panics(t, "train: Accuracy: predictions [4 3] and labels [5] do not fit", func() { train.Accuracy(dl.Zeros(4, 3), dl.Zeros(5)) })
	testutil.Panics(t, "train: Accuracy: predictions [4 3] and labels [4 2] do not fit", func() { train.Accuracy(dl.Zeros(4, 3), dl.Zeros(4, 2)) })
	testutil.Panics(t, "train: Accuracy: predictions [4] and labels [4 2] do not fit", func() { train.Accuracy(dl.Zeros(4), dl.Zeros(4, 2)) })
}

// fixed is a model whose output is out, whatever its input.
type fixed struct{ out *dl.Tensor }

func (f fixed) Forward(*dl.Tensor) *dl.Tensor { return f.out }
func (f fixed) Params() []*dl.Tensor          { return nil }

// PredictClasses decides classes as Accuracy does, for logits and for one
// logit per example.
func TestPredictClasses(t *testing.T) {
	m := func(rows, cols int, v ...float64) *dl.Tensor { return dl.New(v, rows, cols) }
	v := func(x ...float64) *dl.Tensor { return dl.New(x) }
	tests := []struct {
		name string
		out  *dl.Tensor
		want []int
	}{
		{"logits", m(4, 3, 1, 2, 3, 5, 0, 0, 0, 0, 9, 0, 4, 1), []int{2, 0, 2, 1}},
		{"ties go to the first", m(2, 3, 1, 1, 0, 0, 2, 2), []int{0, 1}},
		{"one logit [n]", v(2, -1, 0.5, -3, 0), []int{1, 0, 1, 0, 0}},
		{"one logit [n, 1]", m(3, 1, 2, -1, 0.5), []int{1, 0, 1}},
		{"no rows", dl.Zeros(0, 3), []int{}},
	}
	for _, tt := range tests {
		got := train.PredictClasses(fixed{tt.out}, dl.Zeros(1, 1))
		if !slices.Equal(got, tt.want) {
			t.Errorf("%s: PredictClasses = %v, want %v", tt.name, got, tt.want)
		}
		// The same classes count as right for Accuracy.
		labels := make([]float64, len(tt.want))
		for i, c := range tt.want {
			labels[i] = float64(c)
		}
		if acc := train.Accuracy(tt.out, dl.New(labels)); len(labels) > 0 && acc != 1 {
			t.Errorf("%s: Accuracy of the predicted classes = %v, want 1", tt.name, acc)
		}
	}

	// On a real model it is dl.Argmax of Predict.
	rng := newRNG(16)
	model := nn.MLP(rng, 3, 8, 4)
	x := dl.Randn(rng, 50, 3)
	got := train.PredictClasses(model, x)
	if want := dl.Argmax(train.Predict(model, x), 1); !slices.Equal(got, want) {
		t.Errorf("PredictClasses = %v, dl.Argmax of Predict = %v", got, want)
	}
	testutil.Panics(t, "train: PredictClasses: the model's output has shape [2 2 2]", func() { train.PredictClasses(fixed{dl.Zeros(2, 2, 2)}, dl.Zeros(1, 1)) })
}

func TestEvaluateAndPredict(t *testing.T) {
	// y = 2x + 1 against targets 3, 4, 5, 6: errors 0, 1, 2, 3 (and 0 ... on the rest).
	model := &nn.Linear{W: dl.Param(dl.New([]float64{2}, 1, 1)), B: dl.Param(dl.New([]float64{1}))}
	set := data.Set{X: dl.New([]float64{1, 1, 1, 1}, 4, 1), Y: dl.New([]float64{3, 4, 5, 6}, 4, 1)}
	loss, values := train.Evaluate(model, set, nn.MSE, train.Metric{Name: "max error", Fn: func(yHat, y *dl.Tensor) float64 {
		m := 0.0
		for i, p := range yHat.Data() {
			m = max(m, math.Abs(p-y.Data()[i]))
		}
		return m
	}})
	if loss != (0+1+4+9)/4.0 || values["max error"] != 3 {
		t.Errorf("Evaluate = %v, %v; want 3.5 and max error 3", loss, values)
	}
	if model.W.Grad() != nil {
		t.Error("Evaluate must not compute gradients")
	}

	// A set larger than one evaluation chunk gives the same as one forward pass.
	rng := newRNG(14)
	mlp := nn.MLP(rng, 3, 5, 4)
	big := data.Set{X: dl.Randn(rng, 2500, 3), Y: dl.New(make([]float64, 2500))}
	for i := range big.Y.Data() {
		big.Y.Data()[i] = float64(rng.IntN(4))
	}
	yHat := train.Predict(mlp, big.X)
	if yHat.RequiresGrad() || yHat.Inputs() != nil {
		t.Error("Predict must return a tensor outside the graph")
	}
	loss, values = train.Evaluate(mlp, big, nn.CrossEntropy, train.AccuracyMetric)
	if want := nn.CrossEntropy(yHat, big.Y).Item(); math.Abs(loss-want) > 1e-12 {
		t.Errorf("Evaluate loss %v, one forward pass %v", loss, want)
	}
	if want := train.Accuracy(yHat, big.Y); values["accuracy"] != want {
		t.Errorf("Evaluate accuracy %v, one forward pass %v", values["accuracy"], want)
	}

	loss, values = train.Evaluate(mlp, data.Set{}, nil, train.AccuracyMetric)
	if !math.IsNaN(loss) || !math.IsNaN(values["accuracy"]) {
		t.Errorf("Evaluate on an empty set = %v, %v; want NaN", loss, values)
	}
}

func TestSummary(t *testing.T) {
	rng := newRNG(15)
	s := train.Summary(nn.MLP(rng, 2, 8, 2))
	want := "layer  type    params     count\n" +
		"0      Linear  [2 8] [8]  24\n" +
		"1      ReLU    -          0\n" +
		"2      Linear  [8 2] [2]  18\n" +
		"       total              42\n"
	if s != want {
		t.Errorf("Summary:\n%s\nwant:\n%s", s, want)
	}
	// A bigger model: every layer type appears, and the total is right.
	m := nn.NewSequential(nn.NewLinear(rng, 64, 32), nn.Tanh{}, nn.NewLinear(rng, 32, 10), nn.Sigmoid{})
	s = train.Summary(m)
	for _, name := range []string{"Linear", "Tanh", "Sigmoid", "[64 32] [32]", "[32 10] [10]"} {
		if !strings.Contains(s, name) {
			t.Errorf("Summary does not mention %q:\n%s", name, s)
		}
	}
	if total := 64*32 + 32 + 32*10 + 10; !strings.HasSuffix(strings.TrimSpace(s), fmt.Sprint(total)) {
		t.Errorf("Summary does not end with the total %d:\n%s", total, s)
	}
	// A model that is not a Sequential gets one row, without a name.
	s = train.Summary(nn.NewLinear(rng, 3, 2))
	if lines := strings.Split(strings.TrimSpace(s), "\n"); len(lines) != 3 || lines[1] != "       Linear  [3 2] [2]  8" {
		t.Errorf("Summary of a Linear:\n%s", s)
	}
}
