package nn_test

import (
	"math"
	"slices"
	"testing"

	"github.com/dlnb/dlnb/internal/gradcheck"
	"github.com/dlnb/dlnb/internal/testutil"

	"github.com/dlnb/dlnb/dl"
	"github.com/dlnb/dlnb/dl/nn"
)

func TestLinearForward(t *testing.T) {
	l := &nn.Linear{
		W: dl.Param(dl.New([]float64{1, 2, 3, 4, 5, 6}, 3, 2)),
		B: dl.Param(dl.New([]float64{10, 20}, 2)),
	}
	x := dl.New([]float64{1, 0, 0, 1, 1, 1}, 2, 3)
	y := l.Forward(x)
	// Row 1: [1 0 0]·W = [1 2]; row 2: [1 1 1]·W = [9 12]; plus B.
	if want := []float64{11, 22, 19, 32}; !slices.Equal(y.Data(), want) || !slices.Equal(y.Shape(), []int{2, 2}) {
		t.Errorf("Forward = %v %v, want [2 2] %v", y.Shape(), y.Data(), want)
	}
}

// A single example [in] gives [out], the row that the same example gives
// in a batch, as in PyTorch and as the op dl.Linear.
func TestLinearOneExample(t *testing.T) {
	rng := newRNG(11)
	for _, l := range []*nn.Linear{nn.NewLinear(rng, 3, 2), nn.NewLinear(rng, 3, 2).WithoutBias()} {
		copy(l.W.Data(), []float64{1, 2, 3, 4, 5, 6})
		if l.B != nil {
			copy(l.B.Data(), []float64{10, 20})
		}
		batch := l.Forward(dl.New([]float64{0, 0, 0, 1, 1, 1}, 2, 3))
		one := l.Forward(dl.New([]float64{1, 1, 1}, 3))
		if !slices.Equal(one.Shape(), []int{2}) || !slices.Equal(one.Data(), batch.Data()[2:]) {
			t.Errorf("Forward of [3] = %v %v; want [2] %v", one.Shape(), one.Data(), batch.Data()[2:])
		}
		if op := dl.Linear(dl.New([]float64{1, 1, 1}, 3), l.W, l.B); !slices.Equal(op.Data(), one.Data()) {
			t.Errorf("the module gives %v, the op dl.Linear %v", one.Data(), op.Data())
		}
		x := randn(rng, 3)
		gradcheck.Check(t, func() *dl.Tensor { return weighted(l.Forward(x)) }, append(l.Params(), x)...)
	}
}

// A Linear without bias computes x·W, lists W alone in Params and Parts,
// and its gradient check passes.
func TestLinearWithoutBias(t *testing.T) {
	rng := newRNG(12)
	l := nn.NewLinear(rng, 4, 3)
	w := slices.Clone(l.W.Data())
	if l.WithoutBias() != l || l.B != nil || !slices.Equal(l.W.Data(), w) {
		t.Fatal("WithoutBias must drop B in place and keep W")
	}
	if ps := l.Params(); len(ps) != 1 || ps[0] != l.W {
		t.Errorf("Params of a Linear without bias: %v; want [W]", ps)
	}
	if names := nn.NamedParams(l); len(names) != 1 || names[0].Name != "W" {
		t.Errorf("NamedParams of a Linear without bias: %v", names)
	}
	x := randn(rng, 5, 4)
	if !slices.Equal(l.Forward(x).Data(), dl.MatMul(x, l.W).Data()) {
		t.Error("a Linear without bias must compute x·W")
	}
	gradcheck.Check(t, func() *dl.Tensor { return weighted(l.Forward(x)) }, l.W, x)
	dl.ZeroGrad(l.Params()...) // no nil entry to crash on

	c := nn.NewConv2D(rng, 2, 3, 3, dl.ConvOptions{Padding: 1}).WithoutBias()
	if ps := c.Params(); c.B != nil || len(ps) != 1 || ps[0] != c.W {
		t.Errorf("Params of a Conv2D without bias: %v", ps)
	}
	img := randn(rng, 1, 2, 4, 4)
	gradcheck.Check(t, func() *dl.Tensor { return weighted(c.Forward(img)) }, c.W, img)
}

func TestLinearGrad(t *testing.T) {
	rng := newRNG(1)
	for _, newLayer := range []func() *nn.Linear{
		func() *nn.Linear { return nn.NewLinear(rng, 4, 3) },
		func() *nn.Linear { return nn.NewLinearHe(rng, 4, 3) },
	} {
		l := newLayer()
		copy(l.B.Data(), []float64{0.1, -0.2, 0.3}) // non-zero bias
		x := randn(rng, 5, 4)
		r := dl.Randn(rng, 5, 3) // a fixed random direction makes every output matter
		gradcheck.Check(t, func() *dl.Tensor { return dl.Sum(dl.Mul(l.Forward(x), r)) }, l.W, l.B, x)
	}
}

func TestLinearInit(t *testing.T) {
	rng := newRNG(2)
	const in, out = 400, 300
	xavier := nn.NewLinear(rng, in, out)
	he := nn.NewLinearHe(rng, in, out)
	for _, l := range []*nn.Linear{xavier, he} {
		if !slices.Equal(l.W.Shape(), []int{in, out}) || !slices.Equal(l.B.Shape(), []int{out}) {
			t.Fatalf("shapes W %v B %v, want [%d %d] and [%d]", l.W.Shape(), l.B.Shape(), in, out, out)
		}
		if !l.W.RequiresGrad() || !l.B.RequiresGrad() {
			t.Error("W and B must be parameters")
		}
		for _, b := range l.B.Data() {
			if b != 0 {
				t.Fatal("bias must start at 0")
			}
		}
	}
	a := math.Sqrt(6.0 / (in + out))
	for _, w := range xavier.W.Data() {
		if math.Abs(w) > a {
			t.Fatalf("Xavier weight %v outside ±%v", w, a)
		}
	}
	// The standard deviations of 120000 draws are within 2% of the target.
	if got, want := stdOf(xavier.W.Data()), a/math.Sqrt(3); !near(got, want, 0.02) {
		t.Errorf("Xavier std %v, want %v", got, want)
	}
	if got, want := stdOf(he.W.Data()), math.Sqrt(2.0/in); !near(got, want, 0.02) {
		t.Errorf("He std %v, want %v", got, want)
	}
	// The same seed gives the same weights.
	if !slices.Equal(nn.NewLinear(newRNG(3), 2, 3).W.Data(), nn.NewLinear(newRNG(3), 2, 3).W.Data()) {
		t.Error("NewLinear is not deterministic for a seed")
	}
}

func stdOf(v []float64) float64 {
	var s, s2 float64
	for _, x := range v {
		s += x
		s2 += x * x
	}
	n := float64(len(v))
	return math.Sqrt(s2/n - (s/n)*(s/n))
}

func TestPanics(t *testing.T) {
	rng := newRNG(4)
	l := nn.NewLinear(rng, 2, 16)
	tests := []struct {
		name, want string
		f          func()
	}{
		{"Linear input", "nn: Linear: input shape [32 3] does not fit weights [2 16]", func() { l.Forward(dl.Zeros(32, 3)) }},
		{"Linear 1-D input", "nn: Linear: input shape [3] does not fit weights [2 16]; want [batch 2] or [2]", func() { l.Forward(dl.Zeros(3)) }},
		{"Linear scalar input", "nn: Linear: input shape [] does not fit weights [2 16]", func() { l.Forward(dl.Scalar(1)) }},
		{"NewLinear size", "nn: NewLinear: sizes in=0, out=3", func() { nn.NewLinear(rng, 0, 3) }},
		{"NewLinearHe nil rng", "nn: NewLinearHe: rng is nil", func() { nn.NewLinearHe(nil, 2, 3) }},
		{"MLP one size", "nn: MLP: sizes [3]", func() { nn.MLP(rng, 3) }},
		{"Sequential nil", "nn: NewSequential: layer 1 is nil", func() { nn.NewSequential(nn.ReLU{}, nil) }},
		{"MSE", "nn: MSE: shapes [4 2] and [4 3] do not fit", func() { nn.MSE(dl.Zeros(4, 2), dl.Zeros(4, 3)) }},
		{"MSE column", "nn: MSE: shapes [4 1] and [3] do not fit", func() { nn.MSE(dl.Zeros(4, 1), dl.Zeros(3)) }},
		{"Huber", "nn: Huber: shapes [4 2] and [4 3] do not fit", func() { nn.Huber(dl.Zeros(4, 2), dl.Zeros(4, 3), 1) }},
		{"Huber delta", "nn: Huber: delta 0; want a positive threshold", func() { nn.Huber(dl.Zeros(2), dl.Zeros(2), 0) }},
		{"BCE two columns", "nn: BCE: shapes [4 2] and [4 2] do not fit", func() { nn.BCE(dl.Zeros(4, 2), dl.Zeros(4, 2)) }},
		{"BCE length", "nn: BCE: shapes [4] and [5] do not fit", func() { nn.BCE(dl.Zeros(4), dl.Zeros(5)) }},
		{"BCE target", "nn: BCE: target -1 at index 1 is not in [0, 1]", func() { nn.BCE(dl.Zeros(2), dl.New([]float64{1, -1})) }},
		{"CrossEntropy rows", "nn: CrossEntropy: logits [4 3] and labels [5] do not fit", func() { nn.CrossEntropy(dl.Zeros(4, 3), dl.Zeros(5)) }},
		{"CrossEntropy labels 2-D", "nn: CrossEntropy: logits [4 3] and labels [4 1] do not fit", func() { nn.CrossEntropy(dl.Zeros(4, 3), dl.Zeros(4, 1)) }},
		{"CrossEntropy logits 1-D", "nn: CrossEntropy: logits [4] and labels [4] do not fit", func() { nn.CrossEntropy(dl.Zeros(4), dl.Zeros(4)) }},
		{"CrossEntropy label range", "nn: CrossEntropy: label 3 at index 1 is not a class in 0..2", func() { nn.CrossEntropy(dl.Zeros(2, 3), dl.New([]float64{0, 3})) }},
		{"CrossEntropy label fraction", "nn: CrossEntropy: label 0.5 at index 0", func() { nn.CrossEntropy(dl.Zeros(2, 3), dl.New([]float64{0.5, 1})) }},
		{"Hinge shapes", "nn: Hinge: shapes [3 1] and [4] do not fit", func() { nn.Hinge(dl.Zeros(3, 1), dl.Zeros(4)) }},
		{"Hinge label", "nn: Hinge: label 0 at index 0 is not -1 or +1", func() { nn.Hinge(dl.Zeros(2), dl.New([]float64{0, 1})) }},
		{"Perceptron input", "nn: Perceptron: input of length 3 does not fit 2 weights", func() { nn.NewPerceptron(2).Predict([]float64{1, 2, 3}) }},
		{"Perceptron label", "nn: Perceptron: label -1 is not 0 or 1", func() { nn.NewPerceptron(2).Update([]float64{1, 2}, -1) }},
		{"Perceptron Fit", "nn: Perceptron: Fit: 2 examples but 1 labels", func() { nn.NewPerceptron(1).Fit([][]float64{{1}, {2}}, []float64{1}, 3) }},
		{"NewPerceptron", "nn: NewPerceptron: 0 inputs", func() { nn.NewPerceptron(0) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { testutil.Panics(t, tt.want, tt.f) })
	}
}

func TestSequentialAndMLP(t *testing.T) {
	rng := newRNG(5)
	m := nn.MLP(rng, 3, 5, 4, 2)
	var kinds []string
	for _, l := range m.Layers {
		switch l.(type) {
		case *nn.Linear:
			kinds = append(kinds, "Linear")
		case nn.ReLU:
			kinds = append(kinds, "ReLU")
		default:
			kinds = append(kinds, "?")
		}
	}
	if want := []string{"Linear", "ReLU", "Linear", "ReLU", "Linear"}; !slices.Equal(kinds, want) {
		t.Errorf("MLP layers %v, want %v", kinds, want)
	}
	ps := m.Params()
	if len(ps) != 6 || ps[0] != m.Layers[0].(*nn.Linear).W || ps[5] != m.Layers[4].(*nn.Linear).B {
		t.Errorf("Params: %d tensors, want W1 B1 W2 B2 W3 B3 in order", len(ps))
	}
	x := randn(rng, 6, 3)
	if y := m.Forward(x); !slices.Equal(y.Shape(), []int{6, 2}) {
		t.Errorf("Forward shape %v, want [6 2]", y.Shape())
	}
	r := dl.Randn(rng, 6, 2)
	gradcheck.Check(t, func() *dl.Tensor { return dl.Sum(dl.Mul(m.Forward(x), r)) }, append(ps, x)...)

	// A Sequential of mixed activations, and an empty one.
	s := nn.NewSequential(nn.NewLinear(rng, 3, 4), nn.Tanh{}, nn.NewLinear(rng, 4, 4), nn.Sigmoid{}, nn.NewLinear(rng, 4, 1))
	gradcheck.Check(t, func() *dl.Tensor { return dl.Sum(s.Forward(x)) }, append(s.Params(), x)...)
	if e := nn.NewSequential(); e.Forward(x) != x || e.Params() != nil {
		t.Error("an empty Sequential must return its input and no params")
	}
}

func TestActivations(t *testing.T) {
	rng := newRNG(6)
	tests := []struct {
		name string
		m    nn.Module
		f    func(float64) float64
	}{
		{"ReLU", nn.ReLU{}, func(v float64) float64 { return max(v, 0) }},
		{"Sigmoid", nn.Sigmoid{}, func(v float64) float64 { return 1 / (1 + math.Exp(-v)) }},
		{"Tanh", nn.Tanh{}, math.Tanh},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.m.Params() != nil {
				t.Error("an activation has no params")
			}
			x := randn(rng, 3, 4)
			y := tt.m.Forward(x)
			if !slices.Equal(y.Shape(), x.Shape()) {
				t.Fatalf("shape %v, want %v", y.Shape(), x.Shape())
			}
			for i, v := range x.Data() {
				if !near(y.Data()[i], tt.f(v), 1e-15) {
					t.Errorf("%s(%v) = %v, want %v", tt.name, v, y.Data()[i], tt.f(v))
				}
			}
			r := dl.Randn(rng, 3, 4)
			gradcheck.Check(t, func() *dl.Tensor { return dl.Sum(dl.Mul(tt.m.Forward(x), r)) }, x)
		})
	}
}
