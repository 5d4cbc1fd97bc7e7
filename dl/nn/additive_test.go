package nn_test

import (
	"fmt"
	"math"
	"slices"
	"testing"

	"github.com/dlnb/dlnb/dl"
	"github.com/dlnb/dlnb/dl/nn"
	"github.com/dlnb/dlnb/internal/gradcheck"
	"github.com/dlnb/dlnb/internal/testutil"
)

// attenders returns the attention types under test, for queries of q and
// keys of k features; the plain dot product only where q == k.
func attenders(seed uint64, q, k int) map[string]nn.Attender {
	rng := newRNG(seed)
	m := map[string]nn.Attender{
		"additive": nn.NewAdditiveAttention(rng, q, k, 5),
		"general":  nn.NewDotAttention(rng, q, k),
	}
	if q == k {
		m["dot"] = &nn.DotAttention{}
	}
	return m
}

// padMask is the mask [batch, time] of sequences of the given lengths.
func padMask(time int, lengths ...int) *dl.Tensor {
	m := make([]float64, len(lengths)*time)
	for b, n := range lengths {
		for t := range n {
			m[b*time+t] = 1
		}
	}
	return dl.New(m, len(lengths), time)
}

// TestAttenderGrad checks the gradients of the context and the weights
// with respect to the query, the keys and the parameters, with and
// without a mask.
func TestAttenderGrad(t *testing.T) {
	for _, masked := range []bool{false, true} {
		for name, a := range attenders(1, 3, 3) {
			t.Run(fmt.Sprintf("%s/masked=%v", name, masked), func(t *testing.T) {
				rng := newRNG(2)
				query, keys := randn(rng, 3, 3), randn(rng, 3, 4, 3)
				var mask *dl.Tensor
				if masked {
					mask = padMask(4, 4, 1, 2)
				}
				f := func() *dl.Tensor {
					c, w := a.Attend(query, keys, mask)
					return dl.Add(weighted(c), weighted(dl.Mul(w, w)))
				}
				gradcheck.Check(t, f, append(a.Params(), query, keys)...)
			})
		}
	}
	// Queries and keys of different sizes.
	for name, a := range attenders(3, 2, 4) {
		t.Run(name+"/q=2,k=4", func(t *testing.T) {
			rng := newRNG(4)
			query, keys := randn(rng, 2, 2), randn(rng, 2, 3, 4)
			mask := padMask(3, 2, 3)
			f := func() *dl.Tensor {
				c, w := a.Attend(query, keys, mask)
				return dl.Add(weighted(c), weighted(dl.Mul(w, w)))
			}
			gradcheck.Check(t, f, append(a.Params(), query, keys)...)
		})
	}
}

// TestAttenderMask checks that a padded step gets weight exactly 0, that
// the rows sum to 1, that padding changes neither the context nor the
// weights of the real steps (against the same sequence unpadded), and that
// no gradient reaches a padded key.
func TestAttenderMask(t *testing.T) {
	for name, a := range attenders(5, 3, 3) {
		t.Run(name, func(t *testing.T) {
			rng := newRNG(6)
			query, keys := randn(rng, 2, 3), randn(rng, 2, 5, 3)
			keys.Data()[1*15+4*3] = 1e6 // a huge padded key must not matter
			ctx, w := a.Attend(query, keys, padMask(5, 5, 2))
			for b := range 2 {
				sum := 0.0
				for t := range 5 {
					sum += w.Data()[b*5+t]
				}
				if math.Abs(sum-1) > 1e-12 {
					t.Errorf("row %d of the weights sums to %v", b, sum)
				}
			}
			if got := w.Data()[5+2 : 10]; !slices.Equal(got, []float64{0, 0, 0}) {
				t.Errorf("weights of the padded steps %v, want exactly 0", got)
			}
			// Sequence 1 alone, its 2 steps unpadded.
			q1 := dl.New(slices.Clone(query.Data()[3:]), 1, 3)
			k1 := dl.New(slices.Clone(keys.Data()[15:15+6]), 1, 2, 3)
			ctx1, w1 := a.Attend(q1, k1, nil)
			for i, v := range ctx1.Data() {
				if !near(ctx.Data()[3+i], v, 1e-12) {
					t.Errorf("context[1, %d] = %v padded, %v unpadded", i, ctx.Data()[3+i], v)
				}
			}
			for i, v := range w1.Data() {
				if !near(w.Data()[5+i], v, 1e-12) {
					t.Errorf("weight[1, %d] = %v padded, %v unpadded", i, w.Data()[5+i], v)
				}
			}
			dl.ZeroGrad(keys)
			weighted(ctx).Backward()
			for i, g := range keys.Grad()[15+6:] {
				if g != 0 {
					t.Errorf("gradient %v at padded key element %d, want 0", g, i)
				}
			}
		})
	}
}

// TestAdditiveAttentionByHand checks one case against the formula
// eⱼ = vᵀ tanh(W s + U hⱼ + b) written out with numbers.
func TestAdditiveAttentionByHand(t *testing.T) {
	a := nn.NewAdditiveAttention(newRNG(7), 1, 2, 2)
	copy(a.W.W.Data(), []float64{1, -1})           // [1, 2]
	copy(a.W.B.Data(), []float64{0.5, 0})          // [2]
	copy(a.U.W.Data(), []float64{1, 0, 0, 2})      // [2, 2]: identity with a 2
	copy(a.V.Data(), []float64{1, 3})              // [2, 1]
	query := dl.New([]float64{0.2}, 1, 1)          // s
	keys := dl.New([]float64{1, 0, 0, 1}, 1, 2, 2) // h₀ = (1, 0), h₁ = (0, 1)
	ctx, w := a.Attend(query, keys, nil)
	// W s + b = (0.7, −0.2); U h₀ = (1, 0), U h₁ = (0, 2).
	e0 := math.Tanh(1.7) + 3*math.Tanh(-0.2)
	e1 := math.Tanh(0.7) + 3*math.Tanh(1.8)
	w0 := math.Exp(e0) / (math.Exp(e0) + math.Exp(e1))
	w1 := 1 - w0
	want := []float64{w0, w1}
	for i, v := range w.Data() {
		if !near(v, want[i], 1e-12) {
			t.Errorf("weight %d = %v, want %v", i, v, want[i])
		}
	}
	// context = w0·(1, 0) + w1·(0, 1)
	for i, v := range ctx.Data() {
		if !near(v, want[i], 1e-12) {
			t.Errorf("context %d = %v, want %v", i, v, want[i])
		}
	}
	if !slices.Equal(ctx.Shape(), []int{1, 2}) || !slices.Equal(w.Shape(), []int{1, 2}) {
		t.Errorf("shapes: context %v, weights %v; want [1 2] and [1 2]", ctx.Shape(), w.Shape())
	}
}

// TestDotAttentionByHand checks Luong's scores sᵀ W h and sᵀ h.
func TestDotAttentionByHand(t *testing.T) {
	query := dl.New([]float64{1, 2}, 1, 2)
	keys := dl.New([]float64{1, 0, 0, 1, 1, 1}, 1, 3, 2)
	check := func(name string, a *nn.DotAttention, scores []float64) {
		t.Helper()
		_, w := a.Attend(query, keys, padMask(3, 2))
		z := math.Exp(scores[0]) + math.Exp(scores[1])
		want := []float64{math.Exp(scores[0]) / z, math.Exp(scores[1]) / z, 0}
		for i, v := range w.Data() {
			if !near(v, want[i], 1e-12) {
				t.Errorf("%s: weight %d = %v, want %v", name, i, v, want[i])
			}
		}
	}
	check("dot", &nn.DotAttention{}, []float64{1, 2})
	g := nn.NewDotAttention(newRNG(8), 2, 2)
	copy(g.W.W.Data(), []float64{0, 1, 1, 0}) // swaps a key's features
	check("general", g, []float64{2, 1})
}

func TestAttenderProjected(t *testing.T) {
	for name, a := range attenders(9, 3, 3) {
		rng := newRNG(10)
		query, keys := randn(rng, 2, 3), randn(rng, 2, 4, 3)
		mask := padMask(4, 3, 4)
		c1, w1 := a.Attend(query, keys, mask)
		c2, w2 := a.AttendProjected(query, keys, a.ProjectKeys(keys), mask)
		if !slices.Equal(c1.Data(), c2.Data()) || !slices.Equal(w1.Data(), w2.Data()) {
			t.Errorf("%s: AttendProjected differs from Attend", name)
		}
	}
}

func TestAttenderNames(t *testing.T) {
	a := nn.NewAdditiveAttention(newRNG(11), 3, 4, 5)
	var names []string
	for _, p := range nn.NamedParams(a) {
		names = append(names, p.Name+fmt.Sprint(p.Tensor.Shape()))
	}
	if want := []string{"V[5 1]", "W.W[3 5]", "W.B[5]", "U.W[4 5]"}; !slices.Equal(names, want) {
		t.Errorf("NamedParams %v, want %v", names, want)
	}
	names = nil
	for _, p := range nn.NamedParams(nn.NewDotAttention(newRNG(11), 3, 4)) {
		names = append(names, p.Name+fmt.Sprint(p.Tensor.Shape()))
	}
	if want := []string{"W.W[4 3]"}; !slices.Equal(names, want) {
		t.Errorf("DotAttention NamedParams %v, want %v", names, want)
	}
	if ps := nn.NamedParams(&nn.DotAttention{}); len(ps) != 0 {
		t.Errorf("plain DotAttention has params %v", ps)
	}
}

func TestAttenderPanics(t *testing.T) {
	rng := newRNG(12)
	add := nn.NewAdditiveAttention(rng, 2, 3, 4)
	gen := nn.NewDotAttention(rng, 2, 3)
	q, k := dl.Zeros(2, 2), dl.Zeros(2, 4, 3)
	for _, c := range []struct {
		want string
		f    func()
	}{
		{"nn: NewAdditiveAttention: sizes queryDim=0, keyDim=3, hidden=4; all must be at least 1", func() { nn.NewAdditiveAttention(rng, 0, 3, 4) }},
		{"nn: NewAdditiveAttention: rng is nil", func() { nn.NewAdditiveAttention(nil, 2, 3, 4) }},
		{"nn: NewDotAttention: sizes queryDim=2, keyDim=0", func() { nn.NewDotAttention(rng, 2, 0) }},
		{"nn: NewDotAttention: rng is nil", func() { nn.NewDotAttention(nil, 2, 3) }},
		{"nn: AdditiveAttention: keys [2 4 2]; want [batch, time, 3]", func() { add.Attend(q, dl.Zeros(2, 4, 2), nil) }},
		{"nn: AdditiveAttention: keys [2 3]; want [batch, time, 3]", func() { add.Attend(q, dl.Zeros(2, 3), nil) }},
		{"nn: AdditiveAttention: query [3 2] and keys [2 4 3]; want query [2, 2]", func() { add.Attend(dl.Zeros(3, 2), k, nil) }},
		{"nn: AdditiveAttention: query [2 3] and keys [2 4 3]; want query [2, 2]", func() { add.Attend(dl.Zeros(2, 3), k, nil) }},
		{"nn: AdditiveAttention: mask [2 3]; want [2, 4], one flag per key", func() { add.Attend(q, k, dl.Zeros(2, 3)) }},
		{"nn: AdditiveAttention: mask value 0.5 at [1, 2]; want 1 at a key and 0 at padding", func() { add.Attend(q, k, dl.New([]float64{1, 1, 1, 1, 1, 1, 0.5, 0}, 2, 4)) }},
		{"nn: AdditiveAttention: row 1 of the mask is all 0; every sequence needs at least one key", func() { add.Attend(q, k, padMask(4, 2, 0)) }},
		{"nn: AdditiveAttention: projected keys [2 4 3]; want [2, 4, 4] from ProjectKeys(keys)", func() { add.AttendProjected(q, k, dl.Zeros(2, 4, 3), nil) }},
		{"nn: AdditiveAttention: Forward takes one tensor, attention needs a query and keys; call Attend(query, keys, mask)", func() { add.Forward(k) }},
		{"nn: DotAttention: keys [2 4 2]; want [batch, time, 3]", func() { gen.Attend(q, dl.Zeros(2, 4, 2), nil) }},
		{"nn: DotAttention: query [2 3] and keys [2 4 3]; want query [2, 2]", func() { gen.Attend(dl.Zeros(2, 3), k, nil) }},
		{"nn: DotAttention: query [2 2] and keys [2 4 3]; want query [2, 3]", func() { (&nn.DotAttention{}).Attend(q, k, nil) }},
		{"nn: DotAttention: row 0 of the mask is all 0", func() { gen.Attend(q, k, padMask(4, 0, 1)) }},
		{"nn: DotAttention: projected keys [2 4 3]; want [2, 4, 2]", func() { gen.AttendProjected(q, k, k, nil) }},
		{"nn: DotAttention: Forward takes one tensor", func() { gen.Forward(k) }},
	} {
		testutil.Panics(t, c.want, c.f)
	}
}
