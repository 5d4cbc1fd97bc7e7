package unsup_test

import (
	"fmt"
	"math"
	"testing"

	"github.com/dlnb/dlnb/internal/testutil"

	"github.com/dlnb/dlnb/dl"
	"github.com/dlnb/dlnb/dl/unsup"
)

func TestPCAFindsDirection(t *testing.T) {
	rng := newRNG(1)
	u := []float64{1.0 / 3, 2.0 / 3, -2.0 / 3} // the stretched direction, a unit vector
	centre := []float64{5, -1, 2}
	const n = 500
	x := make([]float64, 0, 3*n)
	for range n {
		s := 3 * rng.NormFloat64() // std 3 along u, 0.1 across
		for j := range 3 {
			x = append(x, centre[j]+s*u[j]+0.1*rng.NormFloat64())
		}
	}
	p := unsup.PCA(dl.New(x, n, 3), 3)

	comps := p.Components.Data()
	var cos float64
	for j := range 3 {
		cos += comps[j] * u[j]
	}
	if math.Abs(cos) < 0.99 {
		t.Errorf("first component %.3f; |cos| with %.3f is %.4f, want > 0.99", comps[:3], u, cos)
	}
	for j, m := range p.Mean.Data() {
		if !near(m, centre[j], 0.5) {
			t.Errorf("mean %v; want near %v", p.Mean.Data(), centre)
		}
	}
	if !near(p.Variance[0], 9, 0.2) {
		t.Errorf("variance along the first component %.3f; want near 9", p.Variance[0])
	}
	checkPCA(t, "stretched", dl.New(x, n, 3), p)
}

// checkPCA checks the invariants of p, found for x.
func checkPCA(t *testing.T, name string, x *dl.Tensor, p unsup.PCAResult) {
	t.Helper()
	k, d := p.Components.Shape()[0], p.Components.Shape()[1]
	var sum float64
	for i, r := range p.Ratio {
		sum += r
		if i > 0 && (r > p.Ratio[i-1] || p.Variance[i] > p.Variance[i-1]) {
			t.Errorf("%s: ratios %v or variances %v increase at %d", name, p.Ratio, p.Variance, i)
		}
	}
	if sum > 1+1e-12 {
		t.Errorf("%s: ratios %v sum to %v > 1", name, p.Ratio, sum)
	}
	if k == d && !near(sum, 1, 1e-9) {
		t.Errorf("%s: with k = d, ratios %v sum to %v; want 1", name, p.Ratio, sum)
	}
	// The components are orthonormal.
	c := p.Components.Data()
	for a := range k {
		for b := range k {
			var dot float64
			for j := range d {
				dot += c[a*d+j] * c[b*d+j]
			}
			if want := float64(boolInt(a == b)); !near(dot, want, 1e-9) {
				t.Errorf("%s: components %d·%d = %v; want %v", name, a, b, dot, want)
			}
		}
	}
	// The variance of the projections along each component is Variance.
	z := p.Project(x)
	n := x.Shape()[0]
	for i := range k {
		var ss float64 // the projections have mean 0
		for r := range n {
			ss += z.Data()[r*k+i] * z.Data()[r*k+i]
		}
		if v := ss / float64(n-1); !near(v, p.Variance[i], 1e-9) {
			t.Errorf("%s: projections on component %d have variance %v; Variance says %v", name, i, v, p.Variance[i])
		}
	}
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

func TestPCARoundTrip(t *testing.T) {
	for _, c := range []struct{ n, d int }{{20, 4}, {3, 5}, {50, 1}, {2, 2}} {
		name := fmt.Sprintf("n=%d d=%d", c.n, c.d)
		x := dl.Randn(newRNG(uint64(c.n*10+c.d)), c.n, c.d)
		p := unsup.PCA(x, c.d)
		checkPCA(t, name, x, p)
		z := p.Project(x)
		if got := z.Shape(); got[0] != c.n || got[1] != c.d {
			t.Errorf("%s: Project gives shape %v", name, got)
		}
		back := p.Reconstruct(z)
		for i, v := range back.Data() {
			if math.Abs(v-x.Data()[i]) > 1e-9 {
				t.Errorf("%s: Reconstruct(Project(x)) differs from x at %d: %v against %v", name, i, v, x.Data()[i])
				break
			}
		}
	}
}

func TestPCAFewerComponents(t *testing.T) {
	x := dl.Randn(newRNG(4), 30, 6)
	full := unsup.PCA(x, 6)
	p := unsup.PCA(x, 2)
	checkPCA(t, "k=2", x, p)
	for i := range 2 {
		if !near(p.Ratio[i], full.Ratio[i], 1e-12) || !near(p.Variance[i], full.Variance[i], 1e-12) {
			t.Errorf("component %d: k=2 gives ratio %v, k=6 gives %v", i, p.Ratio[i], full.Ratio[i])
		}
	}
	if got := p.Reconstruct(p.Project(x)).Shape(); got[0] != 30 || got[1] != 6 {
		t.Errorf("Reconstruct gives shape %v; want [30 6]", got)
	}
}

func TestPCAPanics(t *testing.T) {
	x := dl.Randn(newRNG(1), 5, 3)
	p := unsup.PCA(x, 2)
	nan := dl.Randn(newRNG(1), 5, 3)
	nan.Data()[4] = math.NaN()
	for _, c := range []struct {
		name, want string
		f          func()
	}{
		{"vector", "PCA: x has shape [5]", func() { unsup.PCA(dl.Zeros(5), 1) }},
		{"one row", "PCA: x has shape [1 3]; want [n, d] with n ≥ 2", func() { unsup.PCA(dl.Zeros(1, 3), 1) }},
		{"k=0", "PCA: k = 0 for 3 features", func() { unsup.PCA(x, 0) }},
		{"k>d", "PCA: k = 4 for 3 features", func() { unsup.PCA(x, 4) }},
		{"NaN", "PCA: x [5 3] holds NaN at index 4", func() { unsup.PCA(nan, 2) }},
		{"Project", "Project: x has shape [5 4]; want [n 3] for components [2 3]", func() { p.Project(dl.Zeros(5, 4)) }},
		{"Reconstruct", "Reconstruct: z has shape [5 3]; want [n 2] for components [2 3]", func() { p.Reconstruct(dl.Zeros(5, 3)) }},
	} {
		t.Run(c.name, func(t *testing.T) { testutil.Panics(t, "unsup: "+c.want, c.f) })
	}
}
