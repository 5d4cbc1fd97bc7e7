package dl

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

func TestDropoutGradients(t *testing.T) { runGradCases(t, 7, dropoutGradCases) }

// dropoutGradCases are the gradient checks of Dropout.
func dropoutGradCases(rng *rand.Rand) []gradCase {
	var cases []gradCase
	for _, p := range []float64{0, 0.3, 0.9} {
		// A fresh rng with a fixed seed in each call draws the same mask
		// every time, as the finite differences need.
		c := gradCase{name: fmt.Sprintf("Dropout p %v", p), shapes: [][]int{randShape(rng, 3)}, f: func(in []*Tensor) *Tensor {
			return Dropout(in[0], p, rand.New(rand.NewPCG(1, 2)))
		}}
		if p == 0 {
			// p = 0 returns x itself, which is no op; multiply by one so
			// that the case still has an output of its own.
			c.f = func(in []*Tensor) *Tensor { return Mul(Dropout(in[0], 0, nil), Scalar(1)) }
		}
		cases = append(cases, c)
	}
	return cases
}

func TestDropoutMask(t *testing.T) {
	const p = 0.25
	rng := rand.New(rand.NewPCG(1, 2))
	x := Param(Full(2, 100))
	y := Dropout(x, p, rng)
	Sum(y).Backward()
	for i, g := range x.Grad() {
		// Each gradient is the mask: 0 where dropped, 1/(1-p) where kept,
		// and y is x times it.
		if g != 0 && math.Abs(g-1/(1-p)) > 1e-15 {
			t.Errorf("element %d: gradient %v, want 0 or %v", i, g, 1/(1-p))
		}
		if y.Data()[i] != 2*g {
			t.Errorf("element %d: output %v, gradient %v: not x times the mask", i, y.Data()[i], g)
		}
	}
	if x := New([]float64{1, 2}); Dropout(x, 0, nil) != x {
		t.Error("Dropout with p = 0 does not return x")
	}
}

func TestDropoutStatistics(t *testing.T) {
	const n = 100000
	rng := rand.New(rand.NewPCG(3, 4))
	x := Randn(rng, n)
	for _, p := range []float64{0.1, 0.5, 0.8} {
		y := Dropout(x, p, rng).Data()
		kept, sumX, sumY := 0, 0.0, 0.0
		for i, v := range y {
			if v != 0 {
				kept++
			}
			sumX += math.Abs(x.Data()[i])
			sumY += math.Abs(v)
		}
		// Binomial: the kept fraction has standard deviation
		// sqrt(p(1-p)/n) < 0.0016; allow about five of them.
		if frac := float64(kept) / n; math.Abs(frac-(1-p)) > 0.008 {
			t.Errorf("p = %v: kept %.4f of the elements, want about %.4f", p, frac, 1-p)
		}
		// Inverted dropout keeps the mean (here of |x|) in expectation.
		if r := sumY / sumX; math.Abs(r-1) > 0.03 {
			t.Errorf("p = %v: mean |y| / mean |x| = %.4f, want about 1", p, r)
		}
	}
}
