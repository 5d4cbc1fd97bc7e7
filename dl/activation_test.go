package dl

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// awayFromClip keeps inputs out of ε's reach of Clip's edges at ±1.
func awayFromClip(rng *rand.Rand) float64 {
	v := 3 * rng.NormFloat64()
	if math.Abs(math.Abs(v)-1) < 0.1 {
		v += 0.3
	}
	return v
}

// randMask returns n random flags.
func randMask(rng *rand.Rand, n int) []bool {
	m := make([]bool, n)
	for i := range m {
		m[i] = rng.IntN(2) == 0
	}
	return m
}

func TestGradientsActivation(t *testing.T) { runGradCases(t, 3, activationGradCases) }

// activationGradCases are the gradient checks of GELU, Clip, Where and
// MaskedFill.
func activationGradCases(rng *rand.Rand) []gradCase {
	shape := randShape(rng, 1+rng.IntN(3))
	mask := randMask(rng, numel(shape))
	return []gradCase{
		{name: "GELU", shapes: [][]int{randShape(rng, 1+rng.IntN(3))},
			f: func(in []*Tensor) *Tensor { return GELU(in[0]) }},
		{name: "GELU wide", shapes: [][]int{randShape(rng, 2)}, draw: []func(*rand.Rand) float64{wide},
			f: func(in []*Tensor) *Tensor { return GELU(in[0]) }},
		{name: "Clip", shapes: [][]int{randShape(rng, 1+rng.IntN(3))}, draw: []func(*rand.Rand) float64{awayFromClip},
			f: func(in []*Tensor) *Tensor { return Clip(in[0], -1, 1) }},
		{name: "Where", shapes: [][]int{shape, shape},
			f: func(in []*Tensor) *Tensor { return Where(mask, in[0], in[1]) }},
		{name: "Where same input", shapes: [][]int{shape},
			f: func(in []*Tensor) *Tensor { return Where(mask, in[0], Mul(in[0], in[0])) }},
		{name: "MaskedFill", shapes: [][]int{shape},
			f: func(in []*Tensor) *Tensor { return MaskedFill(in[0], mask, 0.5) }},
		{name: "MaskedFill then Softmax", shapes: [][]int{{4, 4}},
			f: func(in []*Tensor) *Tensor { return Softmax(MaskedFill(in[0], causalMask(4), math.Inf(-1)), -1) }},
	}
}

// causalMask returns the mask of a [t, t] attention matrix that hides
// positions after each row's own.
func causalMask(t int) []bool {
	m := make([]bool, t*t)
	for i := range t {
		for j := i + 1; j < t; j++ {
			m[i*t+j] = true
		}
	}
	return m
}

func TestGELU(t *testing.T) {
	for _, c := range []struct{ x, want, tol float64 }{
		{0, 0, 0},
		{10, 10, 1e-12},
		{-10, 0, 1e-12},
		{1, 0.8411919906082768, 1e-12}, // 0.5·(1+tanh(√(2/π)·1.044715))
		{-1, -0.15880800939172324, 1e-12},
	} {
		if got := GELU(Scalar(c.x)).Item(); math.Abs(got-c.want) > c.tol {
			t.Errorf("GELU(%g) = %.17g, want %.17g", c.x, got, c.want)
		}
	}
}

func TestClipWhereMaskedFill(t *testing.T) {
	x := New([]float64{-2, -0.5, 0.5, 2})
	if got, want := Clip(x, -1, 1).Data(), []float64{-1, -0.5, 0.5, 1}; !slices.Equal(got, want) {
		t.Errorf("Clip = %v, want %v", got, want)
	}
	y := New([]float64{10, 20, 30, 40})
	cond := []bool{true, false, false, true}
	if got, want := Where(cond, x, y).Data(), []float64{-2, 20, 30, 2}; !slices.Equal(got, want) {
		t.Errorf("Where = %v, want %v", got, want)
	}
	if got, want := MaskedFill(x, cond, 7).Data(), []float64{7, -0.5, 0.5, 7}; !slices.Equal(got, want) {
		t.Errorf("MaskedFill = %v, want %v", got, want)
	}
	if got, want := x.Data(), []float64{-2, -0.5, 0.5, 2}; !slices.Equal(got, want) {
		t.Errorf("MaskedFill changed its input to %v", got)
	}
	// Masked elements get no gradient, even when v is -Inf.
	p := Param(New([]float64{1, 2, 3, 4}))
	Sum(Exp(MaskedFill(p, cond, math.Inf(-1)))).Backward()
	if got, want := p.Grad(), []float64{0, math.Exp(2), math.Exp(3), 0}; !slices.Equal(got, want) {
		t.Errorf("MaskedFill gradient = %v, want %v", got, want)
	}
}
