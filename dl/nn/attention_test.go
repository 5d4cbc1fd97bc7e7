package nn_test

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/dlnb/dlnb/internal/gradcheck"
	"github.com/dlnb/dlnb/internal/testutil"

	"github.com/dlnb/dlnb/dl"
	"github.com/dlnb/dlnb/dl/nn"
)

// weighted returns a scalar that depends on every element of y with a
// different weight, so that a gradient check sees each output.
func weighted(y *dl.Tensor) *dl.Tensor {
	w := make([]float64, y.Len())
	for i := range w {
		w[i] = math.Sin(float64(i) + 1)
	}
	return dl.Sum(dl.Mul(y, dl.New(w, y.Shape()...)))
}

func TestMultiHeadAttentionGrad(t *testing.T) {
	for _, causal := range []bool{false, true} {
		t.Run(fmt.Sprint("causal=", causal), func(t *testing.T) {
			rng := newRNG(1)
			m := nn.NewMultiHeadAttention(rng, 4, 2, causal)
			x := randn(rng, 2, 3, 4)
			f := func() *dl.Tensor { return weighted(m.Forward(x)) }
			gradcheck.Check(t, f, append(m.Params(), x)...)
		})
	}
}

func TestResidualGrad(t *testing.T) {
	rng := newRNG(2)
	r := nn.Residual{Inner: nn.NewSequential(nn.NewLinear(rng, 4, 4), nn.Tanh{})}
	x := randn(rng, 3, 4)
	gradcheck.Check(t, func() *dl.Tensor { return weighted(r.Forward(x)) }, append(r.Params(), x)...)
	if got := len(r.Params()); got != 2 {
		t.Errorf("Residual has %d params; want Inner's 2", got)
	}
}

func TestResidualAddsInput(t *testing.T) {
	rng := newRNG(3)
	l := nn.NewLinear(rng, 2, 2)
	x := dl.New([]float64{1, 2, 3, 4}, 2, 2)
	got := nn.Residual{Inner: l}.Forward(x).Data()
	inner := l.Forward(x).Data()
	for i := range got {
		if !near(got[i], x.Data()[i]+inner[i], 1e-12) {
			t.Errorf("element %d: %g; want %g", i, got[i], x.Data()[i]+inner[i])
		}
	}
}

func TestAttentionWeights(t *testing.T) {
	for _, causal := range []bool{false, true} {
		rng := newRNG(4)
		m := nn.NewMultiHeadAttention(rng, 4, 2, causal)
		y := m.Forward(dl.Randn(rng, 2, 5, 4))
		if !slices.Equal(y.Shape(), []int{2, 5, 4}) {
			t.Errorf("causal=%v: output shape %v; want [2 5 4]", causal, y.Shape())
		}
		w := m.Weights
		if !slices.Equal(w.Shape(), []int{2, 2, 5, 5}) {
			t.Fatalf("causal=%v: Weights shape %v; want [2 2 5 5]", causal, w.Shape())
		}
		if w.RequiresGrad() || w.Inputs() != nil {
			t.Errorf("causal=%v: Weights is part of the graph; want it detached", causal)
		}
		d := w.Data()
		for row := range 2 * 2 * 5 {
			i, sum := row%5, 0.0
			for j := range 5 {
				v := d[row*5+j]
				sum += v
				if causal && j > i && v != 0 {
					t.Errorf("causal: row %d (token %d) weight %d is %g; want 0 above the diagonal", row, i, j, v)
				}
				if !causal && v <= 0 {
					t.Errorf("row %d weight %d is %g; want > 0", row, j, v)
				}
			}
			if !near(sum, 1, 1e-12) {
				t.Errorf("causal=%v: row %d sums to %g; want 1", causal, row, sum)
			}
		}
	}
}

// TestAttentionCausality changes the last token and checks that only the
// outputs of the last position change, for the attention layer and for a
// whole block.
func TestAttentionCausality(t *testing.T) {
	rng := newRNG(5)
	for name, m := range map[string]nn.Module{
		"MultiHeadAttention": nn.NewMultiHeadAttention(rng, 4, 2, true),
		"TransformerBlock":   nn.NewTransformerBlock(rng, 4, 2, true),
	} {
		x := dl.Randn(rng, 2, 3, 4)
		y := m.Forward(x).Clone().Data()
		x2 := x.Clone()
		for b := range 2 {
			for k := range 4 {
				x2.Data()[(b*3+2)*4+k] += 1 + float64(k)
			}
		}
		y2 := m.Forward(x2).Data()
		for i := range y {
			pos := i / 4 % 3
			changed := !near(y2[i], y[i], 1e-12)
			if pos < 2 && changed {
				t.Errorf("%s: output %d at position %d changed from %g to %g after changing position 2", name, i, pos, y[i], y2[i])
			}
			if pos == 2 && !changed {
				t.Errorf("%s: output %d at position 2 did not change", name, i)
			}
		}
	}
	// Without the mask, earlier positions do see the change.
	m := nn.NewMultiHeadAttention(rng, 4, 2, false)
	x := dl.Randn(rng, 1, 3, 4)
	y := m.Forward(x).Clone().Data()
	x.Data()[8]++
	if near(m.Forward(x).Data()[0], y[0], 1e-12) {
		t.Error("non-causal: position 0 did not change when position 2 did")
	}
}

func TestAttentionPanics(t *testing.T) {
	rng := newRNG(6)
	m := nn.NewMultiHeadAttention(rng, 4, 2, false)
	for _, tc := range []struct {
		name, want string
		f          func()
	}{
		{"heads do not divide d", "heads must divide d", func() { nn.NewMultiHeadAttention(rng, 5, 2, false) }},
		{"zero heads", "heads must divide d", func() { nn.NewMultiHeadAttention(rng, 4, 0, false) }},
		{"nil rng", "rng is nil", func() { nn.NewMultiHeadAttention(nil, 4, 2, false) }},
		{"2-D input", "want [batch, t, 4]", func() { m.Forward(dl.Zeros(3, 4)) }},
		{"wrong d", "input shape [2 3 5]", func() { m.Forward(dl.Zeros(2, 3, 5)) }},
		{"residual shape", "nn: Residual: input shape [2 4] but Inner gives [2 3]", func() {
			nn.Residual{Inner: nn.NewLinear(rng, 4, 3)}.Forward(dl.Zeros(2, 4))
		}},
	} {
		t.Run(tc.name, func(t *testing.T) { testutil.Panics(t, tc.want, tc.f) })
	}
}

func ExampleMultiHeadAttention() {
	rng := rand.New(rand.NewPCG(1, 2))
	attn := nn.NewMultiHeadAttention(rng, 8, 2, true) // d 8, 2 heads of 4, causal
	x := dl.Randn(rng, 3, 5, 8)                       // 3 sequences of 5 tokens
	y := attn.Forward(x)
	fmt.Println("x:", x.Shape(), "y:", y.Shape(), "weights:", attn.Weights.Shape())
	fmt.Printf("token 0 attends to: %.2f\n", attn.Weights.Data()[:5])
	// Output:
	// x: [3 5 8] y: [3 5 8] weights: [3 2 5 5]
	// token 0 attends to: [1.00 0.00 0.00 0.00 0.00]
}
