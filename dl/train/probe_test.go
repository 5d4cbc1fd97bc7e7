package train_test

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/dlnb/dlnb/dl"
	"github.com/dlnb/dlnb/dl/data"
	"github.com/dlnb/dlnb/dl/train"
	"github.com/dlnb/dlnb/internal/testutil"
)

// blobFeatures returns 4 well separated Gaussian blobs in 2-D, padded to
// d features with pure noise, split into a training and a test set.
func blobFeatures(seed uint64, n, d int) (tr, te data.Set) {
	rng := rand.New(rand.NewPCG(seed, 5))
	b := data.Blobs(rng, 2*n, 4, 0.3)
	noise := dl.Randn(rng, 2*n, d-2)
	all := data.Set{X: dl.Concat(1, b.X, noise), Y: b.Y}
	return all.Slice(0, n), all.Slice(n, 2*n)
}

func TestLinearProbeSeparable(t *testing.T) {
	tr, te := blobFeatures(1, 200, 10)
	p, acc := train.LinearProbe(tr, te, train.ProbeConfig{L2: 1e-3})
	if acc < 0.99 {
		t.Errorf("test accuracy %.3f on 4 separated blobs, want ≥ 0.99", acc)
	}
	if got := p.Forward(te.X).Shape(); !slices.Equal(got, []int{200, 4}) {
		t.Errorf("Forward gives %v, want [200 4]: one logit per class found in the labels", got)
	}
	if got := train.Accuracy(train.Predict(p, te.X), te.Y); got != acc {
		t.Errorf("Predict with the probe gives accuracy %v, LinearProbe said %v", got, acc)
	}
	// The same call, the same probe, bit for bit.
	q, acc2 := train.LinearProbe(tr, te, train.ProbeConfig{L2: 1e-3})
	if acc2 != acc || !slices.Equal(q.Head.W.Data(), p.Head.W.Data()) {
		t.Errorf("a second run gave another probe")
	}
	// Classes sets the number of outputs.
	if w, _ := train.LinearProbe(tr, te, train.ProbeConfig{Classes: 6}); w.Head.W.Shape()[1] != 6 {
		t.Errorf("Classes 6: head %v, want 6 outputs", w.Head.W.Shape())
	}
}

// TestLinearProbeScaleFree checks that the features' scale does not matter:
// the probe centres and scales them itself, so features times 1000 give
// the same predictions.
func TestLinearProbeScaleFree(t *testing.T) {
	tr, te := blobFeatures(2, 100, 6)
	times := func(s data.Set, k float64) data.Set { return data.Set{X: dl.Mul(s.X, dl.Scalar(k)), Y: s.Y} }
	p, acc := train.LinearProbe(tr, te, train.ProbeConfig{L2: 1e-2, Steps: 100})
	q, accBig := train.LinearProbe(times(tr, 1000), times(te, 1000), train.ProbeConfig{L2: 1e-2, Steps: 100})
	if acc != accBig {
		t.Errorf("accuracy %v, and %v with the features ×1000", acc, accBig)
	}
	if math.Abs(q.Scale/p.Scale-1000) > 1e-6 {
		t.Errorf("Scale %v and %v, want a ratio of 1000", p.Scale, q.Scale)
	}
	for i, w := range p.Head.W.Data() {
		if math.Abs(w-q.Head.W.Data()[i]) > 1e-6 {
			t.Fatalf("weight %d: %v, and %v with the features ×1000", i, w, q.Head.W.Data()[i])
		}
	}
}

// TestLinearProbeL2 checks that the penalty shrinks the weights, and that
// with few examples in many noisy dimensions it helps on test data.
func TestLinearProbeL2(t *testing.T) {
	tr, te := blobFeatures(3, 20, 50)
	norm := func(p *train.Probe) float64 {
		s := 0.0
		for _, w := range p.Head.W.Data() {
			s += w * w
		}
		return math.Sqrt(s)
	}
	none, accNone := train.LinearProbe(tr, te, train.ProbeConfig{})
	some, accSome := train.LinearProbe(tr, te, train.ProbeConfig{L2: 0.1})
	if !(norm(some) < norm(none)/2) {
		t.Errorf("‖W‖ = %.3f with L2 0.1 and %.3f without; want less than half", norm(some), norm(none))
	}
	if accSome < accNone {
		t.Errorf("20 examples in 50 dimensions: test accuracy %.3f with L2 0.1, %.3f without; want no worse", accSome, accNone)
	}
}

func TestLinearProbePanics(t *testing.T) {
	tr, te := blobFeatures(4, 10, 3)
	cfg := train.ProbeConfig{}
	for _, c := range []struct {
		want     string
		tr, te   data.Set
		probeCfg train.ProbeConfig
	}{
		{"train: LinearProbe: train.X is nil", data.Set{Y: tr.Y}, te, cfg},
		{"train: LinearProbe: test.Y is nil", tr, data.Set{X: te.X}, cfg},
		{"train: LinearProbe: train.X [10 3 1], want features [n, d]", data.Set{X: dl.Reshape(tr.X, 10, 3, 1), Y: tr.Y}, te, cfg},
		{"train: LinearProbe: train.X [0 3], want features [n, d] with n, d ≥ 1", data.Set{X: dl.Zeros(0, 3), Y: dl.Zeros(0)}, te, cfg},
		{"train: LinearProbe: test.X [10 4] does not fit train.X [10 3]; want [m, 3]", tr, data.Set{X: dl.Zeros(10, 4), Y: te.Y}, cfg},
		{"train: LinearProbe: train.Y [9], want one label per row: [10]", data.Set{X: tr.X, Y: dl.Zeros(9)}, te, cfg},
		{"train: LinearProbe: train.Y[0] = 0.5 is not a class in 0..0", data.Set{X: tr.X, Y: dl.Full(0.5, 10)}, te, cfg},
		{"train: LinearProbe: test.Y[0] = 7 is not a class in 0..3", tr, data.Set{X: te.X, Y: dl.Full(7, 10)}, cfg},
		{"train: LinearProbe: Classes -1, Steps 0; want ≥ 0", tr, te, train.ProbeConfig{Classes: -1}},
		{"train: LinearProbe: LR -1; want a rate > 0", tr, te, train.ProbeConfig{LR: -1}},
		{"train: LinearProbe: L2 NaN; want a penalty ≥ 0", tr, te, train.ProbeConfig{L2: math.NaN()}},
	} {
		testutil.Panics(t, c.want, func() { train.LinearProbe(c.tr, c.te, c.probeCfg) })
	}
	p, _ := train.LinearProbe(tr, te, cfg)
	testutil.Panics(t, "train: Probe: x is nil", func() { p.Forward(nil) })
	testutil.Panics(t, "train: Probe: features [2 5], want [n, 3] as in training", func() { p.Forward(dl.Zeros(2, 5)) })
}

func ExampleLinearProbe() {
	// Features of 3 classes that one direction separates, plus noise.
	rng := rand.New(rand.NewPCG(1, 2))
	all := data.Blobs(rng, 600, 3, 0.5)
	tr, te := all.Slice(0, 300), all.Slice(300, 600)
	probe, acc := train.LinearProbe(tr, te, train.ProbeConfig{L2: 1e-3})
	fmt.Println("head:", probe.Head.W.Shape())
	fmt.Printf("test accuracy: %.2f\n", acc)
	// Output:
	// head: [2 3]
	// test accuracy: 1.00
}
