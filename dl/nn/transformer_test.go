package nn_test

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/dlnb/dlnb/internal/gradcheck"
	"github.com/dlnb/dlnb/internal/testutil"

	"github.com/dlnb/dlnb/dl"
	"github.com/dlnb/dlnb/dl/nn"
)

func TestTransformerBlockGrad(t *testing.T) {
	for _, causal := range []bool{false, true} {
		t.Run(fmt.Sprint("causal=", causal), func(t *testing.T) {
			rng := newRNG(7)
			b := nn.NewTransformerBlock(rng, 4, 2, causal)
			// Move the LayerNorm parameters off 1 and 0 so that their
			// gradients are checked at a general point.
			for _, p := range slices.Concat(b.Norm1.Params(), b.Norm2.Params()) {
				for i := range p.Data() {
					p.Data()[i] += 0.3 * rng.NormFloat64()
				}
			}
			x := randn(rng, 2, 3, 4)
			f := func() *dl.Tensor { return weighted(b.Forward(x)) }
			gradcheck.Check(t, f, append(b.Params(), x)...)
		})
	}
}

// The block is the composition that its documentation writes out, with
// LayerNorm as the op dl.LayerNorm (ε = 1e-5): holding two nn.LayerNorms
// changes no number.
func TestTransformerBlockMatchesComposition(t *testing.T) {
	rng := newRNG(10)
	b := nn.NewTransformerBlock(rng, 8, 2, true)
	for _, p := range b.Params() { // away from the initial 1s and 0s
		for i := range p.Data() {
			p.Data()[i] += 0.2 * rng.NormFloat64()
		}
	}
	x := dl.Randn(rng, 2, 5, 8)
	h := dl.Add(x, b.Attn.Forward(dl.LayerNorm(x, b.Norm1.Gamma, b.Norm1.Beta, 1e-5)))
	m := dl.GELU(dl.Linear(dl.LayerNorm(h, b.Norm2.Gamma, b.Norm2.Beta, 1e-5), b.FC1.W, b.FC1.B))
	want := dl.Add(h, dl.Linear(m, b.FC2.W, b.FC2.B))
	got := b.Forward(x)
	for i, v := range got.Data() {
		if !near(v, want.Data()[i], 1e-12) {
			t.Fatalf("element %d: %v; the composition gives %v", i, v, want.Data()[i])
		}
	}
	if b.Norm1.Eps != 1e-5 || b.Norm2.Eps != 1e-5 {
		t.Errorf("LayerNorm ε %v and %v; want PyTorch's 1e-5", b.Norm1.Eps, b.Norm2.Eps)
	}
}

func TestTransformerBlockShapes(t *testing.T) {
	rng := newRNG(8)
	b := nn.NewTransformerBlock(rng, 8, 4, false)
	y := b.Forward(dl.Randn(rng, 2, 6, 8))
	if !slices.Equal(y.Shape(), []int{2, 6, 8}) {
		t.Errorf("output shape %v; want [2 6 8]", y.Shape())
	}
	if !slices.Equal(b.Attn.Weights.Shape(), []int{2, 4, 6, 6}) {
		t.Errorf("Weights shape %v; want [2 4 6 6]", b.Attn.Weights.Shape())
	}
	if !slices.Equal(b.FC1.W.Shape(), []int{8, 32}) || !slices.Equal(b.FC2.W.Shape(), []int{32, 8}) {
		t.Errorf("MLP weights %v and %v; want [8 32] and [32 8]", b.FC1.W.Shape(), b.FC2.W.Shape())
	}
	// 4 projections (W, B), 4 LayerNorm vectors, 2 MLP layers (W, B).
	if got := len(b.Params()); got != 8+4+4 {
		t.Errorf("%d params; want 16", got)
	}
}

func TestTransformerBlockPanics(t *testing.T) {
	rng := newRNG(9)
	b := nn.NewTransformerBlock(rng, 4, 2, false)
	for _, tc := range []struct {
		name, want string
		f          func()
	}{
		{"heads do not divide d", "nn: NewTransformerBlock: d=6, heads=4", func() { nn.NewTransformerBlock(rng, 6, 4, false) }},
		{"nil rng", "rng is nil", func() { nn.NewTransformerBlock(nil, 4, 2, false) }},
		{"2-D input", "nn: TransformerBlock: input shape [3 4]", func() { b.Forward(dl.Zeros(3, 4)) }},
		{"wrong d", "want [batch, t, 4]", func() { b.Forward(dl.Zeros(1, 3, 8)) }},
	} {
		t.Run(tc.name, func(t *testing.T) { testutil.Panics(t, tc.want, tc.f) })
	}
}

func ExampleTransformerBlock() {
	rng := rand.New(rand.NewPCG(1, 2))
	gpt := nn.NewSequential( // a tiny GPT-style stack of two causal blocks
		nn.NewTransformerBlock(rng, 16, 4, true),
		nn.NewTransformerBlock(rng, 16, 4, true),
	)
	x := dl.Randn(rng, 2, 10, 16) // 2 sequences of 10 tokens, 16 features
	y := gpt.Forward(x)
	fmt.Println("x:", x.Shape(), "y:", y.Shape(), "params:", len(gpt.Params()))
	// Output:
	// x: [2 10 16] y: [2 10 16] params: 32
}
