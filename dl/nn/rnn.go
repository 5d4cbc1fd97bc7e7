package nn

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/dlnb/dlnb/dl"
)

// This file holds the recurrent layers: the GRU (Cho et al., 2014) and the
// LSTM (Hochreiter & Schmidhuber, 1997), each as a cell that takes one step
// and as a layer that runs the cell over a sequence (see "Recurrent
// layers" in doc.go for padded sequences).
//
// Both follow PyTorch's equations, gate order and initialization, so that
// weights carry over: PyTorch's weight_ih_l0 is Wxᵀ, weight_hh_l0 is Whᵀ,
// bias_ih_l0 is Bx and bias_hh_l0 is Bh (this package keeps weights as
// [in, out], see [Linear]).

// GRUCell is one step of a gated recurrent unit (Cho et al., 2014), as
// PyTorch's nn.GRUCell, for x [batch, in] and h [batch, hidden]:
//
//	r  = σ(x·Wx_r + Bx_r + h·Wh_r + Bh_r)          reset gate
//	z  = σ(x·Wx_z + Bx_z + h·Wh_z + Bh_z)          update gate
//	n  = tanh(x·Wx_n + Bx_n + r ⊙ (h·Wh_n + Bh_n))  candidate state
//	h' = (1 − z) ⊙ n + z ⊙ h
//
// The gates' weights sit side by side in the order r, z, n: columns
// [0, hidden) of Wx and Wh are r's, [hidden, 2·hidden) z's and
// [2·hidden, 3·hidden) n's, and the same for the biases. Where z is near 1
// the unit keeps its state, so information and gradients can travel many
// steps; r lets the candidate forget the old state.
type GRUCell struct {
	Wx *dl.Tensor // [in, 3·hidden]
	Wh *dl.Tensor // [hidden, 3·hidden]
	Bx *dl.Tensor // [3·hidden]
	Bh *dl.Tensor // [3·hidden]
}

// NewGRUCell returns a GRU cell from in inputs to hidden units, every
// weight and bias drawn from U(−1/√hidden, 1/√hidden) as in PyTorch.
// NewGRUCell panics if in or hidden is below 1 or if rng is nil.
func NewGRUCell(rng *rand.Rand, in, hidden int) *GRUCell {
	checkLinear("NewGRUCell", rng, in, hidden)
	return &GRUCell{
		Wx: uniformParam(rng, hidden, in, 3*hidden),
		Wh: uniformParam(rng, hidden, hidden, 3*hidden),
		Bx: uniformParam(rng, hidden, 3*hidden),
		Bh: uniformParam(rng, hidden, 3*hidden),
	}
}

// uniformParam returns a parameter of the given shape drawn from
// U(−1/√hidden, 1/√hidden), PyTorch's initialization of recurrent layers.
func uniformParam(rng *rand.Rand, hidden int, shape ...int) *dl.Tensor {
	a := 1 / math.Sqrt(float64(hidden))
	n := 1
	for _, s := range shape {
		n *= s
	}
	w := make([]float64, n)
	for i := range w {
		w[i] = a * (2*rng.Float64() - 1)
	}
	return dl.Param(dl.New(w, shape...))
}

// In returns the number of inputs of c.
func (c *GRUCell) In() int { return c.Wx.Shape()[0] }

// Hidden returns the number of hidden units of c.
func (c *GRUCell) Hidden() int { return c.Wh.Shape()[0] }

// Step returns the next state h' [batch, hidden] for the input
// x [batch, in] and the state h [batch, hidden]. It panics if the shapes
// do not fit.
func (c *GRUCell) Step(x, h *dl.Tensor) *dl.Tensor {
	notNil("GRUCell", "x", x)
	notNil("GRUCell", "h", h)
	checkStep("GRUCell", x, c.In(), c.Hidden(), "h", h)
	return c.step(dl.Linear(x, c.Wx, c.Bx), h)
}

// step is Step with the input's part already computed: xp = x·Wx + Bx
// [batch, 3·hidden]. The layer computes xp for all steps at once.
func (c *GRUCell) step(xp, h *dl.Tensor) *dl.Tensor {
	hd := c.Hidden()
	hp := dl.Linear(h, c.Wh, c.Bh)
	rz := dl.Sigmoid(dl.Add(dl.Slice(xp, 1, 0, 2*hd), dl.Slice(hp, 1, 0, 2*hd)))
	r, z := dl.Slice(rz, 1, 0, hd), dl.Slice(rz, 1, hd, 2*hd)
	n := dl.Tanh(dl.Add(dl.Slice(xp, 1, 2*hd, 3*hd), dl.Mul(r, dl.Slice(hp, 1, 2*hd, 3*hd))))
	// (1 − z) ⊙ n + z ⊙ h, written as n + z ⊙ (h − n): one product fewer.
	return dl.Add(n, dl.Mul(z, dl.Sub(h, n)))
}

// Forward returns one step from the zero state, Step(x, 0), of shape
// [batch, hidden] for x [batch, in], as PyTorch's GRUCell(x) without a
// state does. It makes a GRUCell a [Module]; a decoder that runs step by
// step calls Step.
func (c *GRUCell) Forward(x *dl.Tensor) *dl.Tensor {
	notNil("GRUCell", "x", x)
	if x.Dim() != 2 {
		panic(fmt.Sprintf("nn: GRUCell: x has shape %v; want [batch, %d]", x.Shape(), c.In()))
	}
	return c.Step(x, dl.Zeros(x.Shape()[0], c.Hidden()))
}

// Params returns Wx, Wh, Bx and Bh.
func (c *GRUCell) Params() []*dl.Tensor { return tensors(c.Parts().Params) }

// Parts names the parameters "Wx", "Wh", "Bx" and "Bh" (see [Named]).
func (c *GRUCell) Parts() Parts {
	return Parts{Params: []NamedTensor{{"Wx", c.Wx}, {"Wh", c.Wh}, {"Bx", c.Bx}, {"Bh", c.Bh}}}
}

// checkStep panics, naming op, unless x is [batch, in] and each state is
// [batch, hidden]; names and states alternate: "h", h, "c", c.
func checkStep(op string, x *dl.Tensor, in, hidden int, states ...any) {
	if x.Dim() != 2 || x.Shape()[1] != in {
		panic(fmt.Sprintf("nn: %s: x has shape %v; want [batch, %d]", op, x.Shape(), in))
	}
	batch := x.Shape()[0]
	for i := 0; i < len(states); i += 2 {
		name, s := states[i].(string), states[i+1].(*dl.Tensor)
		if s.Dim() != 2 || s.Shape()[0] != batch || s.Shape()[1] != hidden {
			panic(fmt.Sprintf("nn: %s: %s has shape %v; want [%d, %d] for x %v", op, name, s.Shape(), batch, hidden, x.Shape()))
		}
	}
}

// GRU runs a [GRUCell] over sequences x [batch, time, in], as PyTorch's
// nn.GRU(in, hidden, batch_first=True) with one layer: the state starts
// at h0 (zero by default) and each step feeds the next. Its parameters are
// those of Cell, named as the cell's ("Wx", "Wh", "Bx", "Bh").
type GRU struct {
	Cell *GRUCell
}

// NewGRU returns a GRU layer from in features to hidden units, initialized
// as [NewGRUCell]: U(−1/√hidden, 1/√hidden), as in PyTorch. It panics if
// in or hidden is below 1 or if rng is nil.
func NewGRU(rng *rand.Rand, in, hidden int) *GRU {
	checkLinear("NewGRU", rng, in, hidden)
	return &GRU{Cell: NewGRUCell(rng, in, hidden)}
}

// Forward returns every hidden state [batch, time, hidden] for
// x [batch, time, in], from the zero state and with no padding:
// Run(x, nil, nil). It makes a GRU a [Module] that fits in a
// [Sequential].
func (g *GRU) Forward(x *dl.Tensor) *dl.Tensor {
	notNil("GRU", "x", x)
	out, _ := g.Run(x, nil, nil)
	return out
}

// Run runs the cell over x [batch, time, in] from the state h0
// [batch, hidden] and returns every hidden state, out
// [batch, time, hidden], and the last state, last [batch, hidden]. A nil
// h0 is the zero state. lengths, if not nil, holds each sequence's real
// length, 0 ≤ lengths[b] ≤ time: past it the state is carried unchanged,
// the output is zero, and last is the state after the sequence's own last
// real step, or h0 for a length of 0 (see "Recurrent layers" in the
// package documentation). A nil lengths means every sequence is time
// steps long.
//
// Run panics if x is not [batch, time, in] with time ≥ 1, if h0 is not
// [batch, hidden], or if lengths does not hold one length in [0, time]
// per sequence.
func (g *GRU) Run(x, h0 *dl.Tensor, lengths []int) (out, last *dl.Tensor) {
	notNil("GRU", "x", x)
	batch, _ := checkSequence("GRU", x, g.Cell.In(), lengths)
	h := initialState("GRU", "h0", h0, batch, g.Cell.Hidden())
	xp := dl.Linear(x, g.Cell.Wx, g.Cell.Bx) // every step's input part at once
	out, states := recur(xp, lengths, []*dl.Tensor{h}, func(xt *dl.Tensor, s []*dl.Tensor) []*dl.Tensor {
		return []*dl.Tensor{g.Cell.step(xt, s[0])}
	})
	return out, states[0]
}

// LSTMCell is one step of a long short-term memory unit (Hochreiter &
// Schmidhuber, 1997, with the forget gate of Gers et al., 2000), as
// PyTorch's nn.LSTMCell, for x [batch, in], the hidden state h
// [batch, hidden] and the cell state c [batch, hidden]:
//
//	i  = σ(x·Wx_i + Bx_i + h·Wh_i + Bh_i)     input gate
//	f  = σ(x·Wx_f + Bx_f + h·Wh_f + Bh_f)     forget gate
//	g  = tanh(x·Wx_g + Bx_g + h·Wh_g + Bh_g)  candidate
//	o  = σ(x·Wx_o + Bx_o + h·Wh_o + Bh_o)     output gate
//	c' = f ⊙ c + i ⊙ g
//	h' = o ⊙ tanh(c')
//
// The gates' weights sit side by side in PyTorch's order i, f, g, o:
// columns [0, hidden) of Wx and Wh are i's, [hidden, 2·hidden) f's,
// [2·hidden, 3·hidden) g's and [3·hidden, 4·hidden) o's, and the same
// for the biases. The cell state c changes only by the gated sum, so its
// gradient flows back many steps without vanishing while f is near 1.
type LSTMCell struct {
	Wx *dl.Tensor // [in, 4·hidden]
	Wh *dl.Tensor // [hidden, 4·hidden]
	Bx *dl.Tensor // [4·hidden]
	Bh *dl.Tensor // [4·hidden]
}

// NewLSTMCell returns an LSTM cell from in inputs to hidden units, every
// weight and bias drawn from U(−1/√hidden, 1/√hidden) as in PyTorch.
// NewLSTMCell panics if in or hidden is below 1 or if rng is nil.
func NewLSTMCell(rng *rand.Rand, in, hidden int) *LSTMCell {
	checkLinear("NewLSTMCell", rng, in, hidden)
	return &LSTMCell{
		Wx: uniformParam(rng, hidden, in, 4*hidden),
		Wh: uniformParam(rng, hidden, hidden, 4*hidden),
		Bx: uniformParam(rng, hidden, 4*hidden),
		Bh: uniformParam(rng, hidden, 4*hidden),
	}
}

// In returns the number of inputs of cell.
func (cell *LSTMCell) In() int { return cell.Wx.Shape()[0] }

// Hidden returns the number of hidden units of cell.
func (cell *LSTMCell) Hidden() int { return cell.Wh.Shape()[0] }

// Step returns the next hidden state h' and cell state c', each
// [batch, hidden], for the input x [batch, in], the hidden state h and
// the cell state c, each [batch, hidden]. It panics if the shapes do not
// fit.
func (cell *LSTMCell) Step(x, h, c *dl.Tensor) (hNext, cNext *dl.Tensor) {
	notNil("LSTMCell", "x", x)
	notNil("LSTMCell", "h", h)
	notNil("LSTMCell", "c", c)
	checkStep("LSTMCell", x, cell.In(), cell.Hidden(), "h", h, "c", c)
	return cell.step(dl.Linear(x, cell.Wx, cell.Bx), h, c)
}

// step is Step with the input's part already computed: xp = x·Wx + Bx
// [batch, 4·hidden].
func (cell *LSTMCell) step(xp, h, c *dl.Tensor) (hNext, cNext *dl.Tensor) {
	hd := cell.Hidden()
	pre := dl.Add(xp, dl.Linear(h, cell.Wh, cell.Bh))
	ifg := dl.Sigmoid(dl.Slice(pre, 1, 0, 2*hd))
	i, f := dl.Slice(ifg, 1, 0, hd), dl.Slice(ifg, 1, hd, 2*hd)
	g := dl.Tanh(dl.Slice(pre, 1, 2*hd, 3*hd))
	o := dl.Sigmoid(dl.Slice(pre, 1, 3*hd, 4*hd))
	cNext = dl.Add(dl.Mul(f, c), dl.Mul(i, g))
	return dl.Mul(o, dl.Tanh(cNext)), cNext
}

// Forward returns the hidden state of one step from the zero state,
// [batch, hidden] for x [batch, in], as PyTorch's LSTMCell(x) without a
// state does (which also returns c). It makes an LSTMCell a [Module]; a
// decoder that runs step by step calls Step.
func (cell *LSTMCell) Forward(x *dl.Tensor) *dl.Tensor {
	notNil("LSTMCell", "x", x)
	if x.Dim() != 2 {
		panic(fmt.Sprintf("nn: LSTMCell: x has shape %v; want [batch, %d]", x.Shape(), cell.In()))
	}
	zero := dl.Zeros(x.Shape()[0], cell.Hidden())
	h, _ := cell.Step(x, zero, zero)
	return h
}

// Params returns Wx, Wh, Bx and Bh.
func (cell *LSTMCell) Params() []*dl.Tensor { return tensors(cell.Parts().Params) }

// Parts names the parameters "Wx", "Wh", "Bx" and "Bh" (see [Named]).
func (cell *LSTMCell) Parts() Parts {
	return Parts{Params: []NamedTensor{{"Wx", cell.Wx}, {"Wh", cell.Wh}, {"Bx", cell.Bx}, {"Bh", cell.Bh}}}
}

// LSTM runs an [LSTMCell] over sequences x [batch, time, in], as
// PyTorch's nn.LSTM(in, hidden, batch_first=True) with one layer: the
// states start at h0 and c0 (zero by default) and each step feeds the
// next. Its parameters are those of Cell, named as the cell's ("Wx",
// "Wh", "Bx", "Bh").
type LSTM struct {
	Cell *LSTMCell
}

// NewLSTM returns an LSTM layer from in features to hidden units,
// initialized as [NewLSTMCell]: U(−1/√hidden, 1/√hidden), as in PyTorch.
// It panics if in or hidden is below 1 or if rng is nil.
func NewLSTM(rng *rand.Rand, in, hidden int) *LSTM {
	checkLinear("NewLSTM", rng, in, hidden)
	return &LSTM{Cell: NewLSTMCell(rng, in, hidden)}
}

// Forward returns every hidden state [batch, time, hidden] for
// x [batch, time, in], from zero states and with no padding:
// Run(x, nil, nil, nil). It makes an LSTM a [Module] that fits in a
// [Sequential].
func (l *LSTM) Forward(x *dl.Tensor) *dl.Tensor {
	notNil("LSTM", "x", x)
	out, _, _ := l.Run(x, nil, nil, nil)
	return out
}

// Run runs the cell over x [batch, time, in] from the hidden state h0 and
// the cell state c0, each [batch, hidden], and returns every hidden state,
// out [batch, time, hidden], and the last hidden and cell states, h and c
// [batch, hidden]. A nil h0 or c0 is the zero state. lengths, if not nil,
// holds each sequence's real length, 0 ≤ lengths[b] ≤ time: past it both
// states are carried unchanged, the output is zero, and h and c are the
// states after the sequence's own last real step, or h0 and c0 for a
// length of 0 (see "Recurrent layers" in the package documentation). A nil
// lengths means every sequence is time steps long.
//
// Run panics if x is not [batch, time, in] with time ≥ 1, if h0 or c0 is
// not [batch, hidden], or if lengths does not hold one length in
// [0, time] per sequence.
func (l *LSTM) Run(x, h0, c0 *dl.Tensor, lengths []int) (out, h, c *dl.Tensor) {
	notNil("LSTM", "x", x)
	batch, _ := checkSequence("LSTM", x, l.Cell.In(), lengths)
	h = initialState("LSTM", "h0", h0, batch, l.Cell.Hidden())
	c = initialState("LSTM", "c0", c0, batch, l.Cell.Hidden())
	xp := dl.Linear(x, l.Cell.Wx, l.Cell.Bx)
	out, states := recur(xp, lengths, []*dl.Tensor{h, c}, func(xt *dl.Tensor, s []*dl.Tensor) []*dl.Tensor {
		h, c := l.Cell.step(xt, s[0], s[1])
		return []*dl.Tensor{h, c}
	})
	return out, states[0], states[1]
}

// Params returns the cell's Wx, Wh, Bx and Bh.
func (g *GRU) Params() []*dl.Tensor { return g.Cell.Params() }

// Parts names the parameters as the cell does, "Wx", "Wh", "Bx" and "Bh"
// (see [Named]).
func (g *GRU) Parts() Parts { return g.Cell.Parts() }

// Params returns the cell's Wx, Wh, Bx and Bh.
func (l *LSTM) Params() []*dl.Tensor { return l.Cell.Params() }

// Parts names the parameters as the cell does, "Wx", "Wh", "Bx" and "Bh"
// (see [Named]).
func (l *LSTM) Parts() Parts { return l.Cell.Parts() }

// checkSequence panics, naming op, unless x is [batch, time, in] with
// time ≥ 1 and lengths is nil or holds one length in [0, time] per
// sequence. It returns batch and time.
func checkSequence(op string, x *dl.Tensor, in int, lengths []int) (batch, time int) {
	s := x.Shape()
	if x.Dim() != 3 || s[2] != in || s[1] < 1 {
		panic(fmt.Sprintf("nn: %s: x has shape %v; want [batch, time, %d] with time at least 1", op, s, in))
	}
	batch, time = s[0], s[1]
	if lengths == nil {
		return batch, time
	}
	if len(lengths) != batch {
		panic(fmt.Sprintf("nn: %s: %d lengths for a batch of %d sequences; give one length per sequence", op, len(lengths), batch))
	}
	for b, n := range lengths {
		if n < 0 || n > time {
			panic(fmt.Sprintf("nn: %s: lengths[%d] = %d is outside [0, %d], the time steps of x %v", op, b, n, time, s))
		}
	}
	return batch, time
}

// initialState returns s, or the zero state [batch, hidden] if s is nil.
// It panics, naming op and the argument, if s is not [batch, hidden].
func initialState(op, name string, s *dl.Tensor, batch, hidden int) *dl.Tensor {
	if s == nil {
		return dl.Zeros(batch, hidden)
	}
	if s.Dim() != 2 || s.Shape()[0] != batch || s.Shape()[1] != hidden {
		panic(fmt.Sprintf("nn: %s: %s has shape %v; want [%d, %d], [batch, hidden]", op, name, s.Shape(), batch, hidden))
	}
	return s
}

// recur runs a cell over the steps of xp [batch, time, k], the input
// parts of the cell's pre-activations, from the states [batch, hidden]
// (h first, then c for an LSTM). step takes xp's step t [batch, k] and the
// states and returns the next states. recur returns the first state of
// every step, [batch, time, hidden], and the last states, each sequence's
// carried past its length with its outputs there zero.
func recur(xp *dl.Tensor, lengths []int, states []*dl.Tensor, step func(xt *dl.Tensor, states []*dl.Tensor) []*dl.Tensor) (*dl.Tensor, []*dl.Tensor) {
	batch, time := xp.Shape()[0], xp.Shape()[1]
	outs := make([]*dl.Tensor, time)
	for t := range time {
		active := activeAt(lengths, t, batch)
		if active == noneActive {
			outs[t] = dl.Zeros(states[0].Shape()...)
			continue
		}
		next := step(stepOf(xp, t), states)
		outs[t] = maskOutput(next[0], lengths, t, active)
		for i := range states {
			states[i] = carry(next[i], states[i], lengths, t, active)
		}
	}
	return stack(outs), states
}

// Which sequences of a batch are still running at a step.
const (
	allActive  = iota // every sequence
	someActive        // some but not all
	noneActive        // none: all are past their lengths
)

// activeAt says which sequences have a real step t (t < their length).
func activeAt(lengths []int, t, batch int) int {
	if lengths == nil {
		return allActive
	}
	n := 0
	for _, l := range lengths {
		if t < l {
			n++
		}
	}
	switch n {
	case batch:
		return allActive
	case 0:
		return noneActive
	}
	return someActive
}

// stepMask returns, for a state [batch, hidden], true at the elements of
// the sequences that have a real step t.
func stepMask(state *dl.Tensor, lengths []int, t int) []bool {
	hidden := state.Shape()[1]
	mask := make([]bool, state.Len())
	for b, l := range lengths {
		if t < l {
			for j := range hidden {
				mask[b*hidden+j] = true
			}
		}
	}
	return mask
}

// maskOutput returns next with zeros in the rows of the sequences past
// their lengths at step t.
func maskOutput(next *dl.Tensor, lengths []int, t, active int) *dl.Tensor {
	if active == allActive {
		return next
	}
	pad := stepMask(next, lengths, t)
	for i := range pad {
		pad[i] = !pad[i]
	}
	return dl.MaskedFill(next, pad, 0)
}

// carry returns the new state: next in the rows of the sequences with a
// real step t, and prev, unchanged, in the others.
func carry(next, prev *dl.Tensor, lengths []int, t, active int) *dl.Tensor {
	if active == allActive {
		return next
	}
	return dl.Where(stepMask(next, lengths, t), next, prev)
}

// stepOf returns step t of xp [batch, time, k] as [batch, k].
func stepOf(xp *dl.Tensor, t int) *dl.Tensor {
	s := xp.Shape()
	return dl.Reshape(dl.Slice(xp, 1, t, t+1), s[0], s[2])
}

// stack joins the states [batch, hidden] of every step into
// [batch, time, hidden].
func stack(states []*dl.Tensor) *dl.Tensor {
	s := states[0].Shape()
	steps := make([]*dl.Tensor, len(states))
	for t, h := range states {
		steps[t] = dl.Reshape(h, s[0], 1, s[1])
	}
	return dl.Concat(1, steps...)
}
