package nn_test

import (
	"fmt"
	"math"
	"testing"

	"github.com/dlnb/dlnb/dl"
	"github.com/dlnb/dlnb/dl/nn"
	"github.com/dlnb/dlnb/internal/gradcheck"
	"github.com/dlnb/dlnb/internal/testutil"
)

// TestNTXentByHand checks two examples in 2-D, worked out on paper. The
// rows are a = (1, 0), b = (0, 3), a' = (2, 0), b' = (0, −1): after
// normalization a and a' agree (cosine 1), b and b' are opposite (−1), and
// the other pairs are orthogonal (0). With τ = 1, anchor a sees a' at 1
// and b, b' at 0, so ℓ(a) = −1 + log(e + 2), the same for a'; anchor b
// sees b' at −1 and a, a' at 0, so ℓ(b) = 1 + log(e⁻¹ + 2), the same for b'.
// The mean is (log(e + 2) + log(e⁻¹ + 2))/2; with τ = 0.5 the similarities
// double.
func TestNTXentByHand(t *testing.T) {
	z1 := dl.New([]float64{1, 0, 0, 3}, 2, 2)
	z2 := dl.New([]float64{2, 0, 0, -1}, 2, 2)
	for _, c := range []struct{ tau, want float64 }{
		{1, (math.Log(math.E+2) + math.Log(1/math.E+2)) / 2},
		{0.5, (math.Log(math.Exp(2)+2) + math.Log(math.Exp(-2)+2)) / 2},
	} {
		if got := nn.NTXent(z1, z2, c.tau).Item(); !near(got, c.want, 1e-12) {
			t.Errorf("τ = %v: NTXent = %.15g, want %.15g", c.tau, got, c.want)
		}
	}
	// One example: its only candidate is its positive, so the loss is 0.
	if got := nn.NTXent(dl.New([]float64{1, 2}, 1, 2), dl.New([]float64{-3, 1}, 1, 2), 0.1).Item(); math.Abs(got) > 1e-15 {
		t.Errorf("one example: NTXent = %v, want 0", got)
	}
}

// ntxentLoops is NT-Xent written out in loops from the paper's eq. 1.
func ntxentLoops(z1, z2 *dl.Tensor, tau float64) float64 {
	n, d := z1.Shape()[0], z1.Shape()[1]
	rows := make([][]float64, 2*n)
	for i := range n {
		rows[i] = z1.Data()[i*d : (i+1)*d]
		rows[n+i] = z2.Data()[i*d : (i+1)*d]
	}
	sim := func(a, b []float64) float64 {
		var ab, aa, bb float64
		for k := range a {
			ab, aa, bb = ab+a[k]*b[k], aa+a[k]*a[k], bb+b[k]*b[k]
		}
		return ab / math.Sqrt(aa*bb)
	}
	total := 0.0
	for i := range 2 * n {
		p := (i + n) % (2 * n)
		sum := 0.0
		for k := range 2 * n {
			if k != i {
				sum += math.Exp(sim(rows[i], rows[k]) / tau)
			}
		}
		total += -math.Log(math.Exp(sim(rows[i], rows[p])/tau) / sum)
	}
	return total / float64(2*n)
}

func TestNTXentMatchesLoops(t *testing.T) {
	rng := newRNG(3)
	for _, c := range []struct {
		n, d int
		tau  float64
	}{{1, 3, 0.5}, {3, 4, 0.5}, {8, 5, 0.1}, {5, 2, 2}} {
		z1, z2 := dl.Randn(rng, c.n, c.d), dl.Randn(rng, c.n, c.d)
		got, want := nn.NTXent(z1, z2, c.tau).Item(), ntxentLoops(z1, z2, c.tau)
		if !near(got, want, 1e-12) {
			t.Errorf("n=%d d=%d τ=%v: NTXent = %.15g, loops give %.15g", c.n, c.d, c.tau, got, want)
		}
	}
}

// TestNTXentLowWhenViewsAgree checks the point of the loss: views that
// agree with each other and differ from the rest score lower than random
// ones.
func TestNTXentLowWhenViewsAgree(t *testing.T) {
	rng := newRNG(4)
	z := dl.Randn(rng, 16, 8)
	agree := nn.NTXent(z, z, 0.2).Item()
	random := nn.NTXent(z, dl.Randn(rng, 16, 8), 0.2).Item()
	if !(agree < random) || agree > 1 {
		t.Errorf("views that agree: %.3f, random views: %.3f; want the first lower, and below 1", agree, random)
	}
}

func TestNTXentGradient(t *testing.T) {
	rng := newRNG(5)
	for _, c := range []struct {
		n, d int
		tau  float64
	}{{1, 2, 0.5}, {3, 4, 0.5}, {4, 3, 0.2}} {
		t.Run(fmt.Sprintf("n%d_d%d", c.n, c.d), func(t *testing.T) {
			z1, z2 := randn(rng, c.n, c.d), randn(rng, c.n, c.d)
			gradcheck.Check(t, func() *dl.Tensor { return nn.NTXent(z1, z2, c.tau) }, z1, z2)
		})
	}
	// Through a layer, as in training: both views share the encoder's weights.
	lin := nn.NewLinear(rng, 5, 3)
	x1, x2 := dl.Randn(rng, 4, 5), dl.Randn(rng, 4, 5)
	gradcheck.Check(t, func() *dl.Tensor { return nn.NTXent(lin.Forward(x1), lin.Forward(x2), 0.5) }, lin.Params()...)
}

func TestNTXentPanics(t *testing.T) {
	a := dl.Zeros(3, 4)
	testutil.Panics(t, "nn: NTXent: views [3 4] and [2 4] do not fit", func() { nn.NTXent(a, dl.Zeros(2, 4), 0.5) })
	testutil.Panics(t, "nn: NTXent: views [3 4] and [3 5] do not fit", func() { nn.NTXent(a, dl.Zeros(3, 5), 0.5) })
	testutil.Panics(t, "nn: NTXent: views [12] and [12] do not fit", func() { nn.NTXent(dl.Zeros(12), dl.Zeros(12), 0.5) })
	testutil.Panics(t, "nn: NTXent: views [0 4] and [0 4] do not fit", func() { nn.NTXent(dl.Zeros(0, 4), dl.Zeros(0, 4), 0.5) })
	for _, tau := range []float64{0, -0.5, math.NaN(), math.Inf(1)} {
		testutil.Panics(t, fmt.Sprintf("nn: NTXent: temperature %v; want a positive number", tau), func() { nn.NTXent(a, a, tau) })
	}
}

func ExampleNTXent() {
	// Two examples, two views each: the views of each example point the
	// same way, and the two examples are orthogonal.
	z1 := dl.New([]float64{1, 0, 0, 1}, 2, 2)
	z2 := dl.New([]float64{2, 0.1, 0, 3}, 2, 2)
	fmt.Printf("τ = 0.5: %.4f\n", nn.NTXent(z1, z2, 0.5).Item())
	fmt.Printf("τ = 0.1: %.4f\n", nn.NTXent(z1, z2, 0.1).Item())
	// Output:
	// τ = 0.5: 0.2509
	// τ = 0.1: 0.0001
}
