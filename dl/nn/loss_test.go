package nn_test

import (
	"math"
	"testing"

	"github.com/dlnb/dlnb/internal/gradcheck"

	"github.com/dlnb/dlnb/dl"
	"github.com/dlnb/dlnb/dl/nn"
)

func TestLossValues(t *testing.T) {
	v := func(x ...float64) *dl.Tensor { return dl.New(x) }
	tests := []struct {
		name string
		loss *dl.Tensor
		want float64
	}{
		// ((1−1)² + (2−1)² + (3−1)²) / 3
		{"MSE", nn.MSE(v(1, 2, 3), v(1, 1, 1)), 5.0 / 3},
		{"MSE [n,2]", nn.MSE(dl.New([]float64{1, 2, 3, 4}, 2, 2), dl.New([]float64{0, 2, 3, 6}, 2, 2)), 5.0 / 4},
		{"MSE [n,1] and [n]", nn.MSE(dl.New([]float64{1, 2, 3}, 3, 1), v(1, 1, 1)), 5.0 / 3},
		// z = 0 gives p = ½ and a loss of log 2 for either label.
		{"BCE zero logit", nn.BCE(v(0, 0), v(1, 0)), math.Ln2},
		// (log 2 + log(1+e²)) / 2
		{"BCE", nn.BCE(v(0, 2), v(1, 0)), 1.410037595801459},
		{"BCE [n,1]", nn.BCE(dl.New([]float64{0, 2}, 2, 1), v(1, 0)), 1.410037595801459},
		// Confident and right costs nothing; confident and wrong costs |z|.
		{"BCE large logits", nn.BCE(v(1000, -1000, 1000, -1000), v(1, 0, 0, 1)), 500},
		// Three equal logits: p = ⅓ for the right class.
		{"CrossEntropy uniform", nn.CrossEntropy(dl.New([]float64{0, 0, 0}, 1, 3), v(1)), math.Log(3)},
		// log Σe^z = 3 + log(1 + e⁻¹ + e⁻²); the loss is that minus 3, and minus 1.
		{"CrossEntropy", nn.CrossEntropy(dl.New([]float64{1, 2, 3, 1, 2, 3}, 2, 3), v(2, 0)), 1.4076059644443806},
		{"CrossEntropy large logits", nn.CrossEntropy(dl.New([]float64{1000, 0, 0, 1000}, 2, 2), v(1, 1)), 500},
		// max(0, 1−2) = 0, max(0, 1−0.5) = 0.5, max(0, 1+1) = 2, max(0, 1−2) = 0
		{"Hinge", nn.Hinge(v(2, 0.5, -1, -2), v(1, 1, 1, -1)), 2.5 / 4},
		// d = 0.5, −2, 3 with delta 1: ½·0.25 = 0.125, 1·(2 − ½) = 1.5, 1·(3 − ½) = 2.5; mean 4.125/3
		{"Huber", nn.Huber(v(1.5, -1, 4), v(1, 1, 1), 1), 4.125 / 3},
		// delta 2: d = 1 is quadratic (0.5), d = −3 linear: 2·(3 − 1) = 4; mean 2.25
		{"Huber delta 2 [n,1]", nn.Huber(dl.New([]float64{2, -2}, 2, 1), v(1, 1), 2), 2.25},
		// at d = ±delta both pieces agree: ½·1 = 1·(1 − ½)
		{"Huber at delta", nn.Huber(v(2, 0), v(1, 1), 1), 0.5},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.loss.Dim() != 0 {
				t.Errorf("loss shape %v, want a scalar []", tt.loss.Shape())
			}
			if got := tt.loss.Item(); !near(got, tt.want, 1e-14) {
				t.Errorf("loss = %.17g, want %.17g", got, tt.want)
			}
		})
	}
}

// naiveBCE is the textbook formula −[y·log σ(z) + (1−y)·log(1−σ(z))], which
// overflows for large |z|.
func naiveBCE(z, y []float64) float64 {
	var s float64
	for i := range z {
		p := 1 / (1 + math.Exp(-z[i]))
		s -= y[i]*math.Log(p) + (1-y[i])*math.Log(1-p)
	}
	return s / float64(len(z))
}

func TestBCEStable(t *testing.T) {
	y := []float64{1, 0, 1, 0, 1, 0}
	for _, scale := range []float64{0.1, 1, 5, 20, 50, 800} {
		z := []float64{-1.3 * scale, -0.4 * scale, 0.2 * scale, 0.7 * scale, 1.1 * scale, scale}
		got := nn.BCE(dl.New(z), dl.New(y)).Item()
		if math.IsNaN(got) || math.IsInf(got, 0) {
			t.Fatalf("scale %v: BCE = %v, want a finite value", scale, got)
		}
		if naive := naiveBCE(z, y); !math.IsNaN(naive) && !math.IsInf(naive, 0) && scale <= 20 {
			if !near(got, naive, 1e-9) {
				t.Errorf("scale %v: BCE = %v, naive formula %v", scale, got, naive)
			}
		}
	}
	// The gradient at huge logits is finite too: σ(z) − y, over n.
	z := dl.Param(dl.New([]float64{1000, -1000}))
	nn.BCE(z, dl.New([]float64{0, 0})).Backward()
	if g := z.Grad(); !near(g[0], 0.5, 1e-12) || !near(g[1], 0, 1e-12) {
		t.Errorf("BCE gradient at ±1000 = %v, want [0.5 0]", g)
	}
}

func TestLossGrad(t *testing.T) {
	rng := newRNG(8)
	t.Run("MSE", func(t *testing.T) {
		yHat, y := randn(rng, 4, 3), randn(rng, 4, 3)
		gradcheck.Check(t, func() *dl.Tensor { return nn.MSE(yHat, y) }, yHat, y)
	})
	t.Run("Huber", func(t *testing.T) {
		// Differences 0.3, −0.8, 2.5, −1.7, 0.05, 4: on both sides of delta 1, away from the kinks at ±1.
		yHat := dl.Param(dl.New([]float64{1.3, 0.2, 3.5, -0.7, 1.05, 5}, 3, 2))
		y := dl.Param(dl.New([]float64{1, 1, 1, 1, 1, 1}, 3, 2))
		gradcheck.Check(t, func() *dl.Tensor { return nn.Huber(yHat, y, 1) }, yHat, y)
		z, w := randn(rng, 5, 1), randn(rng, 5, 1)
		gradcheck.Check(t, func() *dl.Tensor { return nn.Huber(z, w, 0.5) }, z, w)
	})
	t.Run("BCE", func(t *testing.T) {
		z := randn(rng, 6, 1)
		y := dl.New([]float64{1, 0, 0, 1, 1, 0})
		gradcheck.Check(t, func() *dl.Tensor { return nn.BCE(z, y) }, z)
		// Large logits: the gradient still matches, and stays finite.
		big := dl.Param(dl.New([]float64{30, -30, 25, -40}))
		gradcheck.Check(t, func() *dl.Tensor { return nn.BCE(big, dl.New([]float64{1, 0, 0, 1})) }, big)
	})
	t.Run("CrossEntropy", func(t *testing.T) {
		z := randn(rng, 5, 4)
		labels := dl.New([]float64{0, 3, 1, 1, 2})
		gradcheck.Check(t, func() *dl.Tensor { return nn.CrossEntropy(z, labels) }, z)
	})
	t.Run("Hinge", func(t *testing.T) {
		// Margins 1 − y·s of 0.5, 1.5, −1, −0.5 and 2.2: all away from the kink at 0.
		s := dl.Param(dl.New([]float64{0.5, -0.5, 2, -1.5, -1.2}))
		y := dl.New([]float64{1, 1, 1, -1, 1})
		gradcheck.Check(t, func() *dl.Tensor { return nn.Hinge(s, y) }, s)
	})
}
