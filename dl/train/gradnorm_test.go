package train_test

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/dlnb/dlnb/internal/testutil"

	"github.com/dlnb/dlnb/dl"
	"github.com/dlnb/dlnb/dl/data"
	"github.com/dlnb/dlnb/dl/nn"
	"github.com/dlnb/dlnb/dl/train"
)

// bnNet is a small network with BatchNorm: Linear(2→4), BatchNorm, Tanh,
// Linear(4→2).
func bnNet(seed uint64) *nn.Sequential {
	rng := newRNG(seed)
	return nn.NewSequential(nn.NewLinear(rng, 2, 4), nn.NewBatchNorm(4), nn.Tanh{}, nn.NewLinear(rng, 4, 2))
}

// WeightGradNorms agrees with the norms of gradients from central finite
// differences of the loss, one per weight matrix, and leaves the model as it
// found it: parameters, running statistics and gradients.
func TestWeightGradNorms(t *testing.T) {
	set := data.Blobs(newRNG(1), 6, 2, 1)
	model := bnNet(2)
	params := model.Params()
	before := make([][]float64, len(params))
	for i, p := range params {
		before[i] = slices.Clone(p.Data())
	}
	bn := model.Layers[1].(*nn.BatchNorm)
	mean, variance := slices.Clone(bn.RunningMean), slices.Clone(bn.RunningVar)

	got := train.WeightGradNorms(model, set.X, set.Y, nn.CrossEntropy)

	lossAt := func() float64 { return nn.CrossEntropy(model.Forward(set.X), set.Y).Item() }
	var want []float64
	for _, p := range params {
		if p.Dim() < 2 {
			continue
		}
		const h = 1e-6
		s := 0.0
		for j := range p.Data() {
			v := p.Data()[j]
			p.Data()[j] = v + h
			up := lossAt()
			p.Data()[j] = v - h
			down := lossAt()
			p.Data()[j] = v
			g := (up - down) / (2 * h)
			s += g * g
		}
		want = append(want, math.Sqrt(s))
	}
	if len(got) != 2 || len(want) != 2 {
		t.Fatalf("got %d norms, finite differences %d; want 2 (two Linear layers)", len(got), len(want))
	}
	for i := range got {
		if math.Abs(got[i]-want[i]) > 1e-6*(1+want[i]) {
			t.Errorf("norm %d = %.9g; finite differences give %.9g", i, got[i], want[i])
		}
	}

	for i, p := range params {
		if !slices.Equal(p.Data(), before[i]) {
			t.Errorf("parameter %d changed", i)
		}
		for _, g := range p.Grad() {
			if g != 0 {
				t.Fatalf("parameter %d has a gradient left: %v", i, p.Grad())
			}
		}
	}
	// lossAt ran in training mode too and moved the running statistics, so
	// compare with a fresh network for those.
	fresh := bnNet(2)
	train.WeightGradNorms(fresh, set.X, set.Y, nn.CrossEntropy)
	freshBN := fresh.Layers[1].(*nn.BatchNorm)
	if !slices.Equal(freshBN.RunningMean, mean) || !slices.Equal(freshBN.RunningVar, variance) {
		t.Errorf("running statistics changed: mean %v var %v; want %v %v", freshBN.RunningMean, freshBN.RunningVar, mean, variance)
	}
}

// In a deep sigmoid network the first layer's gradient is orders of
// magnitude smaller than the last's: the vanishing gradients that the
// function is there to show. BatchNorm before each sigmoid keeps them within
// a factor of 100.
func TestWeightGradNormsVanish(t *testing.T) {
	set := data.Blobs(newRNG(3), 64, 3, 1)
	deep := func(bn bool) *nn.Sequential {
		rng := newRNG(4)
		var layers []nn.Module
		in := 2
		for range 12 {
			layers = append(layers, nn.NewLinear(rng, in, 16))
			if bn {
				layers = append(layers, nn.NewBatchNorm(16))
			}
			layers = append(layers, nn.Sigmoid{})
			in = 16
		}
		return nn.NewSequential(append(layers, nn.NewLinear(rng, 16, 3))...)
	}
	plain := train.WeightGradNorms(deep(false), set.X, set.Y, nn.CrossEntropy)
	if len(plain) != 13 {
		t.Fatalf("got %d norms; want 13", len(plain))
	}
	if r := plain[0] / plain[12]; r > 1e-4 {
		t.Errorf("without BatchNorm first/last = %.3g; want the first layer's gradient vanished (< 1e-4)", r)
	}
	withBN := train.WeightGradNorms(deep(true), set.X, set.Y, nn.CrossEntropy)
	t.Logf("first/last without BatchNorm %.3g, with %.3g", plain[0]/plain[12], withBN[0]/withBN[12])
	if r := withBN[0] / withBN[12]; r < 1e-2 || r > 1e2 {
		t.Errorf("with BatchNorm first/last = %.3g; want within a factor of 100", r)
	}
}

func TestWeightGradNormsPanics(t *testing.T) {
	set := data.Blobs(newRNG(1), 6, 2, 1)
	sum := func(yHat, y *dl.Tensor) *dl.Tensor { return yHat }
	for _, c := range []struct {
		name, want string
		f          func()
	}{
		{"nil model", "train: WeightGradNorms: model is nil", func() { train.WeightGradNorms(nil, set.X, set.Y, nn.CrossEntropy) }},
		{"nil x", "train: WeightGradNorms: x is nil", func() { train.WeightGradNorms(bnNet(1), nil, set.Y, nn.CrossEntropy) }},
		{"nil y", "train: WeightGradNorms: y is nil", func() { train.WeightGradNorms(bnNet(1), set.X, nil, nn.CrossEntropy) }},
		{"nil loss", "train: WeightGradNorms: loss is nil", func() { train.WeightGradNorms(bnNet(1), set.X, set.Y, nil) }},
		{"no weights", "train: WeightGradNorms: the BatchNorm has no weights", func() {
			train.WeightGradNorms(nn.NewBatchNorm(2), set.X, set.Y, nn.CrossEntropy)
		}},
		{"loss not scalar", "train: WeightGradNorms: the loss has shape [6 2]; want a scalar", func() {
			train.WeightGradNorms(bnNet(1), set.X, set.Y, sum)
		}},
	} {
		t.Run(c.name, func(t *testing.T) { testutil.Panics(t, c.want, c.f) })
	}
}

// The gradients that reach the weights of a deep sigmoid network at its
// start shrink layer by layer towards the input: vanishing gradients.
func ExampleWeightGradNorms() {
	rng := rand.New(rand.NewPCG(1, 2))
	set := data.Blobs(rng, 64, 3, 1) // x [64, 2], 3 classes
	model := nn.NewSequential(
		nn.NewLinear(rng, 2, 16), nn.Sigmoid{},
		nn.NewLinear(rng, 16, 16), nn.Sigmoid{},
		nn.NewLinear(rng, 16, 16), nn.Sigmoid{},
		nn.NewLinear(rng, 16, 16), nn.Sigmoid{},
		nn.NewLinear(rng, 16, 3))
	for i, n := range train.WeightGradNorms(model, set.X, set.Y, nn.CrossEntropy) {
		fmt.Printf("layer %d: %.1e\n", i+1, n)
	}
	// Output:
	// layer 1: 6.2e-03
	// layer 2: 1.2e-02
	// layer 3: 2.2e-02
	// layer 4: 8.2e-02
	// layer 5: 2.8e-01
}
