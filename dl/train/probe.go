package train

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/dlnb/dlnb/dl"
	"github.com/dlnb/dlnb/dl/data"
	"github.com/dlnb/dlnb/dl/nn"
	"github.com/dlnb/dlnb/dl/optim"
)

// ProbeConfig holds the settings of [LinearProbe]. The zero value of
// Classes, Steps and LR means its default; L2 means what it says, and 0 is
// no penalty.
type ProbeConfig struct {
	Classes int     // number of classes; 0 means one more than the largest training label
	Steps   int     // full-batch Adam steps; 0 means 300
	LR      float64 // Adam's learning rate; 0 means 0.05
	L2      float64 // the penalty (L2/2)·‖W‖² on the weights (not the bias), ≥ 0
	Seed    uint64  // seeds the head's initial weights
}

// Probe is a linear classifier on frozen features, as [LinearProbe] fits
// it: the features are centred on the training features' mean and divided
// by their overall spread, then a Linear layer gives the logits.
type Probe struct {
	Mean  []float64  // [d], the training features' mean, subtracted first
	Scale float64    // the root mean square of the centred training features, divided by next
	Head  *nn.Linear // [d] → [classes]
}

// Forward returns the probe's logits [n, classes] for features x [n, d].
// It panics if x is nil or not [n, d] with the d the probe was fitted on.
func (p *Probe) Forward(x *dl.Tensor) *dl.Tensor {
	checkTensor("Probe", "x", x)
	if x.Dim() != 2 || x.Shape()[1] != len(p.Mean) {
		panic(fmt.Sprintf("train: Probe: features %v, want [n, %d] as in training", x.Shape(), len(p.Mean)))
	}
	return p.Head.Forward(p.standardize(x))
}

// Params returns the head's weights and bias; Mean and Scale are fixed by
// the training features.
func (p *Probe) Params() []*dl.Tensor { return p.Head.Params() }

// standardize returns (x − Mean)/Scale as a new tensor.
func (p *Probe) standardize(x *dl.Tensor) *dl.Tensor {
	d := len(p.Mean)
	out := make([]float64, x.Len())
	for i, v := range x.Data() {
		out[i] = (v - p.Mean[i%d]) / p.Scale
	}
	return dl.New(out, x.Shape()...)
}

// LinearProbe fits a linear probe: logistic regression (a softmax over a
// Linear layer) on frozen features train.X [n, d] with class labels
// train.Y [n], and returns it with its accuracy on test [m, d]. It is how
// self-supervised methods such as SimCLR (Chen et al., 2020) and MoCo
// (He et al., 2020) are judged: the features are fixed and only the linear
// head learns, so its accuracy says how much of the class the features
// already make linearly readable. The same probe on raw pixels or on PCA
// features is the baseline.
//
// The features are centred on their training mean and divided by one
// number for all of them, their root mean square after centring, so that
// cfg.L2 means the same for features of any scale and no rare feature is
// blown up. Then cfg.Steps full-batch Adam steps minimise the mean
// cross-entropy plus (cfg.L2/2)·‖W‖², starting from the weights of
// nn.NewLinear seeded with cfg.Seed. The problem is convex, so with
// cfg.L2 > 0 there is one best head, and enough steps come close to it
// whatever the start. The work is n·d·classes multiply-adds a step, small
// next to training the network that made the features.
//
// An empty test set gives an accuracy of NaN. LinearProbe panics if a
// tensor is nil, if train.X is not [n, d] with n ≥ 1 or test.X is not
// [m, d], if the labels are not [n] and [m] whole numbers in
// 0..classes-1, or if a setting of cfg is negative or not finite.
func LinearProbe(train, test data.Set, cfg ProbeConfig) (*Probe, float64) {
	const op = "LinearProbe"
	checkTensor(op, "train.X", train.X)
	checkTensor(op, "train.Y", train.Y)
	checkTensor(op, "test.X", test.X)
	checkTensor(op, "test.Y", test.Y)
	if train.X.Dim() != 2 || train.X.Shape()[0] < 1 || train.X.Shape()[1] < 1 {
		panic(fmt.Sprintf("train: LinearProbe: train.X %v, want features [n, d] with n, d ≥ 1", train.X.Shape()))
	}
	n, d := train.X.Shape()[0], train.X.Shape()[1]
	if test.X.Dim() != 2 || test.X.Shape()[1] != d {
		panic(fmt.Sprintf("train: LinearProbe: test.X %v does not fit train.X %v; want [m, %d]", test.X.Shape(), train.X.Shape(), d))
	}
	switch {
	case cfg.Classes < 0 || cfg.Steps < 0:
		panic(fmt.Sprintf("train: LinearProbe: Classes %d, Steps %d; want ≥ 0 (0 for the default)", cfg.Classes, cfg.Steps))
	case !(cfg.LR >= 0) || math.IsInf(cfg.LR, 0):
		panic(fmt.Sprintf("train: LinearProbe: LR %v; want a rate > 0, or 0 for the default 0.05", cfg.LR))
	case !(cfg.L2 >= 0) || math.IsInf(cfg.L2, 0):
		panic(fmt.Sprintf("train: LinearProbe: L2 %v; want a penalty ≥ 0", cfg.L2))
	}
	classes := cfg.Classes
	if classes == 0 {
		for _, v := range train.Y.Data() {
			classes = max(classes, int(v)+1)
		}
	}
	probeLabels("train.Y", train.Y, n, classes)
	probeLabels("test.Y", test.Y, test.X.Shape()[0], classes)
	steps, lr := cfg.Steps, cfg.LR
	if steps == 0 {
		steps = 300
	}
	if lr == 0 {
		lr = 0.05
	}

	p := &Probe{Mean: make([]float64, d)}
	x := train.X.Data()
	for i, v := range x {
		p.Mean[i%d] += v / float64(n)
	}
	ss := 0.0
	for i, v := range x {
		ss += (v - p.Mean[i%d]) * (v - p.Mean[i%d])
	}
	p.Scale = math.Sqrt(ss / float64(len(x)))
	if p.Scale == 0 {
		p.Scale = 1 // every feature is constant: nothing to learn from, nothing to scale
	}
	p.Head = nn.NewLinear(rand.New(rand.NewPCG(cfg.Seed, 0x9b0e)), d, classes)
	xs := p.standardize(train.X)
	opt := optim.NewAdam(lr)
	params := p.Head.Params()
	for range steps {
		dl.ZeroGrad(params...)
		loss := nn.CrossEntropy(p.Head.Forward(xs), train.Y)
		if cfg.L2 > 0 {
			w := p.Head.W
			loss = dl.Add(loss, dl.Mul(dl.Scalar(cfg.L2/2), dl.Sum(dl.Mul(w, w))))
		}
		loss.Backward()
		opt.Step(params)
		loss.Release()
	}
	if test.X.Shape()[0] == 0 {
		return p, math.NaN()
	}
	return p, Accuracy(predict(p, test.X), test.Y)
}

// probeLabels panics unless y holds n whole numbers in 0..classes-1.
func probeLabels(name string, y *dl.Tensor, n, classes int) {
	if y.Dim() != 1 || y.Shape()[0] != n {
		panic(fmt.Sprintf("train: LinearProbe: %s %v, want one label per row: [%d]", name, y.Shape(), n))
	}
	for i, v := range y.Data() {
		if c := int(v); float64(c) != v || c < 0 || c >= classes {
			panic(fmt.Sprintf("train: LinearProbe: %s[%d] = %v is not a class in 0..%d", name, i, v, classes-1))
		}
	}
}
