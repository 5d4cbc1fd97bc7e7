package dl

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// composedAttention is Attention built from the unfused ops, as
// nn.MultiHeadAttention once was: the reference for the fused op.
func composedAttention(q, k, v *Tensor, heads int, causal bool) *Tensor {
	b, t, d := q.shape[0], q.shape[1], q.shape[2]
	dk := d / heads
	split := func(x *Tensor) *Tensor { return Permute(Reshape(x, b, t, heads, dk), 0, 2, 1, 3) }
	scores := Mul(MatMul(split(q), Transpose(split(k))), Scalar(1/math.Sqrt(float64(dk))))
	if causal {
		mask := make([]bool, 0, b*heads*t*t)
		for range b * heads {
			mask = append(mask, causalMask(t)...)
		}
		scores = MaskedFill(scores, mask, math.Inf(-1))
	}
	out := MatMul(Softmax(scores, -1), split(v))
	return Reshape(Permute(out, 0, 2, 1, 3), b, t, d)
}

func TestAttentionMatchesComposed(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	for _, causal := range []bool{false, true} {
		for _, heads := range []int{1, 2, 4} {
			q, k, v := Randn(rng, 2, 5, 8), Randn(rng, 2, 5, 8), Randn(rng, 2, 5, 8)
			got, w := Attention(q, k, v, heads, causal)
			want := composedAttention(q, k, v, heads, causal)
			for i := range want.data {
				if math.Abs(got.data[i]-want.data[i]) > 1e-12 {
					t.Fatalf("causal %v, heads %d: element %d is %v, want %v", causal, heads, i, got.data[i], want.data[i])
				}
			}
			if s := w.Shape(); len(s) != 4 || s[0] != 2 || s[1] != heads || s[2] != 5 || s[3] != 5 {
				t.Errorf("weights shape %v, want [2 %d 5 5]", s, heads)
			}
			for r := range 2 * heads * 5 {
				row, sum := w.data[r*5:(r+1)*5], 0.0
				for c, x := range row {
					sum += x
					if causal && c > r%5 && x != 0 {
						t.Errorf("causal weight of row %d, column %d is %v, want 0", r%5, c, x)
					}
				}
				if math.Abs(sum-1) > 1e-12 {
					t.Errorf("weights row %d sums to %v, want 1", r, sum)
				}
			}
		}
	}
}

// TestAttentionLarge compares Attention with the composed ops, values and
// gradients, on tensors large enough that the heads run in parallel.
func TestAttentionLarge(t *testing.T) {
	rng := rand.New(rand.NewPCG(15, 16))
	const b, tt, d, heads = 4, 32, 32, 4
	in := func() []*Tensor {
		r := rand.New(rand.NewPCG(17, 18))
		return []*Tensor{Param(Randn(r, b, tt, d)), Param(Randn(r, b, tt, d)), Param(Randn(r, b, tt, d))}
	}
	weights := Randn(rng, b, tt, d)
	fused, composed := in(), in()
	out, _ := Attention(fused[0], fused[1], fused[2], heads, true)
	Sum(Mul(out, weights)).Backward()
	want := composedAttention(composed[0], composed[1], composed[2], heads, true)
	Sum(Mul(want, weights)).Backward()
	near := func(what string, got, want []float64) {
		for i := range want {
			if math.Abs(got[i]-want[i]) > 1e-10*(1+math.Abs(want[i])) {
				t.Fatalf("%s: element %d is %v, want %v", what, i, got[i], want[i])
			}
		}
	}
	near("output", out.data, want.data)
	for i, name := range []string{"dq", "dk", "dv"} {
		near(name, fused[i].Grad(), composed[i].Grad())
	}
}

func TestGradientsAttentionLinear(t *testing.T) { runGradCases(t, 9, attentionLinearGradCases) }

// attentionLinearGradCases are the gradient checks of Attention and Linear.
func attentionLinearGradCases(_ *rand.Rand) []gradCase {
	var cases []gradCase
	for _, causal := range []bool{false, true} {
		for _, heads := range []int{1, 2} {
			cases = append(cases,
				gradCase{name: fmt.Sprintf("Attention heads %d causal %v", heads, causal), shapes: [][]int{{2, 3, 4}, {2, 3, 4}, {2, 3, 4}},
					f: func(in []*Tensor) *Tensor { out, _ := Attention(in[0], in[1], in[2], heads, causal); return out }})
		}
	}
	cases = append(cases,
		gradCase{name: "Attention one input as q, k and v", shapes: [][]int{{1, 4, 4}},
			f: func(in []*Tensor) *Tensor { out, _ := Attention(in[0], in[0], in[0], 2, true); return out }},
		gradCase{name: "Linear 2-D", shapes: [][]int{{3, 4}, {4, 2}, {2}},
			f: func(in []*Tensor) *Tensor { return Linear(in[0], in[1], in[2]) }},
		gradCase{name: "Linear 3-D", shapes: [][]int{{2, 3, 4}, {4, 5}, {5}},
			f: func(in []*Tensor) *Tensor { return Linear(in[0], in[1], in[2]) }},
		gradCase{name: "Linear 1-D, no bias", shapes: [][]int{{4}, {4, 3}},
			f: func(in []*Tensor) *Tensor { return Linear(in[0], in[1], nil) }},
	)
	return cases
}

func TestLinearMatchesMatMulAdd(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	x, w, b := Randn(rng, 2, 3, 4), Randn(rng, 4, 5), Randn(rng, 5)
	got, want := Linear(x, w, b), Add(MatMul(x, w), b)
	if !sameShape(got, want) {
		t.Fatalf("shape %v, want %v", got.shape, want.shape)
	}
	for i := range want.data {
		if math.Abs(got.data[i]-want.data[i]) > 1e-12 {
			t.Fatalf("element %d is %v, want %v", i, got.data[i], want.data[i])
		}
	}
}

// sameShape reports whether a and b have the same shape.
func sameShape(a, b *Tensor) bool { return fmt.Sprint(a.shape) == fmt.Sprint(b.shape) }
