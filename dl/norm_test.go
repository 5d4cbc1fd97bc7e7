package dl

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

func TestGradientsNorm(t *testing.T) { runGradCases(t, 5, normGradCases) }

// normGradCases are the gradient checks of LayerNorm, BatchNormTrain and
// BatchNormEval.
func normGradCases(rng *rand.Rand) []gradCase {
	const eps = 1e-5
	var cases []gradCase
	for dims := 1; dims <= 3; dims++ {
		x := randShape(rng, dims)
		d := x[len(x)-1]
		cases = append(cases,
			gradCase{name: "LayerNorm " + fmtAxes(x), shapes: [][]int{x, {d}, {d}},
				f: func(in []*Tensor) *Tensor { return LayerNorm(in[0], in[1], in[2], eps) }},
			gradCase{name: "LayerNorm no affine " + fmtAxes(x), shapes: [][]int{x},
				f: func(in []*Tensor) *Tensor { return LayerNorm(in[0], nil, nil, eps) }})
	}
	for _, x := range [][]int{randShape(rng, 2), randShape(rng, 3), randShape(rng, 4)} {
		c := x[1]
		mean, variance := make([]float64, c), make([]float64, c)
		for k := range c {
			mean[k], variance[k] = rng.NormFloat64(), positive(rng)
		}
		cases = append(cases,
			gradCase{name: "BatchNormTrain " + fmtAxes(x), shapes: [][]int{x, {c}, {c}},
				f: func(in []*Tensor) *Tensor { out, _, _ := BatchNormTrain(in[0], in[1], in[2], eps); return out }},
			gradCase{name: "BatchNormTrain no affine " + fmtAxes(x), shapes: [][]int{x},
				f: func(in []*Tensor) *Tensor { out, _, _ := BatchNormTrain(in[0], nil, nil, eps); return out }},
			gradCase{name: "BatchNormTrain scale only " + fmtAxes(x), shapes: [][]int{x, {c}},
				f: func(in []*Tensor) *Tensor { out, _, _ := BatchNormTrain(in[0], in[1], nil, eps); return out }},
			gradCase{name: "BatchNormEval " + fmtAxes(x), shapes: [][]int{x, {c}, {c}},
				f: func(in []*Tensor) *Tensor { return BatchNormEval(in[0], in[1], in[2], mean, variance, eps) }},
			gradCase{name: "BatchNormEval no affine " + fmtAxes(x), shapes: [][]int{x},
				f: func(in []*Tensor) *Tensor { return BatchNormEval(in[0], nil, nil, mean, variance, eps) }})
	}
	return cases
}

func TestLayerNorm(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	x := Randn(rng, 3, 4, 8)
	for i := range x.Data() {
		x.Data()[i] = 3 + 5*x.Data()[i]
	}
	out := LayerNorm(x, nil, nil, 0)
	for row := range 12 {
		m, v := meanVar(out.Data()[row*8 : (row+1)*8])
		if math.Abs(m) > 1e-12 || math.Abs(v-1) > 1e-12 {
			t.Errorf("row %d: mean %g, variance %g; want 0 and 1", row, m, v)
		}
	}
	// gamma and beta scale and shift each column.
	gamma, beta := Randn(rng, 8), Randn(rng, 8)
	affine := LayerNorm(x, gamma, beta, 0)
	for i, v := range out.Data() {
		if want := v*gamma.Data()[i%8] + beta.Data()[i%8]; math.Abs(affine.Data()[i]-want) > 1e-12 {
			t.Fatalf("element %d: %g, want %g", i, affine.Data()[i], want)
		}
	}
}

// meanVar returns the mean and biased variance of xs.
func meanVar(xs []float64) (mean, variance float64) {
	for _, v := range xs {
		mean += v
	}
	mean /= float64(len(xs))
	for _, v := range xs {
		variance += (v - mean) * (v - mean)
	}
	return mean, variance / float64(len(xs))
}

func TestBatchNorm(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 10))
	const n, c, h, w = 4, 3, 2, 5
	x := Randn(rng, n, c, h, w)
	for i := range x.Data() {
		x.Data()[i] = float64(i/(h*w)%c) + 2*x.Data()[i] // channel k has mean near k
	}
	out, mean, variance := BatchNormTrain(x, nil, nil, 0)
	for k := range c {
		var vals, normed []float64
		for i, v := range x.Data() {
			if i/(h*w)%c == k {
				vals = append(vals, v)
				normed = append(normed, out.Data()[i])
			}
		}
		m, v := meanVar(vals)
		if math.Abs(mean[k]-m) > 1e-12 || math.Abs(variance[k]-v) > 1e-12 {
			t.Errorf("channel %d: statistics %g, %g; want %g, %g", k, mean[k], variance[k], m, v)
		}
		if m, v := meanVar(normed); math.Abs(m) > 1e-12 || math.Abs(v-1) > 1e-12 {
			t.Errorf("channel %d: normalized mean %g, variance %g; want 0 and 1", k, m, v)
		}
	}
	// Eval with the batch's own statistics gives what Train gave.
	gamma, beta := Randn(rng, c), Randn(rng, c)
	train, _, _ := BatchNormTrain(x, gamma, beta, 1e-5)
	eval := BatchNormEval(x, gamma, beta, mean, variance, 1e-5)
	for i, v := range train.Data() {
		if math.Abs(eval.Data()[i]-v) > 1e-12 {
			t.Fatalf("element %d: eval %g, train %g", i, eval.Data()[i], v)
		}
	}
	// A 2-D batch [n, c] normalizes each column.
	x2 := New([]float64{1, 10, 3, 30}, 2, 2)
	_, mean, variance = BatchNormTrain(x2, nil, nil, 0)
	if !slices.Equal(mean, []float64{2, 20}) || !slices.Equal(variance, []float64{1, 100}) {
		t.Errorf("[2 2]: mean %v, variance %v; want [2 20], [1 100]", mean, variance)
	}
	// One image of several pixels has enough values per channel, as in
	// PyTorch: [1, c, 2, 1] normalizes each channel's two pixels.
	_, mean, variance = BatchNormTrain(New([]float64{1, 3, 10, 30}, 1, 2, 2, 1), nil, nil, 0)
	if !slices.Equal(mean, []float64{2, 20}) || !slices.Equal(variance, []float64{1, 100}) {
		t.Errorf("[1 2 2 1]: mean %v, variance %v; want [2 20], [1 100]", mean, variance)
	}
}
