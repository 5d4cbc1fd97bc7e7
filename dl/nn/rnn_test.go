package nn_test

import (
	"bytes"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/dlnb/dlnb/dl"
	"github.com/dlnb/dlnb/dl/nn"
	"github.com/dlnb/dlnb/dl/optim"
	"github.com/dlnb/dlnb/dl/train"
	"github.com/dlnb/dlnb/internal/gradcheck"
	"github.com/dlnb/dlnb/internal/testutil"
)

// setParams writes vals into the parameters of m, in the order of Params.
func setParams(t *testing.T, m nn.Module, vals ...[]float64) {
	t.Helper()
	ps := m.Params()
	if len(ps) != len(vals) {
		t.Fatalf("%d parameters, %d value lists", len(ps), len(vals))
	}
	for i, p := range ps {
		if len(vals[i]) != p.Len() {
			t.Fatalf("parameter %d %v: %d values", i, p.Shape(), len(vals[i]))
		}
		copy(p.Data(), vals[i])
	}
}

// One GRU step with in = hidden = 1, every weight different, so that a
// wrong gate order or a misplaced bias shows. By hand, for x = 0.5 and
// h = −0.3 (Wx, Wh, Bx, Bh in the gate order r, z, n):
//
//	r  = σ(0.5·0.1 + 0.01 + (−0.3)·0.4 − 0.04)   = σ(−0.10) = 0.475020813
//	z  = σ(0.5·0.2 + 0.02 + (−0.3)·(−0.5) + 0.05) = σ(0.32)  = 0.579324252
//	n  = tanh(0.5·0.3 + 0.03 + r·((−0.3)·0.6 − 0.06))
//	   = tanh(0.18 − 0.24·r)                     = 0.065899361
//	h' = (1 − z)·n + z·h                         = −0.146075013
func TestGRUCellByHand(t *testing.T) {
	c := nn.NewGRUCell(newRNG(1), 1, 1)
	setParams(t, c, []float64{0.1, 0.2, 0.3}, []float64{0.4, -0.5, 0.6},
		[]float64{0.01, 0.02, 0.03}, []float64{-0.04, 0.05, -0.06})
	h := c.Step(dl.New([]float64{0.5}, 1, 1), dl.New([]float64{-0.3}, 1, 1))
	if got, want := h.Item(), -0.146075013; !near(got, want, 1e-8) {
		t.Errorf("GRU step: h' = %.9f, by hand %.9f", got, want)
	}
	// From the zero state (Forward), by hand: r = σ(0.01 + 0.05 − 0.04),
	// z = σ(0.1 + 0.02 + 0.05) = σ(0.17), n = tanh(0.18 − 0.06·r),
	// h' = (1 − z)·n.
	r, z := 1/(1+math.Exp(-0.02)), 1/(1+math.Exp(-0.17))
	want := (1 - z) * math.Tanh(0.18-0.06*r)
	if got := c.Forward(dl.New([]float64{0.5}, 1, 1)).Item(); !near(got, want, 1e-12) {
		t.Errorf("GRU Forward from zero: %.9f, want %.9f", got, want)
	}
}

// One LSTM step with in = hidden = 1. By hand, for x = 0.5, h = −0.3 and
// c = 0.8 (Wx, Wh, Bx, Bh in the gate order i, f, g, o):
//
//	i  = σ(0.5·0.1 + 0.01 + (−0.3)·(−0.1) + 0.05)  = σ(0.14)   = 0.534942945
//	f  = σ(0.5·0.2 + 0.02 + (−0.3)·0.5 − 0.06)     = σ(−0.09)  = 0.477515175
//	g  = tanh(0.5·0.3 + 0.03 + (−0.3)·(−0.2) + 0.07) = tanh(0.31) = 0.300437097
//	o  = σ(0.5·0.4 + 0.04 + (−0.3)·0.3 − 0.08)     = σ(0.07)   = 0.517492858
//	c' = f·c + i·g                                 = 0.542728846
//	h' = o·tanh(c')                                = 0.256185264
func TestLSTMCellByHand(t *testing.T) {
	c := nn.NewLSTMCell(newRNG(1), 1, 1)
	setParams(t, c, []float64{0.1, 0.2, 0.3, 0.4}, []float64{-0.1, 0.5, -0.2, 0.3},
		[]float64{0.01, 0.02, 0.03, 0.04}, []float64{0.05, -0.06, 0.07, -0.08})
	h, cs := c.Step(dl.New([]float64{0.5}, 1, 1), dl.New([]float64{-0.3}, 1, 1), dl.New([]float64{0.8}, 1, 1))
	if got, want := cs.Item(), 0.542728846; !near(got, want, 1e-8) {
		t.Errorf("LSTM step: c' = %.9f, by hand %.9f", got, want)
	}
	if got, want := h.Item(), 0.256185264; !near(got, want, 1e-8) {
		t.Errorf("LSTM step: h' = %.9f, by hand %.9f", got, want)
	}
}

// perturb moves every parameter of m away from its initial value, so that
// the gradient checks do not run where the gates all sit near the middle.
func perturb(rng *rand.Rand, m nn.Module) {
	for _, p := range m.Params() {
		for i := range p.Data() {
			p.Data()[i] += 0.3 * rng.NormFloat64()
		}
	}
}

func TestGRUCellGrad(t *testing.T) {
	rng := newRNG(2)
	c := nn.NewGRUCell(rng, 2, 3)
	perturb(rng, c)
	x, h := randn(rng, 2, 2), randn(rng, 2, 3)
	gradcheck.Check(t, func() *dl.Tensor { return weighted(c.Step(x, h)) }, append(c.Params(), x, h)...)
}

func TestLSTMCellGrad(t *testing.T) {
	rng := newRNG(3)
	c := nn.NewLSTMCell(rng, 2, 3)
	perturb(rng, c)
	x, h, cs := randn(rng, 2, 2), randn(rng, 2, 3), randn(rng, 2, 3)
	gradcheck.Check(t, func() *dl.Tensor {
		h2, c2 := c.Step(x, h, cs)
		return dl.Add(weighted(h2), dl.Sum(dl.Mul(c2, c2)))
	}, append(c.Params(), x, h, cs)...)
}

// The cases of the layers' gradient checks: with and without an initial
// state and lengths. Lengths {3, 1} pad the second sequence; {0, 2} leave
// the first with no real step (its state stays the initial one) and make
// the last step padding for both.
var rnnGradCases = []struct {
	name    string
	initial bool
	lengths []int
}{
	{"plain", false, nil},
	{"initial", true, nil},
	{"lengths", false, []int{3, 1}},
	{"initial+lengths", true, []int{3, 1}},
	{"initial+empty", true, []int{0, 2}},
}

// rnnLayer is a GRU or an LSTM with Run's arguments as one list of
// states: h0 for a GRU, h0 and c0 for an LSTM.
type rnnLayer struct {
	name   string
	states int
	layer  func(rng *rand.Rand, in, hidden int) nn.Module
	// run returns Run's outputs and last states.
	run func(m nn.Module, x *dl.Tensor, states []*dl.Tensor, lengths []int) (*dl.Tensor, []*dl.Tensor)
}

var rnnLayers = []rnnLayer{
	{"GRU", 1, func(rng *rand.Rand, in, hidden int) nn.Module { return nn.NewGRU(rng, in, hidden) },
		func(m nn.Module, x *dl.Tensor, s []*dl.Tensor, lengths []int) (*dl.Tensor, []*dl.Tensor) {
			out, last := m.(*nn.GRU).Run(x, s[0], lengths)
			return out, []*dl.Tensor{last}
		}},
	{"LSTM", 2, func(rng *rand.Rand, in, hidden int) nn.Module { return nn.NewLSTM(rng, in, hidden) },
		func(m nn.Module, x *dl.Tensor, s []*dl.Tensor, lengths []int) (*dl.Tensor, []*dl.Tensor) {
			out, h, c := m.(*nn.LSTM).Run(x, s[0], s[1], lengths)
			return out, []*dl.Tensor{h, c}
		}},
}

// Gradients through time: through every output and the last states, to
// the inputs, the initial states and every parameter.
func TestRNNGrad(t *testing.T) {
	for _, l := range rnnLayers {
		for _, tc := range rnnGradCases {
			t.Run(l.name+"/"+tc.name, func(t *testing.T) {
				rng := newRNG(4)
				m := l.layer(rng, 2, 3)
				perturb(rng, m)
				x := randn(rng, 2, 3, 2)
				wrt := append(m.Params(), x)
				initial := make([]*dl.Tensor, l.states) // nil: the zero state
				if tc.initial {
					for i := range initial {
						initial[i] = randn(rng, 2, 3)
						wrt = append(wrt, initial[i])
					}
				}
				gradcheck.Check(t, func() *dl.Tensor {
					out, last := l.run(m, x, initial, tc.lengths)
					loss := weighted(out)
					for _, s := range last {
						loss = dl.Add(loss, dl.Sum(dl.Mul(s, s)))
					}
					return loss
				}, wrt...)
			})
		}
		t.Run(l.name+"/Forward", func(t *testing.T) {
			rng := newRNG(5)
			m := l.layer(rng, 2, 3)
			x := randn(rng, 2, 4, 2)
			gradcheck.Check(t, func() *dl.Tensor { return weighted(m.Forward(x)) }, append(m.Params(), x)...)
		})
	}
}

// The layers give what stepping the cell by hand gives.
func TestRNNLayerMatchesCell(t *testing.T) {
	rng := newRNG(8)
	g, l := nn.NewGRU(rng, 2, 3), nn.NewLSTM(rng, 2, 3)
	x := dl.Randn(rng, 2, 4, 2)
	h0, c0 := dl.Randn(rng, 2, 3), dl.Randn(rng, 2, 3)
	gOut, gLast := g.Run(x, h0, nil)
	lOut, lH, lC := l.Run(x, h0, c0, nil)
	gh, lh, lc := h0, h0, c0
	for step := range 4 {
		xt := dl.Reshape(dl.Slice(x, 1, step, step+1), 2, 2)
		gh = g.Cell.Step(xt, gh)
		lh, lc = l.Cell.Step(xt, lh, lc)
		gAt := dl.Reshape(dl.Slice(gOut, 1, step, step+1), 2, 3)
		lAt := dl.Reshape(dl.Slice(lOut, 1, step, step+1), 2, 3)
		if !same(gAt.Data(), gh.Data()) || !same(lAt.Data(), lh.Data()) {
			t.Errorf("step %d: layers give %v and %v, cells %v and %v", step, gAt.Data(), lAt.Data(), gh.Data(), lh.Data())
		}
	}
	if !same(gLast.Data(), gh.Data()) || !same(lH.Data(), lh.Data()) || !same(lC.Data(), lc.Data()) {
		t.Errorf("last states differ from the cells'")
	}
}

// same reports whether a and b agree to 1e-12.
func same(a, b []float64) bool {
	return slices.EqualFunc(a, b, func(u, v float64) bool { return math.Abs(u-v) <= 1e-12 })
}

// Padded steps leave the state unchanged and give zero outputs: a padded
// batch gives, for each sequence, what the sequence alone, unpadded,
// gives, whatever the padding holds; and the last state is each
// sequence's own.
func TestRNNMask(t *testing.T) {
	rng := newRNG(9)
	g, l := nn.NewGRU(rng, 2, 3), nn.NewLSTM(rng, 2, 3)
	const time = 4
	lengths := []int{4, 2, 0}
	x := dl.Randn(rng, 3, time, 2)
	h0, c0 := dl.Randn(rng, 3, 3), dl.Randn(rng, 3, 3)
	// Garbage in the padding must change nothing.
	noisy := x.Clone()
	for b, n := range lengths {
		for s := n; s < time; s++ {
			noisy.Data()[(b*time+s)*2] = 1e3
		}
	}
	gOut, gLast := g.Run(noisy, h0, lengths)
	lOut, lH, lC := l.Run(noisy, h0, c0, lengths)
	for b, n := range lengths {
		row := func(t *dl.Tensor) *dl.Tensor { return dl.Index(t, 0, []int{b}) }
		var gWant, gLastWant, lWant, lHWant, lCWant *dl.Tensor
		if n > 0 {
			xb := dl.Slice(row(x), 1, 0, n)
			gWant, gLastWant = g.Run(xb, row(h0), nil)
			lWant, lHWant, lCWant = l.Run(xb, row(h0), row(c0), nil)
		} else {
			gLastWant, lHWant, lCWant = row(h0), row(h0), row(c0)
		}
		for s := range time {
			// at returns step s of sequence i of t [batch, time, hidden].
			at := func(t *dl.Tensor, i int) []float64 { return dl.Slice(dl.Slice(t, 0, i, i+1), 1, s, s+1).Data() }
			if s < n {
				if !same(at(gOut, b), at(gWant, 0)) || !same(at(lOut, b), at(lWant, 0)) {
					t.Errorf("sequence %d, step %d: padded batch gives %v and %v, the sequence alone %v and %v", b, s, at(gOut, b), at(lOut, b), at(gWant, 0), at(lWant, 0))
				}
				continue
			}
			if slices.ContainsFunc(slices.Concat(at(gOut, b), at(lOut, b)), func(v float64) bool { return v != 0 }) {
				t.Errorf("sequence %d, padded step %d: outputs %v and %v, want zeros", b, s, at(gOut, b), at(lOut, b))
			}
		}
		for _, c := range []struct {
			name      string
			got, want *dl.Tensor
		}{{"GRU last", row(gLast), gLastWant}, {"LSTM h", row(lH), lHWant}, {"LSTM c", row(lC), lCWant}} {
			if !same(c.got.Data(), c.want.Data()) {
				t.Errorf("sequence %d (length %d): %s %v, want the state after its own last step %v", b, n, c.name, c.got.Data(), c.want.Data())
			}
		}
	}
}

func TestRNNPanics(t *testing.T) {
	rng := newRNG(10)
	g, l := nn.NewGRU(rng, 2, 3), nn.NewLSTM(rng, 2, 3)
	x := dl.Zeros(2, 4, 2)
	for _, c := range []struct {
		want string
		f    func()
	}{
		{"nn: NewGRU: sizes in=0, out=3", func() { nn.NewGRU(rng, 0, 3) }},
		{"nn: NewLSTM: sizes in=2, out=0", func() { nn.NewLSTM(rng, 2, 0) }},
		{"nn: NewGRUCell: rng is nil", func() { nn.NewGRUCell(nil, 2, 3) }},
		{"nn: NewLSTMCell: sizes in=-1", func() { nn.NewLSTMCell(rng, -1, 3) }},
		{"nn: GRU: x has shape [2 4 3]; want [batch, time, 2]", func() { g.Run(dl.Zeros(2, 4, 3), nil, nil) }},
		{"nn: GRU: x has shape [4 2]; want [batch, time, 2]", func() { g.Forward(dl.Zeros(4, 2)) }},
		{"nn: LSTM: x has shape [2 0 2]; want [batch, time, 2] with time at least 1", func() { l.Forward(dl.Zeros(2, 0, 2)) }},
		{"nn: GRU: h0 has shape [3 3]; want [2, 3]", func() { g.Run(x, dl.Zeros(3, 3), nil) }},
		{"nn: LSTM: c0 has shape [2 2]; want [2, 3]", func() { l.Run(x, nil, dl.Zeros(2, 2), nil) }},
		{"nn: GRU: 3 lengths for a batch of 2 sequences", func() { g.Run(x, nil, []int{1, 2, 3}) }},
		{"nn: LSTM: lengths[1] = 5 is outside [0, 4]", func() { l.Run(x, nil, nil, []int{1, 5}) }},
		{"nn: GRU: lengths[0] = -1 is outside [0, 4]", func() { g.Run(x, nil, []int{-1, 2}) }},
		{"nn: GRUCell: x has shape [2 3]; want [batch, 2]", func() { g.Cell.Step(dl.Zeros(2, 3), dl.Zeros(2, 3)) }},
		{"nn: GRUCell: h has shape [1 3]; want [2, 3] for x [2 2]", func() { g.Cell.Step(dl.Zeros(2, 2), dl.Zeros(1, 3)) }},
		{"nn: GRUCell: x has shape [2 4 2]; want [batch, 2]", func() { g.Cell.Forward(x) }},
		{"nn: LSTMCell: c has shape [2 4]; want [2, 3] for x [2 2]", func() { l.Cell.Step(dl.Zeros(2, 2), dl.Zeros(2, 3), dl.Zeros(2, 4)) }},
		{"nn: LSTMCell: x has shape [2]; want [batch, 2]", func() { l.Cell.Forward(dl.Zeros(2)) }},
	} {
		testutil.Panics(t, c.want, c.f)
	}
}

// The recurrent layers name their parameters, as the cells do, so that
// train.Save writes them and Load reads them back into a new layer.
func TestRNNNamesAndSave(t *testing.T) {
	rng := newRNG(11)
	for _, c := range []struct {
		m, fresh nn.Module
		x        *dl.Tensor
	}{
		{nn.NewGRU(rng, 2, 3), nn.NewGRU(rng, 2, 3), dl.Randn(rng, 2, 4, 2)},
		{nn.NewLSTM(rng, 2, 3), nn.NewLSTM(rng, 2, 3), dl.Randn(rng, 2, 4, 2)},
		{nn.NewGRUCell(rng, 2, 3), nn.NewGRUCell(rng, 2, 3), dl.Randn(rng, 2, 2)},
		{nn.NewLSTMCell(rng, 2, 3), nn.NewLSTMCell(rng, 2, 3), dl.Randn(rng, 2, 2)},
	} {
		model := nn.NewSequential(c.m, nn.NewLinear(rng, 3, 1))
		if got, want := names(nn.NamedParams(model)), []string{"0.Wx", "0.Wh", "0.Bx", "0.Bh", "1.W", "1.B"}; !slices.Equal(got, want) {
			t.Errorf("%T: names %q, want %q", c.m, got, want)
		}
		if got := tensorsOf(nn.NamedParams(c.m)); !slices.Equal(got, c.m.Params()) {
			t.Errorf("%T: NamedParams do not hold Params in their order", c.m)
		}
		var buf bytes.Buffer
		if err := train.Save(&buf, model); err != nil {
			t.Fatal(err)
		}
		loaded := nn.NewSequential(c.fresh, nn.NewLinear(rng, 3, 1))
		if err := train.Load(&buf, loaded); err != nil {
			t.Fatal(err)
		}
		if a, b := model.Forward(c.x), loaded.Forward(c.x); !slices.Equal(a.Data(), b.Data()) {
			t.Errorf("%T: loaded model gives %v, saved %v", c.m, b.Data(), a.Data())
		}
	}
}

// The initialization is PyTorch's, U(−1/√hidden, 1/√hidden): every
// weight and bias within the bound, and spread over it.
func TestRNNInit(t *testing.T) {
	rng := newRNG(12)
	const hidden = 16
	bound := 1 / math.Sqrt(hidden)
	for _, m := range []nn.Module{nn.NewGRU(rng, 5, hidden), nn.NewLSTM(rng, 5, hidden)} {
		for _, p := range nn.NamedParams(m) {
			lo, hi := slices.Min(p.Tensor.Data()), slices.Max(p.Tensor.Data())
			if lo < -bound || hi > bound || lo > -0.8*bound || hi < 0.8*bound {
				t.Errorf("%T %s: values in [%.3f, %.3f], want spread over [%.3f, %.3f]", m, p.Name, lo, hi, -bound, bound)
			}
		}
	}
}

// A GRU reads a batch of two sequences, the second one step shorter and
// padded: its padded output is zero, and its last state is the state
// after its own last real step.
func ExampleGRU() {
	rng := rand.New(rand.NewPCG(1, 2))
	gru := nn.NewGRU(rng, 1, 2) // 1 feature in, 2 hidden units
	x := dl.New([]float64{
		1, 2, 3, // sequence 0, three steps
		1, 2, 0, // sequence 1, two steps and padding
	}, 2, 3, 1) // [batch 2, time 3, features 1]
	out, last := gru.Run(x, nil, []int{3, 2})
	fmt.Println("out:", out.Shape(), "last:", last.Shape())
	d := out.Data()
	for b := range 2 {
		fmt.Printf("sequence %d: steps %.4f %.4f %.4f, last %.4f\n", b, d[b*6:b*6+2], d[b*6+2:b*6+4], d[b*6+4:b*6+6], last.Data()[b*2:b*2+2])
	}
	// Output:
	// out: [2 3 2] last: [2 2]
	// sequence 0: steps [0.0112 -0.1541] [0.1298 -0.3148] [0.2924 -0.4604], last [0.2924 -0.4604]
	// sequence 1: steps [0.0112 -0.1541] [0.1298 -0.3148] [0.0000 0.0000], last [0.1298 -0.3148]
}

// An LSTM returns the hidden state of every step, and the last hidden and
// cell states, which an initial state for the next call can take.
func ExampleLSTM() {
	rng := rand.New(rand.NewPCG(1, 2))
	lstm := nn.NewLSTM(rng, 3, 4)
	x := dl.Randn(rng, 2, 5, 3) // [batch 2, time 5, features 3]
	out, h, c := lstm.Run(x, nil, nil, nil)
	fmt.Println("out:", out.Shape(), "h:", h.Shape(), "c:", c.Shape())
	more, _, _ := lstm.Run(x, h, c, nil) // go on from where it stopped
	fmt.Println("more:", more.Shape())
	// Output:
	// out: [2 5 4] h: [2 4] c: [2 4]
	// more: [2 5 4]
}

// BenchmarkGRU times a forward and backward pass of a GRU over a batch of
// 32 sequences of 20 steps, 32 features in and 64 hidden units: the size
// of a small seq2seq encoder.
func BenchmarkGRU(b *testing.B) {
	rng := newRNG(13)
	g := nn.NewGRU(rng, 32, 64)
	x := dl.Randn(rng, 32, 20, 32)
	lengths := make([]int, 32)
	for i := range lengths {
		lengths[i] = 5 + i%16
	}
	for b.Loop() {
		out, last := g.Run(x, nil, lengths)
		loss := dl.Add(dl.Sum(out), dl.Sum(last))
		loss.Backward()
		loss.Release()
	}
}

// The layers learn to remember: the target is the sign of a sequence's
// first input, read after 8 more steps of noise, which a network without
// a state that keeps it cannot do better than chance. A GRU and an LSTM,
// with a Linear head on the last state, each trained by Adam (rate 0.01) for 600 steps,
// must classify 90% of fresh sequences right.
func TestRNNLearnsToRemember(t *testing.T) {
	const time, batch, hidden = 9, 32, 8
	for _, l := range rnnLayers {
		t.Run(l.name, func(t *testing.T) {
			rng := newRNG(14)
			rnn := l.layer(rng, 1, hidden)
			head := nn.NewLinear(rng, hidden, 1)
			params := append(rnn.Params(), head.Params()...)
			// sample returns sequences [batch, time, 1] and their labels,
			// 1 where the first input is positive.
			sample := func() (x, y *dl.Tensor) {
				x, y = dl.Randn(rng, batch, time, 1), dl.Zeros(batch)
				for b := range batch {
					if x.Data()[b*time] > 0 {
						y.Data()[b] = 1
					}
				}
				return x, y
			}
			logits := func(x *dl.Tensor) *dl.Tensor {
				_, last := l.run(rnn, x, make([]*dl.Tensor, l.states), nil)
				return dl.Reshape(head.Forward(last[0]), batch)
			}
			opt := optim.NewAdam(0.01)
			for range 600 {
				x, y := sample()
				dl.ZeroGrad(params...)
				loss := nn.BCE(logits(x), y)
				loss.Backward()
				opt.Step(params)
				loss.Release()
			}
			right := 0
			for range 10 {
				x, y := sample()
				for b, v := range logits(x).Data() {
					if (v > 0) == (y.Data()[b] == 1) {
						right++
					}
				}
			}
			acc := float64(right) / (10 * batch)
			if acc < 0.9 {
				t.Errorf("accuracy %.3f on fresh sequences after training; want at least 0.9", acc)
			}
		})
	}
}
