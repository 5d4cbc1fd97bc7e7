package nn_test

import (
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/dlnb/dlnb/internal/gradcheck"
	"github.com/dlnb/dlnb/internal/testutil"

	"github.com/dlnb/dlnb/dl"
	"github.com/dlnb/dlnb/dl/data"
	"github.com/dlnb/dlnb/dl/nn"
	"github.com/dlnb/dlnb/dl/optim"
	"github.com/dlnb/dlnb/dl/train"
)

// dotLoss returns the scalar Σ y·r for a fixed random r of y's shape, a
// loss whose gradient differs from element to element.
func dotLoss(y, r *dl.Tensor) *dl.Tensor { return dl.Sum(dl.Mul(y, r)) }

func TestLayerGrads(t *testing.T) {
	rng := newRNG(1)
	conv := nn.NewConv2D(rng, 2, 3, 3, dl.ConvOptions{Padding: 1})
	convStrided := nn.NewConv2D(rng, 2, 4, 2, dl.ConvOptions{Stride: 2, Groups: 2})
	ln := nn.NewLayerNorm(4)
	ln.Gamma, ln.Beta = randn(rng, 4), randn(rng, 4)
	bn2 := nn.NewBatchNorm(3)
	bn2.Gamma, bn2.Beta = randn(rng, 3), randn(rng, 3)
	bn4 := nn.NewBatchNorm(2)
	bn4.Gamma, bn4.Beta = randn(rng, 2), randn(rng, 2)
	tests := []struct {
		name  string
		m     nn.Module
		shape []int
	}{
		{"Conv2D", conv, []int{2, 2, 5, 5}},
		{"Conv2D stride groups", convStrided, []int{1, 2, 4, 6}},
		{"MaxPool2D", nn.MaxPool2D{Size: 2}, []int{2, 2, 4, 4}},
		{"AvgPool2D", nn.AvgPool2D{Size: 3, Stride: 1}, []int{1, 2, 4, 5}},
		{"Flatten", nn.Flatten{}, []int{2, 3, 2}},
		{"GELU", nn.GELU{}, []int{3, 4}},
		{"LayerNorm", ln, []int{3, 2, 4}},
		{"BatchNorm [n c]", bn2, []int{5, 3}},
		{"BatchNorm [n c h w]", bn4, []int{3, 2, 2, 3}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			x := randn(rng, tt.shape...)
			r := dl.Randn(rng, tt.m.Forward(x).Shape()...)
			gradcheck.Check(t, func() *dl.Tensor { return dotLoss(tt.m.Forward(x), r) }, append([]*dl.Tensor{x}, tt.m.Params()...)...)
		})
	}
}

func TestConv2DShape(t *testing.T) {
	c := nn.NewConv2D(newRNG(1), 3, 8, 3, dl.ConvOptions{Stride: 2, Padding: 1})
	if got := c.W.Shape(); !slices.Equal(got, []int{8, 3, 3, 3}) {
		t.Errorf("W shape %v; want [8 3 3 3]", got)
	}
	y := c.Forward(dl.Zeros(2, 3, 9, 7))
	if got := y.Shape(); !slices.Equal(got, []int{2, 8, 5, 4}) {
		t.Errorf("output shape %v; want [2 8 5 4]", got)
	}
	// He initialization: standard deviation about √(2/27).
	var ss float64
	for _, v := range c.W.Data() {
		ss += v * v
	}
	if std := math.Sqrt(ss / float64(c.W.Len())); math.Abs(std-math.Sqrt(2.0/27)) > 0.07 {
		t.Errorf("weight std %.3f; want about %.3f", std, math.Sqrt(2.0/27))
	}
}

func TestEmbedding(t *testing.T) {
	rng := newRNG(2)
	e := nn.NewEmbedding(rng, 5, 3)
	ids := dl.New([]float64{1, 4, 1, 0, 1, 2}, 2, 3) // id 1 three times
	y := e.Forward(ids)
	if !slices.Equal(y.Shape(), []int{2, 3, 3}) {
		t.Fatalf("shape %v; want [2 3 3]", y.Shape())
	}
	for i, id := range ids.Data() {
		if got, want := y.Data()[3*i:3*i+3], e.Table.Data()[3*int(id):3*int(id)+3]; !slices.Equal(got, want) {
			t.Errorf("row %d = %v; want table row %v = %v", i, got, id, want)
		}
	}
	if got := e.Forward(dl.New([]float64{3, 3}, 2)).Shape(); !slices.Equal(got, []int{2, 3}) {
		t.Errorf("shape for ids [2] is %v; want [2 3]", got)
	}
	r := dl.Randn(rng, 2, 3, 3)
	gradcheck.Check(t, func() *dl.Tensor { return dotLoss(e.Forward(ids), r) }, e.Table)
}

func TestBatchNormRunningStats(t *testing.T) {
	rng := newRNG(3)
	bn := nn.NewBatchNorm(2)
	bn.Momentum = 0.2
	mean, variance := []float64{0, 0}, []float64{1, 1}
	for range 3 {
		x := dl.Randn(rng, 4, 2, 1, 3) // 12 values per channel
		d := x.Data()
		for c := range 2 {
			var vals []float64
			for i := range d {
				if i/3%2 == c {
					vals = append(vals, d[i])
				}
			}
			var m, ss float64
			for _, v := range vals {
				m += v
			}
			m /= float64(len(vals))
			for _, v := range vals {
				ss += (v - m) * (v - m)
			}
			mean[c] = 0.8*mean[c] + 0.2*m
			variance[c] = 0.8*variance[c] + 0.2*ss/float64(len(vals)-1)
		}
		bn.Forward(x)
	}
	for c := range 2 {
		if !near(bn.RunningMean[c], mean[c], 1e-12) || !near(bn.RunningVar[c], variance[c], 1e-12) {
			t.Errorf("channel %d: running mean %v, var %v; want %v, %v", c, bn.RunningMean[c], bn.RunningVar[c], mean[c], variance[c])
		}
	}

	// Evaluation mode normalizes with the running statistics and keeps them.
	bn.Gamma, bn.Beta = dl.Param(dl.New([]float64{2, 0.5}, 2)), dl.Param(dl.New([]float64{1, -1}, 2))
	nn.SetTraining(bn, false)
	x := dl.Randn(rng, 3, 2)
	y := bn.Forward(x)
	for i, v := range x.Data() {
		c := i % 2
		want := bn.Gamma.Data()[c]*(v-mean[c])/math.Sqrt(variance[c]+bn.Eps) + bn.Beta.Data()[c]
		if !near(y.Data()[i], want, 1e-12) {
			t.Errorf("eval output %d = %v; want %v", i, y.Data()[i], want)
		}
	}
	if !near(bn.RunningMean[0], mean[0], 1e-15) {
		t.Error("eval mode changed the running mean")
	}
	// Back in training mode the batch itself is normalized: mean 0 per channel.
	nn.SetTraining(bn, true)
	y = bn.Forward(dl.Randn(rng, 6, 2))
	for c := range 2 {
		var m float64
		for i := c; i < 12; i += 2 {
			m += y.Data()[i]
		}
		if want := 6 * bn.Beta.Data()[c]; !near(m, want, 1e-9) {
			t.Errorf("training mode: channel %d sums to %v; want %v", c, m, want)
		}
	}
}

func TestDropout(t *testing.T) {
	d := nn.NewDropout(newRNG(4), 0.5)
	x := dl.Full(1, 1000)
	y := d.Forward(x)
	zeros := 0
	for _, v := range y.Data() {
		switch v {
		case 0:
			zeros++
		case 2:
		default:
			t.Fatalf("training output has %v; want 0 or 2", v)
		}
	}
	if zeros < 400 || zeros > 600 {
		t.Errorf("%d of 1000 dropped; want about 500", zeros)
	}
	nn.SetTraining(d, false)
	if y := d.Forward(x); y != x {
		t.Error("evaluation mode must return the input itself")
	}
	nn.SetTraining(d, true)
	if y := d.Forward(x); slices.Equal(y.Data(), x.Data()) {
		t.Error("training mode again must drop")
	}
	if (nn.NewDropout(nil, 0)).Forward(x) != x {
		t.Error("p = 0 must return the input")
	}
}

func TestSetTrainingSequential(t *testing.T) {
	drop := nn.NewDropout(newRNG(5), 0.5)
	bn := nn.NewBatchNorm(3)
	inner := nn.NewSequential(bn, nn.ReLU{})
	model := nn.NewSequential(nn.NewLinear(newRNG(6), 2, 3), inner, drop)
	x := dl.Randn(newRNG(7), 4, 2)

	nn.SetTraining(model, false)
	a, b := model.Forward(x), model.Forward(x)
	if !slices.Equal(a.Data(), b.Data()) {
		t.Error("evaluation mode: two forward passes differ")
	}
	if !slices.Equal(bn.RunningMean, []float64{0, 0, 0}) {
		t.Errorf("evaluation mode changed the running mean to %v", bn.RunningMean)
	}
	nn.SetTraining(model, true)
	model.Forward(x)
	if slices.Equal(bn.RunningMean, []float64{0, 0, 0}) {
		t.Error("training mode did not reach the nested BatchNorm")
	}
	nn.SetTraining(nn.ReLU{}, false) // not Trainable: nothing happens
}

func TestSetTrainingResidual(t *testing.T) {
	drop := nn.NewDropout(newRNG(5), 0.5)
	model := nn.NewSequential(nn.Residual{Inner: nn.NewSequential(nn.NewLinear(newRNG(6), 3, 3), drop)})
	x := dl.Randn(newRNG(7), 4, 3)
	nn.SetTraining(model, false)
	if a, b := model.Forward(x), model.Forward(x); !slices.Equal(a.Data(), b.Data()) {
		t.Error("evaluation mode did not reach the Dropout inside a Residual")
	}
	nn.SetTraining(model, true)
	if a, b := model.Forward(x), model.Forward(x); slices.Equal(a.Data(), b.Data()) {
		t.Error("training mode did not reach the Dropout inside a Residual")
	}
}

func TestLayerPanics(t *testing.T) {
	rng := newRNG(8)
	conv := nn.NewConv2D(rng, 2, 3, 3, dl.ConvOptions{})
	tests := []struct {
		want string
		f    func()
	}{
		{"nn: Conv2D: input shape [1 3 5 5]", func() { conv.Forward(dl.Zeros(1, 3, 5, 5)) }},
		{"nn: Conv2D: input shape [2 5 5]", func() { conv.Forward(dl.Zeros(2, 5, 5)) }},
		{"dl: Conv2D", func() { conv.Forward(dl.Zeros(1, 2, 2, 2)) }},
		{"nn: NewConv2D: sizes", func() { nn.NewConv2D(rng, 0, 3, 3, dl.ConvOptions{}) }},
		{"nn: NewConv2D: rng is nil", func() { nn.NewConv2D(nil, 1, 3, 3, dl.ConvOptions{}) }},
		{"nn: NewConv2D: channels", func() { nn.NewConv2D(rng, 3, 4, 3, dl.ConvOptions{Groups: 2}) }},
		{"nn: NewConv2D: negative", func() { nn.NewConv2D(rng, 3, 4, 3, dl.ConvOptions{Padding: -1}) }},
		{"nn: MaxPool2D: input shape [2 3]", func() { nn.MaxPool2D{Size: 2}.Forward(dl.Zeros(2, 3)) }},
		{"nn: AvgPool2D: input shape [2 3]", func() { nn.AvgPool2D{Size: 2}.Forward(dl.Zeros(2, 3)) }},
		{"dl: MaxPool2D", func() { nn.MaxPool2D{Size: 3}.Forward(dl.Zeros(1, 1, 2, 2)) }},
		{"nn: Flatten", func() { nn.Flatten{}.Forward(dl.Scalar(1)) }},
		{"nn: NewDropout: p = 1", func() { nn.NewDropout(rng, 1) }},
		{"nn: NewDropout: rng is nil", func() { nn.NewDropout(nil, 0.5) }},
		{"nn: Dropout: no rng", func() { (&nn.Dropout{P: 0.5}).Forward(dl.Zeros(2)) }},
		{"nn: NewBatchNorm", func() { nn.NewBatchNorm(0) }},
		{"nn: BatchNorm: input shape [4 2]", func() { nn.NewBatchNorm(3).Forward(dl.Zeros(4, 2)) }},
		{"nn: BatchNorm: input shape [4 3 2]", func() { nn.NewBatchNorm(3).Forward(dl.Zeros(4, 3, 2)) }},
		{"nn: BatchNorm: input shape [1 3]: training mode needs at least 2 values per channel, and this batch has 1; with one, the batch mean is the value itself and the variance 0", func() { nn.NewBatchNorm(3).Forward(dl.Zeros(1, 3)) }},
		{"nn: NewLayerNorm", func() { nn.NewLayerNorm(0) }},
		{"nn: LayerNorm: input shape [2 3]", func() { nn.NewLayerNorm(4).Forward(dl.Zeros(2, 3)) }},
		{"nn: LayerNorm: input shape []", func() { nn.NewLayerNorm(1).Forward(dl.Scalar(1)) }},
		{"nn: NewEmbedding: sizes", func() { nn.NewEmbedding(rng, 0, 3) }},
		{"nn: NewEmbedding: rng is nil", func() { nn.NewEmbedding(nil, 4, 3) }},
		{"nn: Embedding: id 1.5 at 1", func() { nn.NewEmbedding(rng, 4, 3).Forward(dl.New([]float64{0, 1.5}, 2)) }},
		{"nn: Embedding: id 4 at 0", func() { nn.NewEmbedding(rng, 4, 3).Forward(dl.New([]float64{4}, 1)) }},
		{"nn: Embedding: id -1", func() { nn.NewEmbedding(rng, 4, 3).Forward(dl.New([]float64{-1}, 1)) }},
		{"nn: Embedding: id NaN", func() { nn.NewEmbedding(rng, 4, 3).Forward(dl.New([]float64{math.NaN()}, 1)) }},
		{"nn: Embedding: input shape [1 1 1]", func() { nn.NewEmbedding(rng, 4, 3).Forward(dl.Zeros(1, 1, 1)) }},
	}
	for _, tt := range tests {
		testutil.Panics(t, tt.want, tt.f)
	}
}

// newCNN returns a small convolutional network for [batch, 1, 8, 8]
// images and 10 classes.
func newCNN(seed uint64) *nn.Sequential {
	rng := newRNG(seed)
	return nn.NewSequential(
		nn.NewConv2D(rng, 1, 4, 3, dl.ConvOptions{Padding: 1}), // [b 4 8 8]
		nn.ReLU{},
		nn.MaxPool2D{Size: 2}, // [b 4 4 4]
		nn.Flatten{},          // [b 64]
		nn.NewLinearHe(rng, 64, 10),
	)
}

func TestCNN(t *testing.T) {
	model := newCNN(9)
	rng := newRNG(10)
	if got := model.Forward(dl.Randn(rng, 2, 1, 8, 8)).Shape(); !slices.Equal(got, []int{2, 10}) {
		t.Fatalf("output shape %v; want [2 10]", got)
	}
	x := dl.Randn(rng, 16, 1, 8, 8)
	labels := make([]float64, 16)
	for i := range labels {
		labels[i] = float64(rng.IntN(10))
	}
	y := dl.New(labels, 16)
	opt := &optim.SGD{LR: 0.1}
	var first, last float64
	for step := range 20 {
		dl.ZeroGrad(model.Params()...)
		loss := nn.CrossEntropy(model.Forward(x), y)
		loss.Backward()
		opt.Step(model.Params())
		if step == 0 {
			first = loss.Item()
		}
		last = loss.Item()
	}
	if !(last < first*0.8) {
		t.Errorf("loss %v after 20 steps, from %v; want it clearly lower", last, first)
	}
}

func TestSummaryNewLayers(t *testing.T) {
	rng := newRNG(11)
	model := nn.NewSequential(
		nn.NewConv2D(rng, 1, 4, 3, dl.ConvOptions{Padding: 1}),
		nn.NewBatchNorm(4),
		nn.GELU{},
		nn.AvgPool2D{Size: 2},
		nn.MaxPool2D{Size: 2},
		nn.Flatten{},
		nn.NewDropout(rng, 0.1),
		nn.NewLayerNorm(16),
		nn.NewLinear(rng, 16, 10),
		nn.NewEmbedding(rng, 10, 3),
	)
	want := `layer  type       params         count
0      Conv2D     [4 1 3 3] [4]  40
1      BatchNorm  [4] [4]        8
2      GELU       -              0
3      AvgPool2D  -              0
4      MaxPool2D  -              0
5      Flatten    -              0
6      Dropout    -              0
7      LayerNorm  [16] [16]      32
8      Linear     [16 10] [10]   170
9      Embedding  [10 3]         30
       total                     280
`
	if got := train.Summary(model); got != want {
		t.Errorf("Summary =\n%s\nwant\n%s", got, want)
	}
}

// Fit trains in training mode; Predict and Evaluate switch to evaluation
// mode, and Fit switches back before each epoch.
func TestTrainingModeInFit(t *testing.T) {
	rng := newRNG(12)
	drop := nn.NewDropout(rng, 0.5)
	model := nn.NewSequential(nn.NewLinear(rng, 2, 2), drop)
	set := data.XOR()
	var dropped bool
	probe := func(train.Event) error {
		y := drop.Forward(dl.Full(1, 100))
		dropped = slices.Contains(y.Data(), 0)
		return nil
	}
	val := data.XOR()
	if _, err := train.Fit(model, set, train.Config{Loss: nn.CrossEntropy, Epochs: 2, Val: &val,
		Callbacks: []train.Callback{func(e train.Event) error {
			if e.Kind == train.StepEnd {
				return probe(e)
			}
			return nil
		}}}); err != nil {
		t.Fatal(err)
	}
	if !dropped {
		t.Error("Fit's steps (after a validation pass) must run in training mode")
	}
	train.Predict(model, set.X)
	if probe(train.Event{}); dropped {
		t.Error("after Predict the model must be in evaluation mode")
	}
	if !strings.Contains(train.Summary(model), "1      Dropout  -") {
		t.Error("Summary must list Dropout")
	}
}

// A network of Linear layers without bias trains with train.Fit and its
// default optimizer: no nil in Params for ZeroGrad or the optimizer to
// trip on, and the loss falls.
func TestLinearWithoutBiasTrains(t *testing.T) {
	rng := newRNG(13)
	model := nn.NewSequential(nn.NewLinear(rng, 2, 16).WithoutBias(), nn.Tanh{}, nn.NewLinear(rng, 16, 3).WithoutBias())
	if slices.Contains(model.Params(), nil) || len(model.Params()) != 2 {
		t.Fatalf("Params %v; want the two weights and no nil", model.Params())
	}
	set := data.Blobs(rng, 90, 3, 1)
	h, err := train.Fit(model, set, train.Config{Loss: nn.CrossEntropy, Epochs: 30, BatchSize: 16, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	if first, last := h.Loss[0], h.Loss[len(h.Loss)-1]; !(last < first/2) {
		t.Errorf("loss %v after 30 epochs, from %v; want it at most half", last, first)
	}
}
